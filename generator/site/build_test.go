package site_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// siteTOML is a minimal valid configuration for inline sites.
const siteTOML = `-- site.toml --
title = "Test Show"
description = "A show for tests."
base_url = "https://example.org/"
author = "Host Person"
image = "cover.png"
categories = ["History"]
paginate = 2
[owner]
name = "Host Person"
email = "host@example.org"
[[hosts]]
name = "Host Person"
-- content/cover.png --
PNG
`

// episode returns a YAML episode file with the given extra front matter.
func episode(name, extra string) string {
	return "-- content/" + name + ".md --\n---\n" +
		"title: \"Episode " + name + "\"\n" +
		"date: 2024-02-08\n" +
		"summary: \"About " + name + ".\"\n" +
		"audio: {url: \"https://cdn.example.org/" + name + ".mp3\", length: 1000, type: \"audio/mpeg\"}\n" +
		extra + "---\nNotes for " + name + ".\n"
}

func TestEpisodePage(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+`-- content/episodes/412-exiles.md --
---
title: "Putin's Exiles & <Friends>"
date: 2024-02-08
episode: 412
season: 3
summary: "A conversation about exile."
guests:
  - "Ольга Воронцова"
  - {name: "Paul Writer", url: "https://paul.example.org/", bio: "Journalist."}
books:
  - {title: "The Exiles", author: "Paul Writer", url: "https://books.example.org/exiles", isbn: "978-0-306-40615-7"}
image: {src: "photo.jpg", alt: "A rally in the snow", credit: "Andrew / Wikimedia", license: "CC BY-SA 2.0", license_url: "https://creativecommons.org/licenses/by-sa/2.0/"}
audio: {url: "https://cdn.example.org/412.mp3", length: 48213112, type: "audio/mpeg"}
duration: "38:21"
tags: [Russia, exile]
chapters:
  - {start: "00:00", title: "Intro"}
  - {start: "04:10", title: "The first wave", url: "https://example.org/wave"}
---
Intro paragraph with "quotes" -- and a [link](/tags/exile/).

| Year | Emigrants |
|------|-----------|
| 2022 | 1,000,000 |

A claim.[^1]

[^1]: The source.

<script>alert(1)</script>
-- content/photo.jpg --
JPEG
`))
	sitetest.Contains(t, files, "episodes/412-exiles/index.html",
		"<title>Putin&#39;s Exiles &amp; &lt;Friends&gt; · Test Show</title>",
		`<h1>Putin&#39;s Exiles &amp; &lt;Friends&gt;</h1>`,
		`Episode 412, season 3`,
		`<time datetime="2024-02-08T00:00:00Z">8 February 2024</time>`,
		`<span>38 min</span>`,
		`<audio controls preload="none" src="https://cdn.example.org/412.mp3"`,
		`Download (48.2 MB)`,
		`<a href="/guests/olga-vorontsova/">Ольга Воронцова</a>`,
		`<a href="/guests/paul-writer/">Paul Writer</a><p>Journalist.</p>`,
		`<cite><a href="https://books.example.org/exiles">The Exiles</a></cite> by Paul Writer`,
		`<img src="/photo.jpg" alt="A rally in the snow"`,
		`Photo: Andrew / Wikimedia · <a href="https://creativecommons.org/licenses/by-sa/2.0/" rel="license">CC BY-SA 2.0</a>`,
		`<a href="/tags/russia/" rel="tag">Russia</a>, <a href="/tags/exile/" rel="tag">exile</a>`,
		`<time datetime="PT4M10S">4:10</time></a> <a href="https://example.org/wave">The first wave</a>`,
		`&ldquo;quotes&rdquo; &ndash; and a <a href="/tags/exile/">link</a>`, // typographer
		`<table>`, `<td>2022</td>`, // GFM tables
		`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`, // footnotes
		`! <script>alert(1)</script>`, // raw HTML is off by default
		`<!-- raw HTML omitted -->`,
		`Hosted by Host Person.`,
	)
}

func TestHeadingIDsAndPrevNext(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+
		episode("a", "date: 2024-01-01\n")[0:0]+
		"-- content/a.md --\n---\ntitle: A\ndate: 2024-01-01\nsummary: s\naudio: {url: \"https://x.org/a.mp3\", length: 1}\n---\n## Show notes\n"+
		"-- content/b.md --\n---\ntitle: B\ndate: 2024-01-08\nsummary: s\naudio: {url: \"https://x.org/b.mp3\", length: 1}\n---\nb\n"+
		"-- content/c.md --\n---\ntitle: C\ndate: 2024-01-15\nsummary: s\naudio: {url: \"https://x.org/c.mp3\", length: 1}\n---\nc\n"))
	sitetest.Contains(t, files, "episodes/a/index.html", `<h2 id="show-notes">Show notes</h2>`,
		`<a rel="next" href="/episodes/b/"><span>Next episode</span> B</a>`, `! rel="prev"`)
	sitetest.Contains(t, files, "episodes/b/index.html",
		`<a rel="prev" href="/episodes/a/"><span>Previous episode</span> A</a>`,
		`<a rel="next" href="/episodes/c/"><span>Next episode</span> C</a>`)
}

func TestHomePagination(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(siteTOML)
	for i, d := range []string{"01", "02", "03", "04", "05"} {
		name := string(rune('a' + i))
		b.WriteString(strings.Replace(episode(name, ""), "2024-02-08", "2024-03-"+d, 1))
	}
	files := sitetest.Build(t, sitetest.Input(b.String()))
	// Newest first, two per page.
	sitetest.Contains(t, files, "index.html", `<a href="/episodes/e/">Episode e</a>`, `<a href="/episodes/d/">`, `! <a href="/episodes/c/">`,
		`<a rel="next" href="/page/2/">Older episodes →</a>`, `Page 1 of 3`)
	sitetest.Contains(t, files, "page/2/index.html", `<a href="/episodes/c/">`, `<a href="/episodes/b/">`,
		`<a rel="prev" href="/">← Newer episodes</a>`, `<a rel="next" href="/page/3/">`, `<title>Page 2 · Test Show</title>`)
	sitetest.Contains(t, files, "page/3/index.html", `<a href="/episodes/a/">`, `! rel="next"`, `<a rel="prev" href="/page/2/">`)
	if _, ok := files["page/4/index.html"]; ok {
		t.Error("page/4 written for 5 episodes at 2 per page")
	}
}

func TestTagGuestBookPages(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+
		episode("one", "tags: [history, Cities]\nguests: [{name: \"Zoë Achterberg\", bio: \"Cartographer.\", url: \"https://zoe.example.org/\"}]\nbooks: [{title: \"Paper Walls\", author: \"A. Writer\"}]\n")+
		strings.Replace(episode("two", "tags: [history]\nguests: [\"Zoë Achterberg\", \"Sam Other\"]\nbooks: [{title: \"Paper Walls\", author: \"A. Writer\", url: \"https://pw.example.org/\"}]\n"), "2024-02-08", "2024-02-15", 1)))
	sitetest.Contains(t, files, "tags/index.html",
		`<a href="/tags/cities/" rel="tag">Cities</a> <span class="count">1 episode</span>`,
		`<a href="/tags/history/" rel="tag">history</a> <span class="count">2 episodes</span>`)
	sitetest.Contains(t, files, "tags/history/index.html", `<h1>Topic: history</h1>`, `<a href="/episodes/one/">`, `<a href="/episodes/two/">`)
	sitetest.Contains(t, files, "tags/cities/index.html", `<a href="/episodes/one/">`, `! /episodes/two/`)
	sitetest.Contains(t, files, "guests/index.html", `<a href="/guests/zoe-achterberg/">Zoë Achterberg</a> <span class="count">2 episodes</span>`, `<a href="/guests/sam-other/">Sam Other</a>`)
	sitetest.Contains(t, files, "guests/zoe-achterberg/index.html", `<h1>Zoë Achterberg</h1>`, `<p class="lede">Cartographer.</p>`,
		`<a href="https://zoe.example.org/">Website of Zoë Achterberg</a>`, `<a href="/episodes/one/">`, `<a href="/episodes/two/">`)
	sitetest.Contains(t, files, "books/index.html", `<li id="book-paper-walls">`,
		`<cite><a href="https://pw.example.org/">Paper Walls</a></cite> by A. Writer`, `<a href="/episodes/one/">`, `<a href="/episodes/two/">`)
	sitetest.Contains(t, files, "404.html", `<h1>Page not found</h1>`, `<a href="/">latest episodes</a>`, `! rel="canonical"`)
	sitetest.Contains(t, files, "robots.txt", "Sitemap: https://example.org/sitemap.xml")
	sitetest.Contains(t, files, "cover.png", "PNG")
}

func TestTranscriptPage(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+episode("talk", "")+`-- content/talk.transcript.md --
Host Person: Welcome to the show.

[00:01:05] Ольга Воронцова: Thank you. It is a pleasure.

And a second paragraph of the same turn.

Host Person: Let's begin.
`))
	sitetest.Contains(t, files, "episodes/talk/index.html", `<a href="/episodes/talk/transcript/">Read the full transcript</a>`)
	sitetest.Contains(t, files, "episodes/talk/transcript/index.html",
		`Speakers: Host Person, Ольга Воронцова`,
		`<section class="turn" id="turn-2">`,
		`<h2 class="speaker">Ольга Воронцова <a class="seek" href="https://cdn.example.org/talk.mp3#t=65" data-start="65"><time datetime="PT1M5S">1:05</time></a> <a class="turn-link" href="#turn-2" aria-label="Link to turn 2">#</a></h2>`,
		`<p>Thank you. It is a pleasure.</p>`, `<p>And a second paragraph of the same turn.</p>`,
		`<p>Let&#39;s begin.</p>`)
	if _, ok := files["talk.transcript.md"]; ok {
		t.Error("transcript source copied to the output")
	}
}

// Every front matter format decodes to the same page.
func TestFrontMatterFormats(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"yaml":     "---\ntitle: \"Same\"\ndate: 2024-02-08\nsummary: \"S.\"\nepisode: 7\nguests: [\"Ann Lee\"]\naudio: {url: \"https://x.org/a.mp3\", length: 10, type: \"audio/mpeg\"}\nduration: 61\n---\nBody text.\n",
		"toml":     "+++\ntitle = \"Same\"\ndate = 2024-02-08\nsummary = \"S.\"\nepisode = 7\nguests = [\"Ann Lee\"]\nduration = \"1:01\"\n[audio]\nurl = \"https://x.org/a.mp3\"\nlength = 10\ntype = \"audio/mpeg\"\n+++\nBody text.\n",
		"json":     "{\n  \"title\": \"Same\",\n  \"date\": \"2024-02-08\",\n  \"summary\": \"S.\",\n  \"episode\": 7,\n  \"guests\": [\"Ann Lee\"],\n  \"duration\": \"00:01:01\",\n  \"audio\": {\"url\": \"https://x.org/a.mp3\", \"length\": 10, \"type\": \"audio/mpeg\"}\n}\n\nBody text.\n",
		"bom+crlf": "\ufeff---\r\ntitle: \"Same\"\r\ndate: 2024-02-08\r\nsummary: \"S.\"\r\nepisode: 7\r\nguests: [\"Ann Lee\"]\r\naudio: {url: \"https://x.org/a.mp3\", length: 10, type: \"audio/mpeg\"}\r\nduration: 61\r\n---\r\nBody text.\r\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			files := sitetest.Build(t, sitetest.Input(siteTOML+"-- content/ep.md --\n"+src))
			sitetest.Contains(t, files, "episodes/ep/index.html", "<h1>Same</h1>", "Episode 7", `<a href="/guests/ann-lee/">Ann Lee</a>`,
				`<time datetime="2024-02-08T00:00:00Z">`, "<span>1 min</span>", "<p>Body text.</p>", "! title:", "! +++")
		})
	}
}

func TestDraftsAndScheduled(t *testing.T) {
	t.Parallel()
	archive := siteTOML + episode("live", "") + episode("draft", "draft: true\n") +
		strings.Replace(episode("later", ""), "2024-02-08", "2026-03-01", 1)
	files := sitetest.Build(t, sitetest.Input(archive))
	if _, ok := files["episodes/draft/index.html"]; ok {
		t.Error("draft published")
	}
	if _, ok := files["episodes/later/index.html"]; ok {
		t.Error("scheduled episode published before its date")
	}
	sitetest.Contains(t, files, "index.html", "/episodes/live/", "! /episodes/draft/", "! /episodes/later/", "! Preview:")

	in := sitetest.Input(archive)
	in.Drafts, in.Future = true, true
	files = sitetest.Build(t, in)
	sitetest.Contains(t, files, "episodes/draft/index.html", `<span class="badge draft">draft</span>`, "Preview: drafts and scheduled episodes are shown.")
	sitetest.Contains(t, files, "episodes/later/index.html", `<span class="badge draft">scheduled</span>`)

	s, err := site.Load(context.Background(), sitetest.Input(archive))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC); !s.NextScheduled.Equal(want) || s.Hidden != 2 {
		t.Errorf("NextScheduled = %v, Hidden = %d; want %v, 2", s.NextScheduled, s.Hidden, want)
	}
}

// A site hosted under a sub-path links everything under it.
func TestSubPath(t *testing.T) {
	t.Parallel()
	archive := strings.Replace(siteTOML, `base_url = "https://example.org/"`, `base_url = "https://example.org/show"`, 1) +
		episode("a", "tags: [x]\nguests: [\"G H\"]\n") + strings.Replace(episode("b", ""), "Notes for b.", "See [a](/episodes/a/) and ![pic](/cover.png).", 1)
	files := sitetest.Build(t, sitetest.Input(archive))
	sitetest.Contains(t, files, "episodes/b/index.html",
		`<link rel="stylesheet" href="/show/css/site.`, // fingerprinted: site.<8 hex>.css
		`<link rel="canonical" href="https://example.org/show/episodes/b/">`,
		`<a href="/show/episodes/a/">a</a>`, `<img src="/show/cover.png" alt="pic">`,
		`<a class="brand" href="/show/">`, `! href="/episodes/`, `! src="/cover.png"`)
	sitetest.Contains(t, files, "episodes/a/index.html", `<a href="/show/tags/x/" rel="tag">`, `<a href="/show/guests/g-h/">`)
	sitetest.Contains(t, files, "robots.txt", "Sitemap: https://example.org/show/sitemap.xml")
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(siteTOML)
	for i := 0; i < 30; i++ {
		name := "ep" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		b.WriteString(episode(name, "tags: [t"+string(rune('a'+i%5))+"]\nguests: [\"Guest "+string(rune('A'+i%7))+"\"]\n"))
	}
	first := sitetest.Build(t, sitetest.Input(b.String()))
	for run := 0; run < 3; run++ {
		again := sitetest.Build(t, sitetest.Input(b.String()))
		if len(again) != len(first) {
			t.Fatalf("run %d: %d files, first run %d", run, len(again), len(first))
		}
		for name, data := range first {
			if again[name] != data {
				t.Fatalf("run %d: %s differs between builds", run, name)
			}
		}
	}
}

// Golden files pin the full HTML of an episode page and the home page;
// refresh with go test ./... -update and review the diff.
func TestPageGolden(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+
		episode("first", "episode: 1\ntags: [history]\n")+
		strings.Replace(episode("second", `episode: 2
guests: [{name: "Ольга Воронцова", bio: "Historian.", img: "cover.png"}]
books: [{title: "The White Road", author: "Ольга Воронцова", isbn: "9781916422070"}]
image: {src: "cover.png", alt: "Salt flats", credit: "A. Photographer", license: "CC BY 4.0", license_url: "https://creativecommons.org/licenses/by/4.0/"}
duration: "1:02:03"
tags: [history, salt]
chapters: [{start: "0:00", title: "Intro"}, {start: "12:00", title: "Salt"}]
`), "2024-02-08", "2024-02-15", 1)))
	sitetest.Golden(t, "episode.golden.html", files["episodes/second/index.html"])
	sitetest.Golden(t, "home.golden.html", files["index.html"])
}

// Raw HTML in show notes is dropped by default and kept only when
// site.toml says [markdown] unsafe = true.
func TestRawHTMLOnlyWhenUnsafe(t *testing.T) {
	t.Parallel()
	notes := strings.Replace(episode("raw", ""), "Notes for raw.", "<div class=\"aside\">Kept?</div>\n\n<script>alert(1)</script>", 1)
	safe := sitetest.Build(t, sitetest.Input(siteTOML+notes))
	sitetest.Contains(t, safe, "episodes/raw/index.html", "<!-- raw HTML omitted -->", `! <div class="aside">`, "! <script>alert(1)</script>")
	sitetest.Contains(t, safe, "feed.xml", "! <script>alert(1)</script>", `! <div class="aside">`)
	unsafe := sitetest.Build(t, sitetest.Input(strings.Replace(siteTOML, "[owner]", "[markdown]\nunsafe = true\n[owner]", 1)+notes))
	sitetest.Contains(t, unsafe, "episodes/raw/index.html", `<div class="aside">Kept?</div>`, "<script>alert(1)</script>")
}

// A loaded site keeps no show notes or transcripts (Load is lean); pages
// read them again. A file that changed in between is an error, not a page
// of one version with the front matter of another.
func TestFileChangedBetweenLoadAndRender(t *testing.T) {
	t.Parallel()
	for _, changed := range []string{"content/a.md", "content/a.transcript.md"} {
		in := sitetest.Input(siteTOML + episode("a", "") + "-- content/a.transcript.md --\nAna: Hello.\n")
		s, err := site.Load(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		proj := in.Project.(fstest.MapFS)
		proj[changed].Data = append(append([]byte(nil), proj[changed].Data...), "\nEdited.\n"...)
		_, err = s.Render(context.Background(), in, site.Discard{})
		want := changed + ": changed while the site was building: build again"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s edited after Load: Render error = %v, want %q", changed, err, want)
		}
	}
}

// An episode file over the size limit is named with the limit, beside the
// other problems of the build.
func TestEpisodeFileTooLarge(t *testing.T) {
	t.Parallel()
	in := sitetest.Input(siteTOML + episode("a", "") + episode("b", "duration: -5\n"))
	proj := in.Project.(fstest.MapFS)
	proj["content/big.md"] = &fstest.MapFile{Data: make([]byte, site.MaxEpisodeBytes+1<<20)}
	got := strings.Join(sitetest.BuildErrors(t, in), "\n")
	for _, want := range []string{
		fmt.Sprintf("content/big.md: file is %d MiB; episode files are limited to %d MiB", site.MaxEpisodeBytes>>20+1, site.MaxEpisodeBytes>>20),
		`content/b.md:6:11: duration: invalid duration "-5": use HH:MM:SS, MM:SS or whole seconds`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors:\n%s\nwant %q", got, want)
		}
	}
}
