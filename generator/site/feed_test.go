package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	rssparser "github.com/mmcdole/gofeed/rss"

	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// exampleSite builds the bundled example site in memory.
func exampleSite(t *testing.T) (*site.Site, map[string]string) {
	t.Helper()
	in := site.Input{
		Project: os.DirFS(sitetest.RepoRoot()),
		Theme:   sitetest.DefaultTheme(),
		Now:     func() time.Time { return sitetest.Now },
	}
	s, err := site.Load(context.Background(), in)
	if err != nil {
		t.Fatalf("loading the example site: %v", err)
	}
	// Render releases notes and transcripts as it writes them, so the
	// site the test inspects is loaded separately from the one rendered.
	rendered, err := site.Load(context.Background(), in)
	if err != nil {
		t.Fatalf("loading the example site: %v", err)
	}
	out := site.NewMemOutput()
	if _, err := rendered.Render(context.Background(), in, out); err != nil {
		t.Fatalf("rendering the example site: %v", err)
	}
	files := map[string]string{}
	for k, v := range out.Files() {
		files[k] = string(v)
	}
	return s, files
}

// strictDecode checks the whole document is well-formed, namespace-correct
// XML by the standard library's strict decoder.
func strictDecode(t *testing.T, doc string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("strict XML decoding: %v", err)
		}
	}
}

// The example site's feed, read back by an independent parser, carries
// every episode's identity and media exactly.
func TestExampleFeedRoundTrip(t *testing.T) {
	t.Parallel()
	s, files := exampleSite(t)
	doc := files["feed.xml"]
	strictDecode(t, doc)
	parsed, err := gofeed.NewParser().ParseString(doc)
	if err != nil {
		t.Fatalf("gofeed: %v", err)
	}
	if len(parsed.Items) != len(s.Episodes) || len(s.Episodes) < 6 {
		t.Fatalf("feed has %d items, site %d episodes", len(parsed.Items), len(s.Episodes))
	}
	// gofeed's universal model drops enclosure length types and some
	// itunes fields, so read the raw RSS model as well.
	raw, err := (&rssparser.Parser{}).Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("gofeed rss: %v", err)
	}
	if raw.ITunesExt == nil || raw.ITunesExt.Explicit != "false" || raw.ITunesExt.Image != s.Config.AbsURL(s.Config.Image) {
		t.Errorf("channel itunes: %+v", raw.ITunesExt)
	}
	for i, ep := range s.Episodes {
		it, rit := parsed.Items[i], raw.Items[i]
		if it.Title != ep.Title {
			t.Errorf("item %d title %q, want %q", i, it.Title, ep.Title)
		}
		if it.GUID != s.FeedGUID(ep) {
			t.Errorf("%s: guid %q, want %q", ep.Slug, it.GUID, s.FeedGUID(ep))
		}
		if it.PublishedParsed == nil || !it.PublishedParsed.Equal(ep.Date.Truncate(time.Second)) {
			t.Errorf("%s: pubDate %v, want %v", ep.Slug, it.PublishedParsed, ep.Date)
		}
		if len(rit.Enclosure.URL) == 0 || rit.Enclosure.URL != ep.Audio.URL || rit.Enclosure.Type != ep.Audio.Type ||
			rit.Enclosure.Length != itoa64(ep.Audio.Length) {
			t.Errorf("%s: enclosure %+v, want %+v", ep.Slug, rit.Enclosure, ep.Audio)
		}
		ext := rit.ITunesExt
		if ext == nil {
			t.Fatalf("%s: no itunes extension", ep.Slug)
		}
		if want := itoa64(int64(ep.Duration.Round(time.Second) / time.Second)); ext.Duration != want {
			t.Errorf("%s: duration %q, want %q", ep.Slug, ext.Duration, want)
		}
		if want := itoaOpt(ep.Number); ext.Episode != want {
			t.Errorf("%s: episode %q, want %q", ep.Slug, ext.Episode, want)
		}
		if want := itoaOpt(ep.Season); ext.Season != want {
			t.Errorf("%s: season %q, want %q", ep.Slug, ext.Season, want)
		}
		if want := map[bool]string{true: "true", false: "false"}[ep.Explicit]; ext.Explicit != want {
			t.Errorf("%s: explicit %q, want %q", ep.Slug, ext.Explicit, want)
		}
		wantImg := ""
		if ep.Image != nil {
			wantImg = s.Config.AbsURL(ep.Image.Src)
		}
		if ext.Image != wantImg {
			t.Errorf("%s: image %q, want %q", ep.Slug, ext.Image, wantImg)
		}
		if ext.EpisodeType != ep.Type {
			t.Errorf("%s: episodeType %q, want %q", ep.Slug, ext.EpisodeType, ep.Type)
		}
		checkPodcastLinks(t, s, files, ep, rit.Extensions["podcast"])
	}
	// The example must exercise what is checked above.
	var timed, chaptered, local int
	for _, ep := range s.Episodes {
		if ep.Transcript != nil && ep.Transcript.Timed() {
			timed++
		}
		if len(ep.Chapters) > 0 {
			chaptered++
		}
		if ep.Audio.File != "" {
			local++
		}
	}
	if timed == 0 || chaptered < 2 || local == 0 {
		t.Errorf("example site has %d timed transcripts, %d episodes with chapters, %d local audio files", timed, chaptered, local)
	}
}

// checkPodcastLinks compares an item's podcast:transcript and
// podcast:chapters, as gofeed read them, with the episode, and checks the
// files they point to were written and parse.
func checkPodcastLinks(t *testing.T, s *site.Site, files map[string]string, ep *site.Episode, px map[string][]ext.Extension) {
	t.Helper()
	var got, want []string
	for _, e := range px["transcript"] {
		got = append(got, e.Attrs["type"]+" "+e.Attrs["url"]+" "+e.Attrs["language"]+" "+e.Attrs["rel"])
	}
	if ep.Transcript != nil {
		want = append(want, "text/html "+s.Config.AbsURL(ep.TranscriptPath())+" en ")
		if ep.Transcript.Timed() {
			want = append(want,
				"application/json "+s.Config.AbsURL(ep.TranscriptJSONPath())+" en ",
				"text/vtt "+s.Config.AbsURL(ep.TranscriptVTTPath())+" en captions")
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: podcast:transcript\n%s\nwant\n%s", ep.Slug, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ep.Transcript != nil && ep.Transcript.Timed() {
		var doc struct {
			Version  string `json:"version"`
			Segments []struct {
				Speaker   string   `json:"speaker"`
				StartTime *float64 `json:"startTime"`
				EndTime   *float64 `json:"endTime"`
				Body      string   `json:"body"`
			} `json:"segments"`
		}
		if err := json.Unmarshal([]byte(files[ep.TranscriptJSONPath()]), &doc); err != nil {
			t.Errorf("%s: %v", ep.TranscriptJSONPath(), err)
		}
		if doc.Version != "1.0.0" || len(doc.Segments) == 0 {
			t.Errorf("%s: version %q, %d segments", ep.TranscriptJSONPath(), doc.Version, len(doc.Segments))
		}
		for i, seg := range doc.Segments {
			if seg.StartTime == nil || seg.EndTime == nil || *seg.EndTime <= *seg.StartTime || seg.Body == "" {
				t.Errorf("%s: segment %d: %+v", ep.TranscriptJSONPath(), i, seg)
			}
		}
		if vtt := files[ep.TranscriptVTTPath()]; !strings.HasPrefix(vtt, "WEBVTT\n") || !strings.Contains(vtt, "<v ") {
			t.Errorf("%s: not WebVTT with voices:\n%s", ep.TranscriptVTTPath(), vtt)
		}
	}
	ch := px["chapters"]
	if len(ep.Chapters) == 0 {
		if len(ch) != 0 {
			t.Errorf("%s: podcast:chapters without chapters", ep.Slug)
		}
		return
	}
	if len(ch) != 1 || ch[0].Attrs["url"] != s.Config.AbsURL(ep.Path()+"chapters.json") || ch[0].Attrs["type"] != "application/json+chapters" {
		t.Errorf("%s: podcast:chapters %+v", ep.Slug, ch)
		return
	}
	var doc struct {
		Version  string `json:"version"`
		Chapters []struct {
			StartTime float64 `json:"startTime"`
			Title     string  `json:"title"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal([]byte(files[ep.Path()+"chapters.json"]), &doc); err != nil {
		t.Errorf("%s chapters.json: %v", ep.Slug, err)
	}
	if doc.Version != "1.2.0" || len(doc.Chapters) != len(ep.Chapters) {
		t.Errorf("%s chapters.json: version %q, %d chapters, want 1.2.0, %d", ep.Slug, doc.Version, len(doc.Chapters), len(ep.Chapters))
	}
	for i, c := range doc.Chapters {
		if c.Title != ep.Chapters[i].Title || c.StartTime != ep.Chapters[i].Start.Seconds() {
			t.Errorf("%s chapter %d: %+v, want %+v", ep.Slug, i, c, ep.Chapters[i])
		}
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func itoaOpt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Hostile text in titles, names and notes survives into every output as
// the same text, escaped; characters XML forbids never reach the feed.
func TestHostileText(t *testing.T) {
	t.Parallel()
	const title = "Q&A <live> ]]> \"quoted\" 'single' 🎙️ Ольга"
	files := sitetest.Build(t, sitetest.Input(siteTOML+`-- content/ep.md --
{
  "title": "Q&A <live> ]]> \"quoted\" 'single' 🎙️ Ольга\u000b\u0000",
  "date": "2024-02-08",
  "summary": "Ends with ]]> and <b>tags</b> & more",
  "guests": ["<script>alert(1)</script>", "Зоя «Ёлка» O'Neil"],
  "audio": {"url": "https://x.org/a.mp3?x=1&y=2", "length": 10, "type": "audio/mpeg"}
}

Notes with ]]> and <b>bold</b> & an emoji 🎧 and a [link](/guests/).
`))
	page := files["episodes/ep/index.html"]
	for _, bad := range []string{"<script>alert(1)</script>", "<live>", "\x0b", "\x00"} {
		if strings.Contains(page, bad) {
			t.Errorf("episode page contains raw %q", bad)
		}
	}
	sitetest.Contains(t, files, "episodes/ep/index.html", "&lt;script&gt;alert(1)&lt;/script&gt;", "Зоя «Ёлка» O&#39;Neil")
	sitetest.Contains(t, files, "guests/index.html", "&lt;script&gt;alert(1)&lt;/script&gt;", "! <script>alert(1)")

	doc := files["feed.xml"]
	strictDecode(t, doc)
	if strings.ContainsAny(doc, "\x0b\x00") {
		t.Error("feed contains characters XML 1.0 forbids")
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader([]byte(doc)))
	if err != nil {
		t.Fatal(err)
	}
	it := f.Items[0]
	if it.Title != title {
		t.Errorf("title round trip: %q, want %q", it.Title, title)
	}
	if it.Description != "Ends with ]]> and <b>tags</b> & more" {
		t.Errorf("description round trip: %q", it.Description)
	}
	if !strings.Contains(it.Content, "Notes with ]]&gt; and  bold") && !strings.Contains(it.Content, "]]&gt;") {
		t.Errorf("content lost the ]]> text: %q", it.Content)
	}
	if !strings.Contains(it.Content, `<a href="https://example.org/guests/">link</a>`) {
		t.Errorf("content links not absolute: %q", it.Content)
	}
	if !strings.Contains(it.Content, "🎧") || strings.Contains(it.Content, "<b>bold</b>") {
		t.Errorf("content: %q", it.Content)
	}
	if len(it.Enclosures) != 1 || it.Enclosures[0].URL != "https://x.org/a.mp3?x=1&y=2" {
		t.Errorf("enclosure: %+v", it.Enclosures)
	}
	persons := strings.Count(doc, `<podcast:person role="guest"`)
	if persons != 2 || !strings.Contains(doc, "&lt;script&gt;alert(1)&lt;/script&gt;</podcast:person>") {
		t.Errorf("guest persons in feed: %d\n%s", persons, doc)
	}
}

// A fixture site that uses every feed tag, pinned as a golden file.
func TestFeedGolden(t *testing.T) {
	t.Parallel()
	in := sitetest.Input(`-- site.toml --
title = "Every Tag"
description = "A show that uses every feed tag."
base_url = "https://example.org/show/"
language = "en-gb"
author = "Ann Host"
copyright = "© 2024 Ann Host"
image = "cover.jpg"
explicit = true
categories = ["News/Politics", "History", "Politics"]
type = "serial"
paginate = 10
[owner]
name = "Ann Host"
email = "ann@example.org"
[[hosts]]
name = "Ann Host"
url = "https://ann.example.org/"
img = "ann.jpg"
[feed]
new_feed_url = "https://feeds.example.org/every-tag.xml"
complete = true
locked = true
guid = "c9f6b3a8-4c1e-5d8e-9f3a-2b7c1d0e4f5a"
license = "CC BY 4.0"
license_url = "https://creativecommons.org/licenses/by/4.0/"
medium = "podcast"
[[feed.funding]]
url = "https://example.org/support"
text = "Support us"
-- content/cover.jpg --
JPEG
-- content/ann.jpg --
JPEG
-- content/ep1.jpg --
JPEG
-- content/01-first.md --
---
title: "First"
date: 2024-01-01T06:00:00-05:00
episode: 1
season: 1
type: trailer
summary: "The trailer."
audio: {url: "https://cdn.example.org/1.mp3", length: 1234567, type: "audio/mpeg"}
duration: "02:05"
---
Welcome.
-- content/02-second.md --
---
title: "Second"
date: 2024-01-08
episode: 2
season: 1
summary: "A conversation."
guid: "every-tag-0002"
guests: [{name: "Gus Guest", url: "https://gus.example.org/", img: "ep1.jpg"}]
image: {src: "ep1.jpg", alt: "A photo"}
audio: {url: "https://cdn.example.org/2.m4a", length: 7654321}
duration: "1:02:03"
explicit: true
tags: [politics]
chapters:
  - {start: "0", title: "Intro"}
  - {start: "10:00", title: "Main", url: "https://example.org/main", img: "ep1.jpg"}
---
See [the first](/episodes/01-first/).
-- content/02-second.transcript.md --
Ann Host: Hello.

Gus Guest: Hi.
-- content/03-third.md --
---
title: "Third"
date: 2024-01-15
episode: 3
season: 1
summary: "A local audio file, captions and chapters in the notes."
audio: {file: "audio/3.mp3"}
guests: ["Gus Guest"]
---
Chapters:

- (00:00) Hello
- (00:01) [The middle](https://example.org/middle)
- (00:02) **The end**
-- content/03-third.vtt --
WEBVTT

00:00.000 --> 00:01.250
<v Ann Host>Hello & welcome.

00:01.250 --> 00:02.000
<v Gus Guest>Hi <i>there</i>.
Good to be here.

00:02.000 --> 00:03.056
<v.loud Ann Host>Bye.</v>
`)
	mp3, err := os.ReadFile("../media/testdata/vbr.mp3") // 3.056327 s (ffprobe), 3615 bytes
	if err != nil {
		t.Fatal(err)
	}
	in.Project.(fstest.MapFS)["content/audio/3.mp3"] = &fstest.MapFile{Data: mp3}
	files := sitetest.Build(t, in)
	sitetest.Golden(t, "feed.golden.xml", files["feed.xml"])
	sitetest.Golden(t, "chapters.golden.json", files["episodes/02-second/chapters.json"])
	sitetest.Golden(t, "chapters-notes.golden.json", files["episodes/03-third/chapters.json"])
	sitetest.Golden(t, "transcript.golden.html", files["episodes/03-third/transcript/index.html"])
	sitetest.Golden(t, "transcript.golden.json", files["episodes/03-third/transcript.json"])
	sitetest.Golden(t, "transcript.golden.vtt", files["episodes/03-third/transcript.vtt"])
	sitetest.Contains(t, files, "feed.xml",
		`<enclosure url="https://example.org/show/audio/3.mp3" length="3615" type="audio/mpeg"></enclosure>`,
		`<itunes:duration>3</itunes:duration>`,
		`<podcast:transcript url="https://example.org/show/episodes/03-third/transcript.vtt" type="text/vtt" language="en-gb" rel="captions"></podcast:transcript>`,
		`<podcast:chapters url="https://example.org/show/episodes/03-third/chapters.json" type="application/json+chapters"></podcast:chapters>`)
	sitetest.Contains(t, files, "episodes/03-third/index.html", `<audio controls preload="none" src="/show/audio/3.mp3"`, `data-start="1"`)
	sitetest.Contains(t, files, "audio/3.mp3")
	strictDecode(t, files["feed.xml"])
	sitetest.Contains(t, files, "tags/politics/feed.xml", "<itunes:block>Yes</itunes:block>", "<title>Every Tag: politics</title>", "every-tag-0002", "! <guid isPermaLink=\"true\">https://example.org/show/episodes/01-first/")
	sitetest.Contains(t, files, "guests/gus-guest/feed.xml", "<title>Every Tag with Gus Guest</title>", "every-tag-0002")
	sitetest.Contains(t, files, "feed.json", `"version": "https://jsonfeed.org/version/1.1"`, `"url": "https://cdn.example.org/2.m4a"`, `"mime_type": "audio/x-m4a"`)
	sitetest.Contains(t, files, "sitemap.xml", "<loc>https://example.org/show/episodes/02-second/</loc>", "<lastmod>2024-01-08</lastmod>", "! 404")
}

// Feed rules map back to the front matter line that breaks them.
func TestFeedRuleErrors(t *testing.T) {
	t.Parallel()
	got := sitetest.BuildErrors(t, sitetest.Input(siteTOML+
		episode("a", "")+
		strings.Replace(episode("b", ""), "https://cdn.example.org/b.mp3", "http://cdn.example.org/b.mp3", 1)+
		strings.Replace(episode("c", ""), "https://cdn.example.org/c.mp3", "https://cdn.example.org/a.mp3", 1)))
	want := []string{
		"content/b.md:5:9: audio.url: enclosure url must use https",
		"content/c.md:5:9: audio.url: enclosure url must be unique (same as item 0)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
