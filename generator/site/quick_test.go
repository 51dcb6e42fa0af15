package site_test

import (
	"bytes"
	"context"
	"fmt"
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
// episode whose notes, transcript, title, date or guests changed, and
// declines everything it cannot promise that for.
func TestQuickPagesMatchFullBuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fsys := corpus.FS(corpus.Options{Episodes: 12, Seed: 5, NotesBytes: 900, TranscriptBytes: 900})
	in := site.Input{Project: fsys, Theme: sitetest.DefaultTheme(), Now: func() time.Time { return sitetest.Now }, Cache: site.NewCache()}
	build := func() (*site.Site, map[string][]byte) { return devBuild(t, in) }
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

	// A new date and a new guest: the episode is placed again (relink).
	edit(names[6], "date: 2", "date: 1")
	if quick, ok = last.QuickPages(ctx, in, []string{names[6]}); !ok {
		t.Fatal("date edit: QuickPages declined")
	}
	sameAsNextBuild("the date", quick)
	edit(names[8], "guests:\n", "guests:\n  - \"Someone Entirely New\"\n")
	if quick, ok = last.QuickPages(ctx, in, []string{names[8]}); !ok {
		t.Fatal("guest edit: QuickPages declined")
	}
	sameAsNextBuild("a guest", quick, "Someone Entirely New")

	for _, c := range []struct {
		name    string
		change  func()
		changed []string
	}{
		{"the season, same length", func() { edit(names[5], "season: 1\n", "season: 2\n") }, []string{names[5]}},
		{"books", func() { edit(names[6], "books:\n", "books:\n  - {title: \"Another Book\"}\n") }, []string{names[6]}},
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

// datedEpisode is content/episodes/<name>.md dated date, numbered by the
// length of its name, with extra front matter.
func datedEpisode(name, date, extra string) string {
	return strings.Replace(episode("episodes/"+name, "episode: "+fmt.Sprint(len(name))+"\n"+extra), "date: 2024-02-08", "date: "+date, 1)
}

// devBuild is what the dev server does: Load and Render with its cache
// (in.Cache), keeping the Site for QuickPages.
func devBuild(t *testing.T, in site.Input) (*site.Site, map[string][]byte) {
	t.Helper()
	s, err := site.Load(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	out := site.NewMemOutput()
	if _, err := s.Render(context.Background(), in, out); err != nil {
		t.Fatal(err)
	}
	return s, out.Files()
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

// A new date, guest list or topic list is placed again without Load: the
// episode's pages are still exactly what the full build that follows
// writes, down to a guest's biography and a book's title, which go to the
// oldest episode that gives them.
func TestQuickPagesPlaceEditedEpisodeAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	in := sitetest.Input(siteTOML +
		datedEpisode("a", "2024-01-10", `guests: [{name: "Ana Ruiz", bio: "Historian."}]
tags: [history]
books: [{title: "Salt", author: "Kurlansky", url: "https://books.example.org/salt", isbn: "978-0-14-200161-5"}]
`) +
		datedEpisode("bb", "2024-02-10", `guests: [{name: "Ana Ruiz", bio: "Writer.", url: "https://ana.example.org/"}, "Ben Ode"]
tags: [history, salt]
books: [{title: "Salt: A World History", author: "Kurlansky", isbn: "9780142001615"}]
`) +
		datedEpisode("ccc", "2024-03-10", `guests: ["Ben Ode"]
tags: [salt]
`) +
		datedEpisode("dddd", "2024-04-10", "tags: []\n") +
		datedEpisode("eeeee", "2024-05-10", `hosts: [{name: "Guest Host", bio: "Sits in."}]
`))
	in.Cache = site.NewCache()
	fsys := in.Project.(fstest.MapFS)
	build := func() (*site.Site, map[string][]byte) { return devBuild(t, in) }
	last, _ := build()
	file := func(name string) string { return "content/episodes/" + name + ".md" }

	for _, c := range []struct {
		step, file, old, new string
		shows                []string // on the quick page
	}{
		{"the date, past two others", "dddd", "date: 2024-04-10", "date: 2024-02-01",
			[]string{`<a rel="prev" href="/episodes/a/">`, `<a rel="next" href="/episodes/bb/">`}},
		{"the date, before the first mention of a guest and a book", "bb", "date: 2024-02-10", "date: 2023-12-01",
			[]string{"<p>Writer.</p>", "Salt: A World History", `<a href="https://books.example.org/salt">`, `<a rel="next" href="/episodes/a/">`}},
		{"a guest named elsewhere", "dddd", "tags: []\n", "tags: []\nguests: [\"Ana Ruiz\"]\n", []string{"Ana Ruiz", "<p>Writer.</p>"}},
		{"a biography dropped from its first mention", "bb", `bio: "Writer.", url`, "url", []string{"<p>Historian.</p>"}},
		{"a new guest", "ccc", `guests: ["Ben Ode"]`, `guests: ["Ben Ode", {name: "Cleo Park", bio: "New here."}]`,
			[]string{"Cleo Park", "<p>New here.</p>", `href="/guests/cleo-park/">Cleo Park</a>`}},
		{"a guest dropped", "ccc", `guests: ["Ben Ode", `, `guests: [`, []string{"Cleo Park"}},
		{"topics: one known, one new, one twice", "dddd", "tags: []", "tags: [salt, Brand New Topic, salt]",
			[]string{`Topics: <a href="/tags/salt/" rel="tag">salt</a>, <a href="/tags/brand-new-topic/" rel="tag">Brand New Topic</a></p>`}},
		{"a topic of an episode with its own hosts", "eeeee", `bio: "Sits in."}]`, "bio: \"Sits in.\"}]\ntags: [history]", []string{`Topics: <a href="/tags/history/" rel="tag">history</a></p>`}},
	} {
		editFile(t, fsys, file(c.file), c.old, c.new)
		quick, ok := last.QuickPages(ctx, in, []string{file(c.file)})
		if !ok {
			t.Fatalf("%s: QuickPages declined", c.step)
		}
		next, full := build()
		if len(quick) == 0 {
			t.Errorf("%s: QuickPages made no page", c.step)
		}
		for name, data := range quick {
			if !bytes.Equal(data, full[name]) {
				t.Errorf("%s: %s from QuickPages differs from the full build:\n%s", c.step, name, firstDiff(data, full[name]))
			}
		}
		for _, text := range c.shows {
			if !containsAny(quick, text) {
				t.Errorf("%s: the quick page does not show %q", c.step, text)
			}
		}
		last = next
	}

	// What relink cannot promise is left to the full build.
	for _, c := range []struct {
		step    string
		change  func()
		changed []string
	}{
		{"a guest spelled unlike elsewhere", func() { editFile(t, fsys, file("dddd"), `guests: ["Ana Ruiz"]`, `guests: ["ana ruiz"]`) }, []string{file("dddd")}},
		{"a topic spelled unlike elsewhere", func() { editFile(t, fsys, file("ccc"), "tags: [salt]", "tags: [Salt]") }, []string{file("ccc")}},
		{"a date in the future", func() { editFile(t, fsys, file("a"), "date: 2024-01-10", "date: 2999-01-10") }, []string{file("a")}},
		{"a new date for an episode with its own hosts", func() { editFile(t, fsys, file("eeeee"), "date: 2024-05-10", "date: 2023-05-10") }, []string{file("eeeee")}},
		{"a new guest with an image", func() {
			editFile(t, fsys, file("bb"), `"Ben Ode"]`, `"Ben Ode", {name: "Dora Img", img: "cover.png"}]`)
		}, []string{file("bb")}},
		{"two episodes placed again", func() {
			editFile(t, fsys, file("bb"), "tags: [history, salt]", "tags: [history]")
			editFile(t, fsys, file("ccc"), "tags: [Salt]", "tags: [salt, history]")
		}, []string{file("bb"), file("ccc")}},
		{"the slug", func() { editFile(t, fsys, file("ccc"), "tags: [", "slug: c-moved\ntags: [") }, []string{file("ccc")}},
	} {
		c.change()
		if files, ok := last.QuickPages(ctx, in, c.changed); ok {
			t.Errorf("%s: QuickPages published %v; want it to leave the change to a full build", c.step, keys(files))
		}
	}
}

// In a preview of drafts and scheduled episodes (serve -drafts -future),
// an episode moved into the future stays on the site, marked scheduled,
// and a draft is placed again like any episode.
func TestQuickPagesPlaceAgainInPreview(t *testing.T) {
	t.Parallel()
	in := sitetest.Input(siteTOML +
		datedEpisode("a", "2024-01-10", "tags: [history]\n") +
		datedEpisode("bb", "2024-02-10", "draft: true\ntags: [history]\n") +
		datedEpisode("ccc", "2024-03-10", "tags: [salt]\n"))
	in.Cache, in.Drafts, in.Future = site.NewCache(), true, true
	fsys := in.Project.(fstest.MapFS)
	last, _ := devBuild(t, in)
	for _, c := range []struct {
		step, file, old, new, shows string
	}{
		{"into the future", "a", "date: 2024-01-10", "date: 2030-01-10", `<span class="badge draft">scheduled</span>`},
		{"a draft's date", "bb", "date: 2024-02-10\n", "date: 2024-03-20\n", `<a rel="prev" href="/episodes/ccc/">`},
		{"back from the future", "a", "date: 2030-01-10", "date: 2023-01-10", `<a rel="next" href="/episodes/ccc/">`},
	} {
		file := "content/episodes/" + c.file + ".md"
		editFile(t, fsys, file, c.old, c.new)
		quick, ok := last.QuickPages(context.Background(), in, []string{file})
		if !ok {
			t.Fatalf("%s: QuickPages declined", c.step)
		}
		next, full := devBuild(t, in)
		for name, data := range quick {
			if !bytes.Equal(data, full[name]) {
				t.Errorf("%s: %s from QuickPages differs from the full build:\n%s", c.step, name, firstDiff(data, full[name]))
			}
		}
		if !containsAny(quick, c.shows) {
			t.Errorf("%s: the quick page does not show %q", c.step, c.shows)
		}
		last = next
	}
}
