package importer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"golang.org/x/net/html/charset"
)

// Canonical namespace names used by the decoding types below. Every
// element name is rewritten to one of these before decoding (see
// nsNormalizer), so that a plain RSS <title> never matches <itunes:title>
// or <googleplay:description>, and the legacy Podcasting 2.0 namespace URI
// decodes like the current one.
const (
	nsRSS     = "rss"
	nsITunes  = "itunes"
	nsPodcast = "podcast"
	nsContent = "content"
	nsAtom    = "atom"
)

// namespaces maps the URIs found in real feeds to the canonical names.
var namespaces = map[string]string{
	"":                                      nsRSS,
	"http://backend.userland.com/rss2":      nsRSS,
	"http://blogs.law.harvard.edu/tech/rss": nsRSS,
	"http://www.itunes.com/dtds/podcast-1.0.dtd":                                  nsITunes,
	"https://podcastindex.org/namespace/1.0":                                      nsPodcast,
	"http://podcastindex.org/namespace/1.0":                                       nsPodcast,
	"https://github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md": nsPodcast,
	"http://purl.org/rss/1.0/modules/content/":                                    nsContent,
	"http://www.w3.org/2005/atom":                                                 nsAtom,
	// Prefixes used without an xmlns declaration: encoding/xml leaves the
	// prefix in Name.Space. Real feeds do this often enough to accept it.
	"itunes":  nsITunes,
	"podcast": nsPodcast,
	"content": nsContent,
	"atom":    nsAtom,
}

func canonicalNS(space string) (string, bool) {
	key := strings.ToLower(strings.TrimSpace(space))
	if ns, ok := namespaces[key]; ok {
		return ns, true
	}
	// Trailing slashes (xmlns:atom="http://www.w3.org/2005/Atom/") are a
	// common typo; the namespace is still meant.
	if ns, ok := namespaces[strings.TrimSuffix(key, "/")]; ok && key != "" {
		return ns, true
	}
	return space, false
}

// nsNormalizer rewrites element names to the canonical namespaces.
type nsNormalizer struct{ d *xml.Decoder }

func (n nsNormalizer) Token() (xml.Token, error) {
	t, err := n.d.Token()
	switch v := t.(type) {
	case xml.StartElement:
		v.Name.Space, _ = canonicalNS(v.Name.Space)
		// Attributes stay as they are: unprefixed attributes have no
		// namespace, and that is what the decoding types expect. The
		// namespace declarations are dropped so that the outer decoder
		// does not translate names a second time.
		attrs := v.Attr[:0:0]
		for _, a := range v.Attr {
			if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
				continue
			}
			attrs = append(attrs, a)
		}
		v.Attr = attrs
		return v, err
	case xml.EndElement:
		v.Name.Space, _ = canonicalNS(v.Name.Space)
		return v, err
	}
	return t, err
}

// --- decoding types -------------------------------------------------------

type xRSS struct {
	Channel []xChannel `xml:"rss channel"`
}

type xText struct {
	Value string `xml:",chardata"`
}

type xHref struct {
	Href string `xml:"href,attr"`
}

type xCategory struct {
	Text string      `xml:"text,attr"`
	Subs []xCategory `xml:"itunes category"`
}

type xOwner struct {
	Name  string `xml:"itunes name"`
	Email string `xml:"itunes email"`
}

type xAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

type xImage struct {
	URL string `xml:"rss url"`
}

type xLocked struct {
	Owner string `xml:"owner,attr"`
	Value string `xml:",chardata"`
}

type xFunding struct {
	URL  string `xml:"url,attr"`
	Text string `xml:",chardata"`
}

type xPerson struct {
	Role  string `xml:"role,attr"`
	Group string `xml:"group,attr"`
	Href  string `xml:"href,attr"`
	Img   string `xml:"img,attr"`
	Name  string `xml:",chardata"`
}

type xLicense struct {
	URL   string `xml:"url,attr"`
	Value string `xml:",chardata"`
}

type xEnclosure struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type xGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type xTranscript struct {
	URL      string `xml:"url,attr"`
	Type     string `xml:"type,attr"`
	Language string `xml:"language,attr"`
	Rel      string `xml:"rel,attr"`
}

type xChapters struct {
	URL  string `xml:"url,attr"`
	Type string `xml:"type,attr"`
}

// xOther catches every element the types do not name, so the importer can
// say what it could not carry over.
type xOther struct {
	XMLName xml.Name
}

type xChannel struct {
	Title       []xText     `xml:"rss title"`
	Link        []xText     `xml:"rss link"`
	Description []xText     `xml:"rss description"`
	Language    []xText     `xml:"rss language"`
	Copyright   []xText     `xml:"rss copyright"`
	Image       []xImage    `xml:"rss image"`
	Categories  []xText     `xml:"rss category"`
	AtomLinks   []xAtomLink `xml:"atom link"`

	ITunesAuthor     []xText     `xml:"itunes author"`
	ITunesSummary    []xText     `xml:"itunes summary"`
	ITunesImage      []xHref     `xml:"itunes image"`
	ITunesCategories []xCategory `xml:"itunes category"`
	ITunesExplicit   []xText     `xml:"itunes explicit"`
	ITunesOwner      []xOwner    `xml:"itunes owner"`
	ITunesType       []xText     `xml:"itunes type"`
	ITunesNewFeedURL []xText     `xml:"itunes new-feed-url"`
	ITunesBlock      []xText     `xml:"itunes block"`
	ITunesComplete   []xText     `xml:"itunes complete"`

	PodcastGUID    []xText    `xml:"podcast guid"`
	PodcastLocked  []xLocked  `xml:"podcast locked"`
	PodcastFunding []xFunding `xml:"podcast funding"`
	PodcastPersons []xPerson  `xml:"podcast person"`
	PodcastLicense []xLicense `xml:"podcast license"`
	PodcastMedium  []xText    `xml:"podcast medium"`

	Items []xItem  `xml:"rss item"`
	Other []xOther `xml:",any"`
}

type xItem struct {
	Title       []xText      `xml:"rss title"`
	Link        []xText      `xml:"rss link"`
	Description []xText      `xml:"rss description"`
	GUID        []xGUID      `xml:"rss guid"`
	PubDate     []xText      `xml:"rss pubDate"`
	Enclosures  []xEnclosure `xml:"rss enclosure"`
	Categories  []xText      `xml:"rss category"`
	Content     []xText      `xml:"content encoded"`

	ITunesTitle       []xText `xml:"itunes title"`
	ITunesSummary     []xText `xml:"itunes summary"`
	ITunesDuration    []xText `xml:"itunes duration"`
	ITunesEpisode     []xText `xml:"itunes episode"`
	ITunesSeason      []xText `xml:"itunes season"`
	ITunesEpisodeType []xText `xml:"itunes episodeType"`
	ITunesExplicit    []xText `xml:"itunes explicit"`
	ITunesImage       []xHref `xml:"itunes image"`
	ITunesKeywords    []xText `xml:"itunes keywords"`

	PodcastEpisode     []xText       `xml:"podcast episode"`
	PodcastSeason      []xText       `xml:"podcast season"`
	PodcastPersons     []xPerson     `xml:"podcast person"`
	PodcastTranscripts []xTranscript `xml:"podcast transcript"`
	PodcastChapters    []xChapters   `xml:"podcast chapters"`

	Other []xOther `xml:",any"`
}

// --- the parsed feed --------------------------------------------------------

// Feed is a podcast RSS feed as read, before any conversion. Strings are
// as written in the feed (entities decoded, surrounding space trimmed).
type Feed struct {
	Title, Link, Description, Language, Copyright string
	Summary                                       string // itunes:summary
	SelfURL                                       string // atom:link rel="self": the feed's own URL
	ImageURL                                      string // itunes:image href, else <image><url>
	Author                                        string
	OwnerName, OwnerEmail                         string
	Categories                                    []Category
	Explicit                                      string // itunes:explicit as written
	Type                                          string // itunes:type
	NewFeedURL                                    string
	Block, Complete                               string
	PodcastGUID                                   string
	Locked, LockedOwner                           string
	Funding                                       []Funding
	Persons                                       []Person
	License, LicenseURL                           string
	Medium                                        string
	Items                                         []Item
	// Unmapped counts elements of the itunes and podcast namespaces that
	// have no place in a shownotes site ("podcast:value": 32), channel and
	// items together.
	Unmapped map[string]int
}

// Category is an itunes:category with its subcategories.
type Category struct {
	Name string
	Subs []string
}

// Funding is a podcast:funding link.
type Funding struct{ URL, Text string }

// Person is a podcast:person.
type Person struct{ Name, Role, Group, Href, Img string }

// Transcript is a podcast:transcript link.
type Transcript struct{ URL, Type, Language, Rel string }

// Item is one <item>.
type Item struct {
	Index       int // 1-based position among the feed's items
	Title       string
	Link        string
	Description string // HTML or text
	Content     string // content:encoded
	Summary     string // itunes:summary
	GUID        string
	HasGUID     bool
	PubDate     string
	Enclosures  []Enclosure
	Categories  []string
	Keywords    string
	Duration    string
	Episode     string // itunes:episode
	Season      string
	PEpisode    string // podcast:episode
	PSeason     string
	EpisodeType string
	Explicit    string
	ImageURL    string
	Persons     []Person
	Transcripts []Transcript
	ChaptersURL string
}

// Enclosure is an <enclosure> as written.
type Enclosure struct{ URL, Length, Type string }

// MaxFeedBytes bounds a feed file; the largest real feeds are a few MiB.
const MaxFeedBytes = 64 << 20

// Parse reads an RSS 2.0 podcast feed with the itunes, podcast (current
// and legacy namespace URI), content and atom extensions. It fails with a
// clear message for input that is not XML or not RSS.
func Parse(data []byte) (*Feed, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the feed is empty")
	}
	// A byte-order mark is not text before the root element.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	inner := xml.NewDecoder(bytes.NewReader(data))
	inner.CharsetReader = charset.NewReaderLabel
	// Feeds written by hand or by templates use HTML entities (&nbsp;);
	// XML does not define them, every feed reader accepts them.
	inner.Entity = xml.HTMLEntity
	dec := xml.NewTokenDecoder(nsNormalizer{inner})
	var root xml.StartElement
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				return nil, errors.New("the feed is not XML: no root element")
			}
			return nil, notXML(inner, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) > 0 {
			return nil, fmt.Errorf("the feed is not XML: text before the root element (line %d)", lineOf(inner))
		}
	}
	if root.Name.Local != "rss" || root.Name.Space != nsRSS {
		what := "<" + root.Name.Local + ">"
		switch root.Name.Local {
		case "feed":
			what += " (an Atom feed; shownotes imports RSS podcast feeds)"
		case "html":
			what += " (a web page, not a feed)"
		case "RDF":
			what += " (an RSS 1.0 feed; shownotes imports RSS 2.0 podcast feeds)"
		}
		return nil, fmt.Errorf("the feed is not RSS: the root element is %s, want <rss>", what)
	}
	var doc xRSS
	if err := dec.DecodeElement(&doc, &root); err != nil {
		return nil, notXML(inner, err)
	}
	if len(doc.Channel) == 0 {
		return nil, errors.New("the feed is not RSS: <rss> has no <channel>")
	}
	return convertFeed(&doc.Channel[0]), nil
}

func notXML(d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("the feed is not XML: line %d: %s", se.Line, se.Msg)
	}
	line, _ := d.InputPos()
	return fmt.Errorf("the feed is not XML: line %d: %v", line, err)
}

func first[T any](xs []T) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	return xs[0]
}

func text(xs []xText) string { return strings.TrimSpace(first(xs).Value) }

func convertFeed(c *xChannel) *Feed {
	f := &Feed{
		Title:       text(c.Title),
		Link:        text(c.Link),
		Description: text(c.Description),
		Language:    text(c.Language),
		Copyright:   text(c.Copyright),
		Summary:     text(c.ITunesSummary),
		Author:      text(c.ITunesAuthor),
		Explicit:    text(c.ITunesExplicit),
		Type:        text(c.ITunesType),
		NewFeedURL:  text(c.ITunesNewFeedURL),
		Block:       text(c.ITunesBlock),
		Complete:    text(c.ITunesComplete),
		PodcastGUID: text(c.PodcastGUID),
		Medium:      text(c.PodcastMedium),
		Unmapped:    map[string]int{},
	}
	for _, l := range c.AtomLinks {
		if strings.EqualFold(strings.TrimSpace(l.Rel), "self") && f.SelfURL == "" {
			f.SelfURL = strings.TrimSpace(l.Href)
		}
	}
	f.ImageURL = strings.TrimSpace(first(c.ITunesImage).Href)
	if f.ImageURL == "" {
		f.ImageURL = strings.TrimSpace(first(c.Image).URL)
	}
	owner := first(c.ITunesOwner)
	f.OwnerName, f.OwnerEmail = strings.TrimSpace(owner.Name), strings.TrimSpace(owner.Email)
	for _, cat := range c.ITunesCategories {
		fc := Category{Name: strings.TrimSpace(cat.Text)}
		for _, s := range cat.Subs {
			fc.Subs = append(fc.Subs, strings.TrimSpace(s.Text))
		}
		f.Categories = append(f.Categories, fc)
	}
	locked := first(c.PodcastLocked)
	f.Locked, f.LockedOwner = strings.TrimSpace(locked.Value), strings.TrimSpace(locked.Owner)
	for _, fu := range c.PodcastFunding {
		f.Funding = append(f.Funding, Funding{URL: strings.TrimSpace(fu.URL), Text: strings.TrimSpace(fu.Text)})
	}
	f.Persons = persons(c.PodcastPersons)
	license := first(c.PodcastLicense)
	f.License, f.LicenseURL = strings.TrimSpace(license.Value), strings.TrimSpace(license.URL)
	countUnmapped(f.Unmapped, c.Other)
	for i := range c.Items {
		x := &c.Items[i]
		it := Item{
			Index:       i + 1,
			Title:       text(x.Title),
			Link:        text(x.Link),
			Description: text(x.Description),
			Content:     text(x.Content),
			Summary:     text(x.ITunesSummary),
			PubDate:     text(x.PubDate),
			Keywords:    text(x.ITunesKeywords),
			Duration:    text(x.ITunesDuration),
			Episode:     text(x.ITunesEpisode),
			Season:      text(x.ITunesSeason),
			PEpisode:    text(x.PodcastEpisode),
			PSeason:     text(x.PodcastSeason),
			EpisodeType: text(x.ITunesEpisodeType),
			Explicit:    text(x.ITunesExplicit),
			ImageURL:    strings.TrimSpace(first(x.ITunesImage).Href),
			ChaptersURL: strings.TrimSpace(first(x.PodcastChapters).URL),
			Persons:     persons(x.PodcastPersons),
		}
		if it.Title == "" {
			it.Title = text(x.ITunesTitle)
		}
		if len(x.GUID) > 0 {
			it.GUID, it.HasGUID = strings.TrimSpace(x.GUID[0].Value), true
		}
		for _, e := range x.Enclosures {
			it.Enclosures = append(it.Enclosures, Enclosure{URL: strings.TrimSpace(e.URL), Length: strings.TrimSpace(e.Length), Type: strings.TrimSpace(e.Type)})
		}
		for _, cat := range x.Categories {
			it.Categories = append(it.Categories, strings.TrimSpace(cat.Value))
		}
		for _, t := range x.PodcastTranscripts {
			it.Transcripts = append(it.Transcripts, Transcript{URL: strings.TrimSpace(t.URL), Type: strings.TrimSpace(t.Type), Language: strings.TrimSpace(t.Language), Rel: strings.TrimSpace(t.Rel)})
		}
		countUnmapped(f.Unmapped, x.Other)
		f.Items = append(f.Items, it)
	}
	return f
}

func persons(xs []xPerson) []Person {
	var out []Person
	for _, p := range xs {
		out = append(out, Person{
			Name:  strings.TrimSpace(p.Name),
			Role:  strings.TrimSpace(p.Role),
			Group: strings.TrimSpace(p.Group),
			Href:  strings.TrimSpace(p.Href),
			Img:   strings.TrimSpace(p.Img),
		})
	}
	return out
}

// ignoredElements are itunes and podcast elements whose information is
// either carried another way or obsolete, so they are not worth a warning.
var ignoredElements = map[string]bool{
	"itunes:subtitle":     true, // a shorter summary; the summary is kept
	"itunes:author":       true, // per-item author: the show's author is kept
	"itunes:keywords":     true, // channel keywords: Apple ignores them
	"itunes:new-feed-url": true,
	"podcast:locked":      true,
}

func countUnmapped(m map[string]int, others []xOther) {
	for _, o := range others {
		var prefix string
		switch o.XMLName.Space {
		case nsITunes:
			prefix = "itunes:"
		case nsPodcast:
			prefix = "podcast:"
		default:
			continue
		}
		name := prefix + o.XMLName.Local
		if !ignoredElements[name] {
			m[name]++
		}
	}
}

// unmappedList formats Unmapped as "podcast:value (32), podcast:soundbite (3)".
func unmappedList(m map[string]int) string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s (%d)", n, m[n])
	}
	return strings.Join(parts, ", ")
}

func lineOf(d *xml.Decoder) int {
	l, _ := d.InputPos()
	return l
}
