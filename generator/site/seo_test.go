package site_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"shownotes/generator/internal/sitetest"
)

var ldScript = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// jsonLD extracts and decodes the one JSON-LD script of a page.
func jsonLD(t *testing.T, page string) map[string]any {
	t.Helper()
	m := ldScript.FindAllStringSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("want one JSON-LD script, found %d", len(m))
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(m[0][1]), &doc); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[0][1])
	}
	return doc
}

// want compares a JSON-LD value with what encoding/json decodes.
func wantLD(t *testing.T, doc map[string]any, key string, want any) {
	t.Helper()
	if got := doc[key]; !reflect.DeepEqual(got, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("%s = %s, want %s", key, gj, wj)
	}
}

const seoEpisode = `-- content/episodes/412-exiles.md --
---
title: "Putin's Exiles & <Friends>"
date: 2024-02-08
episode: 412
season: 3
summary: "A conversation about exile. </script><script>alert(1)</script> \u2028 end"
guests:
  - "Ольга Воронцова"
  - {name: "Paul Writer", url: "https://paul.example.org/", bio: "Journalist.", img: "people/paul.png"}
hosts: [{name: "Mara Ellison", url: "https://mara.example.org/"}]
books:
  - {title: "The Exiles", author: "Paul Writer", url: "https://books.example.org/exiles", isbn: "978-0-306-40615-7"}
  - {title: "Untitled Notes"}
image: {src: "photo.jpg", alt: "A rally in the snow", credit: "Andrew", license: "CC BY-SA 2.0", license_url: "https://creativecommons.org/licenses/by-sa/2.0/"}
audio: {url: "https://cdn.example.org/412.mp3", length: 48213112, type: "audio/mpeg"}
duration: "1:02:03"
tags: [Russia, exile]
---
Notes.
-- content/photo.jpg --
JPEG
-- content/people/paul.png --
PNG
`

func TestEpisodeJSONLD(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+seoEpisode+episode("episodes/other", "")))
	page := files["episodes/412-exiles/index.html"]
	doc := jsonLD(t, page)
	url := "https://example.org/episodes/412-exiles/"
	wantLD(t, doc, "@context", "https://schema.org")
	wantLD(t, doc, "@type", "PodcastEpisode")
	wantLD(t, doc, "@id", url)
	wantLD(t, doc, "url", url)
	wantLD(t, doc, "name", "Putin's Exiles & <Friends>")
	wantLD(t, doc, "description", "A conversation about exile. </script><script>alert(1)</script> \u2028 end")
	wantLD(t, doc, "datePublished", "2024-02-08")
	wantLD(t, doc, "episodeNumber", 412.0)
	wantLD(t, doc, "duration", "PT1H2M3S")
	wantLD(t, doc, "timeRequired", "PT1H2M3S")
	wantLD(t, doc, "inLanguage", "en")
	wantLD(t, doc, "keywords", "Russia, exile")
	wantLD(t, doc, "image", "https://example.org/photo.jpg")
	wantLD(t, doc, "associatedMedia", map[string]any{
		"@type": "MediaObject", "contentUrl": "https://cdn.example.org/412.mp3",
		"encodingFormat": "audio/mpeg", "contentSize": "48.2 MB", "duration": "PT1H2M3S",
	})
	wantLD(t, doc, "partOfSeason", map[string]any{"@type": "PodcastSeason", "seasonNumber": 3.0})
	wantLD(t, doc, "partOfSeries", map[string]any{
		"@type": "PodcastSeries", "@id": "https://example.org/#podcast", "name": "Test Show", "url": "https://example.org/",
	})
	// Hosts are the authors, guests the actors (see episodeLD).
	wantLD(t, doc, "author", []any{map[string]any{"@type": "Person", "name": "Mara Ellison", "url": "https://mara.example.org/"}})
	wantLD(t, doc, "actor", []any{
		map[string]any{"@type": "Person", "name": "Ольга Воронцова", "url": "https://example.org/guests/olga-vorontsova/"},
		map[string]any{"@type": "Person", "name": "Paul Writer", "url": "https://example.org/guests/paul-writer/",
			"description": "Journalist.", "image": "https://example.org/people/paul.png", "sameAs": "https://paul.example.org/"},
	})
	wantLD(t, doc, "mentions", []any{
		map[string]any{"@type": "Book", "name": "The Exiles", "author": map[string]any{"@type": "Person", "name": "Paul Writer"},
			"isbn": "978-0-306-40615-7", "url": "https://books.example.org/exiles"},
		map[string]any{"@type": "Book", "name": "Untitled Notes"},
	})
	if len(doc) != 19 {
		keys := make([]string, 0, len(doc))
		for k := range doc {
			keys = append(keys, k)
		}
		t.Errorf("JSON-LD has %d properties, want 19 (a new one needs a check here): %v", len(doc), keys)
	}

	// Nothing in the data can close the script element or break the JS
	// parser: <, >, & and U+2028 are \u escapes.
	raw := ldScript.FindStringSubmatch(page)[1]
	for _, bad := range []string{"<", ">", "&", "\u2028", "\u2029"} {
		if strings.Contains(raw, bad) {
			t.Errorf("JSON-LD contains a raw %q", bad)
		}
	}
	for _, esc := range []string{`\u003c/script\u003e`, `\u0026`, `\u2028`} {
		if !strings.Contains(raw, esc) {
			t.Errorf("JSON-LD lacks the escape %s", esc)
		}
	}

	// An episode without number, season, duration, image, guests or books
	// leaves those out and falls back to the show artwork.
	other := jsonLD(t, files["episodes/other/index.html"])
	for _, k := range []string{"episodeNumber", "partOfSeason", "duration", "timeRequired", "actor", "mentions", "keywords"} {
		if _, ok := other[k]; ok {
			t.Errorf("other episode: has %s", k)
		}
	}
	wantLD(t, other, "image", "https://example.org/cover.png")
	wantLD(t, other, "author", []any{map[string]any{"@type": "Person", "name": "Host Person"}})
}

func TestSeriesJSONLDAndMeta(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+seoEpisode+episode("a", "")+episode("b", "tags: [x]\n")))
	doc := jsonLD(t, files["index.html"])
	wantLD(t, doc, "@type", "PodcastSeries")
	wantLD(t, doc, "@id", "https://example.org/#podcast")
	wantLD(t, doc, "name", "Test Show")
	wantLD(t, doc, "url", "https://example.org/")
	wantLD(t, doc, "description", "A show for tests.")
	wantLD(t, doc, "image", "https://example.org/cover.png")
	wantLD(t, doc, "webFeed", "https://example.org/feed.xml")
	wantLD(t, doc, "inLanguage", "en")
	wantLD(t, doc, "author", []any{map[string]any{"@type": "Person", "name": "Host Person"}})
	// Only the first home page and episodes carry JSON-LD.
	for _, name := range []string{"page/2/index.html", "tags/index.html", "guests/paul-writer/index.html", "search/index.html", "404.html"} {
		if ldScript.MatchString(files[name]) {
			t.Errorf("%s has JSON-LD", name)
		}
	}

	sitetest.Contains(t, files, "episodes/412-exiles/index.html",
		`<meta property="og:site_name" content="Test Show">`,
		`<meta property="og:type" content="article">`,
		`<meta property="og:title" content="Putin&#39;s Exiles &amp; &lt;Friends&gt;">`,
		`<meta property="og:url" content="https://example.org/episodes/412-exiles/">`,
		`<meta property="og:image" content="https://example.org/photo.jpg">`,
		`<meta property="og:image:alt" content="A rally in the snow">`,
		`<meta property="og:audio" content="https://cdn.example.org/412.mp3">`,
		`<meta property="og:audio:type" content="audio/mpeg">`,
		`<meta property="article:published_time" content="2024-02-08T00:00:00Z">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<link rel="alternate" type="application/rss+xml" title="Test Show (podcast feed)" href="/feed.xml">`,
		`<link rel="alternate" type="application/feed+json" title="Test Show (JSON Feed)" href="/feed.json">`,
		`! /tags/exile/feed.xml`)
	sitetest.Contains(t, files, "index.html",
		`<meta property="og:type" content="website">`,
		`<meta property="og:title" content="Test Show">`,
		`<meta property="og:url" content="https://example.org/">`,
		`<meta property="og:image" content="https://example.org/cover.png">`,
		`<meta name="twitter:card" content="summary">`,
		`! og:audio`)
	// Topic and guest pages announce their own feed first.
	sitetest.Contains(t, files, "tags/exile/index.html",
		`<link rel="alternate" type="application/rss+xml" title="Test Show: exile (podcast feed)" href="/tags/exile/feed.xml">`,
		`<a href="/tags/exile/feed.xml" type="application/rss+xml">`)
	sitetest.Contains(t, files, "guests/paul-writer/index.html",
		`<link rel="alternate" type="application/rss+xml" title="Test Show with Paul Writer (podcast feed)" href="/guests/paul-writer/feed.xml">`,
		`<meta property="og:image" content="https://example.org/people/paul.png">`,
		`<meta name="twitter:card" content="summary">`)
	if _, ok := files["tags/exile/feed.xml"]; !ok {
		t.Error("tags/exile/feed.xml not written")
	}
	// The 404 page has no canonical or og:url: it is served at any URL.
	sitetest.Contains(t, files, "404.html", `! rel="canonical"`, `! og:url`)
}
