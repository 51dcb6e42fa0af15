package site

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io/fs"
	"strconv"
	"sync"
	"time"

	"shownotes/generator/feed"
)

// Cache keeps the work of one build for the next build of the same project
// in the same process (the dev server): files read, episodes parsed, pages
// rendered and feed items made. A build with a Cache re-reads only files
// whose size or modification time changed, re-parses only those, and
// re-renders only pages whose inputs changed; everything else is reused.
//
// What a page's inputs are is decided by pageKey: the theme and site.toml
// (any change to either re-renders every page), the page's own fields, its
// episode's file, transcript, neighbours, guests, hosts, tags and books, and
// for list pages the same for every listed episode. Index pages (topics,
// guests, books, search) depend on the whole index they list.
//
// A Cache is safe for use by one build at a time.
type Cache struct {
	mu    sync.Mutex
	files map[string]*cachedFile
	pages map[string]cachedPage
	items map[[32]byte]*cachedItem
	// used counts, per build, which entries were touched; the rest are
	// dropped at the end of the build so the cache never outgrows the site.
	usedPages map[string]bool
	usedItems map[[32]byte]bool
	usedFiles map[string]bool
	docs      map[[32]byte]searchDoc
	usedDocs  map[[32]byte]bool

	// persist marks a cache that is saved between processes (see
	// store.go). It keeps no page bytes and no sources: an unchanged page
	// is the previous build's file, left where it is (ReuseOutput), and an
	// unchanged feed item is found again in the previous feed.xml and
	// feed.json.
	persist bool
	// feedSize is the size of feed.xml and feed.json as the last build
	// wrote them; prevFeed holds them, read back, while a build runs.
	feedSize [2]int64
	prevFeed [2][]byte
	outputs  []string // see Outputs
	// shardRaw holds each saved shard of files as LoadCache read it or
	// seal encoded it, and shardDirty marks the shards with a file added,
	// changed or dropped since: SaveCache writes the others as they are.
	shardRaw   [fileShards][]byte
	shardDirty [fileShards]bool
}

// dropUnusedFiles forgets the files this build did not read (deleted
// episodes). c.mu is held.
func (c *Cache) dropUnusedFiles() {
	for k := range c.files {
		if !c.usedFiles[k] {
			delete(c.files, k)
			c.changedFile(k)
		}
	}
}

// changedFile marks the shard of a file whose entry changed. c.mu is held.
func (c *Cache) changedFile(p string) { c.shardDirty[fileShard(p)] = true }

// lean reports whether a build with this cache keeps only what linking
// needs of each episode, reading its text again to render it: always,
// except with a dev server's cache, which holds the text anyway. A nil
// *Cache is no cache.
func (c *Cache) lean() bool { return c == nil || c.persist }

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{files: map[string]*cachedFile{}, pages: map[string]cachedPage{}, items: map[[32]byte]*cachedItem{}}
}

type cachedFile struct {
	size int64
	mod  time.Time
	src  []byte // nil in a persistent cache
	// parsed is the pristine parse of an episode file (never linked: each
	// build works on a fresh copy); trPath is the transcript it was parsed
	// with ("" for none). In a persistent cache both are kept without
	// their text (Episode.lazy, Transcript.lazy).
	parsed *parsedFile
	trPath string
	tr     *Transcript
	trErrs ErrorList
}

type cachedPage struct {
	key  [32]byte
	data []byte
}

func (c *Cache) begin() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.usedPages, c.usedItems, c.usedFiles = map[string]bool{}, map[[32]byte]bool{}, map[string]bool{}
	c.usedDocs = map[[32]byte]bool{}
	if c.docs == nil {
		c.docs = map[[32]byte]searchDoc{}
	}
	c.mu.Unlock()
}

// end drops what this build did not use (deleted episodes, old versions).
func (c *Cache) end() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prevFeed = [2][]byte{} // the output may release them once the build ends
	for k := range c.pages {
		if !c.usedPages[k] {
			delete(c.pages, k)
		}
	}
	for k := range c.items {
		if !c.usedItems[k] {
			delete(c.items, k)
		}
	}
	c.dropUnusedFiles()
	for k := range c.docs {
		if !c.usedDocs[k] {
			delete(c.docs, k)
		}
	}
}

func (c *Cache) searchDoc(key [32]byte) (searchDoc, bool) {
	if c == nil {
		return searchDoc{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.usedDocs[key] = true
	d, ok := c.docs[key]
	return d, ok
}

func (c *Cache) storeSearchDoc(key [32]byte, d searchDoc) {
	if c == nil {
		return
	}
	if c.persist {
		d = d.packed() // a map per episode would be most of the memory
	}
	c.mu.Lock()
	c.docs[key] = d
	c.mu.Unlock()
}

// read returns a file's bytes, from the cache when its size and
// modification time are unchanged. hit reports a cache hit; a persistent
// cache keeps no bytes, so a hit there returns nil src: the caller reads
// the file (readLimited) only if the cached parse cannot be used.
func (c *Cache) read(fsys fs.FS, p string, d fs.DirEntry) (src []byte, hit bool, err error) {
	info, statErr := d.Info()
	if c != nil && statErr == nil {
		c.mu.Lock()
		f := c.files[p]
		c.usedFiles[p] = true
		c.mu.Unlock()
		if f != nil && f.size == info.Size() && f.mod.Equal(info.ModTime()) {
			return f.src, true, nil
		}
	}
	src, err = readLimited(fsys, p, d)
	if err != nil || c == nil || statErr != nil {
		return src, false, err
	}
	f := &cachedFile{size: info.Size(), mod: info.ModTime()}
	if !c.persist {
		f.src = src
	}
	c.mu.Lock()
	c.files[p] = f
	c.changedFile(p)
	c.mu.Unlock()
	return src, false, nil
}

// parsed returns the cached parse of an episode file and its transcript,
// if both files were cache hits (read) and the transcript is the one the
// parse was made with.
func (c *Cache) parsed(p string, hit bool, trPath string, trHit bool) (*parsedFile, *Transcript, ErrorList, bool) {
	if c == nil || !hit || (trPath != "" && !trHit) {
		return nil, nil, nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.files[p]
	if f == nil || f.parsed == nil || f.trPath != trPath {
		return nil, nil, nil, false
	}
	return f.parsed.fresh(), f.tr, f.trErrs, true
}

// linkedFrontMatter returns the front matter of the cached parse of the
// episode file p if that parse is of the bytes with content hash sum, the
// ones the last Load linked; else nil. The caller must not change it.
func (c *Cache) linkedFrontMatter(p, sum string) *frontMatter {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.files[p]
	if f == nil || f.parsed == nil || f.parsed.ep == nil || f.parsed.ep.contentSum != sum {
		return nil
	}
	return f.parsed.fm
}

// storeParsed keeps the parse of a file read this build (src is what was
// parsed). A persistent cache keeps it without the text.
func (c *Cache) storeParsed(p string, src []byte, pf *parsedFile, trPath string, tr *Transcript, trErrs ErrorList) {
	if c == nil {
		return
	}
	if c.persist {
		pf, tr = pf.withoutText(), tr.withoutText()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.files[p]; f != nil && (c.persist || sameBytes(f.src, src)) {
		f.parsed, f.trPath, f.tr, f.trErrs = pf, trPath, tr, trErrs
		c.changedFile(p)
	}
}

// sameBytes is identity, not equality: the cache hands out the slice it
// holds, so an unchanged file is the same slice.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0]
}

func (c *Cache) page(name string, key [32]byte) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.usedPages[name] = true
	p, ok := c.pages[name]
	if !ok || p.key != key {
		return nil, false
	}
	return p.data, true
}

func (c *Cache) storePage(name string, key [32]byte, data []byte) {
	if c == nil {
		return
	}
	if c.persist {
		data = nil // the file itself, in the output, is the cache
	}
	c.mu.Lock()
	c.pages[name] = cachedPage{key, data}
	c.mu.Unlock()
}

// cachedItem is an episode's feed item and the links in its notes.
type cachedItem struct {
	item  feed.Item
	rss   []byte // the item as feed.EncodeItem writes it, with its notes
	json  []byte // the same for feed.EncodeJSONItem
	links []Link
	// In a persistent cache rss and json are not kept: at[f] is where the
	// last build wrote them in feed.xml (f = 0) and feed.json (f = 1).
	at [2]feedSpan
	// noItem: item was not saved (store.go); the build makes it again.
	noItem bool
}

// feedSpan is a byte range of a file; n == 0: none.
type feedSpan struct{ Off, N int64 }

// itemBytes returns the encoded item in format f (0 rss, 1 json): the
// bytes made this build, else the range of the previous build's feed.
func (c *Cache) itemBytes(it *cachedItem, f int) []byte {
	if b := [2][]byte{it.rss, it.json}[f]; b != nil {
		return b
	}
	if c == nil {
		return nil
	}
	prev, at := c.prevFeed[f], it.at[f]
	if at.N == 0 || at.Off < 0 || at.Off+at.N > int64(len(prev)) {
		return nil
	}
	return prev[at.Off : at.Off+at.N]
}

// itemWritten records where the item went in this build's feed file.
func (c *Cache) itemWritten(it *cachedItem, f int, off, n int64) {
	if c != nil && c.persist {
		c.mu.Lock()
		it.at[f] = feedSpan{off, n}
		c.mu.Unlock()
	}
}

func (c *Cache) item(key [32]byte) *cachedItem {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.usedItems[key] = true
	return c.items[key]
}

func (c *Cache) storeItem(key [32]byte, it *cachedItem) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.items[key] = it
	c.mu.Unlock()
}

// fresh copies a cached parse so linking (which fills guests, tags, books
// and neighbours, and media, which fills audio values) never changes the
// cached original.
func (pf *parsedFile) fresh() *parsedFile {
	if pf.ep == nil || pf.fm == nil {
		return pf
	}
	fm := *pf.fm
	fm.Books = make([]*Book, len(pf.fm.Books))
	for i, b := range pf.fm.Books {
		cp := *b
		cp.Episodes, cp.source = nil, ""
		fm.Books[i] = &cp
	}
	if pf.fm.Audio != nil {
		a := *pf.fm.Audio
		fm.Audio = &a
	}
	if pf.fm.Image != nil {
		im := *pf.fm.Image
		fm.Image = &im
	}
	ep := *pf.ep
	ep.Books, ep.Audio, ep.Image = fm.Books, fm.Audio, fm.Image
	ep.Guests, ep.Hosts, ep.Tags = nil, nil, nil
	ep.Prev, ep.Next, ep.Transcript = nil, nil, nil
	ep.Scheduled, ep.content = false, ""
	return &parsedFile{ep: &ep, fm: &fm, errs: pf.errs}
}

// withoutText is the parse as a persistent cache keeps it: without the
// file's text, which a build reads again only for an episode it renders
// (renderer.hydrate).
func (pf *parsedFile) withoutText() *parsedFile {
	if pf.ep == nil {
		return pf
	}
	cp := *pf
	ep := *pf.ep
	ep.src, ep.body, ep.lazy = nil, nil, true
	cp.ep = &ep
	return &cp
}

// withoutText is the transcript without its turns (see
// parsedFile.withoutText).
func (t *Transcript) withoutText() *Transcript {
	if t == nil {
		return nil
	}
	cp := *t
	cp.timed = t.Timed()
	cp.Turns, cp.lazy = nil, true
	return &cp
}

// keyWriter builds cache keys: length-prefixed fields into SHA-256, so
// "ab"+"c" and "a"+"bc" differ. Fields are gathered in a buffer and
// hashed in one go: converting each string for Write cost more than the
// hashing.
type keyWriter struct {
	h   hash.Hash
	buf []byte
}

func newKey() *keyWriter { return &keyWriter{h: sha256.New(), buf: make([]byte, 0, 512)} }

func (k *keyWriter) str(s string) *keyWriter {
	k.buf = binary.LittleEndian.AppendUint64(k.buf, uint64(len(s)))
	k.buf = append(k.buf, s...)
	if len(k.buf) >= 32<<10 {
		k.h.Write(k.buf)
		k.buf = k.buf[:0]
	}
	return k
}

func (k *keyWriter) int(i int64) *keyWriter { return k.str(strconv.FormatInt(i, 10)) }

func (k *keyWriter) sum() (out [32]byte) {
	k.h.Write(k.buf)
	k.buf = k.buf[:0]
	copy(out[:], k.h.Sum(nil))
	return out
}

// episodeKey covers everything about an episode that its page, its card
// on list pages and its feed item show.
func episodeKey(k *keyWriter, ep *Episode) {
	k.str(ep.Source).str(ep.contentSum).str(ep.Slug)
	k.int(ep.Date.UnixNano()).str(ep.Date.Format(time.RFC3339))
	k.int(int64(ep.Duration)).str(strconv.FormatBool(ep.Scheduled))
	if a := ep.Audio; a != nil {
		k.str(a.URL).int(a.Length).str(a.Type).str(a.File)
	}
	if t := ep.Transcript; t != nil {
		k.str(t.Source).str(string(t.sum[:]))
	}
	for _, n := range []*Episode{ep.Prev, ep.Next} {
		if n == nil {
			k.str("-")
			continue
		}
		k.str(n.Slug).str(n.Title).int(n.Date.UnixNano())
	}
	for _, group := range [][]*Person{ep.Guests, ep.Hosts} {
		k.int(int64(len(group)))
		for _, p := range group {
			k.str(p.Name).str(p.Slug).str(p.URL).str(p.Bio).str(p.Img).str(p.Role)
		}
	}
	k.int(int64(len(ep.Tags)))
	for _, t := range ep.Tags {
		k.str(t.Name).str(t.Slug)
	}
	k.int(int64(len(ep.Books)))
	for _, b := range ep.Books {
		k.str(b.Title).str(b.Author).str(b.URL).str(b.ISBN).str(b.Slug)
	}
	k.int(int64(len(ep.Chapters)))
	for _, c := range ep.Chapters {
		k.int(int64(c.Start)).str(c.Title).str(c.URL).str(c.Img)
	}
}

// siteIndexKey covers the indexes that topic, guest, book and search pages
// list.
func siteIndexKey(k *keyWriter, s *Site) {
	k.int(int64(len(s.Tags)))
	for _, t := range s.Tags {
		k.str(t.Name).str(t.Slug).int(int64(len(t.Episodes)))
	}
	k.int(int64(len(s.Guests)))
	for _, g := range s.Guests {
		k.str(g.Name).str(g.Slug).str(g.URL).str(g.Bio).str(g.Img).int(int64(len(g.Episodes)))
	}
	k.int(int64(len(s.Books)))
	for _, b := range s.Books {
		k.str(b.Title).str(b.Author).str(b.URL).str(b.ISBN).str(b.Slug)
		for _, ep := range b.Episodes {
			k.str(ep.Slug).str(ep.Title).int(ep.Date.UnixNano())
		}
	}
}

// keys computes the per-build key parts: the global key (theme files,
// site.toml, flags), every episode's key and the site index key.
func (r *renderer) keys(theme fs.FS) {
	if r.cache == nil {
		return
	}
	k := newKey().str(Generator).str(strconv.FormatBool(r.preview))
	k.str(string(r.site.Config.src))
	_ = fs.WalkDir(theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, _ := fs.ReadFile(theme, p)
		k.str(p).str(string(data))
		return nil
	})
	g := k.sum()
	r.globalKey = string(g[:])
	r.epKeys = make(map[*Episode][32]byte, len(r.site.Episodes))
	for _, ep := range r.site.Episodes {
		ek := newKey()
		episodeKey(ek, ep)
		r.epKeys[ep] = ek.sum()
	}
	ik := newKey()
	siteIndexKey(ik, r.site)
	i := ik.sum()
	r.indexKey = string(i[:])
}

func (r *renderer) itemKey(ep *Episode) [32]byte {
	if r.cache == nil {
		return [32]byte{}
	}
	ek := r.epKeys[ep]
	return newKey().str(r.globalKey).str("item").str(string(ek[:])).sum()
}

// pageKey is the key of everything a page's template reads.
func (r *renderer) pageKey(p *Page) [32]byte {
	if r.cache == nil {
		return [32]byte{}
	}
	k := newKey().str(r.globalKey).str(p.Kind).str(p.Title).str(p.Description).str(p.Path)
	if pg := p.Pager; pg != nil {
		k.int(int64(pg.Number)).int(int64(pg.Total)).str(pg.PrevPath).str(pg.NextPath)
	}
	if p.Episode != nil {
		ek := r.epKeys[p.Episode]
		k.str(string(ek[:]))
	}
	k.int(int64(len(p.Episodes)))
	for _, ep := range p.Episodes {
		ek := r.epKeys[ep]
		k.str(string(ek[:]))
	}
	if t := p.Tag; t != nil {
		k.str(t.Name).str(t.Slug)
	}
	if g := p.Person; g != nil {
		k.str(g.Name).str(g.Slug).str(g.URL).str(g.Bio).str(g.Img)
	}
	switch p.Kind {
	case "tags", "guests", "books", "search":
		k.str(r.indexKey)
	}
	return k.sum()
}
