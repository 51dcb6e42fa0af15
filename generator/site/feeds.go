package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"shownotes/generator/feed"
)

// Generator names the tool in feeds.
const Generator = "shownotes"

// feeds writes the podcast feeds (RSS and JSON Feed for the show, RSS for
// each tag and guest) and the sitemap, from the items the episode jobs made.
func (r *renderer) feeds(ctx context.Context) error {
	s := r.site
	cfg := s.Config
	streamed := r.streams != nil // feed.xml and feed.json are written already
	main := r.channel(s.Episodes, "feed.xml", cfg.Feed.Limit, !streamed)
	main.JSONFeedURL = cfg.AbsURL("feed.json")
	if err := r.validateFeed(main, s.Episodes); err != nil {
		return err
	}
	var jobs []func() error
	if !streamed {
		jobs = r.mainFeedJobs(main)
		if r.cache != nil && r.cache.persist {
			// Only streamed feeds record where their items went; the next
			// build must not look for them in these.
			r.cache.feedSize = [2]int64{-1, -1}
		}
	}
	jobs = append(jobs, r.subFeedJobs()...)
	return r.runJobs(ctx, jobs)
}

// mainFeedJobs write feed.xml and feed.json from the encoded items.
func (r *renderer) mainFeedJobs(main *feed.Channel) []func() error {
	s := r.site
	return []func() error{
		func() error { return r.writeFeed("feed.xml", main, s.Episodes) },
		func() error {
			return r.streamFile("feed.json", r.feedKey("feed.json", main, s.Episodes, len(main.Items), len(main.ItemJSON)), sizeHint(main.ItemJSON), func(w io.Writer) error {
				if err := feed.WriteJSONFeed(w, main); err != nil {
					return fmt.Errorf("feed.json: %w", err)
				}
				return nil
			})
		},
	}
}

// subFeedJobs write the topic and guest feeds.
func (r *renderer) subFeedJobs() []func() error {
	s := r.site
	cfg := s.Config
	var jobs []func() error
	// A feed per topic and per guest lets a listener follow just that. They
	// are marked itunes:block so directories do not list them as shows, and
	// carry summaries without the full notes: the main feed has those, and
	// repeating them in every topic and guest feed would multiply the
	// output several times over on a large show.
	// The key needs only the channel and the episodes: an unchanged feed
	// (most of them, after an edit) is kept without making its items.
	sub := func(path, title string, eps []*Episode) func() error {
		return func() error {
			name := path + "feed.xml"
			ch, items := r.channelFrame(eps, name, cfg.Feed.Limit)
			ch.Title, ch.Link = title, cfg.AbsURL(path)
			ch.Block, ch.PodcastGUID, ch.NewFeedURL = true, "", ""
			return r.streamFile(name, r.feedKey(name, ch, eps, len(items), 0), 64<<10+len(items)*1536, func(w io.Writer) error {
				r.addItems(ch, items, false)
				if err := feed.WriteRSS(w, ch); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				return nil
			})
		}
	}
	for _, t := range s.Tags {
		jobs = append(jobs, sub(t.Path(), cfg.Title+": "+t.Name, t.Episodes))
	}
	for _, g := range s.Guests {
		jobs = append(jobs, sub(g.Path(), cfg.Title+" with "+g.Name, g.Episodes))
	}
	return jobs
}

// episodeFiles writes an episode's chapters and timed transcript files.
func (r *renderer) episodeFiles(ep *Episode) error {
	key := func(name string) [32]byte {
		if r.cache == nil {
			return [32]byte{}
		}
		ek := r.epKeys[ep]
		return newKey().str(r.globalKey).str(name).str(string(ek[:])).sum()
	}
	if len(ep.Chapters) > 0 {
		name := ep.Path() + "chapters.json"
		if err := r.cachedFile(name, key(name), func() ([]byte, error) { return chaptersJSON(r, ep) }); err != nil {
			return err
		}
	}
	if ep.Transcript == nil || !ep.Transcript.Timed() {
		return nil
	}
	var segs []segment
	made := func(make func([]segment) ([]byte, error)) func() ([]byte, error) {
		return func() ([]byte, error) {
			if segs == nil {
				if err := r.hydrate(ep); err != nil {
					return nil, err
				}
				segs = ep.transcriptSegments()
			}
			return make(segs)
		}
	}
	jsonName, vttName := ep.TranscriptJSONPath(), ep.TranscriptVTTPath()
	if err := r.cachedFile(jsonName, key(jsonName), made(func(segs []segment) ([]byte, error) {
		data, err := transcriptJSON(segs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", jsonName, err)
		}
		return data, nil
	})); err != nil {
		return err
	}
	return r.cachedFile(vttName, key(vttName), made(func(segs []segment) ([]byte, error) { return transcriptVTT(segs), nil }))
}

func (r *renderer) writeFeed(name string, ch *feed.Channel, eps []*Episode) error {
	return r.streamFile(name, r.feedKey(name, ch, eps, len(ch.Items), len(ch.ItemXML)), sizeHint(ch.ItemXML), func(w io.Writer) error {
		if err := feed.WriteRSS(w, ch); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}

// streamFile writes a file made by write: straight into the output when it
// takes streams and there is no cache to fill, else through memory (and
// the cache).
func (r *renderer) streamFile(name string, key [32]byte, size int, write func(io.Writer) error) error {
	if so, ok := r.out.(StreamOutput); ok && r.cache == nil {
		return r.recordWrite(name, so.WriteStream(name, write))
	}
	if done, err := r.fromCache(name, key); done || err != nil {
		return err
	}
	buf := r.buffers.get(size) // a big feed grown by doubling costs more than writing it
	if err := write(buf); err != nil {
		r.buffers.put(buf)
		return err
	}
	return r.store(name, key, buf)
}

// sizeHint is the size of a feed made of these encoded items, plus room
// for the channel around them.
func sizeHint(items [][]byte) int {
	n := 64 << 10
	for _, x := range items {
		n += len(x) + 8
	}
	return n
}

// cachedFile writes name from the cache when key matches, else makes it.
func (r *renderer) cachedFile(name string, key [32]byte, make func() ([]byte, error)) error {
	if done, err := r.fromCache(name, key); done || err != nil {
		return err
	}
	data, err := make()
	if err != nil {
		return err
	}
	r.cache.storePage(name, key, data)
	return r.writeShared(name, data)
}

// writeUnlessSame writes a file made from the whole site (the sitemap, the
// search index), keyed by its bytes: with a persistent cache, a file with
// the bytes of the previous build's is kept where it is. After an edit to
// one episode, most of the 280 search index files are the same, and
// writing them again, then renaming each into place, was a third of the
// incremental build's commit.
func (r *renderer) writeUnlessSame(name string, data []byte) error {
	if r.cache == nil {
		return r.write(name, data)
	}
	h := sha256.New() // the bytes as they are: no copy into a key buffer
	h.Write([]byte(name + "\x00"))
	h.Write(data)
	var key [32]byte
	h.Sum(key[:0])
	return r.cachedFile(name, key, func() ([]byte, error) { return data, nil })
}

// feedKey covers a feed's channel values and the keys of its episodes
// (which cover everything their items show).
func (r *renderer) feedKey(name string, ch *feed.Channel, eps []*Episode, items, encoded int) [32]byte {
	if r.cache == nil {
		return [32]byte{}
	}
	k := newKey().str(r.globalKey).str(name).str(ch.Title).str(ch.Link).str(ch.FeedURL).str(strconv.FormatBool(ch.Block))
	k.int(int64(items)).int(int64(encoded))
	for _, ep := range eps {
		ek := r.epKeys[ep]
		k.str(string(ek[:]))
	}
	return k.sum()
}

// channelFrame is a feed's channel without items, and the episodes (at
// most limit) that its items are made of.
func (r *renderer) channelFrame(eps []*Episode, self string, limit int) (*feed.Channel, []*Episode) {
	s := r.site
	cfg := s.Config
	ch := &feed.Channel{
		Title:       cfg.Title,
		Link:        cfg.AbsURL(""),
		FeedURL:     cfg.AbsURL(self),
		Description: cfg.Description,
		Language:    cfg.Language,
		Copyright:   cfg.Copyright,
		Author:      cfg.Author,
		ImageURL:    r.absAsset(cfg.Image),
		Categories:  cfg.categories,
		Explicit:    cfg.Explicit,
		OwnerName:   cfg.Owner.Name,
		OwnerEmail:  cfg.Owner.Email,
		Type:        cfg.Type,
		PodcastGUID: cfg.Feed.GUID,
		Locked:      cfg.Feed.Locked,
		LockedOwner: cfg.Owner.Email,
		License:     cfg.Feed.License,
		LicenseURL:  cfg.Feed.LicenseURL,
		Medium:      cfg.Feed.Medium,
		NewFeedURL:  cfg.Feed.NewFeedURL,
		Block:       cfg.Feed.Block,
		Complete:    cfg.Feed.Complete,
		Generator:   Generator,
	}
	for _, f := range cfg.Feed.Funding {
		ch.Funding = append(ch.Funding, feed.Funding{URL: f.URL, Text: f.Text})
	}
	for _, h := range s.hosts {
		ch.Persons = append(ch.Persons, r.person(h, "host"))
	}
	if limit > 0 && len(eps) > limit {
		eps = eps[:limit]
	}
	if len(eps) > 0 {
		ch.LastBuild = eps[0].Date
	}
	return ch, eps
}

// channel maps the site and a list of episodes to a feed, items included.
func (r *renderer) channel(eps []*Episode, self string, limit int, withContent bool) *feed.Channel {
	ch, eps := r.channelFrame(eps, self, limit)
	r.addItems(ch, eps, withContent)
	return ch
}

// addItems gives ch the items of eps, with their encoded full notes if
// withContent.
func (r *renderer) addItems(ch *feed.Channel, eps []*Episode, withContent bool) {
	ch.Items = make([]feed.Item, 0, len(eps))
	if withContent {
		ch.ItemXML = make([][]byte, 0, len(eps))
		ch.ItemJSON = make([][]byte, 0, len(eps))
	}
	for _, ep := range eps {
		c := r.items[r.index[ep]]
		it := c.item
		if withContent {
			ch.ItemXML = append(ch.ItemXML, r.cache.itemBytes(c, 0))
			ch.ItemJSON = append(ch.ItemJSON, r.cache.itemBytes(c, 1))
		} else {
			it.ContentHTML = ""
		}
		ch.Items = append(ch.Items, it)
	}
}

func (r *renderer) person(p *Person, role string) feed.Person {
	if p.Role != "" {
		role = p.Role
	}
	return feed.Person{Name: p.Name, Role: role, Href: p.URL, Img: r.absAsset(p.Img)}
}

// FeedGUID is the episode's feed identity: the front matter guid, else the
// permanent URL of its page. Never the title, so an edited title does not
// make apps download the episode again.
func (s *Site) FeedGUID(ep *Episode) string {
	if ep.GUID != "" {
		return ep.GUID
	}
	return s.Config.AbsURL(ep.Path())
}

func (r *renderer) item(ep *Episode) feed.Item {
	cfg := r.site.Config
	it := feed.Item{
		Title:       ep.Title,
		Link:        cfg.AbsURL(ep.Path()),
		GUID:        r.site.FeedGUID(ep),
		PubDate:     ep.Date,
		Description: ep.Summary,
		ContentHTML: absolutize(string(ep.content), cfg),
		Duration:    ep.Duration,
		Episode:     ep.Number,
		Season:      ep.Season,
		EpisodeType: ep.Type,
		Explicit:    ep.Explicit,
	}
	it.GUIDIsPermaLink = it.GUID == it.Link
	// A draft in preview may not know its audio yet; published episodes
	// always do (the loader requires it), and feed validation reports it.
	if a := ep.Audio; a != nil && !(ep.Draft && (a.URL == "" || a.Length <= 0)) {
		it.Enclosure = feed.Enclosure{URL: a.URL, Length: a.Length, Type: a.Type}
	}
	if ep.Image != nil {
		it.ImageURL = r.absAsset(ep.Image.Src)
	}
	for _, g := range ep.Guests {
		it.Persons = append(it.Persons, r.person(g, "guest"))
	}
	for _, h := range ep.Hosts {
		it.Persons = append(it.Persons, r.person(h, "host"))
	}
	if ep.Transcript != nil {
		it.Transcripts = append(it.Transcripts, feed.Transcript{URL: cfg.AbsURL(ep.TranscriptPath()), Type: "text/html", Language: cfg.Language})
		if ep.Transcript.Timed() {
			it.Transcripts = append(it.Transcripts,
				feed.Transcript{URL: cfg.AbsURL(ep.TranscriptJSONPath()), Type: "application/json", Language: cfg.Language},
				feed.Transcript{URL: cfg.AbsURL(ep.TranscriptVTTPath()), Type: "text/vtt", Language: cfg.Language, Rel: "captions"})
		}
	}
	if len(ep.Chapters) > 0 {
		it.Chapters = &feed.Chapters{URL: cfg.AbsURL(ep.Path() + "chapters.json"), Type: feed.DefaultChaptersType}
	}
	for _, t := range ep.Tags {
		it.Tags = append(it.Tags, t.Name)
	}
	return it
}

func (r *renderer) absAsset(p string) string {
	if p == "" || strings.Contains(p, "://") {
		return p
	}
	return r.site.Config.AbsURL(p)
}

// absolutize makes the root-relative links of rendered show notes absolute
// for feed readers, which have no base URL. The renderer wrote every
// internal link as href="/..." (with the base path), so a prefix suffices.
//
// It is strings.NewReplacer(`href="/`, `href="`+origin+`/`, `src="/`,
// `src="`+origin+`/`).Replace(html) (TestAbsolutizeIsReplacer), without
// building a replacer per episode: that was 4% of a cold build's
// allocations. The two patterns cannot overlap, and both end in `="/`.
func absolutize(html string, cfg *Config) string {
	origin := strings.TrimSuffix(cfg.BaseURL, strings.TrimPrefix(cfg.BasePath(), "/"))
	origin = strings.TrimSuffix(origin, "/")
	var b strings.Builder
	done := 0 // html[:done] is in b
	for i := 0; ; {
		j := strings.Index(html[i:], `="/`)
		if j < 0 {
			break
		}
		j += i
		if strings.HasSuffix(html[:j], "href") || strings.HasSuffix(html[:j], "src") {
			if done == 0 {
				b.Grow(len(html) + 8*len(origin))
			}
			b.WriteString(html[done : j+2]) // through the quote
			b.WriteString(origin)
			done = j + 2
		}
		i = j + 3
	}
	if done == 0 {
		return html
	}
	b.WriteString(html[done:])
	return b.String()
}

// chaptersJSON is the Podcasting 2.0 JSON chapters format, version 1.2.0.
func chaptersJSON(r *renderer, ep *Episode) ([]byte, error) {
	type chapter struct {
		StartTime float64 `json:"startTime"`
		Title     string  `json:"title"`
		URL       string  `json:"url,omitempty"`
		Img       string  `json:"img,omitempty"`
	}
	doc := struct {
		Version  string    `json:"version"`
		Title    string    `json:"title,omitempty"`
		Podcast  string    `json:"podcastName,omitempty"`
		Chapters []chapter `json:"chapters"`
	}{Version: "1.2.0", Title: ep.Title, Podcast: r.site.Config.Title}
	for _, c := range ep.Chapters {
		doc.Chapters = append(doc.Chapters, chapter{StartTime: c.Start.Seconds(), Title: c.Title, URL: c.URL, Img: r.absAsset(c.Img)})
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// transcriptFiles writes the timed transcripts for apps: Podcasting 2.0
// JSON and WebVTT.
// sitemap lists every page written, with the date of its newest episode.
func (r *renderer) sitemap() error {
	r.mu.Lock()
	urls := append([]feed.SitemapURL(nil), r.sitemapURLs...)
	r.mu.Unlock()
	sort.Slice(urls, func(i, j int) bool { return urls[i].Loc < urls[j].Loc })
	var buf bytes.Buffer
	if err := feed.WriteSitemap(&buf, urls); err != nil {
		return fmt.Errorf("sitemap.xml: %w", err)
	}
	return r.writeUnlessSame("sitemap.xml", buf.Bytes())
}

// lastMod is the date a page last changed: its episode's, or its newest
// listed episode's, else the site's newest.
func (r *renderer) lastMod(p *Page) time.Time {
	switch {
	case p.Episode != nil:
		return p.Episode.Date
	case len(p.Episodes) > 0:
		return p.Episodes[0].Date
	case len(r.site.Episodes) > 0:
		return r.site.Episodes[0].Date
	}
	return time.Time{}
}

// itemFields maps feed terms to the front matter fields that produce them,
// so a feed rule violation points at the line to fix.
var itemFields = map[string]string{
	"guid": "guid", "title": "title", "description": "summary", "pubDate": "date",
	"enclosure.url": "audio.url", "enclosure.length": "audio.length", "enclosure.type": "audio.type",
	"itunes:duration": "duration", "itunes:episode": "episode", "itunes:season": "season",
	"itunes:episodeType": "type", "itunes:image": "image.src", "link": "slug",
}

var channelFields = map[string]string{
	"title": "title", "link": "base_url", "atom:link": "base_url", "description": "description",
	"language": "language", "itunes:image": "image", "itunes:author": "author",
	"itunes:owner.email": "email", "itunes:type": "type", "itunes:new-feed-url": "new_feed_url",
	"podcast:guid": "guid", "podcast:locked.owner": "email", "podcast:medium": "medium",
	"podcast:license": "license", "podcast:license.url": "license_url", "itunes:category": "categories",
}

// validateFeed applies Apple's and Podcasting 2.0's rules to the main feed.
// Errors stop the build; warnings go into the report.
func (r *renderer) validateFeed(ch *feed.Channel, eps []*Episode) error {
	var errs ErrorList
	for _, p := range feed.Validate(ch) {
		base, _, _ := strings.Cut(p.Field, "[")
		var e *Error
		if p.Item >= 0 && p.Item < len(eps) {
			ep := eps[p.Item]
			field, ok := itemFields[base]
			if !ok {
				field = base
			}
			e = &Error{Pos: ep.Pos(field), Field: field, Msg: p.Msg}
		} else {
			key, ok := channelFields[base]
			if !ok {
				key = base
			}
			e = &Error{Pos: Pos{File: ConfigFile, Line: r.site.Config.line(key)}, Field: key, Msg: p.Msg}
		}
		// Drafts shown in preview are unfinished by definition.
		if p.Warning || (p.Item >= 0 && p.Item < len(eps) && eps[p.Item].Draft) {
			e.Severity = SeverityWarning
		}
		errs = append(errs, e)
	}
	errs.Sort()
	r.site.fillSnippets(errs)
	r.mu.Lock()
	r.warnings = append(r.warnings, errs.Warnings()...)
	r.mu.Unlock()
	return errs.Err()
}
