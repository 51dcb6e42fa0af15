// Command shownotes builds podcast show-notes websites and feeds from a
// folder of Markdown episodes. See README.md.
package main

import (
	"context"
	"embed"
	"io/fs"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"shownotes/generator/cli"
)

// The default theme ships inside the binary, so an installed shownotes works
// in any folder; a site's own themes/<name>/ files override it file by file.
//
//go:embed all:themes/default
var embedded embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	theme, err := fs.Sub(embedded, "themes/default")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	// SHOWNOTES_CPUPROFILE=file profiles a run, for bench/ and
	// docs/performance.md.
	if p := os.Getenv("SHOWNOTES_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	code := cli.Run(ctx, os.Args[1:], cli.Env{
		Stdout:       os.Stdout,
		Stderr:       os.Stderr,
		Dir:          ".",
		DefaultTheme: theme,
	})
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
}
