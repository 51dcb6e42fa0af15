package feed

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	gfext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.* files from the current output")

func writeRSS(t *testing.T, ch *Channel) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteRSS(&buf, ch); err != nil {
		t.Fatalf("WriteRSS: %v", err)
	}
	return buf.Bytes()
}

func parseRSS(t *testing.T, b []byte) *rss.Feed {
	t.Helper()
	f, err := (&rss.Parser{}).Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gofeed rss parse: %v\n%s", err, b)
	}
	return f
}

// strictDecode reads every token of b with a strict encoding/xml decoder.
func strictDecode(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestWriteRSSGolden(t *testing.T) {
	t.Parallel()
	got := writeRSS(t, fullChannel())
	path := filepath.Join("testdata", "feed.golden.xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./generator/feed -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("WriteRSS output differs from %s (rerun with -update if intended)\n--- got ---\n%s", path, got)
	}
}

func TestWriteRSSDeterministic(t *testing.T) {
	t.Parallel()
	a := writeRSS(t, fullChannel())
	for i := 0; i < 5; i++ {
		if b := writeRSS(t, fullChannel()); !bytes.Equal(a, b) {
			t.Fatalf("run %d produced different bytes", i)
		}
	}
}

func TestWriteRSSShape(t *testing.T) {
	t.Parallel()
	out := string(writeRSS(t, fullChannel()))
	tests := []struct {
		name, want string
	}{
		{"xml header", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss "},
		{"namespaces", `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">`},
		{"indent", "\n  <channel>\n    <title>"},
		{"atom self", `<atom:link href="https://shownotes.example/feed.xml" rel="self" type="application/rss+xml"></atom:link>`},
		{"explicit channel", "<itunes:explicit>true</itunes:explicit>\n    <itunes:owner>"},
		{"type", "<itunes:type>serial</itunes:type>"},
		{"block", "<itunes:block>Yes</itunes:block>"},
		{"complete", "<itunes:complete>Yes</itunes:complete>"},
		{"new feed url", "<itunes:new-feed-url>https://shownotes.example/feed.xml</itunes:new-feed-url>"},
		{"grouped categories", "<itunes:category text=\"Society &amp; Culture\">\n      <itunes:category text=\"Documentary\"></itunes:category>\n      <itunes:category text=\"Philosophy\"></itunes:category>\n    </itunes:category>"},
		{"guid derived", "<podcast:guid>" + PodcastGUID("https://shownotes.example/feed.xml") + "</podcast:guid>"},
		{"locked", `<podcast:locked owner="jane@shownotes.example">yes</podcast:locked>`},
		{"funding", `<podcast:funding url="https://shownotes.example/members?plan=gold&amp;ref=feed">Become a member</podcast:funding>`},
		{"license", `<podcast:license url="https://creativecommons.org/licenses/by/4.0/">cc-by-4.0</podcast:license>`},
		{"medium", "<podcast:medium>podcast</podcast:medium>"},
		{"person", `<podcast:person role="guest" group="cast" href="https://ivan.example/" img="https://ivan.example/i.jpg">Иван Гость</podcast:person>`},
		{"transcript captions", `<podcast:transcript url="https://shownotes.example/episodes/2/transcript.vtt" type="text/vtt" rel="captions"></podcast:transcript>`},
		{"transcript language", `<podcast:transcript url="https://shownotes.example/episodes/2/transcript.html" type="text/html" language="en"></podcast:transcript>`},
		{"chapters default type", `<podcast:chapters url="https://shownotes.example/episodes/2/chapters.json" type="application/json+chapters"></podcast:chapters>`},
		{"guid not permalink", `<guid isPermaLink="false">urn:uuid:6f0f5c4e-7a4d-4d8e-9a43-2f9c1d0b7e11</guid>`},
		{"guid permalink", `<guid isPermaLink="true">https://shownotes.example/episodes/1/</guid>`},
		{"duration rounded", "<itunes:duration>3724</itunes:duration>"},
		{"podcast episode", "<podcast:episode>2</podcast:episode>"},
		{"podcast season", "<podcast:season>1</podcast:season>"},
		{"episode type", "<itunes:episodeType>trailer</itunes:episodeType>"},
		{"explicit item false", "<itunes:explicit>false</itunes:explicit>"},
		{"pubDate zone kept", "<pubDate>Mon, 06 May 2024 07:08:09 -0700</pubDate>"},
		{"pubDate utc", "<pubDate>Mon, 29 Apr 2024 18:30:00 +0000</pubDate>"},
		{"lastBuildDate", "<lastBuildDate>Mon, 06 May 2024 07:08:09 -0700</lastBuildDate>"},
		{"content cdata", "<content:encoded><![CDATA[<p>Links:"},
		{"tags", "<category>feeds</category>"},
		{"trailing newline", "</rss>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(out, tt.want) {
				t.Errorf("output lacks %q", tt.want)
			}
		})
	}
}

func TestWriteRSSStrictXML(t *testing.T) {
	t.Parallel()
	b := writeRSS(t, fullChannel())
	if err := strictDecode(b); err != nil {
		t.Fatalf("strict decode: %v", err)
	}

	// Decode by namespace URI, not prefix: the prefixes must be bound to the
	// right namespaces.
	var doc struct {
		Channel struct {
			GUID string `xml:"https://podcastindex.org/namespace/1.0 guid"`
			Type string `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd type"`
			Self struct {
				Href string `xml:"href,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
			Items []struct {
				Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	if err := d.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	ch := fullChannel()
	if doc.Channel.GUID != PodcastGUID(ch.FeedURL) || doc.Channel.Type != "serial" || doc.Channel.Self.Href != ch.FeedURL {
		t.Errorf("namespaced channel values: %+v", doc.Channel)
	}
	if len(doc.Channel.Items) != 2 || doc.Channel.Items[0].Content != ch.Items[0].ContentHTML {
		t.Errorf("content:encoded = %+v, want %q", doc.Channel.Items, ch.Items[0].ContentHTML)
	}
}

func TestWriteRSSGofeedRoundTrip(t *testing.T) {
	t.Parallel()
	ch := fullChannel()
	f := parseRSS(t, writeRSS(t, ch))

	if f.Version != "2.0" {
		t.Errorf("version = %q", f.Version)
	}
	chanChecks := []struct{ name, got, want string }{
		{"title", f.Title, ch.Title},
		{"link", f.Link, ch.Link},
		{"description", f.Description, ch.Description},
		{"language", f.Language, ch.Language},
		{"copyright", f.Copyright, ch.Copyright},
		{"generator", f.Generator, ch.Generator},
		{"image url", f.Image.URL, ch.ImageURL},
		{"image title", f.Image.Title, ch.Title},
		{"image link", f.Image.Link, ch.Link},
		{"itunes:author", f.ITunesExt.Author, ch.Author},
		{"itunes:image", f.ITunesExt.Image, ch.ImageURL},
		{"itunes:explicit", f.ITunesExt.Explicit, "true"},
		{"itunes:type", f.ITunesExt.Type, "serial"},
		{"itunes:owner name", f.ITunesExt.Owner.Name, ch.OwnerName},
		{"itunes:owner email", f.ITunesExt.Owner.Email, ch.OwnerEmail},
		{"itunes:new-feed-url", f.ITunesExt.NewFeedURL, ch.NewFeedURL},
		{"itunes:block", f.ITunesExt.Block, "Yes"},
		{"itunes:complete", f.ITunesExt.Complete, "Yes"},
		{"category 0", f.ITunesExt.Categories[0].Text, "Technology"},
		{"category 1", f.ITunesExt.Categories[1].Text, "Society & Culture"},
		{"category 1 sub", f.ITunesExt.Categories[1].Subcategory.Text, "Documentary"},
		{"podcast:guid", ext(f.Extensions, "guid", 0).Value, PodcastGUID(ch.FeedURL)},
		{"podcast:locked", ext(f.Extensions, "locked", 0).Value, "yes"},
		{"podcast:locked owner", ext(f.Extensions, "locked", 0).Attrs["owner"], ch.LockedOwner},
		{"podcast:funding url", ext(f.Extensions, "funding", 1).Attrs["url"], ch.Funding[1].URL},
		{"podcast:funding text", ext(f.Extensions, "funding", 1).Value, ch.Funding[1].Text},
		{"podcast:person", ext(f.Extensions, "person", 0).Value, ch.Persons[0].Name},
		{"podcast:person img", ext(f.Extensions, "person", 0).Attrs["img"], ch.Persons[0].Img},
		{"podcast:license", ext(f.Extensions, "license", 0).Value, ch.License},
		{"podcast:license url", ext(f.Extensions, "license", 0).Attrs["url"], ch.LicenseURL},
		{"podcast:medium", ext(f.Extensions, "medium", 0).Value, "podcast"},
	}
	for _, c := range chanChecks {
		if c.got != c.want {
			t.Errorf("channel %s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if f.LastBuildDateParsed == nil || !f.LastBuildDateParsed.Equal(date2.Truncate(time.Second)) {
		t.Errorf("lastBuildDate = %v, want %v", f.LastBuildDateParsed, date2.Truncate(time.Second))
	}

	if len(f.Items) != len(ch.Items) {
		t.Fatalf("got %d items, want %d", len(f.Items), len(ch.Items))
	}
	for i, want := range ch.Items {
		got := f.Items[i]
		t.Run(want.GUID, func(t *testing.T) {
			t.Parallel()
			checks := []struct{ name, got, want string }{
				{"title", got.Title, want.Title},
				{"link", got.Link, want.Link},
				{"guid", got.GUID.Value, want.GUID},
				{"guid isPermaLink", got.GUID.IsPermalink, strconv.FormatBool(want.GUIDIsPermaLink)},
				{"description", got.Description, want.Description},
				{"content", got.Content, want.ContentHTML},
				{"enclosure url", got.Enclosure.URL, want.Enclosure.URL},
				{"enclosure length", got.Enclosure.Length, strconv.FormatInt(want.Enclosure.Length, 10)},
				{"enclosure type", got.Enclosure.Type, want.Enclosure.Type},
				{"duration", got.ITunesExt.Duration, strconv.Itoa(int(want.Duration.Round(time.Second).Seconds()))},
				{"episode", got.ITunesExt.Episode, strconv.Itoa(want.Episode)},
				{"season", got.ITunesExt.Season, strconv.Itoa(want.Season)},
				{"episodeType", got.ITunesExt.EpisodeType, want.EpisodeType},
				{"explicit", got.ITunesExt.Explicit, strconv.FormatBool(want.Explicit)},
				{"image", got.ITunesExt.Image, want.ImageURL},
				{"podcast:episode", ext(got.Extensions, "episode", 0).Value, strconv.Itoa(want.Episode)},
				{"podcast:season", ext(got.Extensions, "season", 0).Value, strconv.Itoa(want.Season)},
				{"podcast:chapters url", ext(got.Extensions, "chapters", 0).Attrs["url"], want.Chapters.URL},
				{"podcast:chapters type", ext(got.Extensions, "chapters", 0).Attrs["type"], DefaultChaptersType},
			}
			for k, p := range want.Persons {
				e := ext(got.Extensions, "person", k)
				checks = append(checks,
					struct{ name, got, want string }{"person name", e.Value, p.Name},
					struct{ name, got, want string }{"person role", e.Attrs["role"], p.Role},
					struct{ name, got, want string }{"person group", e.Attrs["group"], p.Group},
					struct{ name, got, want string }{"person href", e.Attrs["href"], p.Href},
					struct{ name, got, want string }{"person img", e.Attrs["img"], p.Img},
				)
			}
			for k, tr := range want.Transcripts {
				e := ext(got.Extensions, "transcript", k)
				checks = append(checks,
					struct{ name, got, want string }{"transcript url", e.Attrs["url"], tr.URL},
					struct{ name, got, want string }{"transcript type", e.Attrs["type"], tr.Type},
					struct{ name, got, want string }{"transcript language", e.Attrs["language"], tr.Language},
					struct{ name, got, want string }{"transcript rel", e.Attrs["rel"], tr.Rel},
				)
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
				}
			}
			wantDate := want.PubDate.Truncate(time.Second)
			if got.PubDateParsed == nil || !got.PubDateParsed.Equal(wantDate) {
				t.Errorf("pubDate = %v, want %v", got.PubDateParsed, wantDate)
			}
			var tags []string
			for _, c := range got.Categories {
				tags = append(tags, c.Value)
			}
			if !reflect.DeepEqual(tags, want.Tags) {
				t.Errorf("categories = %q, want %q", tags, want.Tags)
			}
		})
	}
}

// ext returns the i-th podcast: extension element called name, or a zero
// value.
func ext(e gfext.Extensions, name string, i int) gfext.Extension {
	list := e["podcast"][name]
	if i >= len(list) {
		return gfext.Extension{}
	}
	return list[i]
}

func TestWriteRSSHostileText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"ampersand", "Tom & Jerry && more", "Tom & Jerry && more"},
		{"angle brackets", "<b>not bold</b> a<b>c", "<b>not bold</b> a<b>c"},
		{"cdata end", "x ]]> y ]]]]> z ]]", "x ]]> y ]]]]> z ]]"},
		{"cdata start", "<![CDATA[ inner ]]>", "<![CDATA[ inner ]]>"},
		{"quotes", `"double" and 'single'`, `"double" and 'single'`},
		{"entities stay literal", "&amp; &#x41; &lt;", "&amp; &#x41; &lt;"},
		{"emoji", "🎙️ Podcast 👩🏽‍💻 🇺🇦", "🎙️ Podcast 👩🏽‍💻 🇺🇦"},
		{"cyrillic", "Привет, мир — выпуск №1", "Привет, мир — выпуск №1"},
		{"control characters", "A\x00B\x0bC\x1bD\x7fE\u0085F", "ABCDEF"},
		{"noncharacters", "x\uFFFEy\uFFFFz", "xyz"},
		{"lone surrogate and bad utf-8", "a\xed\xa0\x80b\xffc", "abc"},
		{"tab newline cr kept", "a\tb\nc", "a\tb\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := fullChannel()
			ch.Title = tt.in
			ch.Persons[0].Name = tt.in
			ch.Funding[0].Text = tt.in
			it := &ch.Items[0]
			it.Title = tt.in
			it.Description = tt.in
			it.ContentHTML = "<p>" + tt.in + "</p>"
			it.Persons[1].Name = tt.in
			it.Tags = []string{tt.in}

			b := writeRSS(t, ch)
			assertXMLSafe(t, b)
			if err := strictDecode(b); err != nil {
				t.Fatalf("strict decode: %v\n%s", err, b)
			}
			f := parseRSS(t, b)
			got := f.Items[0]
			checks := []struct{ name, got, want string }{
				{"channel title", f.Title, tt.want},
				{"channel person", ext(f.Extensions, "person", 0).Value, tt.want},
				{"funding text", ext(f.Extensions, "funding", 0).Value, tt.want},
				{"item title", got.Title, tt.want},
				{"item description", got.Description, tt.want},
				{"content", got.Content, "<p>" + tt.want + "</p>"},
				{"item person", ext(got.Extensions, "person", 1).Value, tt.want},
				{"tag", got.Categories[0].Value, tt.want},
			}
			for _, c := range checks {
				// gofeed trims surrounding white space; the values above
				// have none.
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
				}
			}
		})
	}
}

// TestWriteRSSEveryStringCleaned puts forbidden characters into every
// string field of the channel (found by reflection, so new fields are
// covered too) and checks that none reaches the output.
func TestWriteRSSEveryStringCleaned(t *testing.T) {
	t.Parallel()
	const bad = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\u0080\u009f\uFFFE\uFFFF\xed\xa0\x80\xff"
	ch := fullChannel()
	poison(reflect.ValueOf(ch).Elem(), bad)

	var rssBuf, jsonBuf bytes.Buffer
	if err := WriteRSS(&rssBuf, ch); err != nil {
		t.Fatal(err)
	}
	assertXMLSafe(t, rssBuf.Bytes())
	if err := strictDecode(rssBuf.Bytes()); err != nil {
		t.Fatalf("strict decode: %v", err)
	}
	parseRSS(t, rssBuf.Bytes())

	if err := WriteJSONFeed(&jsonBuf, ch); err != nil {
		t.Fatal(err)
	}
	if s := jsonBuf.String(); strings.Contains(s, `\u00`) || !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		t.Errorf("json feed carries forbidden characters:\n%s", s)
	}

	var smBuf bytes.Buffer
	if err := WriteSitemap(&smBuf, []SitemapURL{{Loc: "https://x.example/a" + bad}}); err != nil {
		t.Fatal(err)
	}
	assertXMLSafe(t, smBuf.Bytes())
}

// poison appends bad to every settable string reachable from v.
func poison(v reflect.Value, bad string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + bad)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				poison(v.Field(i), bad)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			poison(v.Index(i), bad)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			poison(v.Elem(), bad)
		}
	}
}

// assertXMLSafe fails if b is not valid UTF-8 or contains a character
// that XML 1.0 forbids or that clean removes. U+FFFD is rejected too: the
// inputs never contain it, so seeing it would mean encoding/xml replaced a
// character we failed to strip.
func assertXMLSafe(t *testing.T, b []byte) {
	t.Helper()
	if !utf8.Valid(b) {
		t.Fatalf("output is not valid UTF-8")
	}
	for i, r := range string(b) {
		if r == utf8.RuneError || !allowedRune(r, utf8.RuneLen(r)) {
			t.Fatalf("output has forbidden character %U at byte %d", r, i)
		}
	}
	for _, ref := range []string{"&#x0;", "&#0;", "&#x1B;", "&#xB;", "&#xFFFE;", "&#xFFFD;"} {
		if bytes.Contains(b, []byte(ref)) {
			t.Fatalf("output has character reference %s", ref)
		}
	}
}

func TestWriteRSSDescriptionTruncated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
	}{
		{"ascii", strings.Repeat("a", 5000)},
		{"two-byte", strings.Repeat("ж", 3000)},
		{"four-byte", strings.Repeat("🎙", 1500)},
		{"mixed offset", "x" + strings.Repeat("€", 2000)},
		{"exactly max", strings.Repeat("b", MaxDescriptionBytes)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := fullChannel()
			ch.Description = tt.in
			ch.Items[0].Description = tt.in
			f := parseRSS(t, writeRSS(t, ch))
			for _, got := range []string{f.Description, f.Items[0].Description} {
				if len(got) > MaxDescriptionBytes {
					t.Errorf("description is %d bytes", len(got))
				}
				if !utf8.ValidString(got) {
					t.Errorf("description is not valid UTF-8")
				}
				if len(tt.in) <= MaxDescriptionBytes {
					if got != tt.in {
						t.Errorf("description of %d bytes was changed", len(tt.in))
					}
					continue
				}
				if !strings.HasSuffix(got, "…") || !strings.HasPrefix(tt.in, strings.TrimSuffix(got, "…")) {
					t.Errorf("truncated description %q… is not a prefix of the input plus an ellipsis", got[:20])
				}
			}
		})
	}
}

func TestWriteRSSRejectsZeroLengthEnclosure(t *testing.T) {
	t.Parallel()
	for _, length := range []int64{0, -1} {
		ch := fullChannel()
		ch.Items[1].Enclosure.Length = length
		var buf bytes.Buffer
		err := WriteRSS(&buf, ch)
		if err == nil || !strings.Contains(err.Error(), "enclosure length must be greater than 0") {
			t.Errorf("length %d: err = %v", length, err)
		}
		if buf.Len() != 0 {
			t.Errorf("length %d: wrote %d bytes despite the error", length, buf.Len())
		}
		buf.Reset()
		if err := WriteJSONFeed(&buf, ch); err == nil || buf.Len() != 0 {
			t.Errorf("length %d: WriteJSONFeed err = %v, wrote %d bytes", length, err, buf.Len())
		}
	}
}

func TestWriteRSSNilChannel(t *testing.T) {
	t.Parallel()
	if err := WriteRSS(io.Discard, nil); err == nil {
		t.Error("WriteRSS(nil) succeeded")
	}
	if err := WriteJSONFeed(io.Discard, nil); err == nil {
		t.Error("WriteJSONFeed(nil) succeeded")
	}
}

func TestWriteRSSDefaults(t *testing.T) {
	t.Parallel()
	min := &Channel{
		Title:       "Min",
		Link:        "https://min.example/",
		Description: "d",
		Items: []Item{
			{Title: "old", GUID: "1", PubDate: date1},
			{Title: "new", GUID: "2", PubDate: date2},
			{Title: "undated", GUID: "3"},
		},
	}
	out := string(writeRSS(t, min))
	tests := []struct {
		name, text string
		present    bool
	}{
		{"lastBuildDate from newest item", "<lastBuildDate>" + RFC2822(date2) + "</lastBuildDate>", true},
		{"type episodic", "<itunes:type>episodic</itunes:type>", true},
		{"explicit false", "<itunes:explicit>false</itunes:explicit>", true},
		{"medium podcast", "<podcast:medium>podcast</podcast:medium>", true},
		{"locked no", "<podcast:locked>no</podcast:locked>", true},
		{"no podcast:guid without feed url", "<podcast:guid>", false},
		{"no atom:link without feed url", "<atom:link", false},
		{"no enclosure without url", "<enclosure", false},
		{"no block", "<itunes:block>", false},
		{"no complete", "<itunes:complete>", false},
		{"no image", "<image>", false},
		{"no owner", "<itunes:owner>", false},
		{"no license", "<podcast:license", false},
		{"no duration", "<itunes:duration>", false},
		{"no episode", "<itunes:episode>", false},
		{"no content", "<content:encoded>", false},
		{"undated item has no pubDate", "<title>undated</title>\n      <guid isPermaLink=\"false\">3</guid>\n      <itunes:explicit>", true},
	}
	for _, tt := range tests {
		if strings.Contains(out, tt.text) != tt.present {
			t.Errorf("%s: contains(%q) = %v\n%s", tt.name, tt.text, !tt.present, out)
		}
	}
	if err := strictDecode([]byte(out)); err != nil {
		t.Fatal(err)
	}

	explicitGUID := fullChannel()
	explicitGUID.PodcastGUID = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
	if s := string(writeRSS(t, explicitGUID)); !strings.Contains(s, "<podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>") {
		t.Error("explicit PodcastGUID not written")
	}
}

func TestRFC2822(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC), "Mon, 02 Jan 2006 15:04:05 +0000"},
		{time.Date(2006, 1, 2, 15, 4, 5, 999999999, time.UTC), "Mon, 02 Jan 2006 15:04:05 +0000"},
		{time.Date(2024, 5, 6, 7, 8, 9, 0, tzMinus7), "Mon, 06 May 2024 07:08:09 -0700"},
		{time.Date(2024, 12, 31, 23, 59, 59, 0, time.FixedZone("IST", 5*3600+1800)), "Tue, 31 Dec 2024 23:59:59 +0530"},
		{time.Date(2025, 3, 9, 1, 2, 3, 0, time.FixedZone("", 0)), "Sun, 09 Mar 2025 01:02:03 +0000"},
	}
	for _, tt := range tests {
		if got := RFC2822(tt.in); got != tt.want {
			t.Errorf("RFC2822(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if _, err := time.Parse(time.RFC1123Z, tt.want); err != nil {
			t.Errorf("%q does not parse as RFC1123Z: %v", tt.want, err)
		}
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"a\tb\nc\rd", "a\tb\nc\rd"},
		{"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x1f", ""},
		{"x\x7fy\u0080z\u009f!", "xyz!"},
		{"\uFFFE\uFFFF\uFFFD", "\uFFFD"},
		{"ok\xed\xa0\x80\xed\xbf\xbfok", "okok"},
		{"truncated \xe2\x82", "truncated "},
		{"😀\U0010FFFF\uE000\uD7FF", "😀\U0010FFFF\uE000\uD7FF"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The ASCII fast paths keep exactly what allowedRune keeps, at every
	// place in an eight-byte word.
	for c := 0; c < 0x100; c++ {
		for at := range 17 {
			pad := strings.Repeat("x", at)
			in, want := pad+string([]byte{byte(c)})+"y"+pad, pad+"y"+pad
			if r, size := utf8.DecodeRuneInString(in[at:]); allowedRune(r, size) {
				want = in
			}
			if got := clean(in); got != want {
				t.Errorf("clean(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

func TestPrintableASCII8(t *testing.T) {
	t.Parallel()
	for c := 0; c < 0x100; c++ {
		for at := range 8 {
			w := []byte("abcdefgh")
			w[at] = byte(c)
			want := c >= 0x20 && c < 0x7f
			if got := printableASCII8(binary.LittleEndian.Uint64(w)); got != want {
				t.Errorf("printableASCII8(%q) = %v, want %v", w, got, want)
			}
		}
	}
}
