package devserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"shownotes/generator/site"
)

// writeBenchSite generates a show with n episodes under root.
func writeBenchSite(tb testing.TB, root string, n int) {
	tb.Helper()
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "content", "episodes"), 0o755))
	must(os.WriteFile(filepath.Join(root, "site.toml"), []byte(`title = "Bench Show"
description = "A generated show for benchmarks."
base_url = "https://bench.example.org/"
author = "Bench Host"
language = "en"
categories = ["History"]
image = "https://bench.example.org/cover.png"
paginate = 20

[owner]
name = "Bench Host"
email = "host@bench.example.org"

[[hosts]]
name = "Bench Host"
`), 0o644))
	for i := 1; i <= n; i++ {
		must(os.WriteFile(benchEpisodePath(root, i), benchEpisode(i, ""), 0o644))
	}
}

func benchEpisodePath(root string, i int) string {
	return filepath.Join(root, "content", "episodes", fmt.Sprintf("%04d-episode.md", i))
}

// benchEpisode is episode i; marker, if set, is added to the show notes.
func benchEpisode(i int, marker string) []byte { return benchEpisodeEdit(i, marker, 0) }

// benchEpisodeEdit is episode i with its date moved by shift days and, if
// shift is not 0, its guest another one.
func benchEpisodeEdit(i int, marker string, shift int) []byte {
	date := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i+shift)
	var b strings.Builder
	fmt.Fprintf(&b, `+++
title = "Episode %d: on topic %d"
slug = "episode-%d"
date = %s
episode = %d
summary = "Episode %d of the generated show, about topic %d and guest %d."
duration = %d
tags = ["topic-%d", "topic-%d"]

[[guests]]
name = "Guest %d"

[audio]
url = "https://media.example.org/bench/%04d.mp3"
length = %d
+++

`, i, i%17, i, date.Format("2006-01-02"), i, i, i%17, i%40, 1800+i, i%17, i%5, (i+shift)%40, i, 20_000_000+i)
	for p := range 6 {
		fmt.Fprintf(&b, "Paragraph %d of episode %d. We talk about *books*, [links](https://example.org/%d/%d) and `code`,\nthe way show notes do, with a list:\n\n- one\n- two\n\n", p, i, i, p)
	}
	if marker != "" {
		fmt.Fprintf(&b, "\n%s\n", marker)
	}
	return []byte(b.String())
}

// BenchmarkEditToServed measures, per op, the time from an episode saved on
// disk (by rename, as editors do) to the new bytes being served by the
// handler: fsnotify, the quiet period, then the episode's page from
// QuickPages published over the last build, the full build following.
// edit=notes adds a line to the show notes; edit=date-guest also moves the
// episode past its neighbours and gives it another guest, so QuickPages
// places it again (relink). quiet=30ms is what `shownotes serve` does;
// quiet=0 leaves out the debounce to show the pipeline alone. build-ms is the mean
// full Builder.Build time per op (the full build the page does not wait
// for), quick/op how many edits were published by QuickPages. Run with:
//
//	go test -run '^$' -bench EditToServed -benchtime 20x ./generator/devserver/
//
// SHOWNOTES_BENCH_EPISODES=2000 sizes the generated show (default 200).
func BenchmarkEditToServed(b *testing.B) {
	n := 200
	if v := os.Getenv("SHOWNOTES_BENCH_EPISODES"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil {
			b.Fatalf("SHOWNOTES_BENCH_EPISODES=%q: %v", v, err)
		}
	}
	for _, relink := range []bool{false, true} {
		for _, quiet := range []time.Duration{DefaultQuiet, -1} {
			name := fmt.Sprintf("episodes=%d/edit=notes/quiet=%v", n, max(quiet, 0))
			if relink {
				name = strings.Replace(name, "notes", "date-guest", 1)
			}
			b.Run(name, func(b *testing.B) { benchEditToServed(b, n, quiet, relink) })
		}
	}
}

func benchEditToServed(b *testing.B, n int, quiet time.Duration, relink bool) {
	root := b.TempDir()
	writeBenchSite(b, root, n)
	now := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	builder := NewSiteBuilder(site.Input{
		Project: os.DirFS(root),
		Theme:   os.DirFS(filepath.Join("..", "..", "themes", "default")),
		Now:     func() time.Time { return now },
	})
	w, err := Watch(root, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()

	var builds, buildNanos, quicks atomic.Int64
	built := make(chan struct{}, 1) // a full build finished
	failed := make(chan error, 1)
	s := New(builder, Options{Quiet: quiet, OnBuild: func(info BuildInfo) {
		if info.Quick {
			quicks.Add(1)
			return
		}
		builds.Add(1)
		buildNanos.Add(int64(info.Duration))
		select {
		case built <- struct{}{}:
		default:
		}
		if info.Err != nil {
			select {
			case failed <- info.Err:
			default:
			}
		}
	}})
	ctx, cancel := context.WithCancel(b.Context())
	runDone := make(chan struct{})
	go func() { _ = s.Run(ctx, w.Events()); close(runDone) }()
	defer func() { cancel(); <-runDone }()
	select {
	case <-s.Ready():
	case err := <-failed:
		b.Fatalf("first build: %v", err)
	}
	if st := s.state.Load(); st.errs != nil {
		b.Fatalf("first build: %v", st.errs)
	}
	c := s.hub.subscribe()
	defer s.hub.unsubscribe(c)

	const ep = 100 // an episode in the middle: its page, neighbours, tags, guest and home change
	file := benchEpisodePath(root, min(ep, n))
	target := fmt.Sprintf("/episodes/episode-%d/", min(ep, n))
	if rec := do(b, s, "GET", target); rec.Code != 200 {
		b.Fatalf("GET %s: %d", target, rec.Code)
	}
	builds.Store(0)
	buildNanos.Store(0)
	quicks.Store(0)
	guard := time.NewTimer(time.Hour)
	defer guard.Stop()

	i := 0
	for b.Loop() {
		i++
		marker := fmt.Sprintf("bench-edit-%d", i)
		tmp := filepath.Join(filepath.Dir(file), "."+filepath.Base(file)+".tmp")
		shift := 0
		if relink {
			shift = 3 + i%2 // past the next two episodes, then three
		}
		if err := os.WriteFile(tmp, benchEpisodeEdit(min(ep, n), marker, shift), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, file); err != nil {
			b.Fatal(err)
		}
		guard.Reset(time.Minute) // against hanging only
		for served := false; !served; {
			select {
			case <-c.ch:
			case err := <-failed:
				b.Fatalf("rebuild: %v", err)
			case <-guard.C:
				b.Fatalf("edit %d not served within a minute", i)
			}
			rec := do(b, s, "GET", target)
			served = rec.Code == 200 && strings.Contains(rec.Body.String(), marker)
		}
		// Let the full build that follows finish, untimed, so the next
		// edit does not cancel it and every op starts from a built site.
		b.StopTimer()
		for builds.Load() < int64(i) {
			select {
			case <-built:
			case err := <-failed:
				b.Fatalf("rebuild: %v", err)
			case <-guard.C:
				b.Fatalf("edit %d: full build not done within a minute", i)
			}
		}
		b.StartTimer()
	}
	if i > 0 {
		b.ReportMetric(float64(buildNanos.Load())/float64(i)/1e6, "build-ms/op")
		b.ReportMetric(float64(builds.Load())/float64(i), "builds/op")
		b.ReportMetric(float64(quicks.Load())/float64(i), "quick/op")
	}
}
