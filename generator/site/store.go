package site

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
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
const storeFormat = "shownotes render cache 5"

// NewPersistentCache returns an empty cache that SaveCache can write.
func NewPersistentCache() *Cache {
	c := NewCache()
	c.persist = true
	return c
}

// The saved cache is a part of plain binary records (encodeOutputs: the
// version, the output list, the output keys, feed items and search
// documents, which decode several times faster that way than with gob's
// reflection) and the content files in fileShards gob streams, by a hash
// of their path. The parts are encoded and decoded in parallel, and a
// shard none of whose files changed is written back as it was read: after
// an edit to one episode, one shard of sixteen is encoded again.
const fileShards = 16

type storedCache struct {
	Files map[string]storedFile
}

// fileShard is the shard path's entry is saved in.
func fileShard(path string) int { return int(crc32.ChecksumIEEE([]byte(path)) % fileShards) }

type storedFile struct {
	Size   int64
	Mod    int64 // Unix nanoseconds
	Parsed *storedParse
	TrPath string
	Tr     *Transcript // without turns: Source, Format
	TrSum  [32]byte
	TrCRC  uint32
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
	ContentCRC uint32
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

// partSum checksums a part: a damaged cache must give a cold build, never
// wrong pages, and CRC-32C costs a few milliseconds for 50 MB.
func partSum(p []byte) uint32 { return crc32.Checksum(p, crc32.MakeTable(crc32.Castagnoli)) }

// sourceCRC is the CRC-32C of a content file Load parsed. The renderer,
// reading the file again, compares it instead of a SHA-256: a check that
// the file did not change during the build, not a cache key, and the
// CRC is computed by the processor (a tenth of the cost).
func sourceCRC(src []byte) uint32 { return partSum(src) }

// SaveCache writes c for LoadCache. version identifies the renderer (see
// above). Only a persistent cache can be saved.
func SaveCache(w io.Writer, c *Cache, version string) error {
	if c == nil || !c.persist {
		return errors.New("render cache: not a persistent cache")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var parts [1 + fileShards][]byte
	var outputs sync.WaitGroup
	outputs.Go(func() { parts[0] = encodeOutputs(c, version) })
	shards, err := c.encodeShards()
	outputs.Wait()
	if err != nil {
		return err
	}
	copy(parts[1:], shards[:])
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := io.WriteString(bw, storeFormat+"\n"); err != nil {
		return err
	}
	for _, p := range parts {
		var head [12]byte
		binary.LittleEndian.PutUint64(head[:8], uint64(len(p)))
		binary.LittleEndian.PutUint32(head[8:], partSum(p))
		if _, err := bw.Write(head[:]); err != nil {
			return err
		}
		if _, err := bw.Write(p); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// encodeShards returns the saved form of every shard of files: as it was
// read or sealed if none of its files changed since, else encoded again
// (side by side). c.mu is held.
func (c *Cache) encodeShards() (parts [fileShards][]byte, err error) {
	var shards [fileShards]*storedCache
	for i := range shards {
		if c.shardRaw[i] != nil && !c.shardDirty[i] {
			parts[i] = c.shardRaw[i]
		} else {
			shards[i] = &storedCache{Files: make(map[string]storedFile, len(c.files)/fileShards+1)}
		}
	}
	for p, f := range c.files {
		if sh := shards[fileShard(p)]; sh != nil {
			sh.Files[p] = f.stored()
		}
	}
	var errs [fileShards]error
	var wg sync.WaitGroup
	for i, sh := range shards {
		if sh != nil {
			wg.Go(func() {
				var b bytes.Buffer
				errs[i] = gob.NewEncoder(&b).Encode(sh)
				parts[i] = b.Bytes()
			})
		}
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return parts, fmt.Errorf("render cache: %w", err)
	}
	return parts, nil
}

// seal readies a persistent cache, once Load is done with it, for the
// rest of a build that ends by saving it: the files this build did not
// read are dropped (as end would), the shards with a changed file are
// encoded now, and the parses, which nothing but Load asks for, are let
// go. Kept to the end of a build, 10,000 parses full of pointers were
// scanned by every collection (marking took 1.35-1.40 s of CPU in a cold
// build of 10,000 episodes, 1.17-1.30 s with the seal), and encoding them
// was most of what the build did after its last page. A Load with a sealed
// cache parses every file again. On an encoding error the cache stays as
// it was, and SaveCache reports it.
func (c *Cache) seal() {
	if c == nil || !c.persist {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropUnusedFiles()
	parts, err := c.encodeShards()
	if err != nil {
		return
	}
	c.shardRaw, c.shardDirty = parts, [fileShards]bool{}
	for _, f := range c.files {
		f.parsed, f.tr, f.trErrs = nil, nil, nil
	}
}

// stored is what SaveCache writes of f.
func (f *cachedFile) stored() storedFile {
	sf := storedFile{Size: f.size, Mod: f.mod.UnixNano(), TrPath: f.trPath, TrErrs: f.trErrs}
	if pf := f.parsed; pf != nil {
		sp := &storedParse{Errs: pf.errs}
		if ep, fm := pf.ep, pf.fm; ep != nil && fm != nil {
			sp.Ep, sp.BodyLine, sp.BodyOff, sp.ContentSum, sp.ContentCRC = ep, ep.bodyLine, ep.bodyOff, ep.contentSum, ep.contentCRC
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
		sf.TrSum, sf.TrCRC, sf.TrTime = t.sum, t.crc, t.Timed()
	}
	return sf
}

// LoadCache reads a cache SaveCache wrote with the same version. A cache of
// another format or version is not an error: it returns an empty
// persistent cache, and the build is a cold one.
func LoadCache(r io.Reader, version string) (*Cache, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return NewPersistentCache(), fmt.Errorf("render cache: %w", err)
	}
	return LoadCacheBytes(data, version)
}

// LoadCacheBytes is LoadCache from the saved bytes, which the cache keeps
// using (the shards of unchanged files are written back from them): they
// must not change until SaveCache has written the cache. The CLI passes a
// memory map of the file, which costs neither a copy nor heap.
func LoadCacheBytes(data []byte, version string) (*Cache, error) {
	rest, ok := bytes.CutPrefix(data, []byte(storeFormat+"\n"))
	if !ok {
		return NewPersistentCache(), nil
	}
	var parts [1 + fileShards][]byte
	for i := range parts {
		if len(rest) < 12 || binary.LittleEndian.Uint64(rest) > uint64(len(rest)-12) {
			return NewPersistentCache(), errors.New("render cache: truncated")
		}
		n, sum := binary.LittleEndian.Uint64(rest), binary.LittleEndian.Uint32(rest[8:])
		parts[i], rest = rest[12:12+n], rest[12+n:]
		if partSum(parts[i]) != sum {
			return NewPersistentCache(), errors.New("render cache: damaged")
		}
	}
	c := NewPersistentCache()
	var shards [fileShards]storedCache
	var errs [1 + fileShards]error
	var saved string // the version the cache was saved with
	var wg sync.WaitGroup
	for i := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[1+i] = gob.NewDecoder(bytes.NewReader(parts[1+i])).Decode(&shards[i])
		}()
	}
	saved, errs[0] = decodeOutputs(parts[0], c)
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return NewPersistentCache(), fmt.Errorf("render cache: %w", err)
	}
	if saved != version {
		return NewPersistentCache(), nil
	}
	for i, sh := range shards {
		for p, sf := range sh.Files {
			if fileShard(p) != i {
				return NewPersistentCache(), errors.New("render cache: a file in the wrong shard")
			}
			c.files[p] = sf.cachedFile()
		}
		// Written back as they are if no file in the shard changes.
		c.shardRaw[i] = parts[1+i]
	}
	return c, nil
}

// cachedFile rebuilds what Load's parse cache holds from what was saved.
func (sf storedFile) cachedFile() *cachedFile {
	f := &cachedFile{size: sf.Size, mod: time.Unix(0, sf.Mod), trPath: sf.TrPath, trErrs: sf.TrErrs}
	if sp := sf.Parsed; sp != nil {
		pf := &parsedFile{errs: sp.Errs}
		if ep := sp.Ep; ep != nil {
			ep.bodyLine, ep.bodyOff, ep.contentSum, ep.contentCRC, ep.lazy = sp.BodyLine, sp.BodyOff, sp.ContentSum, sp.ContentCRC, true
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
		t.sum, t.crc, t.timed, t.lazy = sf.TrSum, sf.TrCRC, sf.TrTime, true
		f.tr = t
	}
	return f
}

// encodeOutputs writes the version, the feed sizes, the output list, the
// page keys, the feed items (their links and where they were written) and
// the search documents:
//
//	version (uvarint length, bytes), 2 varints: feed.xml and feed.json sizes
//	uvarint count, then per output: name (length, bytes)
//	uvarint count, then per page: name (uvarint length, bytes), key (32 bytes)
//	uvarint count, then per item: key (32), uvarint count of links, per
//	                              link its dest (length, bytes) and line
//	                              (uvarint), then 4 varints: the offset
//	                              and length in feed.xml and in feed.json
//	uvarint count, then per doc:  key (32), tokens (length, bytes),
//	                              classes (length, bytes)
func encodeOutputs(c *Cache, version string) []byte {
	// Sized first: the part is tens of megabytes at 10,000 episodes, and
	// grown by doubling it was copied twice over.
	b := make([]byte, 0, outputsSize(c, version))
	str := func(s string) { b = append(binary.AppendUvarint(b, uint64(len(s))), s...) }
	str(version)
	b = binary.AppendVarint(b, c.feedSize[0])
	b = binary.AppendVarint(b, c.feedSize[1])
	b = binary.AppendUvarint(b, uint64(len(c.outputs)))
	for _, o := range c.outputs {
		str(o)
	}
	b = binary.AppendUvarint(b, uint64(len(c.pages)))
	for name, pg := range c.pages {
		str(name)
		b = append(b, pg.key[:]...)
	}
	b = binary.AppendUvarint(b, uint64(len(c.items)))
	for k, it := range c.items {
		b = append(b, k[:]...)
		b = binary.AppendUvarint(b, uint64(len(it.links)))
		for _, l := range it.links {
			str(l.Dest)
			b = binary.AppendUvarint(b, uint64(max(l.Line, 0)))
		}
		for _, sp := range it.at {
			b = binary.AppendVarint(b, sp.Off)
			b = binary.AppendVarint(b, sp.N)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(c.docs)))
	for k, d := range c.docs {
		d = d.packed()
		b = append(b, k[:]...)
		str(d.toks)
		str(string(d.cls))
	}
	return b
}

// outputsSize is the length encodeOutputs(c, version) will have, or a
// little more (lengths and line numbers are counted at up to two and four
// bytes of varint).
func outputsSize(c *Cache, version string) int {
	size := 64 + len(version)
	for _, o := range c.outputs {
		size += len(o) + 2
	}
	for name := range c.pages {
		size += len(name) + 35
	}
	for _, it := range c.items {
		size += 32 + 2 + 4*binary.MaxVarintLen64
		for _, l := range it.links {
			size += len(l.Dest) + 6
		}
	}
	for _, d := range c.docs {
		size += 32 + 2*binary.MaxVarintLen64 + len(d.cls)
		if d.tokens != nil {
			for t := range d.tokens {
				size += len(t) + 2 // separator, class
			}
		} else {
			size += len(d.toks)
		}
	}
	return size
}

// decodeOutputs reads what encodeOutputs wrote into c. Damage anywhere is
// an error (the build is then a cold one), never a panic.
func decodeOutputs(b []byte, c *Cache) (version string, err error) {
	bad := errors.New("outputs part damaged")
	r := &varintReader{b: b}
	key := func() (k [32]byte) {
		copy(k[:], r.raw(32))
		return k
	}
	version = string(r.raw(r.uvarint()))
	c.feedSize = [2]int64{r.varint(), r.varint()}
	n := r.count(1)
	if n > 0 {
		c.outputs = make([]string, n)
	}
	for i := range c.outputs {
		c.outputs[i] = string(r.raw(r.uvarint()))
	}
	n = r.count(33)
	c.pages = make(map[string]cachedPage, n)
	for range n {
		name := string(r.raw(r.uvarint()))
		c.pages[name] = cachedPage{key: key()}
	}
	n = r.count(37)
	for range n {
		k := key()
		it := &cachedItem{noItem: true}
		if links := r.count(2); links > 0 {
			it.links = make([]Link, links)
		}
		for i := range it.links {
			it.links[i] = Link{Dest: string(r.raw(r.uvarint())), Line: int(r.uvarint())}
		}
		for f := range it.at {
			it.at[f] = feedSpan{Off: r.varint(), N: r.varint()}
		}
		if r.bad {
			return "", bad
		}
		c.items[k] = it
	}
	n = r.count(34)
	c.docs = make(map[[32]byte]searchDoc, n)
	for range n {
		k := key()
		toks := string(r.raw(r.uvarint()))
		cls := bytes.Clone(r.raw(r.uvarint()))
		if r.bad {
			return "", bad
		}
		c.docs[k] = searchDoc{toks: toks, cls: cls}
	}
	if r.bad || len(r.b) != 0 {
		return "", bad
	}
	return version, nil
}

// varintReader reads encodeOutputs' layout; past the first damage it
// reads zeros and empty slices, and bad is set.
type varintReader struct {
	b   []byte
	bad bool
}

func (r *varintReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.b, r.bad = nil, true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *varintReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.b, r.bad = nil, true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *varintReader) raw(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.b, r.bad = nil, true
		return nil
	}
	x := r.b[:n:n]
	r.b = r.b[n:]
	return x
}

// count reads a record count, refusing one the bytes left cannot hold
// (each record takes at least size bytes): damage must not allocate.
func (r *varintReader) count(size int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/size) {
		r.b, r.bad = nil, true
		return 0
	}
	return int(n)
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
