package corpus_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gosimple/slug"
	"github.com/gosimple/unidecode"

	"shownotes/generator/internal/corpus"
	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWriteIsDeterministic(t *testing.T) {
	opt := corpus.Options{Episodes: 30, Seed: 7}
	a, b := t.TempDir(), t.TempDir()
	if err := corpus.Write(a, opt); err != nil {
		t.Fatal(err)
	}
	if err := corpus.Write(b, opt); err != nil {
		t.Fatal(err)
	}
	fa, fb := readTree(t, a), readTree(t, b)
	if len(fa) != 2+2*30 {
		t.Fatalf("wrote %d files, want %d", len(fa), 2+2*30)
	}
	mem := corpus.FS(opt)
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
		if mf, ok := mem[name]; !ok || !bytes.Equal(mf.Data, data) {
			t.Errorf("%s: FS and Write disagree", name)
		}
	}
	if len(mem) != len(fa) {
		t.Errorf("FS has %d files, Write %d", len(mem), len(fa))
	}
	// Another seed gives another corpus.
	other := corpus.FS(corpus.Options{Episodes: 30, Seed: 8})
	same := 0
	for name, f := range other {
		if g, ok := mem[name]; ok && bytes.Equal(g.Data, f.Data) {
			same++
		}
	}
	if same > 2 { // site.toml and the image are fixed
		t.Errorf("seed 8 repeats %d files of seed 7", same)
	}
	if err := corpus.Write(a, opt); err == nil {
		t.Error("Write into an existing corpus succeeded, want an error")
	}
}

// An episode keeps its bytes when the corpus grows, except for its date.
func TestEpisodesStableAcrossSizes(t *testing.T) {
	small := corpus.FS(corpus.Options{Episodes: 5, Seed: 1})
	large := corpus.FS(corpus.Options{Episodes: 8, Seed: 1})
	for name, f := range small {
		if !strings.HasSuffix(name, ".transcript.md") {
			continue
		}
		if g, ok := large[name]; !ok || !bytes.Equal(f.Data, g.Data) {
			t.Errorf("%s changed when the corpus grew", name)
		}
	}
}

func TestSizes(t *testing.T) {
	m := corpus.FS(corpus.Options{Episodes: 40, Seed: 1})
	var total, episodes int
	for name, f := range m {
		if strings.HasPrefix(name, "content/episodes/") {
			total += len(f.Data)
			if !strings.HasSuffix(name, ".transcript.md") {
				episodes++
			}
		}
	}
	if avg := total / episodes; avg < 25_000 || avg > 36_000 {
		t.Errorf("average episode with transcript is %d bytes, want about 30 KB", avg)
	}
}

// Every guest name in the pool has its own URL slug, computed the way
// shownotes does (unidecode, then gosimple/slug).
func TestGuestPoolSlugsAreDistinct(t *testing.T) {
	names := corpus.GuestNames(1)
	if len(names) != corpus.PoolSize {
		t.Fatalf("pool has %d names, want %d", len(names), corpus.PoolSize)
	}
	seen := map[string]string{}
	var cyrillic, accented int
	for _, n := range names {
		s := slug.Make(strings.NewReplacer("'", "", "’", "").Replace(unidecode.Unidecode(n)))
		if other, dup := seen[s]; dup {
			t.Errorf("%q and %q share the slug %q", n, other, s)
		}
		seen[s] = n
		switch {
		case strings.ContainsAny(n, "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"):
			cyrillic++
		case n != unidecode.Unidecode(n):
			accented++
		}
	}
	if cyrillic == 0 || accented == 0 {
		t.Errorf("pool has %d Cyrillic and %d accented names, want some of each", cyrillic, accented)
	}
}

// A 50-episode corpus loads and builds with no errors and no warnings.
func TestCorpusBuildsClean(t *testing.T) {
	in := site.Input{
		Project: corpus.FS(corpus.Options{Episodes: 50, Seed: 1}),
		Theme:   sitetest.DefaultTheme(),
		Now:     func() time.Time { return sitetest.Now },
	}
	s, err := site.Load(context.Background(), in)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("Load warnings:\n%v", s.Warnings)
	}
	if len(s.Episodes) != 50 {
		t.Errorf("loaded %d episodes, want 50", len(s.Episodes))
	}
	var transcripts int
	for _, ep := range s.Episodes {
		if ep.Transcript != nil {
			transcripts++
		}
	}
	if transcripts != 50 {
		t.Errorf("%d episodes have a transcript, want 50", transcripts)
	}
	if len(s.Guests) < 2 || len(s.Tags) < 10 {
		t.Errorf("%d guests and %d tags: the corpus is not varied enough", len(s.Guests), len(s.Tags))
	}
	rep, err := site.Build(context.Background(), in, site.Discard{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if len(rep.Warnings) > 0 {
		t.Errorf("Build warnings:\n%v", rep.Warnings)
	}
}
