package importer_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"shownotes/generator/importer"
	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// longNotes is show notes of more than 4000 bytes of plain text.
var longNotes = strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 80)

// testFeed exercises every mapping; see TestImportMapsEveryField.
var testFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom/" xmlns:gp="http://www.google.com/schemas/play-podcasts/1.0">
<channel>
  <title>The Test Show</title>
  <link>https://old.example.com/show?ref=rss</link>
  <atom:link href="https://host.example.com/feed.rss" rel="self" type="application/rss+xml"/>
  <description>&lt;p&gt;A show &lt;b&gt;about&lt;/b&gt; tests.&lt;/p&gt;</description>
  <gp:description>Not this one.</gp:description>
  <language>en-gb</language>
  <copyright>© 2024 Tess Ter</copyright>
  <itunes:author>Tess Ter</itunes:author>
  <itunes:image href="https://cdn.example.com/cover.jpg"/>
  <itunes:category text="Society &amp; Culture"><itunes:category text="Documentary"/></itunes:category>
  <itunes:category text="History"/>
  <itunes:category text="Made Up"/>
  <itunes:explicit>clean</itunes:explicit>
  <itunes:type>serial</itunes:type>
  <itunes:owner><itunes:name>Tess Ter</itunes:name><itunes:email>tess@example.com</itunes:email></itunes:owner>
  <itunes:complete>Yes</itunes:complete>
  <podcast:guid>5a3e1c4f-2b7d-5e8a-9c0b-1d2e3f4a5b6c</podcast:guid>
  <podcast:locked owner="tess@example.com">yes</podcast:locked>
  <podcast:funding url="https://example.com/support">Support us</podcast:funding>
  <podcast:person role="host" href="https://tess.example.com/" img="https://cdn.example.com/tess.jpg">Tess Ter</podcast:person>
  <podcast:license url="https://creativecommons.org/licenses/by/4.0/">cc-by-4.0</podcast:license>
  <podcast:medium>podcast</podcast:medium>
  <item>
    <title>First:&#x85; The	Beginning</title>
    <guid isPermaLink="false"> test-001 </guid>
    <pubDate>Tue, 05 Mar 2024 06:30:15 -0500</pubDate>
    <enclosure url="https://cdn.example.com/001.mp3" length="12345" type="audio/mpeg"/>
    <itunes:duration>1:02:03</itunes:duration>
    <itunes:episode>1</itunes:episode>
    <itunes:season>1</itunes:season>
    <itunes:episodeType>Full</itunes:episodeType>
    <itunes:explicit>yes</itunes:explicit>
    <itunes:image href="https://cdn.example.com/001.jpg"/>
    <itunes:keywords>history, Science , maps</itunes:keywords>
    <category>Science</category>
    <description>&lt;p&gt;Short &amp;amp; sweet.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<h2>In this episode</h2><p>We talk <em>maps</em> and <strong>salt</strong>. See <a href="/about">our page</a> and <a href="https://maps.example.org/">the atlas</a>.</p><ul><li>One</li><li>Two</li></ul><script>alert(1)</script>]]></content:encoded>
    <podcast:person role="guest" href="https://olga.example.org/">Ольга Воронцова</podcast:person>
    <podcast:person role="host" href="https://tess.example.com/" img="https://cdn.example.com/tess.jpg">Tess Ter</podcast:person>
    <podcast:person role="Producer">Pat Producer</podcast:person>
    <podcast:transcript url="https://cdn.example.com/001.vtt" type="text/vtt"/>
    <podcast:chapters url="https://cdn.example.com/001.json" type="application/json+chapters"/>
    <podcast:soundbite startTime="1" duration="30"/>
  </item>
  <item>
    <title>Same Title</title>
    <guid>test-002</guid>
    <pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
    <enclosure url="https://cdn.example.com/002.mp3" length="2000" type="audio/mpeg"/>
    <itunes:duration>12:34</itunes:duration>
    <itunes:episode>2</itunes:episode>
    <itunes:season>1</itunes:season>
    <description>Plain text notes.

Second paragraph with a URL: https://example.net/page</description>
  </item>
  <item>
    <title>Same Title</title>
    <guid>test-003</guid>
    <pubDate>Thu, 07 Mar 2024 10:00:00 EST</pubDate>
    <enclosure url="https://cdn.example.com/003.m4a" length="3000"/>
    <itunes:duration>95</itunes:duration>
    <itunes:episode>2</itunes:episode>
    <itunes:season>1</itunes:season>
    <itunes:episodeType>bonus</itunes:episodeType>
    <itunes:summary>A bonus.</itunes:summary>
  </item>
  <item>
    <title>No GUID</title>
    <pubDate>Fri, 08 Mar 2024 10:00:00 +0100</pubDate>
    <enclosure url="http://cdn.example.com/004.mp3" length="4000" type="audio/mpeg"/>
    <itunes:explicit>no</itunes:explicit>
    <description>Served over http.</description>
  </item>
  <item>
    <title>../../etc/passwd</title>
    <guid>test-005</guid>
    <pubDate>Sat, 09 Mar 2024 10:00:00 +0000</pubDate>
    <description>No audio yet.</description>
  </item>
  <item>
    <title>Zero Length</title>
    <guid>test-006</guid>
    <pubDate>Sun, 10 Mar 2024 10:00:00 +0000</pubDate>
    <enclosure url="https://cdn.example.com/006.mp3" length="0" type="audio/mpeg"/>
    <description>Length zero.</description>
  </item>
  <item>
    <title>Nothing to go on</title>
    <pubDate>Mon, 11 Mar 2024 10:00:00 +0000</pubDate>
  </item>
  <item>
    <title>Long notes</title>
    <guid>test-008</guid>
    <pubDate>Tue, 12 Mar 2024 10:00:00 +0000</pubDate>
    <enclosure url="https://cdn.example.com/008.mp3" length="8000" type="audio/mpeg"/>
    <description>` + longNotes + `</description>
  </item>
</channel>
</rss>
`

const wantSiteTOML = `# Imported from the show's RSS feed by shownotes import.
title = 'The Test Show'
description = 'A show about tests.'
base_url = 'https://old.example.com/show/'
language = 'en-gb'
author = 'Tess Ter'
copyright = '© 2024 Tess Ter'
image = 'https://cdn.example.com/cover.jpg'
explicit = false
categories = ['Society & Culture/Documentary', 'History']
type = 'serial'

[owner]
name = 'Tess Ter'
email = 'tess@example.com'

[[hosts]]
name = 'Tess Ter'
url = 'https://tess.example.com/'
img = 'https://cdn.example.com/tess.jpg'

[feed]
complete = true
guid = '5a3e1c4f-2b7d-5e8a-9c0b-1d2e3f4a5b6c'
locked = true
license = 'cc-by-4.0'
license_url = 'https://creativecommons.org/licenses/by/4.0/'
medium = 'podcast'

[[feed.funding]]
url = 'https://example.com/support'
text = 'Support us'
`

const wantFirstEpisode = `---
title: 'First: The Beginning'
date: "2024-03-05T06:30:15-05:00"
episode: 1
season: 1
type: full
slug: first-the-beginning
summary: Short & sweet.
guests:
  - name: Ольга Воронцова
    url: https://olga.example.org/
hosts:
  - name: Tess Ter
    url: https://tess.example.com/
    img: https://cdn.example.com/tess.jpg
  - name: Pat Producer
    role: producer
image:
  src: https://cdn.example.com/001.jpg
  alt: 'Artwork for First: The Beginning'
audio:
  url: https://cdn.example.com/001.mp3
  length: 12345
  type: audio/mpeg
duration: "01:02:03"
explicit: true
tags:
  - Science
  - history
  - maps
draft: false
guid: test-001
---
## In this episode

We talk *maps* and **salt**. See [our page](https://old.example.com/about) and [the atlas](https://maps.example.org/).

- One
- Two

## Links

- [Transcript (text/vtt)](https://cdn.example.com/001.vtt)
- [Chapters](https://cdn.example.com/001.json)
`

func importString(t *testing.T, dir, feed string, opts importer.Options) *importer.Report {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	rep, err := importer.Import(context.Background(), dir, []byte(feed), opts)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportMapsEveryField(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rep := importString(t, dir, testFeed, importer.Options{})
	if got, want := rep.Summary(), "import: 7 added, 0 updated, 0 unchanged, 1 skipped (12 warnings)"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	compareLines(t, "warnings", warningStrings(rep.Warnings), []string{
		`site.toml: categories: "Made Up" is not an Apple Podcasts category: left out`,
		`content/episodes/same-title-2.md (item 3): episode: season 1 episode 2 is already content/episodes/same-title.md: number left out`,
		`content/episodes/same-title-2.md (item 3): episode: the show is serial and this episode has no number: the build requires one`,
		`content/episodes/no-guid.md (item 4): guid: the item has no guid: used the enclosure URL http://cdn.example.com/004.mp3, which podcast apps use in its place`,
		`content/episodes/no-guid.md (item 4): audio.url: http://cdn.example.com/004.mp3 uses http: kept as it is, but the feed check requires https, so the build fails on this episode until the audio is served over https`,
		`content/episodes/no-guid.md (item 4): episode: the show is serial and this episode has no number: the build requires one`,
		`content/episodes/etc-passwd.md (item 5): audio: the item has no enclosure: imported as a draft; add the audio before publishing`,
		`content/episodes/etc-passwd.md (item 5): episode: the show is serial and this episode has no number: the build requires one`,
		`content/episodes/zero-length.md (item 6): audio.length: the enclosure length is "0", not a size in bytes: imported as a draft; set audio.length before publishing`,
		`content/episodes/zero-length.md (item 6): episode: the show is serial and this episode has no number: the build requires one`,
		`content/episodes/long-notes.md (item 8): episode: the show is serial and this episode has no number: the build requires one`,
		`feed: not imported, shownotes has no place for them: podcast:soundbite (1)`,
	})
	if len(rep.Skipped) != 1 || rep.Skipped[0].String() != "item 7: the item has no guid and no enclosure: nothing identifies it" {
		t.Errorf("skipped: %v", rep.Skipped)
	}
	if rep.Config != "created" || rep.FeedURL != "https://host.example.com/feed.rss" {
		t.Errorf("config %q, feed url %q", rep.Config, rep.FeedURL)
	}
	if got := readFile(t, filepath.Join(dir, "site.toml")); got != wantSiteTOML {
		t.Errorf("site.toml:\n%s\nwant:\n%s", got, wantSiteTOML)
	}
	if got := readFile(t, filepath.Join(dir, "content", "episodes", "first-the-beginning.md")); got != wantFirstEpisode {
		t.Errorf("first episode:\n%s\nwant:\n%s", got, wantFirstEpisode)
	}
	wantFiles := []string{"etc-passwd.md", "first-the-beginning.md", "long-notes.md", "no-guid.md", "same-title-2.md", "same-title.md", "zero-length.md"}
	if got := listDir(t, filepath.Join(dir, "content", "episodes")); strings.Join(got, " ") != strings.Join(wantFiles, " ") {
		t.Errorf("episode files %q, want %q", got, wantFiles)
	}
	if got := listDir(t, dir); strings.Join(got, " ") != ".shownotes-import.json content site.toml" {
		t.Errorf("site root holds %q", got)
	}

	// The loader accepts every file (drafts included) and reads back what
	// the feed said.
	s, err := site.Load(context.Background(), site.Input{Project: os.DirFS(dir), Theme: sitetest.DefaultTheme(), Now: fixedNow, Drafts: true})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	eps := map[string]*site.Episode{}
	for _, ep := range s.Episodes {
		eps[ep.Slug] = ep
	}
	if len(eps) != 7 {
		t.Fatalf("loaded %d episodes", len(eps))
	}
	first := eps["first-the-beginning"]
	if first.Date.Format(time.RFC1123Z) != "Tue, 05 Mar 2024 06:30:15 -0500" || first.Duration != time.Hour+2*time.Minute+3*time.Second ||
		first.Number != 1 || first.Season != 1 || !first.Explicit || first.GUID != "test-001" || len(first.Guests) != 1 ||
		first.Guests[0].Slug != "olga-vorontsova" || len(first.Hosts) != 2 || first.Hosts[1].Role != "producer" {
		t.Errorf("first episode loaded as %+v", first)
	}
	if e := eps["same-title-2"]; e.Number != 0 || e.Type != "bonus" || e.Duration != 95*time.Second || e.Audio.Type != "audio/x-m4a" ||
		e.Date.Format(time.RFC3339) != "2024-03-07T10:00:00-05:00" || e.Summary != "A bonus." || e.Explicit {
		t.Errorf("same-title-2 loaded as %+v, audio %+v", e, e.Audio)
	}
	if e := eps["same-title"]; e.Duration != 12*time.Minute+34*time.Second || len(e.Hosts) != 1 || e.Hosts[0].Name != "Tess Ter" {
		t.Errorf("same-title loaded as %+v", e)
	}
	if e := eps["no-guid"]; e.GUID != "http://cdn.example.com/004.mp3" || e.Audio.URL != "http://cdn.example.com/004.mp3" || e.Draft {
		t.Errorf("no-guid loaded as %+v", e)
	}
	if e := eps["etc-passwd"]; !e.Draft || e.Audio != nil {
		t.Errorf("etc-passwd loaded as %+v", e)
	}
	if e := eps["zero-length"]; !e.Draft || e.Audio == nil || e.Audio.URL != "https://cdn.example.com/006.mp3" || e.Audio.Length != 0 {
		t.Errorf("zero-length loaded as %+v", e)
	}
	// The summary is cut on a word boundary to at most 4000 bytes.
	long := eps["long-notes"]
	cut, ok := strings.CutSuffix(long.Summary, "…")
	if len(long.Summary) > importer.MaxSummaryBytes || len(long.Summary) < importer.MaxSummaryBytes-20 || !ok ||
		!strings.HasPrefix(longNotes, cut+" ") {
		t.Errorf("long summary: %d bytes, ends %q", len(long.Summary), long.Summary[len(long.Summary)-40:])
	}
	plain := readFile(t, filepath.Join(dir, "content", "episodes", "same-title.md"))
	if !strings.HasSuffix(plain, "---\nPlain text notes.\n\nSecond paragraph with a URL: https://example.net/page\n") {
		t.Errorf("plain-text notes:\n%s", plain)
	}

	// Our build refuses what the warnings announced: the http enclosure
	// (the feed check requires https) and, the show being serial, the
	// episodes without a number.
	_, err = site.Build(context.Background(), site.Input{Project: os.DirFS(dir), Theme: sitetest.DefaultTheme(), Now: fixedNow}, site.Discard{})
	compareLines(t, "build errors", errorStrings(err), []string{
		"content/episodes/long-notes.md:1:1: episode: episode is required for serial shows",
		"content/episodes/no-guid.md:1:1: episode: episode is required for serial shows",
		"content/episodes/no-guid.md:8:3: audio.url: enclosure url must use https",
		"content/episodes/same-title-2.md:1:1: episode: episode is required for serial shows",
	})
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestImportLegacyNamespaceAndUndeclaredPrefixes(t *testing.T) {
	t.Parallel()
	for _, ns := range []string{
		`xmlns:podcast="https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"`,
		`xmlns:pc="https://podcastindex.org/namespace/1.0"`,
		``, // podcast: and itunes: used without a declaration
	} {
		prefix := "podcast"
		if strings.Contains(ns, "xmlns:pc") {
			prefix = "pc"
		}
		feed := strings.NewReplacer("PFX", prefix, "NS", ns).Replace(`<rss version="2.0" NS>
<channel><title>T</title><link>https://t.example.org/</link><description>D</description>
<itunes:category text="History"/>
<item><title>A</title><guid>a</guid><pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate>
<enclosure url="https://t.example.org/a.mp3" length="1" type="audio/mpeg"/>
<PFX:person role="guest">Guest Name</PFX:person><PFX:season>3</PFX:season><PFX:episode>7</PFX:episode>
</item></channel></rss>`)
		dir := t.TempDir()
		importString(t, dir, feed, importer.Options{})
		got := readFile(t, filepath.Join(dir, "content", "episodes", "a.md"))
		for _, want := range []string{"\nepisode: 7\nseason: 3\n", "\nguests:\n  - name: Guest Name\n"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: file lacks %q:\n%s", ns, want, got)
			}
		}
	}
}

func TestImportBadFeeds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, feed, want string }{
		{"empty", "  \n", "the feed is empty"},
		{"not XML", "This is not a feed.", "the feed is not XML: text before the root element (line 1)"},
		{"broken XML", "<rss version=\"2.0\"><channel><title>T</channel></rss>", "the feed is not XML: line 1: element <title> closed by </channel>"},
		{"JSON", `{"version": "https://jsonfeed.org/version/1.1"}`, "the feed is not XML: text before the root element (line 1)"},
		{"HTML", "<!DOCTYPE html>\n<html><head><title>Shop</title></head></html>", "the feed is not RSS: the root element is <html> (a web page, not a feed), want <rss>"},
		{"Atom", `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>`, "the feed is not RSS: the root element is <feed> (an Atom feed; shownotes imports RSS podcast feeds), want <rss>"},
		{"no channel", `<rss version="2.0"></rss>`, "the feed is not RSS: <rss> has no <channel>"},
	} {
		dir := t.TempDir()
		_, err := importer.Import(context.Background(), dir, []byte(tc.feed), importer.Options{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if names := listDir(t, dir); len(names) != 0 {
			t.Errorf("%s: a failed import wrote %q", tc.name, names)
		}
	}
}

// minimalFeed is a valid show with the given items.
func minimalFeed(items ...string) string {
	return `<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Mini</title><link>https://mini.example.org/</link><description>A small show.</description>
<language>en</language><itunes:category text="History"/><itunes:image href="https://mini.example.org/cover.png"/>
<itunes:owner><itunes:email>me@mini.example.org</itunes:email></itunes:owner>
` + strings.Join(items, "\n") + `
</channel></rss>`
}

func miniItem(n int, title string) string {
	return fmt.Sprintf(`<item><title>%s</title><guid>mini-%03d</guid><pubDate>Mon, %02d Jan 2024 08:00:00 +0000</pubDate>
<enclosure url="https://mini.example.org/%03d.mp3" length="%d000" type="audio/mpeg"/><itunes:duration>%d:00</itunes:duration>
<itunes:episode>%d</itunes:episode><description>&lt;p&gt;Episode %d.&lt;/p&gt;</description></item>`, title, n, n, n, n, 10+n, n, n)
}

func TestImportBadItems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	feed := minimalFeed(
		`<item><title>No guid</title><pubDate>Mon, 01 Jan 2024 08:00:00 +0000</pubDate><enclosure url="https://mini.example.org/1.mp3" length="10" type="audio/mpeg"/><description>x</description></item>`,
		`<item><title>No enclosure</title><guid>mini-2</guid><pubDate>Tue, 02 Jan 2024 08:00:00 +0000</pubDate><description>x</description></item>`,
		`<item><title>No length</title><guid>mini-3</guid><pubDate>Wed, 03 Jan 2024 08:00:00 +0000</pubDate><enclosure url="https://mini.example.org/3.mp3" type="audio/mpeg"/><description>x</description></item>`,
		`<item><title>Bad date</title><guid>mini-4</guid><pubDate>yesterday</pubDate><enclosure url="https://mini.example.org/4.mp3" length="10" type="audio/mpeg"/><description>x</description><itunes:duration>soon</itunes:duration><podcast:episode xmlns:podcast="https://podcastindex.org/namespace/1.0">1.5</podcast:episode></item>`,
		`<item><title>Twice</title><guid>mini-5</guid><pubDate>Fri, 05 Jan 2024 08:00:00 +0000</pubDate><enclosure url="https://mini.example.org/5.mp3" length="10" type="audio/mpeg"/><description>x</description></item>`,
		`<item><title>Twice again</title><guid>mini-5</guid><pubDate>Sat, 06 Jan 2024 08:00:00 +0000</pubDate><enclosure url="https://mini.example.org/5b.mp3" length="10" type="audio/mpeg"/><description>x</description></item>`,
		`<item><title>Two files</title><guid>mini-7</guid><pubDate>Sun, 07 Jan 2024 08:00:00 +0000</pubDate><enclosure url="https://mini.example.org/7.mp3" length="10" type="audio/mpeg"/><enclosure url="https://mini.example.org/7.ogg" length="10" type="audio/ogg"/><description>x</description></item>`,
		`<item><title>No type</title><guid>mini-8</guid><pubDate>Mon, 08 Jan 2024 08:00:00 +0000</pubDate><enclosure url="https://mini.example.org/stream" length="10"/><description>x</description></item>`,
	)
	rep := importString(t, dir, feed, importer.Options{})
	if got, want := rep.Summary(), "import: 7 added, 0 updated, 0 unchanged, 1 skipped (8 warnings)"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	compareLines(t, "warnings", warningStrings(rep.Warnings), []string{
		`content/episodes/no-guid.md (item 1): guid: the item has no guid: used the enclosure URL https://mini.example.org/1.mp3, which podcast apps use in its place`,
		`content/episodes/no-enclosure.md (item 2): audio: the item has no enclosure: imported as a draft; add the audio before publishing`,
		`content/episodes/no-length.md (item 3): audio.length: the enclosure has no length: imported as a draft; set audio.length (the file size in bytes) before publishing`,
		`content/episodes/bad-date.md (item 4): date: cannot read pubDate "yesterday": imported as a draft dated 2030-01-02T03:04:05Z; set the date before publishing`,
		`content/episodes/bad-date.md (item 4): episode: "1.5" is not a positive whole number: left out`,
		`content/episodes/bad-date.md (item 4): duration: cannot read duration "soon": left out`,
		`content/episodes/two-files.md (item 7): audio: the item has 2 enclosures: imported the first, https://mini.example.org/7.mp3`,
		`content/episodes/no-type.md (item 8): audio.type: the enclosure has no type and https://mini.example.org/stream has no known extension: imported as a draft; set audio.type before publishing`,
	})
	if len(rep.Skipped) != 1 || rep.Skipped[0].String() != `item 6: its guid "mini-5" is also the guid of item 5: podcast apps see the two as one episode` {
		t.Errorf("skipped: %v", rep.Skipped)
	}
	wantDrafts := []string{"content/episodes/bad-date.md", "content/episodes/no-enclosure.md", "content/episodes/no-length.md", "content/episodes/no-type.md"}
	if got := draftFiles(t, dir); strings.Join(got, " ") != strings.Join(wantDrafts, " ") {
		t.Errorf("drafts %q, want %q", got, wantDrafts)
	}
	// Published episodes build; the drafts load with warnings only.
	if _, err := site.Build(context.Background(), site.Input{Project: os.DirFS(dir), Theme: sitetest.DefaultTheme(), Now: fixedNow}, site.Discard{}); err != nil {
		t.Errorf("build: %v", err)
	}
	if _, err := site.Load(context.Background(), site.Input{Project: os.DirFS(dir), Theme: sitetest.DefaultTheme(), Now: fixedNow, Drafts: true}); err != nil {
		t.Errorf("load with drafts: %v", err)
	}
}

func TestImportIsIdempotent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	items := []string{miniItem(1, "One"), miniItem(2, "Two"), miniItem(3, "Three")}
	rep := importString(t, dir, minimalFeed(items...), importer.Options{})
	if got := rep.Summary(); got != "import: 3 added, 0 updated, 0 unchanged, 0 skipped" {
		t.Fatalf("first import: %s", got)
	}
	before := snapshot(t, dir)

	// Again: nothing changes.
	rep = importString(t, dir, minimalFeed(items...), importer.Options{})
	if rep.Summary() != "import: 0 added, 0 updated, 3 unchanged, 0 skipped" || rep.Config != "unchanged" {
		t.Errorf("second import: %s, site.toml %s", rep.Summary(), rep.Config)
	}
	if after := snapshot(t, dir); !equalMaps(before, after) {
		t.Errorf("a second identical import changed files")
	}

	// The feed gains an episode and fixes a title: one added, one updated.
	items[1] = miniItem(2, "Two (remastered)")
	items = append(items, miniItem(4, "Four"))
	rep = importString(t, dir, minimalFeed(items...), importer.Options{})
	if got := rep.Summary(); got != "import: 1 added, 1 updated, 2 unchanged, 0 skipped" {
		t.Errorf("third import: %s", got)
	}
	if strings.Join(rep.Added, " ") != "content/episodes/four.md" || strings.Join(rep.Updated, " ") != "content/episodes/two.md" {
		t.Errorf("added %q, updated %q", rep.Added, rep.Updated)
	}
	two := readFile(t, filepath.Join(dir, "content", "episodes", "two.md"))
	if !strings.Contains(two, "title: Two (remastered)\n") || !strings.Contains(two, "slug: two\n") {
		t.Errorf("updated file keeps its slug and takes the new title:\n%s", two)
	}

	// Someone edits an imported file: the next import leaves it alone.
	one := filepath.Join(dir, "content", "episodes", "one.md")
	edited := strings.Replace(readFile(t, one), "Episode 1.", "Episode 1, with corrections.", 1)
	if err := os.WriteFile(one, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	items[0] = miniItem(1, "One, retitled")
	rep = importString(t, dir, minimalFeed(items...), importer.Options{})
	if got := rep.Summary(); got != "import: 0 added, 0 updated, 3 unchanged, 1 skipped" {
		t.Errorf("import over an edit: %s", got)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].String() != "content/episodes/one.md (item 1): edited since the last import (-force overwrites it)" {
		t.Errorf("skipped: %v", rep.Skipped)
	}
	if readFile(t, one) != edited {
		t.Error("the edited file was overwritten")
	}
	// Still skipped the next time: the manifest keeps the hash of what the
	// import wrote, not of the edit.
	if rep = importString(t, dir, minimalFeed(items...), importer.Options{}); len(rep.Skipped) != 1 {
		t.Errorf("second import over an edit: %s", rep.Summary())
	}

	// -force takes the feed's version.
	rep = importString(t, dir, minimalFeed(items...), importer.Options{Force: true})
	if got := rep.Summary(); got != "import: 0 added, 1 updated, 3 unchanged, 0 skipped" {
		t.Errorf("forced import: %s", got)
	}
	if got := readFile(t, one); !strings.Contains(got, "title: One, retitled\n") || strings.Contains(got, "corrections") {
		t.Errorf("forced import did not take the feed's version:\n%s", got)
	}
	// And after -force, the file counts as ours again.
	if rep = importString(t, dir, minimalFeed(items...), importer.Options{}); rep.Summary() != "import: 0 added, 0 updated, 4 unchanged, 0 skipped" {
		t.Errorf("after force: %s", rep.Summary())
	}

	// A deleted file is a decision: it stays deleted unless -force.
	if err := os.Remove(filepath.Join(dir, "content", "episodes", "three.md")); err != nil {
		t.Fatal(err)
	}
	rep = importString(t, dir, minimalFeed(items...), importer.Options{})
	if len(rep.Skipped) != 1 || rep.Skipped[0].String() != "item 3: deleted since the last import (-force imports it again)" {
		t.Errorf("deleted: %s %v", rep.Summary(), rep.Skipped)
	}
	rep = importString(t, dir, minimalFeed(items...), importer.Options{Force: true})
	if strings.Join(rep.Added, " ") != "content/episodes/three.md" {
		t.Errorf("forced re-import of a deleted file: %s %q", rep.Summary(), rep.Added)
	}

	// An edited site.toml is kept too.
	cfg := filepath.Join(dir, "site.toml")
	if err := os.WriteFile(cfg, []byte(readFile(t, cfg)+"paginate = 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep = importString(t, dir, minimalFeed(items...), importer.Options{}); rep.Config != "skipped" || !strings.HasSuffix(readFile(t, cfg), "paginate = 5\n") {
		t.Errorf("edited site.toml: %s", rep.Config)
	}
	if rep = importString(t, dir, minimalFeed(items...), importer.Options{Force: true}); rep.Config != "updated" || strings.Contains(readFile(t, cfg), "paginate") {
		t.Errorf("forced site.toml: %s", rep.Config)
	}

	// The result builds.
	if _, err := site.Build(context.Background(), site.Input{Project: os.DirFS(dir), Theme: sitetest.DefaultTheme(), Now: fixedNow}, site.Discard{}); err != nil {
		t.Errorf("build: %v", err)
	}
}

func TestImportIntoAnExistingSite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ownConfig := "title = \"Mine\"\ndescription = \"My show.\"\nbase_url = \"https://mine.example.org/\"\nimage = \"https://mine.example.org/c.png\"\ncategories = [\"History\"]\n[owner]\nemail = \"me@mine.example.org\"\n"
	write("site.toml", ownConfig)
	// A hand-written episode whose slug and number the feed also uses.
	write("content/one.md", "---\ntitle: Mine\ndate: 2023-01-01\nepisode: 1\nsummary: S\ntags: [iOS]\nguests: [{name: José Doe}]\naudio: {url: \"https://mine.example.org/m.mp3\", length: 5}\n---\n")
	// A hand-written file that already holds a feed guid.
	handGUID := "---\ntitle: Two by hand\ndate: 2024-01-02\nsummary: S\nguid: mini-002\naudio: {url: \"https://mini.example.org/002.mp3\", length: 2000}\n---\n"
	write("content/episodes/two-by-hand.md", handGUID)

	// The feed spells a tag and a guest the site already has differently.
	one := strings.Replace(miniItem(1, "One"), "<description>", `<category>IOS</category><podcast:person xmlns:podcast="https://podcastindex.org/namespace/1.0" role="guest">Jose Doe</podcast:person><description>`, 1)
	rep := importString(t, dir, minimalFeed(one, miniItem(2, "Two")), importer.Options{})
	if rep.Config != "kept" || readFile(t, filepath.Join(dir, "site.toml")) != ownConfig {
		t.Errorf("site.toml: %s", rep.Config)
	}
	if got := rep.Summary(); got != "import: 1 added, 0 updated, 0 unchanged, 1 skipped (2 warnings)" {
		t.Errorf("summary %s", got)
	}
	compareLines(t, "warnings", warningStrings(rep.Warnings), []string{
		`content/episodes/one-2.md (item 1): guests: "Jose Doe" is spelled "José Doe" in another episode: used "José Doe"`,
		"content/episodes/one-2.md (item 1): episode: episode 1 is already content/one.md: number left out",
	})
	if got := readFile(t, filepath.Join(dir, "content", "episodes", "one-2.md")); !strings.Contains(got, "\ntags:\n  - iOS\n") || !strings.Contains(got, "  - name: José Doe\n") {
		t.Errorf("spellings not taken from the site:\n%s", got)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].String() != "content/episodes/two-by-hand.md (item 2): holds the item's guid but was not written by shownotes import (-force overwrites it)" {
		t.Errorf("skipped %v", rep.Skipped)
	}
	if _, err := site.Build(context.Background(), site.Input{Project: os.DirFS(dir), Theme: sitetest.DefaultTheme(), Now: fixedNow}, site.Discard{}); err != nil {
		t.Errorf("build: %v", err)
	}
	rep = importString(t, dir, minimalFeed(one, miniItem(2, "Two")), importer.Options{Force: true})
	if got := rep.Summary(); got != "import: 0 added, 1 updated, 1 unchanged, 0 skipped (2 warnings)" || rep.Config != "kept" {
		t.Errorf("forced: %s, site.toml %s", got, rep.Config)
	}
	if got := readFile(t, filepath.Join(dir, "content", "episodes", "two-by-hand.md")); !strings.Contains(got, "slug: two-by-hand\n") || !strings.Contains(got, "title: Two\n") {
		t.Errorf("forced file keeps its place and slug:\n%s", got)
	}
}

func TestImportWritesNothingOnFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// A file where the episodes folder should be: the import cannot write
	// its episodes, and must not leave site.toml or a manifest behind.
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "episodes"), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := importer.Import(context.Background(), dir, []byte(minimalFeed(miniItem(1, "One"))), importer.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "writing content/episodes/one.md: ") {
		t.Fatalf("error %v", err)
	}
	if got := listDir(t, dir); strings.Join(got, " ") != "content" {
		t.Errorf("site root after a failed import: %q", got)
	}
	if got := listDir(t, filepath.Join(dir, "content")); strings.Join(got, " ") != "episodes" {
		t.Errorf("content/ after a failed import: %q", got)
	}
}

func TestFetch(t *testing.T) {
	t.Parallel()
	feed := minimalFeed(miniItem(1, "One"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, feed)
		case "/slow":
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	data, err := importer.Fetch(context.Background(), srv.URL+"/feed.xml", nil)
	if err != nil || string(data) != feed {
		t.Errorf("fetch: %v", err)
	}
	if _, err := importer.Fetch(context.Background(), srv.URL+"/gone.xml", nil); err == nil || err.Error() != "fetching "+srv.URL+"/gone.xml: 404 Not Found" {
		t.Errorf("404: %v", err)
	}
	client := &http.Client{Timeout: 100 * time.Millisecond}
	if _, err := importer.Fetch(context.Background(), srv.URL+"/slow", client); err == nil || !strings.Contains(err.Error(), "Client.Timeout exceeded") {
		t.Errorf("timeout: %v", err)
	}
	name := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(name, []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := importer.Fetch(context.Background(), name, nil); err != nil || string(data) != feed {
		t.Errorf("file: %v", err)
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		m[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestImportAwkwardValuesRoundTrip(t *testing.T) {
	t.Parallel()
	titles := []string{"123", "null", "- dash", "#hash", "'quoted'", "key: value", `Ünïcödé "quoted" & <b>`, "🎙️ Live", "yes", "[list]", "{map}", "*star*", "%percent", "@at", "`tick`", "!bang", "|pipe", ">fold"}
	guids := []string{"007", "true", "~", "null", "a: b", "#1", "x\ty", "  spaced  "}
	var items []string
	for i, title := range titles {
		guid := fmt.Sprintf("g-%d", i)
		if i < len(guids) {
			guid = guids[i]
		}
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
		items = append(items, fmt.Sprintf(`<item><title>%s</title><guid>%s</guid><pubDate>Mon, 01 Jan 2024 %02d:00:00 +0000</pubDate>
<enclosure url="https://a.example.org/%d.mp3" length="10" type="audio/mpeg"/><description>%s</description><category>%s</category></item>`, esc(title), esc(guid), i, i, esc(title), esc(title)))
	}
	dir := t.TempDir()
	importString(t, dir, minimalFeed(items...), importer.Options{})
	s, err := site.Load(context.Background(), site.Input{Project: os.DirFS(dir), Theme: sitetest.DefaultTheme(), Now: fixedNow})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	got := map[string]string{}
	for _, ep := range s.Episodes {
		got[ep.Title] = ep.GUID
	}
	for i, title := range titles {
		guid := fmt.Sprintf("g-%d", i)
		if i < len(guids) {
			guid = strings.TrimSpace(guids[i])
		}
		if g, ok := got[title]; !ok || g != guid {
			t.Errorf("title %q: loaded guid %q (found %v), want %q", title, g, ok, guid)
		}
	}
}

func TestImportKeepsThePodcastGUIDOfTheOldFeedURL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	feed := strings.Replace(minimalFeed(miniItem(1, "One")), "<language>", `<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="https://mp3s.nashownotes.com/pc20rss.xml"/><language>`, 1)
	rep := importString(t, dir, feed, importer.Options{})
	if rep.FeedURL != "https://mp3s.nashownotes.com/pc20rss.xml" {
		t.Errorf("feed url %q", rep.FeedURL)
	}
	// The value the Podcasting 2.0 spec gives for this URL.
	if got := readFile(t, filepath.Join(dir, "site.toml")); !strings.Contains(got, "\n[feed]\nguid = '917393e3-1b1e-5cef-ace4-edaa54e1f810'\n") {
		t.Errorf("site.toml:\n%s", got)
	}
}
