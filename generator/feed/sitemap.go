package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// SitemapNamespace is the sitemaps.org 0.9 namespace.
const SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9"

// MaxSitemapURLs is the sitemaps.org limit of URLs in one sitemap file.
const MaxSitemapURLs = 50000

// SitemapURL is one <url> of a sitemap. Loc must be an absolute http(s)
// URL; a zero LastMod omits <lastmod>.
type SitemapURL struct {
	Loc     string
	LastMod time.Time
}

type xURLSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []xURL   `xml:"url"`
}

type xURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// WriteSitemap writes urls, in the given order, as an indented
// sitemaps.org 0.9 sitemap. lastmod is the W3C date (YYYY-MM-DD) of
// LastMod in its own time zone. It returns an error, and writes nothing,
// if a Loc is not an absolute http(s) URL or there are more than
// MaxSitemapURLs URLs.
func WriteSitemap(w io.Writer, urls []SitemapURL) error {
	if len(urls) > MaxSitemapURLs {
		return fmt.Errorf("feed: sitemap has %d urls, more than the limit of %d", len(urls), MaxSitemapURLs)
	}
	set := xURLSet{URLs: make([]xURL, 0, len(urls))}
	for i, u := range urls {
		loc := clean(u.Loc)
		if !isAbsoluteURL(loc) {
			return fmt.Errorf("feed: sitemap url %d: loc %q is not an absolute http(s) url", i, u.Loc)
		}
		x := xURL{Loc: loc}
		if !u.LastMod.IsZero() {
			x.LastMod = u.LastMod.Format(time.DateOnly)
		}
		set.URLs = append(set.URLs, x)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(set); err != nil {
		return fmt.Errorf("feed: encode sitemap: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("feed: encode sitemap: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}
