package site

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The persistent render cache: what a Cache knows, saved between
// processes so that `shownotes build` after a small change does only the
// work the change needs. It holds no page and no source text: the pages
// are the previous build's output folder, unchanged pages left in place
// (ReuseOutput), and an episode that must be rendered again is read again.
// What it holds:
//
//   - per content file: size and modification time (the same test git and
//     make use), and for an episode its parse without the text (front
//     matter, positions, warnings, the hash of its bytes);
//   - per output file: the key of everything it was made from (pageKey,
//     feedKey; the keys cover the theme, site.toml and the generator);
//   - per feed item: the item without its notes, the links in the notes
//     and where it was written in feed.xml and feed.json;
//   - per episode: its search document.
//
// The file starts with a format line and the caller's version string (the
// CLI passes a hash of its own executable, so a new renderer never reuses
// an old renderer's pages); anything else means a cold build. Deleting the
// cache is always safe.

// storeFormat changes whenever the saved layout or the meaning of a key
// changes.
const storeFormat = "shownotes render cache 3"

// NewPersistentCache returns an empty cache that SaveCache can write.
func NewPersistentCache() *Cache {
	c := NewCache()
	c.persist = true
	return c
}

// storedCache is saved as two gob streams, encoded and decoded in
// parallel: the version and the content files, then the rest.
type storedCache struct {
	Version  string
	FeedSize [2]int64
	Files    map[string]storedFile
	Outputs  []string
}

type storedOutputs struct {
	Pages map[string][32]byte
	Items map[[32]byte]storedItem
	Docs  map[[32]byte]storedDoc
}

type storedFile struct {
	Size   int64
	Mod    int64 // Unix nanoseconds
	Parsed *storedParse
	TrPath string
	Tr     *Transcript // without turns: Source, Format
	TrSum  [32]byte
	TrTime bool // Transcript.Timed
	TrErrs ErrorList
}

// storedParse is a parsedFile: gob writes exported fields only, so what
// the parse keeps unexported is spelled out, and what the front matter
// shares with the episode is not written twice.
type storedParse struct {
	Ep         *Episode
	Pos        string // Episode.pos
	BodyLine   int
	BodyOff    int
	ContentSum string
	Slug       string // frontMatter.Slug, as written
	Guests     []*PersonInfo
	Hosts      []*PersonInfo
	Tags       []string
	TagPos     []Pos
	HasDate    bool
	HasDur     bool
	HostsSet   bool
	Errs       ErrorList
}

// packPos writes field positions as "field\x00line\x00col\x00" triples,
// sorted by field. An episode has dozens; as one string they cost a tenth
// of the memory of a map (10,000 episodes keep theirs for the whole
// build) and the render cache saves and loads them as they are. They are
// looked up only for problems, so a scan is fast enough.
func packPos(pos map[string]Pos) string {
	fields := make([]string, 0, len(pos))
	for f := range pos {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var b []byte
	for _, f := range fields {
		b = append(append(b, f...), 0)
		b = append(strconv.AppendInt(b, int64(pos[f].Line), 10), 0)
		b = append(strconv.AppendInt(b, int64(pos[f].Col), 10), 0)
	}
	return string(b)
}

// lookupPos finds field in a packPos string.
func lookupPos(packed, field string) (line, col int, ok bool) {
	for packed != "" {
		var f, l, c string
		f, packed, _ = strings.Cut(packed, "\x00")
		l, packed, _ = strings.Cut(packed, "\x00")
		c, packed, _ = strings.Cut(packed, "\x00")
		if f == field {
			line, _ = strconv.Atoi(l)
			col, _ = strconv.Atoi(c)
			return line, col, true
		}
	}
	return 0, 0, false
}

// storedItem is a cachedItem without the feed.Item, which the episode's
// metadata gives again for much less than decoding it would cost.
type storedItem struct {
	Links []Link
	At    [2]feedSpan
}

type storedDoc struct {
	Toks string
	Cls  []byte
}

// SaveCache writes c for LoadCache. version identifies the renderer (see
// above). Only a persistent cache can be saved.
func SaveCache(w io.Writer, c *Cache, version string) error {
	if c == nil || !c.persist {
		return errors.New("render cache: not a persistent cache")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st := storedCache{
		Version:  version,
		FeedSize: c.feedSize,
		Files:    make(map[string]storedFile, len(c.files)),
		Outputs:  c.outputs,
	}
	so := storedOutputs{
		Pages: make(map[string][32]byte, len(c.pages)),
		Items: make(map[[32]byte]storedItem, len(c.items)),
		Docs:  make(map[[32]byte]storedDoc, len(c.docs)),
	}
	for p, f := range c.files {
		sf := storedFile{Size: f.size, Mod: f.mod.UnixNano(), TrPath: f.trPath, TrErrs: f.trErrs}
		if pf := f.parsed; pf != nil {
			sp := &storedParse{Errs: pf.errs}
			if ep, fm := pf.ep, pf.fm; ep != nil && fm != nil {
				sp.Ep, sp.BodyLine, sp.BodyOff, sp.ContentSum = ep, ep.bodyLine, ep.bodyOff, ep.contentSum
				sp.Pos = ep.pos
				sp.Slug, sp.Guests, sp.Hosts, sp.Tags = fm.Slug, fm.Guests, fm.Hosts, fm.Tags
				sp.HasDate, sp.HasDur, sp.HostsSet = fm.hasDate, fm.hasDuration, fm.hostsSet
				for _, n := range fm.tagNodes {
					sp.TagPos = append(sp.TagPos, Pos{Line: n.line, Col: n.col})
				}
			}
			sf.Parsed = sp
		}
		if t := f.tr; t != nil {
			sf.Tr = &Transcript{Source: t.Source, Format: t.Format}
			sf.TrSum, sf.TrTime = t.sum, t.Timed()
		}
		st.Files[p] = sf
	}
	for name, pg := range c.pages {
		so.Pages[name] = pg.key
	}
	for k, it := range c.items {
		so.Items[k] = storedItem{Links: it.links, At: it.at}
	}
	for k, d := range c.docs {
		d = d.packed()
		so.Docs[k] = storedDoc{d.toks, d.cls}
	}
	var parts [2]bytes.Buffer
	var errs [2]error
	var wg sync.WaitGroup
	for i, v := range []any{&st, &so} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = gob.NewEncoder(&parts[i]).Encode(v)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return fmt.Errorf("render cache: %w", err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := io.WriteString(bw, storeFormat+"\n"); err != nil {
		return err
	}
	for _, p := range parts {
		if err := binary.Write(bw, binary.LittleEndian, uint64(p.Len())); err != nil {
			return err
		}
		if _, err := bw.Write(p.Bytes()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// LoadCache reads a cache SaveCache wrote with the same version. A cache of
// another format or version is not an error: it returns an empty
// persistent cache, and the build is a cold one.
func LoadCache(r io.Reader, version string) (*Cache, error) {
	c := NewPersistentCache()
	data, err := io.ReadAll(r)
	if err != nil {
		return c, fmt.Errorf("render cache: %w", err)
	}
	rest, ok := bytes.CutPrefix(data, []byte(storeFormat+"\n"))
	if !ok {
		return c, nil
	}
	var parts [2][]byte
	for i := range parts {
		if len(rest) < 8 || binary.LittleEndian.Uint64(rest) > uint64(len(rest)-8) {
			return c, errors.New("render cache: truncated")
		}
		n := binary.LittleEndian.Uint64(rest)
		parts[i], rest = rest[8:8+n], rest[8+n:]
	}
	var st storedCache
	var so storedOutputs
	var errs [2]error
	var wg sync.WaitGroup
	for i, v := range []any{&st, &so} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = gob.NewDecoder(bytes.NewReader(parts[i])).Decode(v)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return c, fmt.Errorf("render cache: %w", err)
	}
	if st.Version != version {
		return c, nil
	}
	c.outputs = st.Outputs
	c.feedSize = st.FeedSize
	for p0, sf := range st.Files {
		f := &cachedFile{size: sf.Size, mod: time.Unix(0, sf.Mod), trPath: sf.TrPath, trErrs: sf.TrErrs}
		if sp := sf.Parsed; sp != nil {
			pf := &parsedFile{errs: sp.Errs}
			if ep := sp.Ep; ep != nil {
				ep.bodyLine, ep.bodyOff, ep.contentSum, ep.lazy = sp.BodyLine, sp.BodyOff, sp.ContentSum, true
				ep.pos = sp.Pos
				// The front matter as parseEpisodeFile made it: the same
				// values (and the same Books, Image and Audio) as the
				// episode, plus what linking needs.
				fm := &frontMatter{
					Title: ep.Title, Summary: ep.Summary, Type: ep.Type, Slug: sp.Slug, GUID: ep.GUID,
					Date: ep.Date, hasDate: sp.HasDate, Number: ep.Number, Season: ep.Season,
					Guests: sp.Guests, Hosts: sp.Hosts, hostsSet: sp.HostsSet,
					Books: ep.Books, Image: ep.Image, Audio: ep.Audio,
					Duration: ep.Duration, hasDuration: sp.HasDur, Explicit: ep.Explicit,
					Tags: sp.Tags, Draft: ep.Draft, Chapters: ep.Chapters,
				}
				for _, tp := range sp.TagPos {
					fm.tagNodes = append(fm.tagNodes, &node{line: tp.Line, col: tp.Col})
				}
				pf.ep, pf.fm = ep, fm
			}
			f.parsed = pf
		}
		if t := sf.Tr; t != nil {
			t.sum, t.timed, t.lazy = sf.TrSum, sf.TrTime, true
			f.tr = t
		}
		c.files[p0] = f
	}
	for name, key := range so.Pages {
		c.pages[name] = cachedPage{key: key}
	}
	for k, it := range so.Items {
		c.items[k] = &cachedItem{links: it.Links, at: it.At, noItem: true}
	}
	c.docs = make(map[[32]byte]searchDoc, len(so.Docs))
	for k, d := range so.Docs {
		c.docs[k] = searchDoc{toks: d.Toks, cls: d.Cls}
	}
	return c, nil
}

// Entries is how many output files the cache knows; 0 for an empty cache.
func (c *Cache) Entries() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pages)
}

// Outputs lists, sorted, every file the last build wrote or kept: what
// an output folder updated in place holds, so that files of deleted pages
// can be removed without walking it.
func (c *Cache) Outputs() []string {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.outputs
}

func (c *Cache) setOutputs(written map[string]bool) {
	if c == nil || !c.persist {
		return
	}
	names := make([]string, 0, len(written))
	for n := range written {
		names = append(names, n)
	}
	sort.Strings(names)
	c.mu.Lock()
	c.outputs = names
	c.mu.Unlock()
}
