package importer

import (
	"bytes"
	"fmt"
	"mime"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"gopkg.in/yaml.v3"

	"shownotes/generator/feed"
	"shownotes/generator/site"
)

// EpisodesDir is where imported episodes are written.
const EpisodesDir = site.ContentDir + "/episodes"

// DefaultBaseURL stands in for a channel <link> that is not an absolute URL.
const DefaultBaseURL = "https://example.org/"

// --- site.toml ----------------------------------------------------------------

type siteTOML struct {
	Title       string     `toml:"title"`
	Description string     `toml:"description"`
	BaseURL     string     `toml:"base_url"`
	Language    string     `toml:"language"`
	Author      string     `toml:"author,omitempty"`
	Copyright   string     `toml:"copyright,omitempty"`
	Image       string     `toml:"image,omitempty"`
	Explicit    bool       `toml:"explicit"`
	Categories  []string   `toml:"categories"`
	Type        string     `toml:"type"`
	Owner       *ownerTOML `toml:"owner,omitempty"`
	Hosts       []hostTOML `toml:"hosts,omitempty"`
	Feed        *feedTOML  `toml:"feed,omitempty"`
}

type ownerTOML struct {
	Name  string `toml:"name,omitempty"`
	Email string `toml:"email,omitempty"`
}

type hostTOML struct {
	Name string `toml:"name"`
	URL  string `toml:"url,omitempty"`
	Img  string `toml:"img,omitempty"`
	Role string `toml:"role,omitempty"`
}

type feedTOML struct {
	Block      bool          `toml:"block,omitempty"`
	Complete   bool          `toml:"complete,omitempty"`
	GUID       string        `toml:"guid,omitempty"`
	Locked     bool          `toml:"locked,omitempty"`
	License    string        `toml:"license,omitempty"`
	LicenseURL string        `toml:"license_url,omitempty"`
	Medium     string        `toml:"medium,omitempty"`
	Funding    []fundingTOML `toml:"funding,omitempty"`
}

type fundingTOML struct {
	URL  string `toml:"url"`
	Text string `toml:"text,omitempty"`
}

// --- episode front matter -------------------------------------------------------

type episodeYAML struct {
	Title    string       `yaml:"title"`
	Date     string       `yaml:"date"`
	Episode  int          `yaml:"episode,omitempty"`
	Season   int          `yaml:"season,omitempty"`
	Type     string       `yaml:"type"`
	Slug     string       `yaml:"slug"`
	Summary  string       `yaml:"summary"`
	Guests   []personYAML `yaml:"guests,omitempty"`
	Hosts    []personYAML `yaml:"hosts,omitempty"`
	Image    *imageYAML   `yaml:"image,omitempty"`
	Audio    *audioYAML   `yaml:"audio,omitempty"`
	Duration string       `yaml:"duration,omitempty"`
	Explicit bool         `yaml:"explicit"`
	Tags     []string     `yaml:"tags,omitempty"`
	Draft    bool         `yaml:"draft"`
	GUID     string       `yaml:"guid"`
}

type personYAML struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url,omitempty"`
	Img  string `yaml:"img,omitempty"`
	Role string `yaml:"role,omitempty"`
}

type imageYAML struct {
	Src string `yaml:"src"`
	Alt string `yaml:"alt"`
}

type audioYAML struct {
	URL    string `yaml:"url"`
	Length int64  `yaml:"length,omitempty"`
	Type   string `yaml:"type,omitempty"`
}

// --- conversion -----------------------------------------------------------------

// episodePlan is one item converted in memory.
type episodePlan struct {
	item   *Item
	guid   string
	date   time.Time
	fm     episodeYAML
	body   string
	path   string // slash-separated, relative to the site root; "" = not placed yet
	status string // added, updated, unchanged, skipped
	reason string // why skipped
	data   []byte
}

type converter struct {
	feed     *Feed
	base     string // absolute channel link, for relative links in notes; may be ""
	now      time.Time
	warnings []Warning
	// canonical spellings by slug, so that one guest or tag spelled two
	// ways in the feed does not make two pages collide
	people map[string]string
	tags   map[string]string
	hosts  []personYAML // the site's default hosts from the channel
}

func (c *converter) warn(item int, file, format string, args ...any) {
	c.warnings = append(c.warnings, Warning{Item: item, File: file, Msg: fmt.Sprintf(format, args...)})
}

func isAbsHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

var languagePattern = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// siteConfig maps the channel to site.toml.
func (c *converter) siteConfig() []byte {
	f := c.feed
	cfg := siteTOML{
		Title:     line(f.Title),
		Author:    line(f.Author),
		Copyright: line(f.Copyright),
		Type:      "episodic",
	}
	if cfg.Title == "" {
		cfg.Title = "Untitled podcast"
		c.warn(0, site.ConfigFile, "title: the feed has no <title>: wrote %q", cfg.Title)
	}
	cfg.Description = plainText(f.Description)
	if cfg.Description == "" {
		cfg.Description = plainText(f.Summary)
	}
	if cfg.Description == "" {
		cfg.Description = cfg.Title
		c.warn(0, site.ConfigFile, "description: the feed has no description: wrote the title")
	}
	if link := line(f.Link); isAbsHTTP(link) {
		u, _ := url.Parse(link)
		u.RawQuery, u.Fragment, u.ForceQuery = "", "", false
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
			u.RawPath = ""
		}
		cfg.BaseURL = u.String()
	} else {
		cfg.BaseURL = DefaultBaseURL
		if link == "" {
			c.warn(0, site.ConfigFile, "base_url: the feed has no <link>: wrote %s; set the address of the new site", DefaultBaseURL)
		} else {
			c.warn(0, site.ConfigFile, "base_url: the feed's <link> %q is not an absolute URL: wrote %s; set the address of the new site", link, DefaultBaseURL)
		}
	}
	cfg.Language = line(f.Language)
	if cfg.Language == "" {
		cfg.Language = "en"
		c.warn(0, site.ConfigFile, "language: the feed has no <language>: wrote \"en\"")
	} else if !languagePattern.MatchString(cfg.Language) {
		c.warn(0, site.ConfigFile, "language: %q is not an ISO 639 code: wrote \"en\"", cfg.Language)
		cfg.Language = "en"
	}
	if img := line(f.ImageURL); img != "" {
		if isAbsHTTP(img) {
			cfg.Image = img
		} else {
			c.warn(0, site.ConfigFile, "image: the show artwork %q is not an absolute URL: left out", img)
		}
	}
	if f.Explicit != "" {
		v, ok := parseExplicit(f.Explicit)
		if !ok {
			c.warn(0, site.ConfigFile, "explicit: itunes:explicit %q is not yes, no, clean, true or false: wrote false", f.Explicit)
		}
		cfg.Explicit = v
	}
	cfg.Categories = []string{}
	seen := map[string]bool{}
	addCat := func(s string) {
		if !seen[s] {
			seen[s] = true
			cfg.Categories = append(cfg.Categories, s)
		}
	}
	for _, cat := range f.Categories {
		name := line(cat.Name)
		if !feed.ValidCategory(name, "") {
			c.warn(0, site.ConfigFile, "categories: %q is not an Apple Podcasts category: left out", name)
			continue
		}
		if len(cat.Subs) == 0 {
			addCat(name)
		}
		for _, sub := range cat.Subs {
			sub = line(sub)
			if feed.ValidCategory(name, sub) {
				addCat(name + "/" + sub)
			} else {
				c.warn(0, site.ConfigFile, "categories: %q is not an Apple Podcasts subcategory of %q: kept %q only", sub, name, name)
				addCat(name)
			}
		}
	}
	if len(cfg.Categories) == 0 {
		c.warn(0, site.ConfigFile, "categories: the feed has no Apple Podcasts category: add one before building, e.g. categories = [\"Technology\"]")
	}
	switch t := strings.ToLower(line(f.Type)); t {
	case "", "episodic":
	case "serial":
		cfg.Type = t
	default:
		c.warn(0, site.ConfigFile, "type: itunes:type %q is not episodic or serial: wrote episodic", f.Type)
	}
	if n, e := line(f.OwnerName), line(f.OwnerEmail); n != "" || e != "" {
		cfg.Owner = &ownerTOML{Name: n, Email: e}
	}
	for _, p := range f.Persons {
		role := strings.ToLower(line(p.Role))
		if role != "" && role != "host" {
			c.warn(0, site.ConfigFile, "hosts: podcast:person %q with role %q is not a host: left out", line(p.Name), p.Role)
			continue
		}
		if h, ok := c.person(0, site.ConfigFile, "hosts", p); ok {
			c.hosts = append(c.hosts, h)
			cfg.Hosts = append(cfg.Hosts, hostTOML(h))
		}
	}
	fc := &feedTOML{
		Block:      parseYes(f.Block),
		Complete:   parseYes(f.Complete),
		Locked:     parseYes(f.Locked),
		License:    line(f.License),
		LicenseURL: line(f.LicenseURL),
		Medium:     line(f.Medium),
	}
	if g := line(f.PodcastGUID); g != "" {
		if uuidPattern.MatchString(g) {
			fc.GUID = g
		} else {
			c.warn(0, site.ConfigFile, "feed.guid: podcast:guid %q is not a UUID: left out", g)
		}
	}
	if self := line(f.SelfURL); fc.GUID == "" && isAbsHTTP(self) {
		// The show's podcast:guid is derived from its feed URL once and
		// must not change when the feed moves: keep the old feed's.
		fc.GUID = feed.PodcastGUID(self)
	}
	if fc.LicenseURL != "" && !isAbsHTTP(fc.LicenseURL) {
		c.warn(0, site.ConfigFile, "feed.license_url: %q is not an absolute URL: left out", fc.LicenseURL)
		fc.LicenseURL = ""
	}
	for _, fu := range f.Funding {
		u := line(fu.URL)
		if !isAbsHTTP(u) {
			c.warn(0, site.ConfigFile, "feed.funding: podcast:funding url %q is not an absolute URL: left out", u)
			continue
		}
		fc.Funding = append(fc.Funding, fundingTOML{URL: u, Text: line(fu.Text)})
	}
	if fc.Block || fc.Complete || fc.GUID != "" || fc.Locked || fc.License != "" || fc.LicenseURL != "" || fc.Medium != "" || len(fc.Funding) > 0 {
		cfg.Feed = fc
	}
	if nf := line(f.NewFeedURL); nf != "" {
		c.warn(0, site.ConfigFile, "feed.new_feed_url: the feed already says it moved to %s; not copied", nf)
	}
	var buf bytes.Buffer
	buf.WriteString("# Imported from the show's RSS feed by shownotes import.\n")
	enc := toml.NewEncoder(&buf)
	enc.SetIndentTables(false)
	if err := enc.Encode(cfg); err != nil {
		panic(err) // plain strings, bools and lists always encode
	}
	return buf.Bytes()
}

// person converts a podcast:person, dropping what the loader would reject.
func (c *converter) person(item int, file, field string, p Person) (personYAML, bool) {
	name := line(p.Name)
	if name == "" {
		c.warn(item, file, "%s: podcast:person without a name: left out", field)
		return personYAML{}, false
	}
	sl := site.Slugify(name)
	if sl == "" {
		c.warn(item, file, "%s: cannot make a page address from the name %q: left out", field, name)
		return personYAML{}, false
	}
	if canon, ok := c.people[sl]; ok && canon != name {
		c.warn(item, file, "%s: %q is spelled %q in another episode: used %q", field, name, canon, canon)
		name = canon
	} else if !ok {
		c.people[sl] = name
	}
	out := personYAML{Name: name}
	if h := line(p.Href); h != "" {
		if isAbsHTTP(h) {
			out.URL = h
		} else {
			c.warn(item, file, "%s: %s's href %q is not an absolute URL: left out", field, name, h)
		}
	}
	if img := line(p.Img); img != "" {
		if isAbsHTTP(img) {
			out.Img = img
		} else {
			c.warn(item, file, "%s: %s's img %q is not an absolute URL: left out", field, name, img)
		}
	}
	return out, true
}

// audioTypes mirrors the loader's table, to know when it can guess a type.
var audioTypes = map[string]string{
	".mp3": "audio/mpeg", ".m4a": "audio/x-m4a", ".mp4": "video/mp4", ".m4v": "video/x-m4v",
	".mov": "video/quicktime", ".aac": "audio/aac", ".ogg": "audio/ogg", ".oga": "audio/ogg",
	".opus": "audio/opus", ".wav": "audio/wav", ".flac": "audio/flac",
}

func guessableType(u string) bool {
	ext := strings.ToLower(path.Ext(strings.SplitN(u, "?", 2)[0]))
	return audioTypes[ext] != "" || mime.TypeByExtension(ext) != ""
}

// episode converts one item. The file path is not known yet, so warnings
// are recorded against the item and get their file later.
func (c *converter) episode(it *Item) *episodePlan {
	ep := &episodePlan{item: it}
	n := it.Index
	w := func(format string, args ...any) { c.warn(n, "", format, args...) }
	fm := &ep.fm
	fm.Title = line(it.Title)
	if fm.Title == "" {
		fm.Title = "Untitled episode"
		w("title: the item has no <title>: wrote %q", fm.Title)
	}

	// Identity.
	var enc *Enclosure
	if len(it.Enclosures) > 0 {
		enc = &it.Enclosures[0]
		if len(it.Enclosures) > 1 {
			w("audio: the item has %d enclosures: imported the first, %s", len(it.Enclosures), verbatim(enc.URL))
		}
	}
	ep.guid = verbatim(it.GUID)
	if ep.guid == "" {
		if enc == nil || verbatim(enc.URL) == "" {
			ep.status, ep.reason = "skipped", "the item has no guid and no enclosure: nothing identifies it"
			return ep
		}
		ep.guid = verbatim(enc.URL)
		w("guid: the item has no guid: used the enclosure URL %s, which podcast apps use in its place", ep.guid)
	}
	fm.GUID = ep.guid

	// Date.
	t, err := parseDate(it.PubDate)
	if err != nil {
		t = c.now.Truncate(time.Second)
		fm.Draft = true
		if strings.TrimSpace(it.PubDate) == "" {
			w("date: the item has no pubDate: imported as a draft dated %s; set the date before publishing", formatDate(t))
		} else {
			w("date: %v: imported as a draft dated %s; set the date before publishing", err, formatDate(t))
		}
	}
	ep.date = t
	fm.Date = formatDate(t)

	// Numbers and type.
	fm.Episode = c.number(n, "episode", it.Episode, it.PEpisode)
	fm.Season = c.number(n, "season", it.Season, it.PSeason)
	fm.Type = "full"
	switch typ := strings.ToLower(line(it.EpisodeType)); typ {
	case "", "full":
	case "trailer", "bonus":
		fm.Type = typ
	default:
		w("type: itunes:episodeType %q is not full, trailer or bonus: wrote full", it.EpisodeType)
	}

	// Audio.
	if enc == nil {
		fm.Draft = true
		w("audio: the item has no enclosure: imported as a draft; add the audio before publishing")
	} else {
		u := verbatim(enc.URL)
		switch {
		case u == "":
			fm.Draft = true
			w("audio: the enclosure has no url: imported as a draft; add the audio before publishing")
		case !isAbsHTTP(u):
			fm.Draft = true
			w("audio.url: the enclosure url %q is not an absolute http(s) URL: imported as a draft without it", u)
		default:
			fm.Audio = &audioYAML{URL: u, Type: line(enc.Type)}
			if strings.HasPrefix(strings.ToLower(u), "http:") {
				w("audio.url: %s uses http: kept as it is, but the feed check requires https, so the build fails on this episode until the audio is served over https", u)
			}
			length, err := strconv.ParseInt(line(enc.Length), 10, 64)
			switch {
			case line(enc.Length) == "":
				fm.Draft = true
				w("audio.length: the enclosure has no length: imported as a draft; set audio.length (the file size in bytes) before publishing")
			case err != nil || length <= 0:
				fm.Draft = true
				w("audio.length: the enclosure length is %q, not a size in bytes: imported as a draft; set audio.length before publishing", enc.Length)
			default:
				fm.Audio.Length = length
			}
			if fm.Audio.Type == "" && !guessableType(u) {
				fm.Draft = true
				w("audio.type: the enclosure has no type and %s has no known extension: imported as a draft; set audio.type before publishing", u)
			}
		}
	}

	// Duration.
	if d := line(it.Duration); d != "" {
		dur, err := parseDuration(d)
		switch {
		case err != nil:
			w("duration: %v: left out", err)
		case dur <= 0:
			w("duration: itunes:duration %q is zero: left out", d)
		default:
			fm.Duration = formatDuration(dur)
		}
	}

	// Explicit: the item's own flag, else the show's.
	chExplicit, _ := parseExplicit(c.feed.Explicit)
	fm.Explicit = chExplicit
	if it.Explicit != "" {
		v, ok := parseExplicit(it.Explicit)
		if ok {
			fm.Explicit = v
		} else {
			w("explicit: itunes:explicit %q is not yes, no, clean, true or false: used the show's value", it.Explicit)
		}
	}

	// Image.
	if img := line(it.ImageURL); img != "" {
		if isAbsHTTP(img) {
			fm.Image = &imageYAML{Src: img, Alt: "Artwork for " + fm.Title}
		} else {
			w("image.src: itunes:image %q is not an absolute URL: left out", img)
		}
	}

	// People.
	seen := map[string]bool{}
	for _, p := range it.Persons {
		role := strings.ToLower(line(p.Role))
		field := "hosts"
		if role == "guest" {
			field = "guests"
		}
		py, ok := c.person(n, "", field, p)
		if !ok {
			continue
		}
		key := field + "\x00" + site.Slugify(py.Name)
		if seen[key] {
			continue
		}
		seen[key] = true
		switch role {
		case "guest":
			fm.Guests = append(fm.Guests, py)
		case "", "host":
			fm.Hosts = append(fm.Hosts, py)
		default:
			// Producers, editors and the like keep their role in the feed
			// and get no guest page.
			py.Role = role
			fm.Hosts = append(fm.Hosts, py)
		}
	}
	if sameHosts(fm.Hosts, c.hosts) {
		fm.Hosts = nil // the site's default hosts say the same
	}

	// Tags.
	var tags []string
	tags = append(tags, it.Categories...)
	if it.Keywords != "" {
		tags = append(tags, strings.Split(it.Keywords, ",")...)
	}
	tagSeen := map[string]bool{}
	for _, t := range tags {
		t = line(t)
		if t == "" {
			continue
		}
		sl := site.Slugify(t)
		if sl == "" {
			w("tags: cannot make a page address from the tag %q: left out", t)
			continue
		}
		if tagSeen[sl] {
			continue
		}
		tagSeen[sl] = true
		if canon, ok := c.tags[sl]; ok {
			t = canon
		} else {
			c.tags[sl] = t
		}
		fm.Tags = append(fm.Tags, t)
	}

	// Summary and notes.
	summary := plainText(it.Summary)
	if summary == "" {
		summary = plainText(it.Description)
	}
	if summary == "" {
		summary = plainText(it.Content)
	}
	if summary == "" {
		summary = fm.Title
		w("summary: the item has no description: used the title")
	}
	fm.Summary = shorten(summary, MaxSummaryBytes)
	notes := it.Content
	if strings.TrimSpace(notes) == "" {
		notes = it.Description
	}
	body, err := markdown(notes, c.base)
	if err != nil {
		w("notes: cannot convert the show notes to Markdown (%v): kept them as plain text", err)
		body = plainText(notes)
	}
	var links []string
	for _, t := range it.Transcripts {
		u := line(t.URL)
		if !isAbsHTTP(u) {
			continue
		}
		label := "Transcript"
		if typ := line(t.Type); typ != "" {
			label += " (" + typ + ")"
		}
		links = append(links, fmt.Sprintf("- [%s](%s)", label, mdURL(u)))
	}
	if u := line(it.ChaptersURL); isAbsHTTP(u) {
		links = append(links, fmt.Sprintf("- [Chapters](%s)", mdURL(u)))
	}
	if len(links) > 0 {
		if body != "" {
			body += "\n\n"
		}
		body += "## Links\n\n" + strings.Join(links, "\n")
	}
	ep.body = body
	return ep
}

func sameHosts(a, b []personYAML) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// number reads itunes:episode or itunes:season, falling back to the
// podcast: element; both must be positive whole numbers here.
func (c *converter) number(item int, field, itunes, podcast string) int {
	for _, s := range []string{itunes, podcast} {
		s = line(s)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err == nil && v > 0 && v <= 1<<31-1 {
			return v
		}
		c.warn(item, "", "%s: %q is not a positive whole number: left out", field, s)
		return 0
	}
	return 0
}

// render writes the episode file: YAML front matter, then the notes.
func (ep *episodePlan) render() []byte {
	var buf bytes.Buffer
	buf.WriteString("---\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&ep.fm); err != nil {
		panic(err) // strings, numbers and booleans always encode
	}
	_ = enc.Close()
	buf.WriteString("---\n")
	if ep.body != "" {
		buf.WriteString(ep.body)
		buf.WriteString("\n")
	}
	return buf.Bytes()
}

// sortByDate orders plans oldest first, feed order breaking ties, so that
// the older of two episodes keeps a contested slug or number.
func sortByDate(eps []*episodePlan) {
	sort.SliceStable(eps, func(i, j int) bool { return eps[i].date.Before(eps[j].date) })
}

// mdURL writes a link destination, in angle brackets when it holds
// characters that would end a bare one.
func mdURL(u string) string {
	if strings.ContainsAny(u, " ()<>") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E").Replace(u) + ">"
	}
	return u
}
