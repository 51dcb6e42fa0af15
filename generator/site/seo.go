package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"time"
)

// What search engines and link previews read: Open Graph and Twitter card
// data (as Page methods the base template uses), the feeds a page
// announces, and schema.org JSON-LD.

// absAsset turns a front matter asset path into an absolute URL.
func absAsset(cfg *Config, p string) string {
	if p == "" || strings.Contains(p, "://") {
		return p
	}
	return cfg.AbsURL(p)
}

// PageImage is the picture a link preview shows for a page.
type PageImage struct {
	URL string // absolute
	Alt string
	// Large is true for an episode's own photo (a wide picture worth a
	// summary_large_image card); the square show artwork is not.
	Large bool
}

// Image is the page's preview picture: the episode photo, else the guest's
// portrait on a guest page, else the show's artwork; nil if there is none.
func (p *Page) Image() *PageImage {
	if p.Episode != nil && p.Episode.Image != nil {
		return &PageImage{URL: absAsset(p.Config, p.Episode.Image.Src), Alt: p.Episode.Image.Alt, Large: true}
	}
	if p.Person != nil && p.Person.Img != "" {
		return &PageImage{URL: absAsset(p.Config, p.Person.Img), Alt: "Portrait of " + p.Person.Name}
	}
	if p.Config.Image != "" {
		return &PageImage{URL: absAsset(p.Config, p.Config.Image), Alt: p.Config.Title}
	}
	return nil
}

// jsonLD is the template function jsonld: the page's schema.org data as
// JSON for a <script type="application/ld+json"> element, or "" for pages
// that have none. encoding/json escapes <, > and & (and U+2028/U+2029) as
// \u003c and so on, so no value can end the script element early; the
// result is therefore safe as template.JS.
func jsonLD(p *Page) (template.JS, error) {
	var doc any
	switch {
	case p.Kind == "episode" && p.Episode != nil:
		doc = episodeLD(p.Config, p.Episode)
	case p.Kind == "home" && (p.Pager == nil || p.Pager.Number <= 1):
		doc = seriesLD(p.Config, p.Site)
	default:
		return "", nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("jsonld: %w", err)
	}
	return template.JS(bytes.TrimSpace(buf.Bytes())), nil
}

// ldThing is the common shape of the schema.org objects written here;
// field order is the output order.
type ldThing struct {
	Context     string `json:"@context,omitempty"`
	Type        string `json:"@type"`
	ID          string `json:"@id,omitempty"`
	Name        string `json:"name,omitempty"`
	URL         string `json:"url,omitempty"`
	Description string `json:"description,omitempty"`
	Image       string `json:"image,omitempty"`
	SameAs      string `json:"sameAs,omitempty"`
}

type ldSeries struct {
	ldThing
	InLanguage string     `json:"inLanguage,omitempty"`
	WebFeed    string     `json:"webFeed,omitempty"`
	Author     []ldPerson `json:"author,omitempty"`
	Copyright  string     `json:"copyrightNotice,omitempty"`
}

type ldPerson = ldThing

type ldEpisode struct {
	ldThing
	DatePublished   string     `json:"datePublished"`
	EpisodeNumber   int        `json:"episodeNumber,omitempty"`
	Duration        string     `json:"duration,omitempty"`
	TimeRequired    string     `json:"timeRequired,omitempty"`
	InLanguage      string     `json:"inLanguage,omitempty"`
	Keywords        string     `json:"keywords,omitempty"`
	AssociatedMedia *ldMedia   `json:"associatedMedia,omitempty"`
	PartOfSeason    *ldSeason  `json:"partOfSeason,omitempty"`
	PartOfSeries    ldThing    `json:"partOfSeries"`
	Author          []ldPerson `json:"author,omitempty"`
	Actor           []ldPerson `json:"actor,omitempty"`
	Mentions        []ldBook   `json:"mentions,omitempty"`
}

type ldMedia struct {
	Type           string `json:"@type"`
	ContentURL     string `json:"contentUrl"`
	EncodingFormat string `json:"encodingFormat,omitempty"`
	ContentSize    string `json:"contentSize,omitempty"`
	Duration       string `json:"duration,omitempty"`
}

type ldSeason struct {
	Type         string `json:"@type"`
	SeasonNumber int    `json:"seasonNumber"`
}

type ldBook struct {
	Type   string    `json:"@type"`
	Name   string    `json:"name"`
	Author *ldPerson `json:"author,omitempty"`
	ISBN   string    `json:"isbn,omitempty"`
	URL    string    `json:"url,omitempty"`
}

func seriesLD(cfg *Config, s *Site) ldSeries {
	d := ldSeries{
		ldThing: ldThing{
			Context: "https://schema.org", Type: "PodcastSeries", ID: cfg.AbsURL("") + "#podcast",
			Name: cfg.Title, URL: cfg.AbsURL(""), Description: cfg.Description, Image: absAsset(cfg, cfg.Image),
		},
		InLanguage: cfg.Language,
		WebFeed:    cfg.AbsURL("feed.xml"),
		Copyright:  cfg.Copyright,
	}
	if s != nil {
		for _, h := range s.hosts {
			d.Author = append(d.Author, personLD(cfg, h, false))
		}
	}
	if len(d.Author) == 0 && cfg.Author != "" {
		d.Author = []ldPerson{{Type: "Person", Name: cfg.Author}}
	}
	return d
}

// personLD describes a host or guest. A guest's url is their page on this
// site (which exists for every guest); their own website is sameAs.
func personLD(cfg *Config, p *Person, guest bool) ldPerson {
	lp := ldPerson{Type: "Person", Name: p.Name, Description: p.Bio, Image: absAsset(cfg, p.Img)}
	if guest {
		lp.URL, lp.SameAs = cfg.AbsURL(p.Path()), p.URL
	} else {
		lp.URL = p.URL
	}
	return lp
}

// episodeLD is a schema.org PodcastEpisode. Property choices:
//   - guests are actor (defined on Episode: the people who appear in it;
//     Google's podcast markup uses actor for hosts and guests alike);
//   - hosts are author (CreativeWork: who made it), like itunes:author;
//   - books are mentions (CreativeWork: "contains a reference to"): a book
//     discussed is always mentioned, but an episode is not always about it;
//   - the length is duration (Episode) and timeRequired (CreativeWork, what
//     some consumers read), both ISO 8601, and the audio file's duration.
func episodeLD(cfg *Config, ep *Episode) ldEpisode {
	d := ldEpisode{
		ldThing: ldThing{
			Context: "https://schema.org", Type: "PodcastEpisode", ID: cfg.AbsURL(ep.Path()),
			Name: ep.Title, URL: cfg.AbsURL(ep.Path()), Description: ep.Summary,
		},
		DatePublished: ldDate(ep.Date),
		EpisodeNumber: ep.Number,
		InLanguage:    cfg.Language,
		PartOfSeries:  ldThing{Type: "PodcastSeries", ID: cfg.AbsURL("") + "#podcast", Name: cfg.Title, URL: cfg.AbsURL("")},
	}
	if ep.Image != nil {
		d.Image = absAsset(cfg, ep.Image.Src)
	} else {
		d.Image = absAsset(cfg, cfg.Image)
	}
	if ep.Duration > 0 {
		d.Duration = isoDuration(ep.Duration)
		d.TimeRequired = d.Duration
	}
	if a := ep.Audio; a != nil && a.URL != "" {
		m := &ldMedia{Type: "MediaObject", ContentURL: a.URL, EncodingFormat: a.Type, Duration: d.Duration}
		m.ContentSize = ldSize(a.Length)
		d.AssociatedMedia = m
	}
	if ep.Season > 0 {
		d.PartOfSeason = &ldSeason{Type: "PodcastSeason", SeasonNumber: ep.Season}
	}
	var tags []string
	for _, t := range ep.Tags {
		tags = append(tags, t.Name)
	}
	d.Keywords = strings.Join(tags, ", ")
	for _, h := range ep.Hosts {
		d.Author = append(d.Author, personLD(cfg, h, false))
	}
	for _, g := range ep.Guests {
		d.Actor = append(d.Actor, personLD(cfg, g, true))
	}
	for _, b := range ep.Books {
		lb := ldBook{Type: "Book", Name: b.Title, ISBN: b.ISBN, URL: b.URL}
		if b.Author != "" {
			lb.Author = &ldPerson{Type: "Person", Name: b.Author}
		}
		d.Mentions = append(d.Mentions, lb)
	}
	return d
}

// ldSize is a file size for contentSize, which schema.org describes as
// "file size in (mega/kilo)bytes": 48.2 MB, 950 kB.
func ldSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%d kB", (n+500)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// ldDate is a date as schema.org wants it: YYYY-MM-DD for a date given
// without a time (midnight UTC), else RFC 3339.
func ldDate(t time.Time) string {
	if t.Equal(t.UTC().Truncate(24 * time.Hour)) {
		return t.UTC().Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}
