package importer

import (
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Tue, 05 Mar 2024 06:30:15 -0500":      "2024-03-05T06:30:15-05:00",
		"Tue, 5 Mar 2024 06:30:15 +0530":       "2024-03-05T06:30:15+05:30",
		"05 Mar 2024 06:30:15 GMT":             "2024-03-05T06:30:15Z",
		"Fri, 20 Aug 2021 20:23:55 GMT":        "2021-08-20T20:23:55Z",
		"Thu, 07 Mar 2024 10:00:00 EST":        "2024-03-07T10:00:00-05:00",
		"Sun, 07 Jul 2024 10:00:00 PDT":        "2024-07-07T10:00:00-07:00",
		"Tue, 18 May 2021 13:49:20 -0000":      "2021-05-18T13:49:20Z",
		"Tue, 05 Mar 2024 06:30 -0500":         "2024-03-05T06:30:00-05:00",
		"Tue, 05 March 2024 06:30:15 UT":       "2024-03-05T06:30:15Z",
		"Thu, 05 Sept 2024 06:30:15 Z":         "2024-09-05T06:30:15Z",
		"Tue, 05 Mar 2024 06:30:15":            "2024-03-05T06:30:15Z",
		"2024-03-05T06:30:15.25-05:00":         "2024-03-05T06:30:15-05:00",
		"  Tue,  05 Mar 2024\n06:30:15 -0500 ": "2024-03-05T06:30:15-05:00",
	} {
		got, err := parseDate(in)
		if err != nil || formatDate(got) != want {
			t.Errorf("parseDate(%q) = %s, %v; want %s", in, formatDate(got), err, want)
		}
	}
	for in, want := range map[string]string{
		"":                               "no pubDate",
		"yesterday":                      `cannot read pubDate "yesterday"`,
		"Tue, 05 Mar 2024 06:30:15 XYZT": `unknown time zone "XYZT" in pubDate "Tue, 05 Mar 2024 06:30:15 XYZT"`,
	} {
		if _, err := parseDate(in); err == nil || err.Error() != want {
			t.Errorf("parseDate(%q): error %v, want %q", in, err, want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"1:02:03": "01:02:03", "01:02:03": "01:02:03", "12:34": "00:12:34", "95": "00:01:35",
		"3600": "01:00:00", "75:30": "01:15:30", "1234.6": "00:20:35", "0:59.4": "00:00:59", "100:00:00": "100:00:00",
	} {
		d, err := parseDuration(in)
		if err != nil || formatDuration(d) != want {
			t.Errorf("parseDuration(%q) = %s, %v; want %s", in, formatDuration(d), err, want)
		}
	}
	for _, in := range []string{"", "soon", "1:2:3:4", "-5", "1::2", "12.5:00", "1e3"} {
		if _, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) accepted", in)
		}
	}
}

func TestParseExplicit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{"yes": true, "Yes": true, "true": true, "explicit": true, "no": false, "No": false, "clean": false, "false": false} {
		if got, ok := parseExplicit(in); !ok || got != want {
			t.Errorf("parseExplicit(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := parseExplicit("maybe"); ok {
		t.Error("parseExplicit(maybe) accepted")
	}
}

func TestShorten(t *testing.T) {
	t.Parallel()
	if got := shorten("short", 10); got != "short" {
		t.Errorf("%q", got)
	}
	if got := shorten("one two three four", 12); got != "one two…" {
		t.Errorf("%q", got)
	}
	if got := shorten("Ольга Воронцова говорит", 20); got != "Ольга…" || len(got) > 20 {
		t.Errorf("%q (%d bytes)", got, len(got))
	}
	long := strings.Repeat("x", 50)
	if got := shorten(long, 20); got != strings.Repeat("x", 17)+"…" {
		t.Errorf("one long word: %q", got)
	}
}

func TestSanitizeAndPlainText(t *testing.T) {
	t.Parallel()
	if got := line("A\x00B\x1bC\u0085D\ufffeE\r\nF\tG"); got != "ABCDE F G" {
		t.Errorf("line: %q", got)
	}
	if got := sanitize("a\r\nb\rc\xffd"); got != "a\nb\ncd" {
		t.Errorf("sanitize: %q", got)
	}
	if got := plainText(`<p>One &amp; <b>two</b></p><script>x()</script><ul><li>three</li></ul>`); got != "One & two three" {
		t.Errorf("plainText: %q", got)
	}
	if got := plainText("5 < 6 and AT&T"); got != "5 < 6 and AT&T" {
		t.Errorf("plainText of text: %q", got)
	}
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	got, err := markdown(`<h3>Links</h3><ol><li><a href="https://a.example/">A</a></li><li><em>B</em> and <strong>C</strong></li></ol>`+
		`<p style="color:red">See <a href="notes.html">notes</a>.</p><iframe src="https://evil.example/"></iframe><p>&nbsp;</p>`, "https://old.example.com/show/")
	want := "### Links\n\n1. [A](https://a.example/)\n2. *B* and **C**\n\nSee [notes](https://old.example.com/show/notes.html)."
	if err != nil || got != want {
		t.Errorf("markdown:\n%s\nwant:\n%s (%v)", got, want, err)
	}
	got, _ = markdown("Line one\nline two\n\n* not a list\n# not a heading", "")
	want = "Line one\\\nline two\n\n\\* not a list\\\n\\# not a heading"
	if got != want {
		t.Errorf("plain text:\n%q\nwant:\n%q", got, want)
	}
	got = tidyMarkdown("a  \nb\n\n\n\n   \n```\nx  \n\n\n  y\n```\nc   \n\nd")
	want = "a\\\nb\n\n```\nx  \n\n\n  y\n```\nc\n\nd"
	if got != want {
		t.Errorf("tidy:\n%q\nwant:\n%q", got, want)
	}
}

func TestUniqueSlug(t *testing.T) {
	t.Parallel()
	used := map[string]bool{"intro": true, "intro-2": true}
	none := func(string) bool { return false }
	for title, want := range map[string]string{
		"Intro":                     "intro-3",
		"../../etc/passwd":          "etc-passwd",
		"/":                         "episode",
		"..":                        "episode",
		"Ольга Воронцова":           "olga-vorontsova",
		"🎙️":                        "episode",
		strings.Repeat("word ", 40): "word-word-word-word-word-word-word-word-word-word-word-word-word-word-word-word",
	} {
		got := uniqueSlug(title, used, none)
		if got != want || strings.Contains(got, "/") || strings.Contains(got, "..") || len(got) > MaxSlugBytes {
			t.Errorf("uniqueSlug(%q) = %q, want %q", title, got, want)
		}
	}
	taken := func(p string) bool { return p == EpisodesDir+"/news.md" }
	if got := uniqueSlug("News", map[string]bool{}, taken); got != "news-2" {
		t.Errorf("file exists: %q", got)
	}
}

func TestParseKeepsFieldsApart(t *testing.T) {
	t.Parallel()
	f, err := Parse([]byte(`<rss version="2.0" xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd" xmlns:gp="http://www.google.com/schemas/play-podcasts/1.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Show</title><itunes:title>Not the title</itunes:title><gp:description>Not this</gp:description><description>Right</description>
<item><media:title>wrong</media:title><title>Item &amp; co&nbsp;</title><itunes:title>also wrong</itunes:title><itunes:duration>10:00</itunes:duration></item>
</channel></rss>`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Show" || f.Description != "Right" || len(f.Items) != 1 || f.Items[0].Title != "Item & co" || f.Items[0].Duration != "10:00" {
		t.Errorf("%+v", f)
	}
}

func TestParseEncodings(t *testing.T) {
	t.Parallel()
	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel><title>Caf\xe9</title></channel></rss>"
	f, err := Parse([]byte(latin1))
	if err != nil || f.Title != "Café" {
		t.Errorf("latin-1: %v, %+v", err, f)
	}
	f, err = Parse([]byte("\ufeff<rss version=\"2.0\"><channel><title>BOM</title></channel></rss>"))
	if err != nil || f.Title != "BOM" {
		t.Errorf("BOM: %v, %+v", err, f)
	}
}
