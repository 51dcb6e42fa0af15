package feed

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Namespace URIs declared on the <rss> element.
const (
	NamespaceITunes  = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	NamespacePodcast = "https://podcastindex.org/namespace/1.0"
	NamespaceContent = "http://purl.org/rss/1.0/modules/content/"
	NamespaceAtom    = "http://www.w3.org/2005/Atom"
)

// MaxDescriptionBytes is Apple's limit for <description>. Longer channel and
// item descriptions are truncated on a UTF-8 boundary and end with "…".
const MaxDescriptionBytes = 4000

// DefaultChaptersType is the podcast:chapters type written when
// Chapters.Type is empty.
const DefaultChaptersType = "application/json+chapters"

// Channel is the podcast as a whole: the RSS <channel>.
type Channel struct {
	Title       string
	Link        string // site home page, absolute URL
	FeedURL     string // this RSS feed's absolute URL (atom:link rel="self")
	JSONFeedURL string // the JSON Feed's absolute URL (JSON Feed feed_url); "" = omitted
	Description string // plain text
	Language    string // ISO 639 code, e.g. "en" or "en-us"
	Copyright   string
	Author      string // itunes:author

	ImageURL   string     // absolute; itunes:image href and <image><url>
	Categories []Category // Apple Podcasts categories, first is primary
	Explicit   bool

	OwnerName  string // itunes:owner
	OwnerEmail string

	Type string // "episodic" or "serial"; "" = episodic

	PodcastGUID string // podcast:guid; "" = PodcastGUID(FeedURL)
	Locked      bool   // podcast:locked yes/no
	LockedOwner string // podcast:locked owner attribute (an email address)
	Funding     []Funding
	Persons     []Person // the regular hosts of the show
	License     string   // podcast:license node value, e.g. "cc-by-4.0"
	LicenseURL  string   // podcast:license url attribute
	Medium      string   // podcast:medium; "" = "podcast"

	NewFeedURL string // itunes:new-feed-url
	Block      bool   // itunes:block Yes
	Complete   bool   // itunes:complete Yes

	// LastBuild is the date of the newest episode; it is written as
	// lastBuildDate and pubDate. Zero = the newest Item.PubDate.
	LastBuild time.Time
	Generator string

	Items []Item // already sorted newest first
	// ItemXML, when set, holds Items already encoded by EncodeItem (same
	// order and length); WriteRSS writes these bytes instead of encoding
	// Items again. ItemJSON does the same for WriteJSONFeed with
	// EncodeJSONItem. Validate still reads Items.
	ItemXML  [][]byte
	ItemJSON [][]byte
	// ItemStream, when set, supplies the encoded items in order instead
	// (format is "rss" or "json"; i runs from 0 to len(Items)-1). It may
	// block until item i exists, which lets a caller write a feed while the
	// items are still being made, holding only those not yet written.
	ItemStream func(format string, i int) ([]byte, error)
	// ItemWritten, when set, is told where each pre-encoded item landed in
	// the written file (byte offset and length), so a caller can find the
	// item there again later: the persistent render cache reuses the
	// previous build's feed.xml instead of keeping a second copy.
	ItemWritten func(format string, i int, offset, length int64)
}

// Category is an Apple Podcasts category with an optional subcategory.
type Category struct {
	Name string
	Sub  string
}

// Funding is a podcast:funding link.
type Funding struct {
	URL  string
	Text string
}

// Person is a podcast:person. Role defaults to "host" and Group to "cast"
// when empty (the attributes are then omitted).
type Person struct {
	Name  string
	Role  string
	Group string
	Href  string
	Img   string
}

// Enclosure is the episode's media file.
type Enclosure struct {
	URL    string
	Length int64 // bytes; must be > 0
	Type   string
}

// Transcript is a podcast:transcript.
type Transcript struct {
	URL      string
	Type     string // e.g. text/vtt, application/x-subrip, text/html
	Language string // optional
	Rel      string // optional; "captions"
}

// Chapters is a podcast:chapters link.
type Chapters struct {
	URL  string
	Type string // "" = DefaultChaptersType
}

// Item is one episode: an RSS <item>.
type Item struct {
	Title           string
	Link            string // absolute URL of the episode page
	GUID            string
	GUIDIsPermaLink bool

	PubDate     time.Time
	Description string // plain-text summary; truncated to MaxDescriptionBytes
	ContentHTML string // full show notes (absolute links) -> content:encoded
	Enclosure   Enclosure
	Duration    time.Duration // itunes:duration, rounded to whole seconds

	Episode     int    // 0 = absent
	Season      int    // 0 = absent
	EpisodeType string // "full", "trailer" or "bonus"; "" = omitted (full)

	ImageURL string
	Explicit bool

	Persons     []Person // hosts (Role "host") and guests (Role "guest")
	Transcripts []Transcript
	Chapters    *Chapters
	Tags        []string // RSS <category> and JSON Feed tags
}

// RFC2822 formats t as an RFC 2822 date in t's own time zone, e.g.
// "Mon, 02 Jan 2006 15:04:05 -0700" ("+0000" for UTC).
func RFC2822(t time.Time) string {
	return t.Format("Mon, 02 Jan 2006 15:04:05 -0700")
}

// EncodeItem encodes one item exactly as WriteRSS writes it inside a
// channel, so a caller can encode each item once (in parallel, or once for
// many builds) and pass the results as Channel.ItemXML. i is the item's
// position, used in error messages.
func EncodeItem(i int, it *Item) ([]byte, error) {
	x, err := buildItem(i, it)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, itemSize(it)) // not grown by doubling, ten thousand times
	return appendItem(append(b, '\n'), &x), nil
}

// appendItem writes x as encoding/xml does with Indent("    ", "  ")
// inside a channel: the same elements, attributes, escapes and layout,
// without reflection, which made encoding items a twentieth of a large
// show's build. xmlItemReference in the tests pins the two together.
func appendItem(b []byte, x *xItem) []byte {
	const in = "\n      " // a child of <item>
	elem := func(name, text string) {
		b = append(b, in+"<"...)
		b = append(b, name...)
		b = append(b, '>')
		b = appendXMLText(b, text)
		b = append(b, "</"...)
		b = append(b, name...)
		b = append(b, '>')
	}
	num := func(name string, n int64) {
		if n != 0 {
			elem(name, strconv.FormatInt(n, 10))
		}
	}
	attr := func(name, value string) {
		b = append(b, ' ')
		b = append(b, name...)
		b = append(b, `="`...)
		b = appendXMLText(b, value)
		b = append(b, '"')
	}
	b = append(b, "    <item>"...)
	elem("title", x.Title)
	if x.Link != "" {
		elem("link", x.Link)
	}
	if g := x.GUID; g != nil {
		b = append(b, in+"<guid"...)
		attr("isPermaLink", g.IsPermaLink)
		b = append(b, '>')
		b = appendXMLText(b, g.Value)
		b = append(b, "</guid>"...)
	}
	if x.PubDate != "" {
		elem("pubDate", x.PubDate)
	}
	if x.Description != "" {
		elem("description", x.Description)
	}
	for _, c := range x.Categories {
		elem("category", c)
	}
	if c := x.Content; c != nil {
		b = append(b, in+"<content:encoded>"...)
		if s := c.Value; s != "" {
			b = append(b, "<![CDATA["...)
			for {
				before, after, found := strings.Cut(s, "]]>")
				if !found {
					break
				}
				b = append(b, before...)
				b = append(b, "]]]]><![CDATA[>"...)
				s = after
			}
			b = append(b, s...)
			b = append(b, "]]>"...)
		}
		b = append(b, "</content:encoded>"...)
	}
	if e := x.Enclosure; e != nil {
		b = append(b, in+"<enclosure"...)
		attr("url", e.URL)
		attr("length", strconv.FormatInt(e.Length, 10))
		attr("type", e.Type)
		b = append(b, "></enclosure>"...)
	}
	num("itunes:duration", x.ITunesDuration)
	if im := x.ITunesImage; im != nil {
		b = append(b, in+"<itunes:image"...)
		attr("href", im.Href)
		b = append(b, "></itunes:image>"...)
	}
	elem("itunes:explicit", x.ITunesExplicit)
	num("itunes:episode", int64(x.ITunesEpisode))
	num("itunes:season", int64(x.ITunesSeason))
	if x.ITunesEpisodeType != "" {
		elem("itunes:episodeType", x.ITunesEpisodeType)
	}
	num("podcast:episode", int64(x.PodcastEpisode))
	num("podcast:season", int64(x.PodcastSeason))
	for _, p := range x.PodcastPersons {
		b = append(b, in+"<podcast:person"...)
		for _, a := range [][2]string{{"role", p.Role}, {"group", p.Group}, {"href", p.Href}, {"img", p.Img}} {
			if a[1] != "" {
				attr(a[0], a[1])
			}
		}
		b = append(b, '>')
		b = appendXMLText(b, p.Name)
		b = append(b, "</podcast:person>"...)
	}
	for _, t := range x.PodcastTranscripts {
		b = append(b, in+"<podcast:transcript"...)
		attr("url", t.URL)
		attr("type", t.Type)
		if t.Language != "" {
			attr("language", t.Language)
		}
		if t.Rel != "" {
			attr("rel", t.Rel)
		}
		b = append(b, "></podcast:transcript>"...)
	}
	if c := x.PodcastChapters; c != nil {
		b = append(b, in+"<podcast:chapters"...)
		attr("url", c.URL)
		attr("type", c.Type)
		b = append(b, "></podcast:chapters>"...)
	}
	return append(b, "\n    </item>"...)
}

// appendXMLText appends s escaped as encoding/xml escapes text and
// attribute values.
func appendXMLText(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch r {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			if !inXMLCharRange(r) || (r == utf8.RuneError && width == 1) {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			b = append(b, s[last:i]...)
			b = append(b, esc...)
			last = i + width
		}
		i += width
	}
	return append(b, s[last:]...)
}

// inXMLCharRange is the XML 1.0 Char production, as encoding/xml checks it.
func inXMLCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// itemSize is about what an encoded item takes: its notes and summary,
// escaped, and the rest of its fields.
func itemSize(it *Item) int {
	n := len(it.ContentHTML) + len(it.Description)
	return n + n/8 + 2048
}

// itemsMarker stands in for pre-encoded items while the channel around them
// is encoded; it cannot occur in encoded XML (NUL is never written).
const itemsMarker = "\x00items\x00"

// WriteRSS writes ch as an indented RSS 2.0 podcast feed, XML header
// included. Nothing is written to w if an error is returned by the
// encoding. With Channel.ItemXML the items are streamed to w one by one
// after the channel head, so a large feed is never held whole in memory.
func WriteRSS(w io.Writer, ch *Channel) error {
	if ch == nil {
		return errors.New("feed: nil channel")
	}
	n, get := itemSource(ch, "rss")
	if get == nil && len(ch.Items) > 0 {
		// Items encoded one by one (appendItem) rather than by
		// encoding/xml with the channel: the same bytes, a fraction of
		// the time. All of them first, so that an error writes nothing.
		encoded := make([][]byte, len(ch.Items))
		for i := range ch.Items {
			x, err := EncodeItem(i, &ch.Items[i])
			if err != nil {
				return err
			}
			encoded[i] = x
		}
		cp := *ch
		cp.ItemXML = encoded
		ch = &cp
		n, get = itemSource(ch, "rss")
	}
	if get != nil {
		// Encode the channel around a marker, then stream the items in
		// its place.
		cp := *ch
		cp.LastBuild = lastBuild(ch) // from the real items, before the stand-in
		cp.ItemXML = [][]byte{[]byte(itemsMarker)}
		cp.Items = []Item{{}}
		cp.ItemStream = nil
		ch = &cp
	}
	doc, err := buildRSS(ch)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("feed: encode rss: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("feed: encode rss: %w", err)
	}
	buf.WriteByte('\n')
	if get == nil {
		_, err = w.Write(buf.Bytes())
		return err
	}
	head, tail, ok := bytes.Cut(buf.Bytes(), []byte(itemsMarker))
	if !ok {
		return errors.New("feed: encode rss: items marker lost")
	}
	if n == 0 {
		// An empty channel: what the encoder writes without items.
		head = bytes.TrimRight(head, " \n")
	}
	return writeItems(w, head, n, get, nil, tail, itemWritten(ch, "rss"))
}

// itemWritten adapts Channel.ItemWritten to one format; nil when unset.
func itemWritten(ch *Channel, format string) func(i int, off, n int64) {
	if ch.ItemWritten == nil {
		return nil
	}
	return func(i int, off, n int64) { ch.ItemWritten(format, i, off, n) }
}

// itemSource returns how many pre-encoded items a channel has in format
// and how to get item i, or a nil func when its items are to be encoded.
func itemSource(ch *Channel, format string) (int, func(int) ([]byte, error)) {
	if ch.ItemStream != nil {
		return len(ch.Items), func(i int) ([]byte, error) { return ch.ItemStream(format, i) }
	}
	items := ch.ItemXML
	if format == "json" {
		items = ch.ItemJSON
	}
	if items == nil {
		return 0, nil
	}
	return len(items), func(i int) ([]byte, error) { return items[i], nil }
}

// writeItems writes head, the n items (each after sep(i), if sep is set)
// and tail, in order, telling written (if set) where each item went.
func writeItems(w io.Writer, head []byte, n int, get func(int) ([]byte, error), sep func(int) []byte, tail []byte, written func(i int, off, n int64)) error {
	if _, err := w.Write(head); err != nil {
		return err
	}
	off := int64(len(head))
	for i := 0; i < n; i++ {
		x, err := get(i)
		if err != nil {
			return err
		}
		if sep != nil {
			s := sep(i)
			if _, err := w.Write(s); err != nil {
				return err
			}
			off += int64(len(s))
		}
		if _, err := w.Write(x); err != nil {
			return err
		}
		if written != nil {
			written(i, off, int64(len(x)))
		}
		off += int64(len(x))
	}
	_, err := w.Write(tail)
	return err
}

// --- encoding/xml document types -------------------------------------------

type xRSS struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	NSITunes  string   `xml:"xmlns:itunes,attr"`
	NSPodcast string   `xml:"xmlns:podcast,attr"`
	NSContent string   `xml:"xmlns:content,attr"`
	NSAtom    string   `xml:"xmlns:atom,attr"`
	Channel   xChannel `xml:"channel"`
}

type xChannel struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	AtomLink      *xAtomLink `xml:"atom:link"`
	Description   string     `xml:"description"`
	Language      string     `xml:"language,omitempty"`
	Copyright     string     `xml:"copyright,omitempty"`
	Generator     string     `xml:"generator,omitempty"`
	PubDate       string     `xml:"pubDate,omitempty"`
	LastBuildDate string     `xml:"lastBuildDate,omitempty"`
	Image         *xImage    `xml:"image"`

	ITunesAuthor     string            `xml:"itunes:author,omitempty"`
	ITunesImage      *xHref            `xml:"itunes:image"`
	ITunesCategories []xITunesCategory `xml:"itunes:category"`
	ITunesExplicit   string            `xml:"itunes:explicit"`
	ITunesOwner      *xOwner           `xml:"itunes:owner"`
	ITunesType       string            `xml:"itunes:type"`
	ITunesNewFeedURL string            `xml:"itunes:new-feed-url,omitempty"`
	ITunesBlock      string            `xml:"itunes:block,omitempty"`
	ITunesComplete   string            `xml:"itunes:complete,omitempty"`

	PodcastGUID    string     `xml:"podcast:guid,omitempty"`
	PodcastLocked  *xLocked   `xml:"podcast:locked"`
	PodcastFunding []xFunding `xml:"podcast:funding"`
	PodcastPersons []xPerson  `xml:"podcast:person"`
	PodcastLicense *xLicense  `xml:"podcast:license"`
	PodcastMedium  string     `xml:"podcast:medium,omitempty"`

	Items []xItem `xml:"item"`
	// ItemsXML holds pre-encoded items (Channel.ItemXML) in their place.
	ItemsXML []byte `xml:",innerxml"`
}

type xAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type xImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type xHref struct {
	Href string `xml:"href,attr"`
}

type xITunesCategory struct {
	Text string            `xml:"text,attr"`
	Subs []xITunesCategory `xml:"itunes:category"`
}

type xOwner struct {
	Name  string `xml:"itunes:name,omitempty"`
	Email string `xml:"itunes:email,omitempty"`
}

type xLocked struct {
	Owner string `xml:"owner,attr,omitempty"`
	Value string `xml:",chardata"`
}

type xFunding struct {
	URL  string `xml:"url,attr"`
	Text string `xml:",chardata"`
}

type xPerson struct {
	Role  string `xml:"role,attr,omitempty"`
	Group string `xml:"group,attr,omitempty"`
	Href  string `xml:"href,attr,omitempty"`
	Img   string `xml:"img,attr,omitempty"`
	Name  string `xml:",chardata"`
}

type xLicense struct {
	URL   string `xml:"url,attr,omitempty"`
	Value string `xml:",chardata"`
}

type xItem struct {
	Title       string      `xml:"title"`
	Link        string      `xml:"link,omitempty"`
	GUID        *xGUID      `xml:"guid"`
	PubDate     string      `xml:"pubDate,omitempty"`
	Description string      `xml:"description,omitempty"`
	Categories  []string    `xml:"category"`
	Content     *xCDATA     `xml:"content:encoded"`
	Enclosure   *xEnclosure `xml:"enclosure"`

	ITunesDuration    int64  `xml:"itunes:duration,omitempty"`
	ITunesImage       *xHref `xml:"itunes:image"`
	ITunesExplicit    string `xml:"itunes:explicit"`
	ITunesEpisode     int    `xml:"itunes:episode,omitempty"`
	ITunesSeason      int    `xml:"itunes:season,omitempty"`
	ITunesEpisodeType string `xml:"itunes:episodeType,omitempty"`

	PodcastEpisode     int           `xml:"podcast:episode,omitempty"`
	PodcastSeason      int           `xml:"podcast:season,omitempty"`
	PodcastPersons     []xPerson     `xml:"podcast:person"`
	PodcastTranscripts []xTranscript `xml:"podcast:transcript"`
	PodcastChapters    *xChapters    `xml:"podcast:chapters"`
}

type xGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type xCDATA struct {
	Value string `xml:",cdata"`
}

type xEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type xTranscript struct {
	URL      string `xml:"url,attr"`
	Type     string `xml:"type,attr"`
	Language string `xml:"language,attr,omitempty"`
	Rel      string `xml:"rel,attr,omitempty"`
}

type xChapters struct {
	URL  string `xml:"url,attr"`
	Type string `xml:"type,attr"`
}

// --- building ----------------------------------------------------------------

func buildRSS(ch *Channel) (*xRSS, error) {
	c := &xChannel{
		Title:          clean(ch.Title),
		Link:           clean(ch.Link),
		Description:    description(ch.Description),
		Language:       clean(ch.Language),
		Copyright:      clean(ch.Copyright),
		Generator:      clean(ch.Generator),
		ITunesAuthor:   clean(ch.Author),
		ITunesExplicit: yesno(ch.Explicit, "true", "false"),
		ITunesType:     channelType(ch.Type),
		PodcastGUID:    clean(channelGUID(ch)),
		PodcastLocked: &xLocked{
			Owner: clean(ch.LockedOwner),
			Value: yesno(ch.Locked, "yes", "no"),
		},
		PodcastMedium:    clean(ch.Medium),
		ITunesNewFeedURL: clean(ch.NewFeedURL),
	}
	if c.PodcastMedium == "" {
		c.PodcastMedium = "podcast"
	}
	if ch.FeedURL != "" {
		c.AtomLink = &xAtomLink{Href: clean(ch.FeedURL), Rel: "self", Type: "application/rss+xml"}
	}
	if d := lastBuild(ch); !d.IsZero() {
		c.PubDate = RFC2822(d)
		c.LastBuildDate = RFC2822(d)
	}
	if ch.ImageURL != "" {
		c.Image = &xImage{URL: clean(ch.ImageURL), Title: c.Title, Link: c.Link}
		c.ITunesImage = &xHref{Href: clean(ch.ImageURL)}
	}
	c.ITunesCategories = buildCategories(ch.Categories)
	if ch.OwnerName != "" || ch.OwnerEmail != "" {
		c.ITunesOwner = &xOwner{Name: clean(ch.OwnerName), Email: clean(ch.OwnerEmail)}
	}
	if ch.Block {
		c.ITunesBlock = "Yes"
	}
	if ch.Complete {
		c.ITunesComplete = "Yes"
	}
	for _, f := range ch.Funding {
		c.PodcastFunding = append(c.PodcastFunding, xFunding{URL: clean(f.URL), Text: clean(f.Text)})
	}
	c.PodcastPersons = buildPersons(ch.Persons)
	if ch.License != "" {
		c.PodcastLicense = &xLicense{URL: clean(ch.LicenseURL), Value: clean(ch.License)}
	}

	if ch.ItemXML != nil {
		if len(ch.ItemXML) != len(ch.Items) {
			return nil, fmt.Errorf("feed: %d encoded items for %d items", len(ch.ItemXML), len(ch.Items))
		}
		n := 0
		for _, x := range ch.ItemXML {
			n += len(x)
		}
		c.ItemsXML = make([]byte, 0, n)
		for _, x := range ch.ItemXML {
			c.ItemsXML = append(c.ItemsXML, x...)
		}
	} else {
		for i := range ch.Items {
			it, err := buildItem(i, &ch.Items[i])
			if err != nil {
				return nil, err
			}
			c.Items = append(c.Items, it)
		}
	}

	return &xRSS{
		Version:   "2.0",
		NSITunes:  NamespaceITunes,
		NSPodcast: NamespacePodcast,
		NSContent: NamespaceContent,
		NSAtom:    NamespaceAtom,
		Channel:   *c,
	}, nil
}

func buildItem(i int, it *Item) (xItem, error) {
	x := xItem{
		Title:             clean(it.Title),
		Link:              clean(it.Link),
		Description:       description(it.Description),
		ITunesExplicit:    yesno(it.Explicit, "true", "false"),
		ITunesDuration:    durationSeconds(it.Duration),
		ITunesEpisodeType: clean(it.EpisodeType),
		PodcastPersons:    buildPersons(it.Persons),
	}
	if it.GUID != "" {
		x.GUID = &xGUID{IsPermaLink: yesno(it.GUIDIsPermaLink, "true", "false"), Value: clean(it.GUID)}
	}
	if !it.PubDate.IsZero() {
		x.PubDate = RFC2822(it.PubDate)
	}
	for _, t := range it.Tags {
		if t = clean(t); t != "" {
			x.Categories = append(x.Categories, t)
		}
	}
	if s := clean(it.ContentHTML); s != "" {
		x.Content = &xCDATA{Value: s}
	}
	if it.Enclosure.URL != "" {
		if it.Enclosure.Length <= 0 {
			return xItem{}, fmt.Errorf("feed: item %d (guid %q): enclosure length must be greater than 0", i, it.GUID)
		}
		x.Enclosure = &xEnclosure{
			URL:    clean(it.Enclosure.URL),
			Length: it.Enclosure.Length,
			Type:   clean(it.Enclosure.Type),
		}
	}
	if it.ImageURL != "" {
		x.ITunesImage = &xHref{Href: clean(it.ImageURL)}
	}
	if it.Episode > 0 {
		x.ITunesEpisode = it.Episode
		x.PodcastEpisode = it.Episode
	}
	if it.Season > 0 {
		x.ITunesSeason = it.Season
		x.PodcastSeason = it.Season
	}
	for _, t := range it.Transcripts {
		x.PodcastTranscripts = append(x.PodcastTranscripts, xTranscript{
			URL:      clean(t.URL),
			Type:     clean(t.Type),
			Language: clean(t.Language),
			Rel:      clean(t.Rel),
		})
	}
	if it.Chapters != nil && it.Chapters.URL != "" {
		typ := clean(it.Chapters.Type)
		if typ == "" {
			typ = DefaultChaptersType
		}
		x.PodcastChapters = &xChapters{URL: clean(it.Chapters.URL), Type: typ}
	}
	return x, nil
}

// buildCategories groups subcategories under their parent (first occurrence
// order), so {Arts, Books} and {Arts, Design} become one Arts element with
// two children, as Apple's examples show.
func buildCategories(cats []Category) []xITunesCategory {
	var out []xITunesCategory
	index := map[string]int{}
	for _, cat := range cats {
		name, sub := clean(cat.Name), clean(cat.Sub)
		if name == "" {
			continue
		}
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, xITunesCategory{Text: name})
		}
		if sub == "" {
			continue
		}
		dup := false
		for _, s := range out[i].Subs {
			if s.Text == sub {
				dup = true
				break
			}
		}
		if !dup {
			out[i].Subs = append(out[i].Subs, xITunesCategory{Text: sub})
		}
	}
	return out
}

func buildPersons(ps []Person) []xPerson {
	var out []xPerson
	for _, p := range ps {
		out = append(out, xPerson{
			Role:  clean(p.Role),
			Group: clean(p.Group),
			Href:  clean(p.Href),
			Img:   clean(p.Img),
			Name:  clean(p.Name),
		})
	}
	return out
}

// --- helpers -----------------------------------------------------------------

func yesno(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func channelType(t string) string {
	if t == "" {
		return "episodic"
	}
	return clean(t)
}

func channelGUID(ch *Channel) string {
	if ch.PodcastGUID != "" {
		return ch.PodcastGUID
	}
	if strings.TrimSpace(ch.FeedURL) == "" {
		return ""
	}
	return PodcastGUID(ch.FeedURL)
}

// lastBuild returns ch.LastBuild, or the newest item date when it is zero.
func lastBuild(ch *Channel) time.Time {
	if !ch.LastBuild.IsZero() {
		return ch.LastBuild
	}
	var newest time.Time
	for i := range ch.Items {
		if d := ch.Items[i].PubDate; d.After(newest) {
			newest = d
		}
	}
	return newest
}

// durationSeconds rounds d to the nearest whole second (0 for d <= 0).
func durationSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(d.Round(time.Second) / time.Second)
}

// description cleans s and truncates it to MaxDescriptionBytes.
func description(s string) string {
	return truncate(clean(s), MaxDescriptionBytes)
}

// truncate shortens s to at most max bytes, cutting on a UTF-8 boundary and
// ending with "…" when anything was removed.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ellipsis = "…"
	cut := max - len(ellipsis)
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " \t\r\n") + ellipsis
}

// clean removes every character that XML 1.0 forbids (C0 controls other
// than tab, newline and carriage return; U+FFFE; U+FFFF; invalid UTF-8,
// which is how lone surrogates appear in Go strings), plus DEL and the C1
// controls that XML 1.0 discourages.
func clean(s string) string {
	for i := 0; i < len(s); {
		// Eight bytes at a time while they are printable ASCII: clean
		// reads every byte of every item's notes, twice (RSS and JSON
		// Feed), and a byte at a time it was 2% of a cold build.
		for i+8 <= len(s) && printableASCII8(binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf { // ASCII, most of every feed: no decoding
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return cleanSlow(s, i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !allowedRune(r, size) {
			return cleanSlow(s, i)
		}
		i += size
	}
	return s
}

// printableASCII8 reports whether the 8 bytes of w are all in 0x20..0x7e.
func printableASCII8(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below20 := (w - 0x20*ones) & ^w & highs // some byte < 0x20
	del := w ^ 0x7f*ones                    // a zero byte where w has 0x7f
	is7f := (del - ones) & ^del & highs
	return (w&highs)|below20|is7f == 0
}

func cleanSlow(s string, from int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:from])
	for i := from; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if allowedRune(r, size) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func allowedRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return false // invalid UTF-8 (e.g. an encoded lone surrogate)
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0x7f && r <= 0x9f:
		return false
	case r >= 0xd800 && r <= 0xdfff:
		return false
	case r == 0xfffe || r == 0xffff:
		return false
	}
	return true
}
