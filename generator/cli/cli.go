// Package cli parses the command line, does the file system I/O at the
// edges and maps results to exit codes. The work itself is in site.
package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"shownotes/generator/site"
)

// Env is the outside world the commands see; tests substitute their own.
type Env struct {
	Stdout, Stderr io.Writer
	Dir            string           // project root
	DefaultTheme   fs.FS            // the built-in theme
	Now            func() time.Time // nil = time.Now
}

// Exit codes.
const (
	ExitOK    = 0
	ExitFail  = 1 // the input has problems
	ExitUsage = 2
)

const usage = `shownotes builds a podcast website and feed from Markdown episodes.

Usage:
  shownotes build [-drafts] [-future] [-out public]   build the site into public/
  shownotes serve [-drafts] [-future] [-addr A]      preview at http://127.0.0.1:1313/ with live reload
  shownotes new "Title" [-guest NAME] [-date D]       scaffold a draft episode
  shownotes check [-strict] [-format text|json|github] validate without writing
  shownotes import FEED [-into DIR] [-force]          move a show here from its RSS feed (file or URL)
  shownotes help                                     show this help

Run a command with -h for its flags.
`

// Run executes one command and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Now == nil {
		env.Now = time.Now
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], env)
	case "serve":
		return runServe(ctx, args[1:], env)
	case "new":
		return runNew(ctx, args[1:], env)
	case "check":
		return runCheck(ctx, args[1:], env)
	case "import":
		return runImport(ctx, args[1:], env)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "shownotes: unknown command %q\n\n%s", args[0], usage)
	return ExitUsage
}

func newFlags(name string, env Env) *flag.FlagSet {
	fl := flag.NewFlagSet("shownotes "+name, flag.ContinueOnError)
	fl.SetOutput(env.Stderr)
	return fl
}

func (env Env) input(drafts, future bool) site.Input {
	return site.Input{
		Project: os.DirFS(env.Dir),
		Theme:   env.DefaultTheme,
		Now:     env.Now,
		Drafts:  drafts,
		Future:  future,
	}
}

func runBuild(ctx context.Context, args []string, env Env) int {
	fl := newFlags("build", env)
	drafts := fl.Bool("drafts", false, "include episodes marked draft: true")
	future := fl.Bool("future", false, "include episodes dated in the future")
	out := fl.String("out", "public", "output folder, relative to the project")
	quiet := fl.Bool("quiet", false, "print nothing but errors")
	minify := fl.Bool("minify", false, "minify the HTML, CSS, JavaScript and JSON written (feeds stay as they are); always a full build")
	noCache := fl.Bool("no-cache", false, "build everything from scratch, and neither read nor write "+CacheDir+"/")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "shownotes build: unexpected argument %q\n", fl.Arg(0))
		return ExitUsage
	}
	start := time.Now()
	dest := *out
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(env.Dir, dest)
	}
	in := env.input(*drafts, *future)
	var rc *renderCache
	if !*noCache && !*minify {
		restore := tuneGC(true) // decoding the cache is a warm build's
		rc = openRenderCache(env, dest, in)
		restore()
		defer rc.close()
		in.Cache = rc.cache
	}
	defer tuneGC(rc.warm())() // gctune.go
	var prev []string
	if rc.warm() {
		prev = rc.cache.Outputs()
	}
	dir, err := newDirOutput(dest, prev)
	if err != nil {
		fmt.Fprintf(env.Stderr, "shownotes build: %v\n", err)
		return ExitFail
	}
	var output site.Output = dir
	if *minify {
		output = site.MinifyOutput(dir)
	}
	report, err := site.Build(ctx, in, output)
	if err != nil {
		dir.abort()
		printProblems(env.Stderr, site.AsList(err))
		fmt.Fprintf(env.Stderr, "build failed: %s; %s left unchanged\n", countProblems(site.AsList(err)), relOut(*out))
		return ExitFail
	}
	// The cache describes the output folder: while the folder changes, no
	// cache (a build stopped half-way is followed by a cold one).
	rc.forget()
	rc.encode() // while the output folder is updated
	if err := dir.commit(); err != nil {
		fmt.Fprintf(env.Stderr, "shownotes build: %v\n", err)
		return ExitFail
	}
	if err := rc.save(); err != nil {
		// The site is built; the next build is a cold one.
		fmt.Fprintf(env.Stderr, "shownotes build: warning: cannot save the render cache: %v\n", err)
	}
	if report.FeedLock != nil {
		if err := writeFileAtomic(filepath.Join(env.Dir, site.LockFile), report.FeedLock); err != nil {
			fmt.Fprintf(env.Stderr, "shownotes build: writing %s: %v\n", site.LockFile, err)
			return ExitFail
		}
	}
	if report.MediaLock != nil {
		if err := writeFileAtomic(filepath.Join(env.Dir, site.MediaLockFile), report.MediaLock); err != nil {
			fmt.Fprintf(env.Stderr, "shownotes build: writing %s: %v\n", site.MediaLockFile, err)
			return ExitFail
		}
	}
	printProblems(env.Stderr, report.Warnings)
	if !*quiet {
		fmt.Fprintf(env.Stdout, "built %d pages (%d episodes, %d files) into %s in %d ms\n",
			report.Pages, report.Episodes, report.Files, relOut(*out), time.Since(start).Milliseconds())
		if report.Hidden > 0 {
			fmt.Fprintf(env.Stdout, "left out %d draft or scheduled %s", report.Hidden, plural(report.Hidden, "episode", "episodes"))
			if !report.NextScheduled.IsZero() {
				fmt.Fprintf(env.Stdout, "; next scheduled episode is due %s", report.NextScheduled.UTC().Format(time.RFC3339))
			}
			fmt.Fprintln(env.Stdout)
		}
	}
	return ExitOK
}

func relOut(out string) string { return strings.TrimSuffix(filepath.ToSlash(out), "/") + "/" }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func countProblems(l site.ErrorList) string {
	n := len(l.Errors())
	if n == 0 {
		n = len(l)
	}
	return fmt.Sprintf("%d %s", n, plural(n, "error", "errors"))
}

// printProblems writes each problem as file:line:col: message, followed by
// the source line and a caret, the way compilers do.
func printProblems(w io.Writer, l site.ErrorList) {
	for _, e := range l {
		fmt.Fprintln(w, e.Error())
		if e.Snippet != "" && e.Pos.Line > 0 {
			gutter := fmt.Sprintf("%5d | ", e.Pos.Line)
			fmt.Fprintf(w, "%s%s\n", gutter, e.Snippet)
			if e.Pos.Col > 0 {
				pad := strings.Repeat(" ", len(gutter)-2) + "| " + site.CaretPad(e.Snippet, e.Pos.Col)
				fmt.Fprintf(w, "%s^\n", pad)
			}
		}
	}
}

// writeFileAtomic replaces name only if the content changed, through a
// temporary file, so an interrupted build never leaves half a file.
func writeFileAtomic(name string, data []byte) error {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
