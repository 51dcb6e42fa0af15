package importer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"shownotes/generator/importer"
	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// realFeed describes what importing one of the real feeds in
// testdata/feeds gives, and what our build says about the result.
type realFeed struct {
	file     string
	items    int
	warnings []string // the import's warnings, exactly
	drafts   []string // files imported as drafts
	// buildErrs are the errors of a -drafts build of the imported site,
	// exactly; fix then changes the site so the round trip can be checked.
	buildErrs []string
	fix       func(t *testing.T, dir string)
	// previewOK is false when even the fixed site fails with drafts
	// included; the round trip then builds without drafts.
	previewOK bool
}

var realFeeds = []realFeed{
	{
		file:  "podcasting20-pc20rss.xml",
		items: 56,
		warnings: []string{
			`site.toml: categories: "News & Politics" is not an Apple Podcasts category: left out`,
			`content/episodes/episode-51-preserve-protect-and-extend.md (item 7): hosts: podcast:person without a name: left out`,
			`content/episodes/episode-37-whats-up-doc.md (item 21): hosts: podcast:person without a name: left out`,
			`feed: not imported, shownotes has no place for them: podcast:value (7)`,
		},
		previewOK: true,
	},
	{
		file:  "launched-fireside.xml",
		items: 36,
		warnings: []string{
			`content/episodes/black-lives-matter.md (item 21): summary: the item has no description: used the title`,
		},
		previewOK: true,
	},
	{
		file:  "mike-neumann-show.xml",
		items: 54,
		warnings: []string{
			`content/episodes/friendship.md (item 20): audio.length: the enclosure length is "0", not a size in bytes: imported as a draft; set audio.length before publishing`,
			`content/episodes/the-ooda-loop.md (item 21): audio.length: the enclosure length is "0", not a size in bytes: imported as a draft; set audio.length before publishing`,
			`content/episodes/saturdays.md (item 53): audio.length: the enclosure length is "0", not a size in bytes: imported as a draft; set audio.length before publishing`,
			`feed: not imported, shownotes has no place for them: podcast:alternateEnclosure (126), podcast:block (12), podcast:chat (3), podcast:complete (1), podcast:images (55), podcast:license (35), podcast:liveItem (1), podcast:location (2), podcast:podping (1), podcast:podroll (1), podcast:publisher (1), podcast:socialInteract (39), podcast:soundbite (5), podcast:trailer (2), podcast:txt (5), podcast:updateFrequency (1), podcast:value (55)`,
		},
		drafts: []string{"content/episodes/friendship.md", "content/episodes/saturdays.md", "content/episodes/the-ooda-loop.md"},
		// Three items have length="0". The import keeps their audio URL
		// and marks them draft (a 0-byte enclosure is invalid); a preview
		// build lists them without an enclosure until the length is set.
	},
	{
		file:  "coding-blocks.xml",
		items: 83,
		warnings: []string{
			`site.toml: categories: the feed has no Apple Podcasts category: add one before building, e.g. categories = ["Technology"]`,
			`content/episodes/clean-code-objects-vs-data-structures.md (item 33): summary: the item has no description: used the title`,
			`content/episodes/your-questions-our-answers-syn-ack-with-packet-loss.md (item 57): summary: the item has no description: used the title`,
			`content/episodes/algorithms-puzzles-and-the-technical-interview.md (item 58): summary: the item has no description: used the title`,
			`content/episodes/back-to-basics-encapsulation-for-object-oriented-programming.md (item 61): summary: the item has no description: used the title`,
		},
		// The feed has no itunes:category; site.toml requires one.
		buildErrs: []string{
			`site.toml:9: categories: must name at least one Apple Podcasts category, e.g. ["History"]`,
		},
		fix: func(t *testing.T, dir string) {
			replaceInFile(t, filepath.Join(dir, "site.toml"), "categories = []", `categories = ["Technology"]`)
		},
		previewOK: true,
	},
	{
		file:  "design-details.xml",
		items: 102,
		warnings: []string{
			`site.toml: categories: "Podcasting" is not an Apple Podcasts subcategory of "Technology": kept "Technology" only`,
		},
		previewOK: true,
	},
}

func TestImportRealFeedsRoundTrip(t *testing.T) {
	for _, rf := range realFeeds {
		t.Run(strings.TrimSuffix(rf.file, ".xml"), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(sitetest.RepoRoot(), "testdata", "feeds", rf.file))
			if err != nil {
				t.Fatal(err)
			}
			orig, err := gofeed.NewParser().ParseString(string(data))
			if err != nil {
				t.Fatal(err)
			}
			if len(orig.Items) != rf.items {
				t.Fatalf("gofeed sees %d items, want %d", len(orig.Items), rf.items)
			}
			dir := t.TempDir()
			rep, err := importer.Import(context.Background(), dir, data, importer.Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Added) != rf.items || len(rep.Updated)+len(rep.Unchanged)+len(rep.Skipped) != 0 || rep.Config != "created" {
				t.Errorf("report: %s, site.toml %s", rep.Summary(), rep.Config)
			}
			compareLines(t, "import warnings", warningStrings(rep.Warnings), rf.warnings)
			if got := draftFiles(t, dir); strings.Join(got, "\n") != strings.Join(rf.drafts, "\n") {
				t.Errorf("drafts: %q, want %q", got, rf.drafts)
			}

			var newest time.Time
			for _, it := range orig.Items {
				if it.PublishedParsed != nil && it.PublishedParsed.After(newest) {
					newest = *it.PublishedParsed
				}
			}
			in := site.Input{
				Project: os.DirFS(dir),
				Theme:   os.DirFS(filepath.Join(sitetest.RepoRoot(), "themes", "default")),
				Now:     func() time.Time { return newest.Add(time.Hour) },
				Drafts:  true,
			}
			out := site.NewMemOutput()
			_, err = site.Build(context.Background(), in, out)
			compareLines(t, "build errors", errorStrings(err), rf.buildErrs)
			if rf.fix != nil {
				rf.fix(t, dir)
			}
			if len(rf.buildErrs) > 0 {
				in.Drafts = rf.previewOK
				out = site.NewMemOutput()
				if _, err := site.Build(context.Background(), in, out); err != nil {
					t.Fatalf("build after the fix (drafts %v): %v", in.Drafts, err)
				}
			}

			ours, err := gofeed.NewParser().ParseString(string(out.Files()["feed.xml"]))
			if err != nil {
				t.Fatalf("our feed.xml: %v", err)
			}
			byGUID := map[string]*gofeed.Item{}
			for _, it := range ours.Items {
				byGUID[it.GUID] = it
			}
			draftGUIDs := map[string]bool{}
			for _, f := range rf.drafts {
				src, _ := os.ReadFile(filepath.Join(dir, f))
				for _, l := range strings.Split(string(src), "\n") {
					if g, ok := strings.CutPrefix(l, "guid: "); ok {
						draftGUIDs[strings.Trim(g, `"'`)] = true
					}
				}
			}
			want := len(orig.Items)
			if !in.Drafts {
				want -= len(rf.drafts)
			}
			if len(ours.Items) != want {
				t.Errorf("our feed has %d items, want %d", len(ours.Items), want)
			}
			chExplicit := explicitValue(orig.ITunesExt.Explicit)
			for i, o := range orig.Items {
				got := byGUID[o.GUID]
				if got == nil {
					if !in.Drafts && draftGUIDs[o.GUID] {
						continue // a draft, left out of this build
					}
					t.Errorf("item %d: guid %q missing from our feed", i+1, o.GUID)
					continue
				}
				where := "item " + strconv.Itoa(i+1) + " (" + o.GUID + ")"
				if !o.PublishedParsed.Equal(*got.PublishedParsed) {
					t.Errorf("%s: pubDate %s, want %s", where, got.Published, o.Published)
				}
				if _, a := o.PublishedParsed.Zone(); true {
					if _, b := got.PublishedParsed.Zone(); a != b {
						t.Errorf("%s: pubDate offset %d, want %d (%s vs %s)", where, b, a, got.Published, o.Published)
					}
				}
				oe := o.Enclosures[0]
				switch {
				case draftGUIDs[o.GUID]:
					if len(got.Enclosures) != 0 || oe.Length != "0" {
						t.Errorf("%s: draft with enclosure %+v (original length %q)", where, got.Enclosures, oe.Length)
					}
				case len(got.Enclosures) != 1:
					t.Errorf("%s: %d enclosures", where, len(got.Enclosures))
				default:
					if ge := got.Enclosures[0]; oe.URL != ge.URL || oe.Length != ge.Length || oe.Type != ge.Type {
						t.Errorf("%s: enclosure %+v, want %+v", where, *ge, *oe)
					}
				}
				if a, b := seconds(t, o.ITunesExt.Duration), seconds(t, got.ITunesExt.Duration); a != b {
					t.Errorf("%s: duration %q (%d s), want %q (%d s)", where, got.ITunesExt.Duration, b, o.ITunesExt.Duration, a)
				}
				if a, b := number(o, "episode"), number(got, "episode"); a != b {
					t.Errorf("%s: episode %q, want %q", where, b, a)
				}
				if a, b := number(o, "season"), number(got, "season"); a != b {
					t.Errorf("%s: season %q, want %q", where, b, a)
				}
				wantExplicit := chExplicit
				if o.ITunesExt.Explicit != "" {
					wantExplicit = explicitValue(o.ITunesExt.Explicit)
				}
				if gotExplicit := explicitValue(got.ITunesExt.Explicit); gotExplicit != wantExplicit {
					t.Errorf("%s: explicit %v, want %v", where, gotExplicit, wantExplicit)
				}
				if wt := strings.ToLower(o.ITunesExt.EpisodeType); wt != "" && wt != got.ITunesExt.EpisodeType {
					t.Errorf("%s: episodeType %q, want %q", where, got.ITunesExt.EpisodeType, wt)
				}
			}
		})
	}
}

var fixedNow = func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }

func replaceInFile(t *testing.T, name, old, new string) {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	if err := os.WriteFile(name, []byte(strings.Replace(string(src), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func warningStrings(ws []importer.Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

func errorStrings(err error) []string {
	if err == nil {
		return nil
	}
	var list site.ErrorList
	if !errors.As(err, &list) {
		return []string{err.Error()}
	}
	var out []string
	for _, e := range list {
		out = append(out, e.Error())
	}
	return out
}

func compareLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// draftFiles lists the episode files with draft: true.
func draftFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	matches, _ := filepath.Glob(filepath.Join(dir, "content", "episodes", "*.md"))
	for _, m := range matches {
		src, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "\ndraft: true\n") {
			rel, _ := filepath.Rel(dir, m)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	return out
}

func explicitValue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "explicit":
		return true
	}
	return false
}

// seconds reads an itunes:duration independently of the importer.
func seconds(t *testing.T, s string) int {
	t.Helper()
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	total := 0
	for _, p := range strings.Split(s, ":") {
		v, err := strconv.Atoi(p)
		if err != nil {
			t.Fatalf("duration %q: %v", s, err)
		}
		total = total*60 + v
	}
	return total
}

// number is itunes:episode (or :season), else the podcast: element.
func number(it *gofeed.Item, name string) string {
	var v string
	if it.ITunesExt != nil {
		if name == "episode" {
			v = it.ITunesExt.Episode
		} else {
			v = it.ITunesExt.Season
		}
	}
	if v == "" {
		if exts := it.Extensions["podcast"][name]; len(exts) > 0 {
			v = exts[0].Value
		}
	}
	return strings.TrimSpace(v)
}
