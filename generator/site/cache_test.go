package site_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync/atomic"
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

// editFile replaces the first old in file by new and bumps its
// modification time, as an editor save would.
func editFile(t testing.TB, fsys fstest.MapFS, file, old, new string) {
	t.Helper()
	f := fsys[file]
	if !bytes.Contains(f.Data, []byte(old)) {
		t.Fatalf("%s has no %q", file, old)
	}
	f.Data = bytes.Replace(f.Data, []byte(old), []byte(new), 1)
	f.ModTime = f.ModTime.Add(time.Second)
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

// prevOutput is an output folder updated in place, as the CLI's is with a
// persistent cache: it still has the previous build's files, and Reuse
// keeps one.
type prevOutput struct {
	*site.MemOutput
	prev   map[string][]byte
	reused atomic.Int64
}

func (o *prevOutput) Reuse(name string) bool {
	data, ok := o.prev[name]
	if ok {
		o.reused.Add(1)
		_ = o.MemOutput.WriteFile(name, data)
	}
	return ok
}

func (o *prevOutput) Previous(name string) ([]byte, error) {
	if data, ok := o.prev[name]; ok {
		return data, nil
	}
	return nil, fs.ErrNotExist
}

func (o *prevOutput) WriteStream(name string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	return o.MemOutput.WriteFile(name, buf.Bytes())
}

// A build in a new process with the saved persistent cache gives exactly
// the bytes of a fresh build: after edits to notes, a title (the
// neighbours' pages change, and they are read again), a guest, a
// transcript, site.toml, and a deletion; and with a cache of another
// renderer version or a damaged one.
func TestPersistentCacheMatchesFreshBuild(t *testing.T) {
	t.Parallel()
	fsys := corpus.FS(corpus.Options{Episodes: 30, Seed: 11, NotesBytes: 1500, TranscriptBytes: 2000})
	in := site.Input{Project: fsys, Theme: sitetest.DefaultTheme(), Now: func() time.Time { return sitetest.Now }}
	ctx := context.Background()
	fresh := func() map[string][]byte {
		t.Helper()
		out := site.NewMemOutput()
		if _, err := site.Build(ctx, in, out); err != nil {
			t.Fatal(err)
		}
		return out.Files()
	}
	var saved []byte
	prev := map[string][]byte{}
	// cached builds the way the CLI does: load the saved cache, build into
	// the previous output, save the cache. It returns how many files were
	// kept from the previous build.
	cached := func(step, version string) int64 {
		t.Helper()
		c, err := site.LoadCache(bytes.NewReader(saved), version)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		out := &prevOutput{MemOutput: site.NewMemOutput(), prev: prev}
		cin := in
		cin.Cache = c
		if _, err := site.Build(ctx, cin, out); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		got, want := out.Files(), fresh()
		if len(got) != len(want) {
			t.Fatalf("%s: cached build wrote %d files, fresh build %d", step, len(got), len(want))
		}
		for name, data := range want {
			if !bytes.Equal(got[name], data) {
				t.Fatalf("%s: %s differs between the cached and a fresh build:\n%s", step, name, firstDiff(got[name], data))
			}
		}
		var buf bytes.Buffer
		if err := site.SaveCache(&buf, c, "v1"); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		saved, prev = buf.Bytes(), got
		return out.reused.Load()
	}
	total := int64(len(fresh()))
	if n := cached("cold", "v1"); n != 0 {
		t.Fatalf("cold build kept %d files, want 0", n)
	}
	if n := cached("unchanged", "v1"); n < total-12 {
		t.Errorf("unchanged: kept %d of %d files; want all but the site-wide ones", n, total)
	}
	name := editFirstEpisode(t, fsys, "A brand new paragraph.")
	if n := cached("after an edit", "v1"); n < total/2 {
		t.Errorf("after an edit: kept only %d of %d files", n, total)
	}
	edit := func(file, old, new string) { t.Helper(); editFile(t, fsys, file, old, new) }
	edit(name, "title: ", "title: Retitled ")
	cached("after a title change", "v1")
	edit(name, "guests:\n", "guests:\n  - \"Someone Entirely New\"\n")
	cached("after a guest change", "v1")
	tr := strings.TrimSuffix(name, ".md") + ".transcript.md"
	edit(tr, "\n\n", "\n\nAn added line of the transcript.\n\n")
	cached("after a transcript change", "v1")
	edit("site.toml", "description = \"", "description = \"Changed. ")
	cached("after a site.toml change", "v1")
	delete(fsys, name)
	delete(fsys, tr)
	cached("after a delete", "v1")
	if n := cached("another renderer", "v2"); n != 0 {
		t.Errorf("a cache of another version kept %d files, want 0", n)
	}
	saved = saved[:len(saved)/2]
	c, err := site.LoadCache(bytes.NewReader(saved), "v2")
	if err == nil || c == nil {
		t.Fatalf("a damaged cache: got error %v and cache %v, want an error and an empty cache to build with", err, c)
	}
}

// firstDiff shows where two files part.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return fmt.Sprintf("cached: …%s…\nfresh:  …%s…", a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
}

// A damaged render cache, cut short or with any byte changed, loads as an
// error and an empty cache (a cold build), never as wrong entries or a
// panic; an intact one loads with every entry.
func TestDamagedCacheIsCold(t *testing.T) {
	t.Parallel()
	fsys := corpus.FS(corpus.Options{Episodes: 6, Seed: 3, NotesBytes: 600, TranscriptBytes: 600})
	c := site.NewPersistentCache()
	in := site.Input{Project: fsys, Theme: sitetest.DefaultTheme(), Now: func() time.Time { return sitetest.Now }, Cache: c}
	if _, err := site.Build(context.Background(), in, &prevOutput{MemOutput: site.NewMemOutput()}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := site.SaveCache(&buf, c, "v1"); err != nil {
		t.Fatal(err)
	}
	saved := buf.Bytes()
	if got, err := site.LoadCache(bytes.NewReader(saved), "v1"); err != nil || got.Entries() != c.Entries() || got.Entries() == 0 {
		t.Fatalf("intact cache: %v, %d entries; want %d", err, got.Entries(), c.Entries())
	}
	step := max(1, len(saved)/300)
	for i := 30; i < len(saved); i += step {
		if got, err := site.LoadCache(bytes.NewReader(saved[:i]), "v1"); err == nil || got.Entries() != 0 {
			t.Fatalf("cut at %d of %d bytes: error %v, %d entries; want an error and none", i, len(saved), err, got.Entries())
		}
		damaged := bytes.Clone(saved)
		damaged[i] ^= 0x20
		if got, err := site.LoadCache(bytes.NewReader(damaged), "v1"); err == nil || got.Entries() != 0 {
			t.Fatalf("byte %d of %d changed: error %v, %d entries; want an error and none", i, len(saved), err, got.Entries())
		}
	}
}
