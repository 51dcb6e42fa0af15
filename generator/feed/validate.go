package feed

import (
	"fmt"
	"net/mail"
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Limits checked by Validate.
const (
	// MaxTextChars is Apple's limit for tag values that have no limit of
	// their own ("Tag values are limited to 255 characters").
	MaxTextChars = 255
	// MaxPodcastTextChars is the Podcasting 2.0 advice for podcast:person,
	// podcast:funding and podcast:license values.
	MaxPodcastTextChars = 128
)

// Problem is one finding of Validate.
//
// Item is the index in Channel.Items, or -1 for the channel. Field names
// the feed element or attribute, in feed terms: "title", "description",
// "itunes:image", "itunes:category[0]", "itunes:owner.email", "atom:link",
// "guid", "pubDate", "enclosure.url", "enclosure.length", "enclosure.type",
// "itunes:duration", "itunes:episode", "podcast:person[1].name",
// "podcast:transcript[0].type", "podcast:chapters.url", … List entries
// carry their index in the corresponding Channel or Item slice. Msg is a
// short lower-case sentence. Warning is true for recommendations; false
// means a directory is likely to reject the feed or the item.
type Problem struct {
	Item    int
	Field   string
	Msg     string
	Warning bool
}

// String formats p as "channel: title: title is required" or
// "item 2: enclosure.length: enclosure length must be greater than 0
// (warning)".
func (p Problem) String() string {
	where := "channel"
	if p.Item >= 0 {
		where = fmt.Sprintf("item %d", p.Item)
	}
	s := where + ": " + p.Field + ": " + p.Msg
	if p.Warning {
		s += " (warning)"
	}
	return s
}

// HasErrors reports whether ps contains a problem that is not a warning.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if !p.Warning {
			return true
		}
	}
	return false
}

// appleEnclosureTypes are the enclosure types Apple Podcasts lists as
// supported.
var appleEnclosureTypes = map[string]bool{
	"audio/x-m4a":     true,
	"audio/mpeg":      true,
	"video/quicktime": true,
	"video/mp4":       true,
	"video/x-m4v":     true,
	"application/pdf": true,
}

// podcastMediums are the podcast:medium values of the Podcasting 2.0 spec;
// each also has a list variant with an "L" suffix.
var podcastMediums = map[string]bool{
	"podcast": true, "music": true, "video": true, "film": true,
	"audiobook": true, "newsletter": true, "blog": true, "publisher": true,
	"course": true, "mixed": true,
}

var (
	languageRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
	uuidRE     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// Validate checks ch against what Apple Podcasts, Spotify and the Podcast
// Index require (errors) and recommend (warnings). Problems come in a fixed
// order: channel first, then items in order. A nil channel is one problem.
func Validate(ch *Channel) []Problem {
	v := &validator{}
	if ch == nil {
		v.add(-1, "channel", "channel is missing", false)
		return v.ps
	}
	v.channel(ch)
	guids := map[string]int{}
	enclosures := map[string]int{}
	for i := range ch.Items {
		v.item(ch, i, guids, enclosures)
	}
	return v.ps
}

type validator struct{ ps []Problem }

func (v *validator) add(item int, field, msg string, warning bool) {
	v.ps = append(v.ps, Problem{Item: item, Field: field, Msg: msg, Warning: warning})
}

func (v *validator) err(item int, field, msg string)  { v.add(item, field, msg, false) }
func (v *validator) warn(item int, field, msg string) { v.add(item, field, msg, true) }

func (v *validator) channel(ch *Channel) {
	const c = -1
	v.title(c, ch.Title)

	switch {
	case blank(ch.Link):
		v.err(c, "link", "link is required")
	case !isAbsoluteURL(ch.Link):
		v.err(c, "link", "link must be an absolute url")
	}

	switch {
	case blank(ch.FeedURL):
		v.err(c, "atom:link", "feed url is required")
	case !isAbsoluteURL(ch.FeedURL):
		v.err(c, "atom:link", "feed url must be an absolute url")
	}

	if blank(ch.Description) {
		v.err(c, "description", "description is required")
	} else {
		v.descriptionLength(c, ch.Description)
	}

	switch {
	case blank(ch.Language):
		v.err(c, "language", "language is required")
	case !languageRE.MatchString(ch.Language):
		v.err(c, "language", "language must be an iso 639 code such as en or en-us")
	}

	if blank(ch.ImageURL) {
		v.err(c, "itunes:image", "image url is required")
	} else {
		v.image(c, ch.ImageURL)
	}

	v.categories(ch.Categories)

	if blank(ch.Author) {
		v.warn(c, "itunes:author", "author is recommended")
	}

	switch {
	case blank(ch.OwnerEmail):
		v.warn(c, "itunes:owner.email", "owner email is recommended")
	case !isEmail(ch.OwnerEmail):
		v.err(c, "itunes:owner.email", "owner email is not a valid email address")
	}

	if ch.Type != "" && ch.Type != "episodic" && ch.Type != "serial" {
		v.err(c, "itunes:type", "type must be episodic or serial")
	}

	if ch.NewFeedURL != "" && !isAbsoluteURL(ch.NewFeedURL) {
		v.err(c, "itunes:new-feed-url", "new feed url must be an absolute url")
	}

	if ch.PodcastGUID != "" && !uuidRE.MatchString(ch.PodcastGUID) {
		v.err(c, "podcast:guid", "podcast guid must be a uuid")
	}

	if ch.LockedOwner != "" && !isEmail(ch.LockedOwner) {
		v.err(c, "podcast:locked.owner", "locked owner must be an email address")
	}

	if m := ch.Medium; m != "" && !podcastMediums[m] && !podcastMediums[strings.TrimSuffix(m, "L")] {
		v.err(c, "podcast:medium", fmt.Sprintf("medium %q is not a podcast:medium value", m))
	}

	for i, f := range ch.Funding {
		field := fmt.Sprintf("podcast:funding[%d]", i)
		switch {
		case blank(f.URL):
			v.err(c, field+".url", "funding url is required")
		case !isAbsoluteURL(f.URL):
			v.err(c, field+".url", "funding url must be an absolute url")
		}
		if utf8.RuneCountInString(f.Text) > MaxPodcastTextChars {
			v.warn(c, field+".text", "funding text should be at most 128 characters")
		}
	}

	v.persons(c, ch.Persons)

	if ch.License == "" && ch.LicenseURL != "" {
		v.err(c, "podcast:license", "license is required when a license url is set")
	}
	if ch.LicenseURL != "" && !isAbsoluteURL(ch.LicenseURL) {
		v.err(c, "podcast:license.url", "license url must be an absolute url")
	}
	if utf8.RuneCountInString(ch.License) > MaxPodcastTextChars {
		v.warn(c, "podcast:license", "license should be at most 128 characters")
	}

	if len(ch.Items) == 0 {
		v.warn(c, "item", "feed has no episodes")
	}
}

func (v *validator) item(ch *Channel, i int, guids, enclosures map[string]int) {
	it := &ch.Items[i]
	v.title(i, it.Title)

	switch {
	case blank(it.GUID):
		v.err(i, "guid", "guid is required")
	default:
		if j, dup := guids[it.GUID]; dup {
			v.err(i, "guid", fmt.Sprintf("guid must be unique (same as item %d)", j))
		} else {
			guids[it.GUID] = i
		}
		if it.GUIDIsPermaLink && !isAbsoluteURL(it.GUID) {
			v.err(i, "guid", "guid must be an absolute url when isPermaLink is true")
		}
	}

	if it.PubDate.IsZero() {
		v.err(i, "pubDate", "pubDate is required")
	}

	switch {
	case blank(it.Link):
		v.warn(i, "link", "link is recommended")
	case !isAbsoluteURL(it.Link):
		v.err(i, "link", "link must be an absolute url")
	}

	if blank(it.Description) {
		v.warn(i, "description", "description is recommended")
	} else {
		v.descriptionLength(i, it.Description)
	}

	e := it.Enclosure
	switch {
	case blank(e.URL):
		v.err(i, "enclosure.url", "enclosure url is required")
	case !isAbsoluteURL(e.URL):
		v.err(i, "enclosure.url", "enclosure url must be an absolute url")
	default:
		if !isHTTPS(e.URL) {
			v.err(i, "enclosure.url", "enclosure url must use https")
		}
		if j, dup := enclosures[e.URL]; dup {
			v.err(i, "enclosure.url", fmt.Sprintf("enclosure url must be unique (same as item %d)", j))
		} else {
			enclosures[e.URL] = i
		}
	}
	if e.Length <= 0 {
		v.err(i, "enclosure.length", "enclosure length must be greater than 0")
	}
	switch {
	case blank(e.Type):
		v.err(i, "enclosure.type", "enclosure type is required")
	case !appleEnclosureTypes[e.Type]:
		v.warn(i, "enclosure.type", fmt.Sprintf("enclosure type %q is not supported by apple podcasts", e.Type))
	}

	if durationSeconds(it.Duration) <= 0 {
		v.warn(i, "itunes:duration", "duration is recommended")
	}

	switch {
	case it.Episode < 0:
		v.err(i, "itunes:episode", "episode must not be negative")
	case it.Episode == 0 && ch.Type == "serial":
		v.err(i, "itunes:episode", "episode is required for serial shows")
	}
	if it.Season < 0 {
		v.err(i, "itunes:season", "season must not be negative")
	}
	switch it.EpisodeType {
	case "", "full", "trailer", "bonus":
	default:
		v.err(i, "itunes:episodeType", "episode type must be full, trailer or bonus")
	}

	if it.ImageURL != "" {
		v.image(i, it.ImageURL)
	}

	v.persons(i, it.Persons)

	for k, t := range it.Transcripts {
		field := fmt.Sprintf("podcast:transcript[%d]", k)
		switch {
		case blank(t.URL):
			v.err(i, field+".url", "transcript url is required")
		case !isAbsoluteURL(t.URL):
			v.err(i, field+".url", "transcript url must be an absolute url")
		}
		if blank(t.Type) {
			v.err(i, field+".type", "transcript type is required")
		}
		if t.Rel != "" && t.Rel != "captions" {
			v.warn(i, field+".rel", `transcript rel should be "captions"`)
		}
	}

	if c := it.Chapters; c != nil {
		switch {
		case blank(c.URL):
			v.err(i, "podcast:chapters.url", "chapters url is required")
		case !isAbsoluteURL(c.URL):
			v.err(i, "podcast:chapters.url", "chapters url must be an absolute url")
		}
	}
}

func (v *validator) title(i int, title string) {
	switch {
	case blank(title):
		v.err(i, "title", "title is required")
	case utf8.RuneCountInString(title) > MaxTextChars:
		v.warn(i, "title", "title is longer than 255 characters")
	}
}

func (v *validator) descriptionLength(i int, d string) {
	if len(clean(d)) > MaxDescriptionBytes {
		v.warn(i, "description", "description is longer than 4000 bytes and will be truncated")
	}
}

func (v *validator) image(i int, u string) {
	if !isAbsoluteURL(u) {
		v.err(i, "itunes:image", "image url must be an absolute url")
		return
	}
	if !isHTTPS(u) {
		v.warn(i, "itunes:image", "image url should use https")
	}
	if !isImageExt(u) {
		v.warn(i, "itunes:image", "image should be a .jpg or .png file")
	}
}

func (v *validator) categories(cats []Category) {
	if len(cats) == 0 {
		v.err(-1, "itunes:category", "at least one category is required")
		return
	}
	for k, cat := range cats {
		field := fmt.Sprintf("itunes:category[%d]", k)
		if !ValidCategory(cat.Name, "") {
			msg := fmt.Sprintf("category %q is not an apple podcasts category", cat.Name)
			if s := suggestCategory(cat.Name, ""); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			v.err(-1, field, msg)
			continue
		}
		if cat.Sub != "" && !ValidCategory(cat.Name, cat.Sub) {
			msg := fmt.Sprintf("subcategory %q is not in category %q", cat.Sub, cat.Name)
			if s := suggestCategory(cat.Name, cat.Sub); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			v.err(-1, field, msg)
		}
	}
}

// suggestCategory returns the Apple spelling of name (sub == "") or of sub
// within name when they differ from it only in case, else "".
func suggestCategory(name, sub string) string {
	for _, c := range appleCategories {
		if sub == "" {
			if strings.EqualFold(c.name, name) {
				return c.name
			}
			continue
		}
		if c.name != name {
			continue
		}
		for _, s := range c.subs {
			if strings.EqualFold(s, sub) {
				return s
			}
		}
	}
	return ""
}

func (v *validator) persons(i int, ps []Person) {
	for k, p := range ps {
		field := fmt.Sprintf("podcast:person[%d]", k)
		switch {
		case blank(p.Name):
			v.err(i, field+".name", "person name is required")
		case utf8.RuneCountInString(p.Name) > MaxPodcastTextChars:
			v.warn(i, field+".name", "person name should be at most 128 characters")
		}
		if p.Href != "" && !isAbsoluteURL(p.Href) {
			v.err(i, field+".href", "person href must be an absolute url")
		}
		if p.Img != "" && !isAbsoluteURL(p.Img) {
			v.err(i, field+".img", "person img must be an absolute url")
		}
	}
}

// --- helpers -----------------------------------------------------------------

func blank(s string) bool { return strings.TrimSpace(clean(s)) == "" }

// isAbsoluteURL reports whether s is an absolute http or https URL with a
// host.
func isAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

func isHTTPS(s string) bool {
	u, err := url.Parse(s)
	return err == nil && strings.EqualFold(u.Scheme, "https")
}

func isImageExt(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

// isEmail reports whether s is a bare email address ("a@example.com", not
// "A <a@example.com>").
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}
