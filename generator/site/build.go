package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"shownotes/generator/feed"
)

// Report summarises a build.
type Report struct {
	Pages         int // HTML pages
	Episodes      int // published episodes
	Files         int // every file written
	Hidden        int // drafts and scheduled episodes left out
	NextScheduled time.Time
	Warnings      ErrorList
	// FeedLock is the new feed.lock content; nil for preview builds
	// (drafts or future episodes included), which must not record them.
	FeedLock []byte
	// MediaLock is the new media.lock content (what was read from the
	// audio files episodes name with audio.file); nil when no episode
	// names one and there was no media.lock before.
	MediaLock []byte
}

// Page is what a theme template receives.
type Page struct {
	Site        *Site
	Config      *Config
	Kind        string
	Title       string // page title without the site name; empty on the home page
	Description string
	Path        string // site-relative: "" for home, "episodes/x/"
	Episode     *Episode
	Episodes    []*Episode
	Pager       *Pager
	Tag         *Tag
	Person      *Person
	Preview     bool // drafts or scheduled episodes are shown (dev server)
}

// Pager describes one page of a paginated list.
type Pager struct {
	Number, Total      int
	PrevPath, NextPath string // site-relative; empty at the ends
}

// Build loads the site and writes every output file. Nothing is written if
// loading fails; the caller's Output decides what a partial write means
// (the directory writer only swaps in a complete build).
func Build(ctx context.Context, in Input, out Output) (*Report, error) {
	s, err := Load(ctx, in)
	if err != nil {
		return nil, err
	}
	in.Cache.seal() // a persistent cache: its parses are encoded, and let go
	return s.Render(ctx, in, out)
}

// Render writes a loaded site. It consumes it: each episode's show notes
// and transcript are released once its pages and feed item are written,
// which is what keeps a large build's memory flat. Inspect a Site before
// rendering it, or load it again.
func (s *Site) Render(ctx context.Context, in Input, out Output) (*Report, error) {
	return s.render(ctx, in, out, SeverityWarning)
}

// render writes the site; linkSeverity says how broken show-notes links
// count.
func (s *Site) render(ctx context.Context, in Input, out Output, linkSeverity Severity) (*Report, error) {
	cfg := s.Config
	themeFS, err := resolveTheme(in, cfg)
	if err != nil {
		return nil, err
	}
	in.Theme = themeFS
	th, err := loadTheme(themeFS, cfg.Theme, templateFuncs(cfg, themeFS))
	if err != nil {
		return nil, err
	}
	r := &renderer{site: s, in: in, out: out, theme: th, md: newMarkdown(cfg), written: map[string]bool{}}
	s.rendered = th
	r.preview = in.Drafts || in.Future
	r.cache = in.Cache
	defer r.cache.end()
	r.keys(themeFS)

	// Every page is an independent job; run them all on the worker pool.
	var jobs []func() error
	r.items = make([]*cachedItem, len(s.Episodes))
	r.index = make(map[*Episode]int, len(s.Episodes))
	for i, ep := range s.Episodes {
		r.index[ep] = i
		jobs = append(jobs, func() error { return r.episode(i, ep) })
	}
	jobs = append(jobs, r.listJobs()...)
	jobs = append(jobs, r.searchJobs()...) // search.go
	r.loadPrevFeeds()
	r.streams = r.startFeedStreams()
	// The search index: without a cache the episode jobs fill the
	// postings as they go, so the documents never all exist at once. A
	// persistent cache keeps every episode's document anyway, so the jobs
	// only set theirs aside and the search job fills the postings alone
	// at the end: filled by the jobs under the postings' lock, the two
	// workers took turns (5% of a rebuild's profile was spinning on it).
	// The dev server's cache has searchDocs make them at the end.
	switch {
	case r.cache == nil:
		r.postings = newPostings()
	case r.cache.persist:
		r.docs = make([]searchDoc, len(s.Episodes))
	}
	jobErr := r.runJobs(ctx, jobs)
	th.cached.done.Clear() // every list page is written: the cards are garbage
	if err := r.streams.finish(ctx, r); jobErr == nil && err != nil {
		jobErr = err
	}
	if jobErr != nil {
		return nil, jobErr
	}
	if err := r.sitewide(ctx); err != nil {
		return nil, err
	}
	if err := r.copyFiles(ctx); err != nil {
		return nil, err
	}
	r.cache.setOutputs(r.written)
	r.warnings = append(r.warnings, r.linkProblems(linkSeverity)...)
	s.fillSnippets(r.warnings)
	r.warnings.Sort()
	var lock []byte
	if !r.preview {
		lock = s.FeedLock()
		if old, err := fs.ReadFile(in.Project, LockFile); err == nil {
			// build records intentional changes; check is the gate that
			// stops accidental ones, so here they are only warnings.
			for _, e := range s.CheckLock(old) {
				e.Severity = SeverityWarning
				r.warnings = append(r.warnings, e)
			}
		}
	}
	return &Report{
		FeedLock:      lock,
		MediaLock:     s.mediaLock,
		Pages:         int(r.pages.Load()),
		Episodes:      len(s.Episodes),
		Files:         int(r.files.Load()),
		Hidden:        s.Hidden,
		NextScheduled: s.NextScheduled,
		Warnings:      sorted(append(append(ErrorList(nil), s.Warnings...), r.warnings...)),
	}, nil
}

func sorted(l ErrorList) ErrorList {
	l.Sort()
	return l
}

// runJobs runs independent jobs on the worker pool. The first failure
// cancels the rest (one broken template breaks every page like it); all
// failures seen are returned together.
func (r *renderer) runJobs(ctx context.Context, jobs []func() error) error {
	var (
		mu     sync.Mutex
		errs   ErrorList
		failed bool
	)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runErr := forEach(cctx, len(jobs), func(i int) {
		if err := jobs[i](); err != nil {
			mu.Lock()
			errs = append(errs, AsList(err)...)
			failed = true
			mu.Unlock()
			cancel()
		}
	})
	if failed {
		errs.Sort()
		return dedupe(errs)
	}
	if runErr != nil {
		return runErr
	}
	return ctx.Err()
}

// dedupe drops repeated identical errors (the same template error hit by
// many pages).
func dedupe(l ErrorList) ErrorList {
	var out ErrorList
	seen := map[string]bool{}
	for _, e := range l {
		if k := e.Error(); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

type renderer struct {
	site    *Site
	in      Input
	out     Output
	theme   *theme
	md      *markdown
	preview bool
	pages   counter
	files   counter

	mu          sync.Mutex
	sitemapURLs []feed.SitemapURL
	warnings    ErrorList
	links       []noteLink
	items       []*cachedItem // feed item of s.Episodes[i], made by its episode job
	index       map[*Episode]int
	streams     *feedStreams // main feeds written while episodes render; nil when not streaming
	postings    *postings    // without a cache: the search index, filled by the episode jobs
	docs        []searchDoc  // with a persistent cache: each episode's search document

	buffers   bufferPool // page and feed buffers, reused once written
	tokenMaps sync.Pool  // *docTokens for indexPacked

	cache     *Cache
	globalKey string                // theme, site.toml and flags: any change re-renders all
	epKeys    map[*Episode][32]byte // episodeKey of every published episode
	indexKey  string                // siteIndexKey
	written   map[string]bool
}

type counter struct {
	mu sync.Mutex
	n  int64
}

func (c *counter) Add(n int64) { c.mu.Lock(); c.n += n; c.mu.Unlock() }
func (c *counter) Load() int64 { c.mu.Lock(); defer c.mu.Unlock(); return c.n }

// writeShared writes bytes that nobody will modify (cached pages): an
// output that can keep them without copying does.
func (r *renderer) writeShared(name string, data []byte) error {
	if r.cache == nil {
		return r.write(name, data)
	}
	if so, ok := r.out.(SharedOutput); ok {
		return r.recordWrite(name, so.WriteFileShared(name, data))
	}
	return r.write(name, data)
}

func (r *renderer) write(name string, data []byte) error {
	return r.recordWrite(name, r.out.WriteFile(name, data))
}

// recordWrite notes a written file (for the link check and the report),
// or wraps the error of writing it.
func (r *renderer) recordWrite(name string, err error) error {
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	r.mu.Lock()
	r.written[name] = true
	r.mu.Unlock()
	r.files.Add(1)
	return nil
}

func (r *renderer) page(p *Page) error {
	p.Site, p.Config, p.Preview = r.site, r.site.Config, r.preview
	name := p.Path + "index.html"
	if p.Kind == "404" {
		name = "404.html"
	} else {
		u := feed.SitemapURL{Loc: r.site.Config.AbsURL(p.Path), LastMod: r.lastMod(p)}
		r.mu.Lock()
		r.sitemapURLs = append(r.sitemapURLs, u)
		r.mu.Unlock()
	}
	r.pages.Add(1)
	key := r.pageKey(p)
	if done, err := r.fromCache(name, key); done || err != nil {
		return err
	}
	buf := r.buffers.get(0)
	if err := r.theme.execute(buf, p.Kind, p); err != nil {
		r.buffers.put(buf)
		return err
	}
	return r.store(name, key, buf)
}

// store writes the file made in buf and records its key in the cache.
func (r *renderer) store(name string, key [32]byte, buf *bytes.Buffer) error {
	data := buf.Bytes()
	if !r.lean() {
		// The dev server's cache keeps the bytes: the buffer is theirs.
		r.cache.storePage(name, key, data)
		return r.writeShared(name, data)
	}
	// Nothing keeps data once it is written (Output's contract), so the
	// buffer goes back for the next file: at 10,000 episodes, new page
	// and feed buffers were a fifth of what a cold build allocated.
	r.cache.storePage(name, key, nil)
	err := r.write(name, data)
	r.buffers.put(buf)
	return err
}

// fromCache writes name from the cache if its key is the cached one: the
// cached bytes (dev server), or, with a persistent cache, the previous
// build's file kept as it is. done is false when the file must be made.
func (r *renderer) fromCache(name string, key [32]byte) (done bool, err error) {
	data, ok := r.cache.page(name, key)
	switch {
	case !ok:
		return false, nil
	case data != nil:
		return true, r.writeShared(name, data)
	case r.reuse(name):
		return true, r.recordWrite(name, nil)
	}
	return false, nil
}

// cached reports whether fromCache would write name without making it.
func (r *renderer) cached(name string, key [32]byte) bool {
	data, ok := r.cache.page(name, key)
	return ok && (data != nil || r.reuse(name))
}

// reuse keeps the previous build's file name, if the output still has it.
func (r *renderer) reuse(name string) bool {
	ro, ok := r.out.(ReuseOutput)
	return ok && ro.Reuse(name)
}

// episode renders everything that belongs to one episode: its page, its
// transcript page and files, its chapters and its feed item. Doing it all
// in the one job means the show notes are rendered once and can be dropped
// as soon as the job ends, instead of living until the feeds are written.
func (r *renderer) episode(i int, ep *Episode) error {
	pages := episodePages(ep)
	inMainFeed := r.site.Config.Feed.Limit == 0 || i < r.site.Config.Feed.Limit
	// With a cache, an unchanged episode needs neither Markdown nor
	// templates: its pages and feed item are reused as they are.
	itemKey := r.itemKey(ep)
	cached := r.cache.item(itemKey)
	if cached != nil && inMainFeed && (r.cache.itemBytes(cached, 0) == nil || r.cache.itemBytes(cached, 1) == nil) {
		cached = nil // the previous feed.xml or feed.json is gone
	}
	var doc searchDoc
	haveDoc := r.postings == nil && r.docs == nil // else the job indexes its episode
	if !haveDoc {
		doc, haveDoc = r.cache.searchDoc(r.epKeys[ep])
	}
	needNotes := cached == nil || !haveDoc
	for _, p := range pages {
		if needNotes {
			break
		}
		p.Site, p.Config, p.Preview = r.site, r.site.Config, r.preview
		needNotes = !r.cached(p.Path+"index.html", r.pageKey(p))
	}
	var links []Link
	if needNotes {
		if err := r.hydrate(ep); err != nil {
			return err
		}
		html, l, err := r.md.render(ep.body, ep.bodyLine)
		if err != nil {
			return &Error{Pos: Pos{File: ep.Source, Line: ep.bodyLine}, Msg: "rendering Markdown: " + err.Error()}
		}
		ep.content, links = html, l
	} else {
		links = cached.links
	}
	if len(links) > 0 {
		r.mu.Lock()
		for _, l := range links {
			r.links = append(r.links, noteLink{ep, l})
		}
		r.mu.Unlock()
	}
	for _, p := range pages {
		if err := r.page(p); err != nil {
			return err
		}
	}
	if err := r.episodeFiles(ep); err != nil {
		return err
	}
	if cached == nil {
		cached = &cachedItem{item: r.item(ep), links: links}
		// Encoded here, in parallel, once; the main feed is then a
		// concatenation. Only items the main feed carries need it.
		if inMainFeed {
			x, err := feed.EncodeItem(i, &cached.item)
			if err != nil {
				return fmt.Errorf("feed.xml: %w", err)
			}
			j, err := feed.EncodeJSONItem(i, &cached.item)
			if err != nil {
				return fmt.Errorf("feed.json: %w", err)
			}
			cached.rss, cached.json = x, j
		}
		// The encoded items carry the notes; topic and guest feeds leave
		// them out. Keeping them a third time in the item would add the
		// whole show's notes to the peak memory of a large build.
		cached.item.ContentHTML = ""
		r.cache.storeItem(itemKey, cached)
	}
	if cached.noItem {
		it := r.item(ep) // the same inputs (itemKey): the same item
		it.ContentHTML = ""
		cached.item, cached.noItem = it, false
	}
	r.items[i] = cached
	r.streams.done(i)
	if r.postings != nil || r.docs != nil {
		if !haveDoc {
			if r.docs != nil {
				doc = r.indexPacked(ep) // as the cache keeps it: packed once
			} else {
				doc = indexEpisode(ep)
			}
			r.cache.storeSearchDoc(r.epKeys[ep], doc)
		}
		if r.docs != nil {
			r.docs[i] = doc
		} else {
			r.postings.add(i, doc)
		}
	}
	// Everything that shows the notes and the transcript has been written;
	// letting go of them here keeps a 10,000-episode build's memory to what
	// the feeds still need.
	ep.content = ""
	ep.Transcript = nil
	if r.lean() {
		ep.src, ep.body, ep.lazy = nil, nil, true
	}
	return nil
}

// lean reports whether episodes give up their text once rendered (see
// Load).
func (r *renderer) lean() bool { return r.cache.lean() }

// bufferPool recycles page buffers between page jobs. A pooled buffer
// keeps the capacity of the largest file written through it, so after the
// first few pages none is grown again (fresh page buffers grown by
// doubling were a fifth of what a cold build allocated at 10,000 episodes).
type bufferPool struct{ pool sync.Pool }

// maxPooled bounds what the pool keeps: a topic feed, not the main feed
// (which must not stay pinned for the rest of the build).
const maxPooled = 4 << 20

// get returns an empty buffer with room for at least size bytes.
func (bp *bufferPool) get(size int) *bytes.Buffer {
	b, _ := bp.pool.Get().(*bytes.Buffer)
	if b == nil {
		b = new(bytes.Buffer)
	}
	b.Grow(size)
	return b
}

// put returns b to the pool; its bytes must no longer be in use.
func (bp *bufferPool) put(b *bytes.Buffer) {
	if b.Cap() > maxPooled {
		return
	}
	b.Reset()
	bp.pool.Put(b)
}

// episodePages are the pages of one episode: its page and, with a
// transcript, the transcript's.
func episodePages(ep *Episode) []*Page {
	pages := []*Page{{Kind: "episode", Title: ep.Title, Description: ep.Summary, Path: ep.Path(), Episode: ep}}
	if ep.Transcript != nil {
		pages = append(pages, &Page{Kind: "transcript", Title: "Transcript: " + ep.Title, Description: ep.Summary, Path: ep.TranscriptPath(), Episode: ep})
	}
	return pages
}

// hydrate reads an episode's text again when a persistent cache hit left
// it out (Episode.lazy): the show notes and the transcript's turns.
func (r *renderer) hydrate(ep *Episode) error {
	if !ep.lazy {
		return nil
	}
	src, err := fs.ReadFile(r.in.Project, ep.Source)
	if err != nil {
		return &Error{Pos: Pos{File: ep.Source}, Msg: "cannot read: " + unwrapPathErr(err).Error()}
	}
	// The same bytes give the same parse: the body is where it was.
	if sourceCRC(src) != ep.contentCRC || ep.bodyOff > len(src) {
		return &Error{Pos: Pos{File: ep.Source}, Msg: "changed while the site was building: build again"}
	}
	ep.src, ep.body, ep.lazy = src, src[ep.bodyOff:], false
	if t := ep.Transcript; t != nil && t.lazy {
		src, err := fs.ReadFile(r.in.Project, t.Source)
		if err != nil {
			return &Error{Pos: Pos{File: t.Source}, Msg: "cannot read: " + unwrapPathErr(err).Error()}
		}
		tr, _ := parseTranscript(t.Source, src) // its problems were Load's to report
		if tr == nil || sourceCRC(src) != t.crc {
			return &Error{Pos: Pos{File: t.Source}, Msg: "changed while the site was building: build again"}
		}
		tr.sum, tr.crc = t.sum, t.crc
		tr.prepare()
		ep.Transcript = tr
	}
	return nil
}

// listJobs returns the jobs for home pages, tags, guests, books and 404.
func (r *renderer) listJobs() []func() error {
	s := r.site
	var jobs []func() error
	per := s.Config.Paginate
	total := max(1, (len(s.Episodes)+per-1)/per)
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*per, min(n*per, len(s.Episodes))
		pager := &Pager{Number: n, Total: total}
		if n > 1 {
			pager.PrevPath = homePath(n - 1)
		}
		if n < total {
			pager.NextPath = homePath(n + 1)
		}
		title := ""
		if n > 1 {
			title = fmt.Sprintf("Page %d", n)
		}
		eps := s.Episodes[lo:hi]
		jobs = append(jobs, func() error {
			return r.page(&Page{Kind: "home", Title: title, Description: s.Config.Description, Path: homePath(n), Episodes: eps, Pager: pager})
		})
	}
	jobs = append(jobs,
		func() error {
			return r.page(&Page{Kind: "tags", Title: "Topics", Description: "Every topic on " + s.Config.Title + ".", Path: "tags/"})
		},
		func() error {
			return r.page(&Page{Kind: "guests", Title: "Guests", Description: "Everyone who has been a guest on " + s.Config.Title + ".", Path: "guests/"})
		},
		func() error {
			return r.page(&Page{Kind: "books", Title: "Books", Description: "Every book discussed on " + s.Config.Title + ".", Path: "books/"})
		},
		func() error {
			return r.page(&Page{Kind: "404", Title: "Page not found", Description: s.Config.Description})
		},
	)
	for _, t := range s.Tags {
		jobs = append(jobs, func() error {
			return r.page(&Page{Kind: "tag", Title: t.Name, Description: fmt.Sprintf("Episodes of %s about %s.", s.Config.Title, t.Name), Path: t.Path(), Tag: t, Episodes: t.Episodes})
		})
	}
	for _, g := range s.Guests {
		jobs = append(jobs, func() error {
			desc := g.Bio
			if desc == "" {
				desc = fmt.Sprintf("Episodes of %s with %s.", s.Config.Title, g.Name)
			}
			return r.page(&Page{Kind: "guest", Title: g.Name, Description: desc, Path: g.Path(), Person: g, Episodes: g.Episodes})
		})
	}
	return jobs
}

func homePath(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf("page/%d/", n)
}

// sitewide writes the files that describe the whole site.
func (r *renderer) sitewide(ctx context.Context) error {
	cfg := r.site.Config
	robots := "User-agent: *\nAllow: /\n\nSitemap: " + cfg.AbsURL("sitemap.xml") + "\n"
	if err := r.write("robots.txt", []byte(robots)); err != nil {
		return err
	}
	// Independent of each other: side by side they cost the longest of
	// them, which is most of an incremental build's last phase.
	return r.runJobs(ctx, []func() error{
		r.writeSearchIndex,
		r.sitemap,
		func() error { return r.feeds(ctx) },
	})
}

// copyFiles copies the theme's static/ and content assets verbatim.
func (r *renderer) copyFiles(ctx context.Context) error {
	type file struct {
		fsys     fs.FS
		src, dst string
	}
	var files []file
	err := fs.WalkDir(r.in.Theme, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == "static" {
				return fs.SkipDir
			}
			return err
		}
		if !d.IsDir() {
			files = append(files, file{r.in.Theme, p, strings.TrimPrefix(p, "static/")})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("theme static files: %w", err)
	}
	for _, a := range r.site.Assets {
		files = append(files, file{r.in.Project, a, strings.TrimPrefix(a, ContentDir+"/")})
	}
	var mu sync.Mutex
	var firstErr error
	runErr := forEach(ctx, len(files), func(i int) {
		f := files[i]
		data, err := fs.ReadFile(f.fsys, f.src)
		if err == nil {
			err = r.write(staticName(f.src, f.dst, data), data) // assets.go: css/js fingerprints
		}
		if err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}
	})
	if firstErr != nil {
		return firstErr
	}
	return runErr
}
