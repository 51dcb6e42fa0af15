// Command shownotes builds podcast show-notes websites and feeds from a
// folder of Markdown episodes. See README.md.
package main

import (
	"context"
	"embed"
	"io/fs"
	"os"
	"os/signal"
	"runtime/metrics"
	"runtime/pprof"
	"syscall"
	"time"

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
	// SHOWNOTES_MEMPROFILE=file keeps a heap profile of the run's largest
	// live heap (sampled every 100 ms, written again each time it grows
	// by 5%): where a build's peak memory is.
	if p := os.Getenv("SHOWNOTES_MEMPROFILE"); p != "" {
		go func() {
			var peak uint64
			sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			for range time.Tick(100 * time.Millisecond) {
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > peak+peak/20 {
					peak = v
					if f, err := os.Create(p); err == nil {
						pprof.Lookup("heap").WriteTo(f, 0)
						f.Close()
					}
				}
			}
		}()
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
