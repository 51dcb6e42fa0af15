package site_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"shownotes/generator/internal/corpus"
	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// editFirstEpisode rewrites the first episode's notes in place and bumps
// its modification time, as an editor save would.
func editFirstEpisode(t testing.TB, fsys fstest.MapFS, text string) string {
	t.Helper()
	names := make([]string, 0, len(fsys))
	for name := range fsys {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if f := fsys[name]; strings.HasPrefix(name, "content/") && strings.HasSuffix(name, ".md") && !strings.HasSuffix(name, ".transcript.md") {
			f.Data = append(append([]byte(nil), f.Data...), []byte("\n\n"+text+"\n")...)
			f.ModTime = f.ModTime.Add(time.Second)
			return name
		}
	}
	t.Fatal("no episode")
	return ""
}

// A cached rebuild gives exactly the bytes of a fresh build, after edits
// and deletions.
func TestCacheRebuildMatchesFreshBuild(t *testing.T) {
	t.Parallel()
	fsys := corpus.FS(corpus.Options{Episodes: 40, Seed: 7, NotesBytes: 1500, TranscriptBytes: 2000})
	in := site.Input{Project: fsys, Theme: sitetest.DefaultTheme(), Now: func() time.Time { return sitetest.Now }, Cache: site.NewCache()}
	build := func(in site.Input) map[string][]byte {
		t.Helper()
		out := site.NewMemOutput()
		if _, err := site.Build(context.Background(), in, out); err != nil {
			t.Fatal(err)
		}
		return out.Files()
	}
	fresh := func() map[string][]byte { cp := in; cp.Cache = nil; return build(cp) }
	compare := func(step string) {
		t.Helper()
		got, want := build(in), fresh()
		if len(got) != len(want) {
			t.Fatalf("%s: cached build wrote %d files, fresh build %d", step, len(got), len(want))
		}
		for name, data := range want {
			if !bytes.Equal(got[name], data) {
				t.Fatalf("%s: %s differs between the cached and a fresh build", step, name)
			}
		}
	}
	compare("first build")
	compare("unchanged")
	name := editFirstEpisode(t, fsys, "A brand new paragraph.")
	compare("after an edit")
	// Add a guest: the guest's page, the guest index and the episode's
	// neighbours' cards all change.
	fsys[name].Data = bytes.Replace(fsys[name].Data, []byte("guests:\n"), []byte("guests:\n  - \"Someone Entirely New\"\n"), 1)
	fsys[name].ModTime = fsys[name].ModTime.Add(time.Second)
	if !bytes.Contains(fsys[name].Data, []byte("Someone Entirely New")) {
		t.Fatal("test edit did not apply")
	}
	compare("after a guest change")
	delete(fsys, name)
	delete(fsys, strings.TrimSuffix(name, ".md")+".transcript.md")
	compare("after a delete")
}

// BenchmarkCachedRebuild1000 is the dev server's case: one episode of 1,000
// edited, everything else reused.
func BenchmarkCachedRebuild1000(b *testing.B) { benchCachedRebuild(b, 1000) }

// BenchmarkCachedRebuild10000 is the same at 10,000 episodes; it needs a
// few GB and a minute, so it runs only with SHOWNOTES_BENCH_10K=1.
func BenchmarkCachedRebuild10000(b *testing.B) {
	if os.Getenv("SHOWNOTES_BENCH_10K") == "" {
		b.Skip("set SHOWNOTES_BENCH_10K=1 to run")
	}
	benchCachedRebuild(b, 10000)
}

func benchCachedRebuild(b *testing.B, n int) {
	fsys := corpus.FS(corpus.Options{Episodes: n, Seed: 1})
	in := site.Input{Project: fsys, Theme: sitetest.DefaultTheme(), Now: func() time.Time { return sitetest.Now }, Cache: site.NewCache()}
	if _, err := site.Build(context.Background(), in, site.NewMemOutput()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		editFirstEpisode(b, fsys, fmt.Sprintf("Edit %d.", i))
		if _, err := site.Build(context.Background(), in, site.NewMemOutput()); err != nil {
			b.Fatal(err)
		}
	}
}
