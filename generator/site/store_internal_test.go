package site

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"shownotes/generator/internal/corpus"
)

// Field positions survive packing, field names with dots, brackets and odd
// characters included, and a field that is not there is not found (not
// even as the prefix of one that is).
func TestPackPos(t *testing.T) {
	t.Parallel()
	for _, pos := range []map[string]Pos{
		{},
		{"title": {Line: 2, Col: 8}},
		{"guests[0].name": {Line: 12, Col: 11}, "audio.url": {Line: 40, Col: 3}, "ключ": {Line: 1, Col: 1}, "audio": {Line: 39, Col: 1}},
	} {
		packed := packPos(pos)
		for f, want := range pos {
			if line, col, ok := lookupPos(packed, f); !ok || line != want.Line || col != want.Col {
				t.Errorf("lookupPos(packPos(%v), %q) = %d, %d, %v; want %d, %d", pos, f, line, col, ok, want.Line, want.Col)
			}
		}
		for _, f := range []string{"audio.u", "guests", "", "titles"} {
			if _, _, ok := lookupPos(packed, f); ok {
				t.Errorf("lookupPos(packPos(%v), %q) found a field that is not there", pos, f)
			}
		}
	}
}

// SaveCache writes back the shards of files no build changed as they were
// read, encodes the others again, and what it saves is what a full encode
// saves.
func TestSaveCacheWritesChangedShardsOnly(t *testing.T) {
	t.Parallel()
	fsys := corpus.FS(corpus.Options{Episodes: 40, Seed: 5, NotesBytes: 600, TranscriptBytes: 600})
	build := func(c *Cache) {
		t.Helper()
		in := Input{Project: fsys, Theme: os.DirFS("../../themes/default"), Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }, Cache: c}
		if _, err := Build(context.Background(), in, NewMemOutput()); err != nil {
			t.Fatal(err)
		}
	}
	save := func(c *Cache) []byte {
		t.Helper()
		var b bytes.Buffer
		if err := SaveCache(&b, c, "v"); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	load := func(b []byte) *Cache {
		t.Helper()
		c, err := LoadCache(bytes.NewReader(b), "v")
		if err != nil || len(c.files) == 0 {
			t.Fatalf("LoadCache: %v, %d files", err, len(c.files))
		}
		return c
	}
	shardsOf := func(b []byte) [][]byte {
		rest := b[len(storeFormat)+1:]
		var parts [][]byte
		for len(rest) > 0 {
			n := binary.LittleEndian.Uint64(rest)
			parts, rest = append(parts, rest[12:12+n]), rest[12+n:]
		}
		return parts[1:]
	}
	differ := func(a, b []byte) (shards []int) {
		sa, sb := shardsOf(a), shardsOf(b)
		for i := range sa {
			if !bytes.Equal(sa[i], sb[i]) {
				shards = append(shards, i)
			}
		}
		return shards
	}
	c := NewPersistentCache()
	build(c)
	first := save(c)
	if got := len(shardsOf(first)); got != fileShards {
		t.Fatalf("%d shards, want %d", got, fileShards)
	}

	c = load(first)
	build(c)
	same := save(c)
	if d := differ(first, same); len(d) != 0 {
		t.Errorf("nothing changed, yet shards %v were encoded again", d)
	}

	// Edit an episode, edit another's transcript only, delete a third:
	// what changed is in six shards at most, of sixteen.
	var eps []string
	for name := range fsys {
		if strings.HasPrefix(name, "content/episodes/") && strings.HasSuffix(name, ".md") && !strings.HasSuffix(name, ".transcript.md") {
			eps = append(eps, name)
		}
	}
	slices.Sort(eps)
	edited, trOf, dropped := eps[0], eps[1], eps[2]
	transcript := func(ep string) string { return strings.TrimSuffix(ep, ".md") + ".transcript.md" }
	edit := func(name string) {
		f := *fsys[name]
		f.Data = append(bytes.Clone(f.Data), "\n\nMara Ellison: One more line.\n"...)
		f.ModTime = f.ModTime.Add(time.Hour)
		fsys[name] = &f
	}
	edit(edited)
	edit(transcript(trOf))
	delete(fsys, dropped)
	delete(fsys, transcript(dropped))
	c = load(same)
	build(c)
	next := save(c)
	var want []int
	for _, p := range []string{edited, transcript(trOf), trOf, dropped, transcript(dropped)} {
		want = append(want, fileShard(p))
	}
	slices.Sort(want)
	want = slices.Compact(want)
	if d := differ(same, next); !slices.Equal(d, want) {
		t.Errorf("after edits to %s and %s and deleting %s, shards %v were encoded again, want %v", edited, transcript(trOf), dropped, d, want)
	}
	if len(want) == fileShards {
		t.Fatal("every shard changed: the test shows nothing")
	}

	// The same files as a cache encoded from scratch.
	fresh := load(next)
	fresh.shardRaw = [fileShards][]byte{}
	full := load(save(fresh))
	got := load(next)
	if len(got.files) != len(full.files) {
		t.Fatalf("%d files, a full encode has %d", len(got.files), len(full.files))
	}
	for p, f := range full.files {
		g := got.files[p]
		if g == nil || !reflect.DeepEqual(g.stored(), f.stored()) {
			t.Errorf("%s differs from a full encode", p)
		}
	}
	if got.files[dropped] != nil || got.files[edited] == nil || got.files[edited].size != int64(len(fsys[edited].Data)) {
		t.Errorf("saved files: %s %v, %s %v", dropped, got.files[dropped] != nil, edited, got.files[edited])
	}
}

// encodeOutputs' buffer is sized once: outputsSize covers what it writes,
// with search documents as the episodes make them (a map of tokens) and as
// a loaded cache holds them (packed).
func TestOutputsSize(t *testing.T) {
	t.Parallel()
	fsys := corpus.FS(corpus.Options{Episodes: 30, Seed: 7, NotesBytes: 2000, TranscriptBytes: 600})
	c := NewPersistentCache()
	in := Input{Project: fsys, Theme: os.DirFS("../../themes/default"), Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }, Cache: c}
	if _, err := Build(context.Background(), in, NewMemOutput()); err != nil {
		t.Fatal(err)
	}
	check := func(c *Cache, what string) {
		t.Helper()
		got, size := len(encodeOutputs(c, "v1")), outputsSize(c, "v1")
		if got > size || got < size/2 || got < 1000 {
			t.Errorf("%s: encodeOutputs wrote %d bytes, outputsSize said %d", what, got, size)
		}
	}
	check(c, "built")
	var b bytes.Buffer
	if err := SaveCache(&b, c, "v1"); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadCache(bytes.NewReader(b.Bytes()), "v1")
	if err != nil {
		t.Fatal(err)
	}
	check(loaded, "loaded")
}

// Build seals a persistent cache once Load is done: the parses are encoded
// and let go (nothing after Load asks for them), what is saved still holds
// them, and a further build with the sealed cache parses again and makes
// the same site.
func TestBuildSealsPersistentCache(t *testing.T) {
	t.Parallel()
	fsys := corpus.FS(corpus.Options{Episodes: 12, Seed: 9, NotesBytes: 600, TranscriptBytes: 600})
	in := Input{Project: fsys, Theme: os.DirFS("../../themes/default"), Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }, Cache: NewPersistentCache()}
	build := func() map[string][]byte {
		t.Helper()
		out := NewMemOutput()
		if _, err := Build(context.Background(), in, out); err != nil {
			t.Fatal(err)
		}
		return out.Files()
	}
	episodes := func(c *Cache) (files, parsed int) {
		for p, f := range c.files {
			if strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, ".transcript.md") {
				files++
				if f.parsed != nil {
					parsed++
				}
			}
		}
		return files, parsed
	}
	first := build()
	if files, parsed := episodes(in.Cache); files != 12 || parsed != 0 {
		t.Errorf("after a build the cache holds %d episode files, %d of them with their parse; want 12, none", files, parsed)
	}
	if in.Cache.shardDirty != ([fileShards]bool{}) {
		t.Errorf("after a build, shards %v are still to encode", in.Cache.shardDirty)
	}
	var saved bytes.Buffer
	if err := SaveCache(&saved, in.Cache, "v"); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadCache(bytes.NewReader(saved.Bytes()), "v")
	if err != nil {
		t.Fatal(err)
	}
	if files, parsed := episodes(loaded); files != 12 || parsed != 12 {
		t.Errorf("the saved cache holds %d episode files, %d of them with their parse; want 12, 12", files, parsed)
	}
	again := build() // the sealed cache: every file parsed again
	if !reflect.DeepEqual(first, again) {
		t.Error("a build with the sealed cache made another site")
	}
}
