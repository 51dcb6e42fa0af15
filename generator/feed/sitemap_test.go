package feed

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestWriteSitemap(t *testing.T) {
	t.Parallel()
	urls := []SitemapURL{
		{Loc: "https://shownotes.example/", LastMod: date2},
		{Loc: "https://shownotes.example/episodes/1/?ref=a&b=<c>", LastMod: date1},
		{Loc: "https://shownotes.example/about/"},
		{Loc: "https://shownotes.example/late/", LastMod: time.Date(2024, 1, 31, 23, 30, 0, 0, tzMinus7)},
	}
	var buf bytes.Buffer
	if err := WriteSitemap(&buf, urls); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !strings.HasPrefix(string(b), xml.Header+`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`) {
		t.Errorf("unexpected start:\n%s", b)
	}
	if err := strictDecode(b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
			LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	wantMod := []string{"2024-05-06", "2024-04-29", "", "2024-01-31"}
	if len(doc.URLs) != len(urls) {
		t.Fatalf("got %d urls", len(doc.URLs))
	}
	for i, u := range doc.URLs {
		if u.Loc != urls[i].Loc {
			t.Errorf("url %d loc = %q, want %q", i, u.Loc, urls[i].Loc)
		}
		if p, err := url.Parse(u.Loc); err != nil || !p.IsAbs() || p.Host == "" {
			t.Errorf("url %d loc %q is not absolute", i, u.Loc)
		}
		if u.LastMod != wantMod[i] {
			t.Errorf("url %d lastmod = %q, want %q", i, u.LastMod, wantMod[i])
		}
	}
	if strings.Contains(string(b), "<lastmod></lastmod>") {
		t.Error("empty lastmod written")
	}
}

func TestWriteSitemapErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		urls []SitemapURL
		ok   bool
	}{
		{"empty", nil, true},
		{"relative", []SitemapURL{{Loc: "/about/"}}, false},
		{"no scheme", []SitemapURL{{Loc: "shownotes.example/about/"}}, false},
		{"ftp", []SitemapURL{{Loc: "ftp://shownotes.example/"}}, false},
		{"empty loc", []SitemapURL{{Loc: ""}}, false},
		{"too many", make([]SitemapURL, MaxSitemapURLs+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := WriteSitemap(&buf, tt.urls)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok && buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
			if tt.ok && strictDecode(buf.Bytes()) != nil {
				t.Errorf("invalid xml:\n%s", buf.Bytes())
			}
		})
	}
}
