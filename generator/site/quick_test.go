package site_test

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"shownotes/generator/internal/corpus"
	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// QuickPages publishes exactly the bytes the next full build writes for an
// episode whose notes or transcript changed, and declines everything it
// cannot promise that for.
func TestQuickPagesMatchFullBuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fsys := corpus.FS(corpus.Options{Episodes: 12, Seed: 5, NotesBytes: 900, TranscriptBytes: 900})
	in := site.Input{Project: fsys, Theme: sitetest.DefaultTheme(), Now: func() time.Time { return sitetest.Now }, Cache: site.NewCache()}
	// build is what the dev server does: Load and Render with its cache,
	// keeping the Site for QuickPages.
	build := func() (*site.Site, map[string][]byte) {
		t.Helper()
		s, err := site.Load(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		out := site.NewMemOutput()
		if _, err := s.Render(ctx, in, out); err != nil {
			t.Fatal(err)
		}
		return s, out.Files()
	}
	last, _ := build()
	var names []string
	for n := range fsys {
		if strings.HasPrefix(n, "content/") && strings.HasSuffix(n, ".md") && !strings.HasSuffix(n, ".transcript.md") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	ep, other := names[3], names[7]
	tr := strings.TrimSuffix(ep, ".md") + ".transcript.md"
	if fsys[tr] == nil {
		t.Fatalf("corpus episode %s has no transcript", ep)
	}
	edit := func(file, old, new string) { t.Helper(); editFile(t, fsys, file, old, new) }
	appendTo := func(file, text string) {
		f := fsys[file]
		f.Data = append(bytes.Clone(f.Data), text...)
		f.ModTime = f.ModTime.Add(time.Second)
	}

	// Notes and a transcript edited: the episode's two pages, as the
	// full build makes them, and nothing else.
	appendTo(ep, "\n## A new chapter heading\n\nA paragraph written in the preview.\n")
	// A timestamp earlier than the last: a warning, which changes no page.
	appendTo(tr, "\n[0:09] Ana Host: Nearly done.\n\n[0:01] Ana Host: A closing line added in the preview.\n")
	// The temporary file sed -i or an editor saved and renamed is no
	// reason to wait for the full build.
	quick, ok := last.QuickPages(ctx, in, []string{"content/episodes/sedX1y2Z3", ep, tr, ep})
	if !ok {
		t.Fatal("notes and transcript edit: QuickPages declined")
	}
	// sameAsNextBuild checks quick against the full build that follows,
	// which becomes the site the next step starts from.
	sameAsNextBuild := func(step string, quick map[string][]byte, shows ...string) {
		t.Helper()
		next, full := build()
		if len(quick) != 2 {
			t.Errorf("%s: QuickPages made %d files, want the episode page and its transcript page: %v", step, len(quick), keys(quick))
		}
		for name, data := range quick {
			if !bytes.Equal(data, full[name]) {
				t.Errorf("%s: %s from QuickPages differs from the full build:\n%s", step, name, firstDiff(data, full[name]))
			}
		}
		for _, text := range shows {
			if !containsAny(quick, text) {
				t.Errorf("%s: the quick pages do not show %q", step, text)
			}
		}
		last = next
	}
	sameAsNextBuild("notes and transcript", quick, "A paragraph written in the preview.", "A closing line added in the preview.")
	if w := last.Warnings.Error(); !strings.Contains(w, tr) || !strings.Contains(w, "is earlier than the one before it") {
		t.Errorf("the edited transcript should carry a timing warning (QuickPages publishes despite warnings); warnings: %s", w)
	}

	// Title, summary and photo credit: shown on the page, linked to
	// nothing; also the full build's bytes (its neighbours' pages, which
	// show the title too, come with the full build).
	edit(ep, "title: ", "title: Retitled ")
	edit(ep, "summary: \"", "summary: \"Newly summarised. ")
	quick, ok = last.QuickPages(ctx, in, []string{ep})
	if !ok {
		t.Fatal("title and summary edit: QuickPages declined")
	}
	sameAsNextBuild("title and summary", quick, "Retitled", "Newly summarised.")

	for _, c := range []struct {
		name    string
		change  func()
		changed []string
	}{
		{"the season, same length", func() { edit(names[5], "season: 1\n", "season: 2\n") }, []string{names[5]}},
		{"the date", func() { edit(names[6], "date: 2", "date: 1") }, []string{names[6]}},
		{"a guest", func() { edit(names[8], "guests:\n", "guests:\n  - \"Someone Entirely New\"\n") }, []string{names[8]}},
		{"site.toml", func() { edit("site.toml", "description = \"", "description = \"Changed. ") }, []string{"site.toml", ep}},
		{"a deleted image", func() { delete(fsys, "content/images/cover.png") }, []string{"content/images/cover.png"}},
		{"a new episode", func() { fsys["content/episodes/zz-new.md"] = &fstest.MapFile{Data: fsys[other].Data} }, []string{"content/episodes/zz-new.md"}},
		{"a problem in the notes", func() { appendTo(other, "\nNot UTF-8: \xff\n") }, []string{other}},
		{"a caption file", func() {
			appendTo(names[9], "\nMore notes.\n")
			fsys[strings.TrimSuffix(names[9], ".md")+".vtt"] = &fstest.MapFile{Data: []byte("WEBVTT\n")}
		}, []string{names[9]}},
	} {
		c.change()
		if files, ok := last.QuickPages(ctx, in, c.changed); ok {
			t.Errorf("%s: QuickPages published %v; want it to leave the change to a full build", c.name, keys(files))
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func containsAny(files map[string][]byte, s string) bool {
	for _, data := range files {
		if bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}
