package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"shownotes/generator/devserver"
	"shownotes/generator/site"
)

// runServe is `shownotes serve`: build into memory, serve, rebuild on
// every change, reload the browsers. public/ is never touched.
func runServe(ctx context.Context, args []string, env Env) int {
	fl := newFlags("serve", env)
	addr := fl.String("addr", "127.0.0.1:1313", "address to listen on; the default accepts connections from this machine only")
	drafts := fl.Bool("drafts", false, "include episodes marked draft: true (pages show a preview banner)")
	future := fl.Bool("future", false, "include episodes dated in the future (pages show a preview banner)")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "shownotes serve: unexpected argument %q\n", fl.Arg(0))
		return ExitUsage
	}

	// The watcher and the builds print from their own goroutines.
	var mu sync.Mutex
	env.Stdout = &lockedWriter{mu: &mu, w: env.Stdout}
	env.Stderr = &lockedWriter{mu: &mu, w: env.Stderr}

	w, err := devserver.Watch(env.Dir, func(format string, args ...any) {
		fmt.Fprintf(env.Stderr, "shownotes serve: "+format+"\n", args...)
	})
	if err != nil {
		fmt.Fprintf(env.Stderr, "shownotes serve: watching %s: %v\n", env.Dir, err)
		return ExitFail
	}
	defer w.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "shownotes serve: %v\n", err)
		return ExitFail
	}
	host := listenHost(ln.Addr())
	tcp, _ := ln.Addr().(*net.TCPAddr)
	loopback := tcp != nil && tcp.IP.IsLoopback()

	srv := devserver.New(devserver.NewSiteBuilder(env.input(*drafts, *future)), devserver.Options{
		OnBuild:      func(b devserver.BuildInfo) { printBuild(env, b, host, *drafts || *future) },
		LoopbackOnly: loopback,
	})
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(srv.Close)
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()

	runCtx, stopRun := context.WithCancel(ctx)
	runDone := make(chan struct{})
	go func() {
		_ = srv.Run(runCtx, w.Events())
		close(runDone)
	}()

	var serveFailed error
	select {
	case <-ctx.Done():
	case serveFailed = <-serveErr:
	}
	stopRun()
	<-runDone
	code := ExitOK
	if serveFailed != nil {
		fmt.Fprintf(env.Stderr, "shownotes serve: %v\n", serveFailed)
		code = ExitFail
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(env.Stderr, "shownotes serve: %v\n", err)
	}
	return code
}

// memBuilder builds the site into memory for the dev server. The server
// keeps it for its lifetime, so caches for incremental rebuilds go here.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// listenHost is host:port for URLs: an unspecified address (":1313",
// "0.0.0.0:1313") is reached through localhost.
func listenHost(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}

func printBuild(env Env, b devserver.BuildInfo, host string, preview bool) {
	ms := b.Duration.Milliseconds()
	if b.Err != nil {
		list := site.AsList(b.Err)
		printProblems(env.Stderr, list)
		fmt.Fprintf(env.Stderr, "build failed: %s; pages show the errors until they are fixed\n", countProblems(list))
	} else {
		printProblems(env.Stderr, b.Warnings)
	}
	switch {
	case b.First:
		if b.Err == nil {
			fmt.Fprintf(env.Stdout, "built %d files in %d ms\n", b.Files, ms)
		}
		mode := ""
		if preview {
			mode = " (preview: drafts and scheduled episodes are shown)"
		}
		fmt.Fprintf(env.Stdout, "serving http://%s%s%s; press Ctrl+C to stop\n", host, b.BasePath, mode)
	case b.Err != nil:
	case b.Quick:
		fmt.Fprintf(env.Stdout, "updated %s in %d ms; rebuilding the rest\n", strings.Join(b.Changed, ", "), ms)
	case b.Action != devserver.ActionNone && len(b.Changed) == 0:
		fmt.Fprintf(env.Stdout, "rebuilt in %d ms: the errors are fixed\n", ms)
	case len(b.Changed) == 0:
		fmt.Fprintf(env.Stdout, "rebuilt in %d ms: no output changed\n", ms)
	default:
		fmt.Fprintf(env.Stdout, "rebuilt in %d ms: %d %s changed\n", ms, len(b.Changed), plural(len(b.Changed), "file", "files"))
	}
}
