package site_test

// Benchmarks on a generated corpus (generator/internal/corpus): episodes of
// about 30 KB of show notes and transcript each. Run them one at a time on
// a quiet machine:
//
//	go test ./generator/site -run XXX -bench . -benchmem
//	go test ./generator/site -run XXX -bench Build1000 -cpuprofile /tmp/cpu.out
//	SHOWNOTES_BENCH_10K=1 go test ./generator/site -run XXX -bench Build10000 -benchtime 1x
//
// Each reports episodes/s and ms/episode next to ns/op.

import (
	"context"
	"io"
	"os"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"shownotes/generator/internal/corpus"
	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

var (
	benchTheme   = sync.OnceValue(sitetest.DefaultTheme)
	benchCorpora sync.Map // episode count -> func() fstest.MapFS
)

// benchProject is the in-memory corpus of n episodes, generated once per
// test binary (outside every benchmark's timer).
func benchProject(n int) fstest.MapFS {
	f, _ := benchCorpora.LoadOrStore(n, sync.OnceValue(func() fstest.MapFS {
		return corpus.FS(corpus.Options{Episodes: n, Seed: 1})
	}))
	return f.(func() fstest.MapFS)()
}

func benchInput(n int) site.Input {
	return site.Input{
		Project: benchProject(n),
		Theme:   benchTheme(),
		Now:     func() time.Time { return sitetest.Now },
	}
}

// reportPerEpisode adds episodes/s and ms/episode for loops that each
// handle n episodes.
func reportPerEpisode(b *testing.B, n, loops int) {
	per := b.Elapsed() / time.Duration(max(loops*n, 1))
	b.ReportMetric(float64(loops*n)/b.Elapsed().Seconds(), "episodes/s")
	b.ReportMetric(float64(per)/float64(time.Millisecond), "ms/episode")
}

// BenchmarkLoad1000 reads, parses and validates 1,000 episodes (front
// matter, transcripts, linking) without rendering anything.
func BenchmarkLoad1000(b *testing.B) {
	in := benchInput(1000)
	ctx := context.Background()
	loops := 0
	for b.Loop() {
		s, err := site.Load(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Episodes) != 1000 {
			b.Fatalf("loaded %d episodes, want 1000", len(s.Episodes))
		}
		loops++
	}
	reportPerEpisode(b, 1000, loops)
}

// BenchmarkRenderEpisode is the cost of one episode page.
//
//   - single: a whole build of a 1-episode site (episode and transcript
//     pages, plus the fixed cost of home, tags, feeds, sitemap, assets);
//   - of1000: Render (no Load) of a loaded 1,000-episode site into
//     Discard, divided per episode, which spreads the list pages and feeds
//     over the episodes as a real site does.
func BenchmarkRenderEpisode(b *testing.B) {
	ctx := context.Background()
	b.Run("single", func(b *testing.B) {
		in := benchInput(1)
		loops := 0
		for b.Loop() {
			if _, err := site.Build(ctx, in, site.Discard{}); err != nil {
				b.Fatal(err)
			}
			loops++
		}
		reportPerEpisode(b, 1, loops)
	})
	b.Run("of1000", func(b *testing.B) {
		in := benchInput(1000)
		s, err := site.Load(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		loops := 0
		for b.Loop() {
			if _, err := s.Render(ctx, in, site.Discard{}); err != nil {
				b.Fatal(err)
			}
			loops++
		}
		reportPerEpisode(b, 1000, loops)
	})
}

// BenchmarkBuild1000 is a full build (Load + Render) of 1,000 episodes,
// into Discard (pure CPU) and into a MemOutput (plus keeping every file).
func BenchmarkBuild1000(b *testing.B) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		out  func() site.Output
	}{
		{"Discard", func() site.Output { return site.Discard{} }},
		{"MemOutput", func() site.Output { return site.NewMemOutput() }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			in := benchInput(1000)
			loops := 0
			for b.Loop() {
				rep, err := site.Build(ctx, in, tc.out())
				if err != nil {
					b.Fatal(err)
				}
				if rep.Episodes != 1000 {
					b.Fatalf("built %d episodes, want 1000", rep.Episodes)
				}
				loops++
			}
			reportPerEpisode(b, 1000, loops)
		})
	}
}

// BenchmarkColdWithCache1000 is what `shownotes build` does the first
// time: a full build that fills a persistent render cache and saves it.
// Against BenchmarkBuild1000/Discard it is what the cache costs.
func BenchmarkColdWithCache1000(b *testing.B) {
	ctx := context.Background()
	in := benchInput(1000)
	loops := 0
	for b.Loop() {
		c := site.NewPersistentCache()
		in.Cache = c
		if _, err := site.Build(ctx, in, site.Discard{}); err != nil {
			b.Fatal(err)
		}
		if err := site.SaveCache(io.Discard, c, "bench"); err != nil {
			b.Fatal(err)
		}
		loops++
	}
	reportPerEpisode(b, 1000, loops)
}

// BenchmarkBuild10000 is BenchmarkBuild1000/Discard at 10,000 episodes, to
// see what grows faster than the episode count. It needs about 3 GB and
// most of a minute per run, so it is skipped unless SHOWNOTES_BENCH_10K is
// set.
func BenchmarkBuild10000(b *testing.B) {
	if os.Getenv("SHOWNOTES_BENCH_10K") == "" {
		b.Skip("set SHOWNOTES_BENCH_10K=1 to run (about 3 GB, a minute per run)")
	}
	ctx := context.Background()
	in := benchInput(10000)
	loops := 0
	for b.Loop() {
		if _, err := site.Build(ctx, in, site.Discard{}); err != nil {
			b.Fatal(err)
		}
		loops++
	}
	reportPerEpisode(b, 10000, loops)
}
