package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"shownotes/generator/importer"
)

// runImport is `shownotes import FEED [-into DIR] [-force]`: it creates a
// site from a show's RSS feed, or brings an imported site up to date.
func runImport(ctx context.Context, args []string, env Env) int {
	fl := newFlags("import", env)
	into := fl.String("into", "", "site folder to create or update (default: the current folder)")
	force := fl.Bool("force", false, "overwrite episode files edited since the last import")
	fl.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: shownotes import FEED [-into DIR] [-force]\n\nFEED is a feed file or an http(s) URL.")
		fl.PrintDefaults()
	}
	// Accept the feed before or after the flags.
	var src string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		src, args = args[0], args[1:]
	}
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if src == "" && fl.NArg() > 0 {
		src = fl.Arg(0)
	} else if fl.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "shownotes import: unexpected argument %q\n", fl.Arg(0))
		return ExitUsage
	}
	if fl.NArg() > 1 {
		fmt.Fprintf(env.Stderr, "shownotes import: unexpected argument %q\n", fl.Arg(1))
		return ExitUsage
	}
	if src == "" {
		fl.Usage()
		return ExitUsage
	}
	dir := env.Dir
	if *into != "" {
		dir = *into
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(env.Dir, dir)
		}
	}
	path := src
	if !isURL(src) && !filepath.IsAbs(src) {
		path = filepath.Join(env.Dir, src)
	}
	data, err := importer.Fetch(ctx, path, nil)
	if err != nil {
		fmt.Fprintf(env.Stderr, "shownotes import: %v\n", err)
		return ExitFail
	}
	rep, err := importer.Import(ctx, dir, data, importer.Options{Force: *force, Now: env.Now, Source: src})
	if err != nil {
		fmt.Fprintf(env.Stderr, "shownotes import: %s: %v\n", src, err)
		return ExitFail
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(env.Stderr, "skipped: %s\n", s)
	}
	switch rep.Config {
	case "created", "updated":
		fmt.Fprintf(env.Stdout, "import: %s site.toml from the feed\n", rep.Config)
	case "skipped":
		fmt.Fprintln(env.Stdout, "import: kept site.toml: edited since the last import (-force overwrites it)")
	}
	fmt.Fprintln(env.Stdout, rep.Summary())
	return ExitOK
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}
