package site

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/gosimple/unidecode"
	"golang.org/x/text/unicode/norm"
)

// Site search without a server. The build writes /search/ (a page whose
// script, js/search.js, loads the index only when the search box gets
// focus or the first keystroke) and a sharded inverted index under
// search/:
//
//	search/index.json   the manifest: shard prefix length p, the shard keys
//	                    that exist, the number of documents, the doc chunk
//	                    size and the stop words (so the page's script drops
//	                    the same words from queries)
//	search/s-KEY.json   postings of every token whose first p characters
//	                    are KEY ("s-all.json" when p is 0): token -> "A;B",
//	                    two lists of document numbers, delta-encoded in
//	                    base 36; A: the token is in the title, a guest,
//	                    a book or a topic, B: only in the summary or notes
//	search/d-N.json     documents N*c .. N*c+c-1, newest first:
//	                    [path, title, date, summary, guests]
//
// A query loads the manifest, then one shard per distinct query term
// prefix, then the doc chunks of the results it shows. p grows with the
// index (0 for a small show: one file; 1, then 2 characters), so at 10,000
// episodes a keystroke fetches a few small shards, never the whole index.
// Tokens are lower-cased, diacritics removed (NFD without combining
// marks), stop words and one-character tokens dropped; non-Latin tokens are
// also indexed transliterated ("ольга" and "olga"). Prefix matches count
// (as-you-type); every query term must match.

const (
	searchDir        = "search/"
	searchChunk      = 100        // documents per d-N.json (~20 KB)
	searchOneShard   = 48 << 10   // up to this many bytes of postings: one shard
	searchShortShard = 1536 << 10 // up to this many: shards by first character
	searchSummary    = 140        // runes of summary kept for result lists
)

// searchJobs are the render jobs for the search page and its index.
func (r *renderer) searchJobs() []func() error {
	s := r.site
	return []func() error{
		func() error {
			return r.page(&Page{Kind: "search", Title: "Search", Description: "Search every episode of " + s.Config.Title + " by title, guest, book, topic or words from the show notes.", Path: searchDir})
		},
	}
}

// searchDoc is what the index knows of one episode.
type searchDoc struct {
	tokens map[string]uint8 // token -> searchStrong | searchWeak
	// The packed form a persistent cache keeps instead of the map: the
	// tokens, sorted, each followed by a byte 0; cls[i] is the class of
	// the i-th token.
	toks string
	cls  []byte
}

// packed returns d in its packed form.
func (d searchDoc) packed() searchDoc {
	if d.tokens == nil {
		return d
	}
	keys := make([]string, 0, len(d.tokens))
	n := 0
	for t := range d.tokens {
		keys = append(keys, t)
		n += len(t) + 1
	}
	sort.Strings(keys)
	b := make([]byte, 0, n)
	cls := make([]byte, len(keys))
	for i, t := range keys {
		b = append(append(b, t...), 0)
		cls[i] = d.tokens[t]
	}
	return searchDoc{toks: string(b), cls: cls}
}

// each calls fn for every token of d with its class.
func (d searchDoc) each(fn func(tok string, cls uint8)) {
	if d.tokens != nil {
		for t, c := range d.tokens {
			fn(t, c)
		}
		return
	}
	rest := d.toks
	for i := 0; rest != ""; i++ {
		t, after, _ := strings.Cut(rest, "\x00")
		fn(t, d.cls[i])
		rest = after
	}
}

const (
	searchStrong uint8 = 1 << iota // title, guests, books, topics
	searchWeak                     // summary and show notes
)

// buildSearchIndex returns the index files (names relative to the output
// root) for eps, which are in display order (newest first): document n is
// eps[n].
func buildSearchIndex(eps []*Episode, docs []searchDoc) (map[string][]byte, error) {
	post := newPostings()
	if docs == nil {
		_ = forEach(context.Background(), len(eps), func(i int) {
			post.add(i, indexEpisode(eps[i]))
		})
	} else {
		for n, d := range docs {
			post.add(n, d)
		}
	}
	return post.files(eps)
}

// postings gathers, per token, the documents that hold it strongly (a)
// and weakly (b). Documents can be added in any order and from many
// goroutines: an episode job adds its own as it renders, so the
// per-episode token sets never all exist at once.
type postings struct {
	mu   sync.Mutex
	post map[string]*postingLists
}

type postingLists struct{ a, b []int }

func newPostings() *postings { return &postings{post: map[string]*postingLists{}} }

func (pl *postings) add(n int, d searchDoc) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	d.each(func(tok string, cls uint8) {
		l := pl.post[tok]
		if l == nil {
			l = &postingLists{}
			pl.post[tok] = l
		}
		if cls&searchStrong != 0 {
			l.a = append(l.a, n)
		} else {
			l.b = append(l.b, n)
		}
	})
}

// files encodes the index: sharded postings, result rows, the manifest.
func (pl *postings) files(eps []*Episode) (map[string][]byte, error) {
	post := pl.post
	encoded := make(map[string]string, len(post))
	total := 0
	for tok, l := range post {
		sort.Ints(l.a)
		sort.Ints(l.b)
		v := deltas(l.a)
		if len(l.b) > 0 {
			v += ";" + deltas(l.b)
		}
		encoded[tok] = v
		total += len(tok) + len(v) + 6
	}
	p := 2
	switch {
	case total <= searchOneShard:
		p = 0
	case total <= searchShortShard:
		p = 1
	}
	shards := map[string]map[string]string{}
	for tok, v := range encoded {
		k := searchShardKey(tok, p)
		if shards[k] == nil {
			shards[k] = map[string]string{}
		}
		shards[k][tok] = v
	}

	files := map[string][]byte{}
	keys := make([]string, 0, len(shards))
	for k, m := range shards {
		keys = append(keys, k)
		b, err := compactJSON(m)
		if err != nil {
			return nil, err
		}
		files[searchDir+"s-"+k+".json"] = b
	}
	sort.Strings(keys)
	for lo := 0; lo < len(eps); lo += searchChunk {
		var rows [][5]string
		for _, ep := range eps[lo:min(lo+searchChunk, len(eps))] {
			var guests []string
			for _, g := range ep.Guests {
				guests = append(guests, g.Name)
			}
			rows = append(rows, [5]string{ep.Path(), ep.Title, ep.Date.Format("2 January 2006"), clip(ep.Summary, searchSummary), strings.Join(guests, ", ")})
		}
		b, err := compactJSON(rows)
		if err != nil {
			return nil, err
		}
		files[fmt.Sprintf("%sd-%d.json", searchDir, lo/searchChunk)] = b
	}
	stop := make([]string, 0, len(stopWords))
	for w := range stopWords {
		stop = append(stop, w)
	}
	sort.Strings(stop)
	manifest := struct {
		V    int      `json:"v"`
		P    int      `json:"p"`
		N    int      `json:"n"`
		C    int      `json:"c"`
		S    []string `json:"s"`
		Stop []string `json:"stop"`
	}{1, p, len(eps), searchChunk, keys, stop}
	b, err := compactJSON(manifest)
	if err != nil {
		return nil, err
	}
	files[searchDir+"index.json"] = b
	return files, nil
}

// indexEpisode collects the tokens of one episode with their class.
func indexEpisode(ep *Episode) searchDoc {
	d := newDocTokens()
	d.index(ep)
	return searchDoc{tokens: d.tokens}
}

// indexPacked is indexEpisode(ep).packed(), made in token maps an earlier
// episode used, cleared (a persistent cache keeps documents packed, and
// two maps grown per episode were a twentieth of what a build allocated).
func (r *renderer) indexPacked(ep *Episode) searchDoc {
	d, _ := r.tokenMaps.Get().(*docTokens)
	if d == nil {
		d = newDocTokens()
	}
	d.index(ep)
	doc := searchDoc{tokens: d.tokens}.packed()
	clear(d.tokens)
	clear(d.words)
	r.tokenMaps.Put(d)
	return doc
}

func newDocTokens() *docTokens {
	return &docTokens{tokens: make(map[string]uint8, 256), words: make(map[string]uint8, 512)}
}

// index adds the tokens of ep.
func (d *docTokens) index(ep *Episode) {
	d.add(ep.Title, searchStrong)
	for _, g := range ep.Guests {
		d.add(g.Name, searchStrong)
	}
	for _, b := range ep.Books {
		d.add(b.Title, searchStrong)
		d.add(b.Author, searchStrong)
	}
	for _, t := range ep.Tags {
		d.add(t.Name, searchStrong)
	}
	d.add(ep.Summary, searchWeak)
	d.add(markdownText(ep.body), searchWeak)
}

// docTokens is the token set of one document being indexed. Show notes
// repeat their words: words remembers each word as written with the
// classes it was added with, so a repeated word costs one map lookup
// instead of folding, the stop-word check and the token set (together a
// twentieth of a cold build).
type docTokens struct {
	tokens map[string]uint8 // folded, kept token -> classes
	words  map[string]uint8 // word as searchWords found it -> classes added
}

func (d *docTokens) add(s string, cls uint8) {
	searchWords(s, func(w string, ascii bool) {
		if d.words[w]&cls == cls {
			return
		}
		d.words[w] |= cls
		foldWord(w, ascii, func(t string) { d.tokens[t] |= cls })
	})
}

// markdownText is the words of Markdown show notes, good enough for an
// index: link destinations, reference definitions, footnote references,
// URLs and HTML tags are blanked (punctuation is dropped by the tokenizer).
// One pass, no regular expressions: it reads every byte of every episode.
func markdownText(md []byte) string {
	out := make([]byte, 0, len(md))
	lineStart := true
	for i := 0; i < len(md); {
		c := md[i]
		switch {
		case lineStart && refDefAt(md, i):
			for i < len(md) && md[i] != '\n' {
				i++
			}
			continue
		case c == ']' && i+1 < len(md) && md[i+1] == '(':
			if j := indexByteLine(md, i+2, ')'); j >= 0 {
				out = append(out, ' ')
				i = j + 1
				lineStart = false
				continue
			}
		case c == '[' && i+1 < len(md) && md[i+1] == '^':
			if j := indexByteLine(md, i+2, ']'); j >= 0 {
				out = append(out, ' ')
				i = j + 1
				continue
			}
		case c == '<':
			if j := indexByteLine(md, i+1, '>'); j > i+1 && md[i+1] != ' ' {
				out = append(out, ' ')
				i = j + 1
				continue
			}
		case (c == 'h' || c == 'm') && urlAt(md, i):
			for i < len(md) && md[i] != ' ' && md[i] != '\n' && md[i] != '\t' {
				i++
			}
			out = append(out, ' ')
			continue
		}
		out = append(out, c)
		lineStart = c == '\n'
		i++
	}
	return string(out)
}

// indexByteLine is the index of c in b from i on, before the next line
// break; -1 if there is none.
func indexByteLine(b []byte, i int, c byte) int {
	for ; i < len(b) && b[i] != '\n'; i++ {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// refDefAt reports whether a link reference definition ("[ref]: url")
// starts at b[i], the start of a line.
func refDefAt(b []byte, i int) bool {
	for n := 0; n < 3 && i < len(b) && b[i] == ' '; n++ {
		i++
	}
	if i >= len(b) || b[i] != '[' {
		return false
	}
	j := indexByteLine(b, i+1, ']')
	return j > i+1 && j+1 < len(b) && b[j+1] == ':'
}

func urlAt(b []byte, i int) bool {
	rest := b[i:]
	return bytes.HasPrefix(rest, []byte("https://")) || bytes.HasPrefix(rest, []byte("http://")) || bytes.HasPrefix(rest, []byte("mailto:"))
}

// searchTokens calls add for each index token of s. js/search.js splits
// queries the same way.
func searchTokens(s string, add func(string)) {
	searchWords(s, func(w string, ascii bool) { foldWord(w, ascii, add) })
}

// searchWords calls word for each word of s: a run of letters and digits
// (a combining mark continues one). With ascii, s was all ASCII and the
// word is already lower-cased; otherwise it is as written.
//
// Words are found in s as written and folded one by one (foldWord):
// folding the whole text (NFD of every character when one is not ASCII)
// was most of indexing a show.
func searchWords(s string, word func(w string, ascii bool)) {
	if s == "" {
		return
	}
	ascii := isASCII(s)
	if ascii {
		s = strings.ToLower(s)
	}
	start := -1
	emit := func(end int) {
		if start >= 0 {
			word(s[start:end], ascii)
			start = -1
		}
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			if c := s[i]; 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
				if start < 0 {
					start = i
				}
				continue
			}
			emit(i)
		}
	} else {
		for i, c := range s {
			if unicode.IsLetter(c) || unicode.IsNumber(c) || start >= 0 && unicode.Is(unicode.Mn, c) {
				if start < 0 {
					start = i
				}
				continue
			}
			emit(i)
		}
	}
	emit(len(s))
}

// foldWord calls add with the index token of a word searchWords found,
// if it is kept, and with the tokens of its transliteration.
func foldWord(w string, ascii bool, add func(string)) {
	t := w
	if !ascii {
		t = searchFold(t)
	}
	if !searchKeep(t) {
		return
	}
	add(t)
	if !isASCII(t) {
		// "ольга" -> "ol'ga" -> "olga", as in slugs
		tr := strings.ToLower(strings.ReplaceAll(unidecode.Unidecode(t), "'", ""))
		if tr != t {
			searchTokens(tr, add)
		}
	}
}

// searchFold lower-cases s and removes diacritics: NFD, then no combining
// marks (JavaScript: s.normalize("NFD").replace(/\p{Mn}/gu, "")).
func searchFold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, c := range d {
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// searchKeep says whether a folded token goes into the index: at least two
// characters, not a stop word, not absurdly long, and numbers only with
// three or more digits and no leading zero (years, not timestamps).
func searchKeep(t string) bool {
	n := utf8.RuneCountInString(t)
	if n < 2 || n > 32 || stopWords[t] {
		return false
	}
	if allDigits(t) && (n < 3 || t[0] == '0') {
		return false
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// searchShardKey is the shard of a token: its first p characters, each
// a-z or 0-9 as it is and anything else as _ and its hex code point, so
// file names stay ASCII ("ол" -> "_43e_43b"). p = 0 is the single shard
// "all".
func searchShardKey(tok string, p int) string {
	if p == 0 {
		return "all"
	}
	var b strings.Builder
	for _, c := range tok {
		if p == 0 {
			break
		}
		p--
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteString("_" + strconv.FormatInt(int64(c), 16))
		}
	}
	return b.String()
}

// deltas encodes ascending numbers as base-36 gaps: 3,5,40 -> "3,2,z".
func deltas(ns []int) string {
	var b strings.Builder
	prev := 0
	for i, n := range ns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(int64(n-prev), 36))
		prev = n
	}
	return b.String()
}

// clip shortens s to at most n runes, at a word boundary, with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

func compactJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// stopWords are left out of the index and of queries: common English
// words that match nearly every episode.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how if in into
is it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves`) {
		m[w] = true
	}
	return m
}()

// searchDocs indexes every episode, reusing the cache's documents for
// episodes whose key is unchanged. nil without a cache.
func (r *renderer) searchDocs() []searchDoc {
	if r.cache == nil {
		return nil
	}
	eps := r.site.Episodes
	docs := make([]searchDoc, len(eps))
	_ = forEach(context.Background(), len(eps), func(i int) {
		key := r.epKeys[eps[i]]
		if d, ok := r.cache.searchDoc(key); ok {
			docs[i] = d
			return
		}
		docs[i] = indexEpisode(eps[i])
		r.cache.storeSearchDoc(key, docs[i])
	})
	return docs
}

// writeSearchIndex writes the index files once every episode is indexed:
// from the postings the episode jobs filled, or, with a cache, from the
// cached per-episode documents.
func (r *renderer) writeSearchIndex() error {
	var files map[string][]byte
	var err error
	if r.docs != nil {
		files, err = buildSearchIndex(r.site.Episodes, r.docs)
	} else if r.postings != nil {
		files, err = r.postings.files(r.site.Episodes)
	} else {
		files, err = buildSearchIndex(r.site.Episodes, r.searchDocs())
	}
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := r.writeUnlessSame(n, files[n]); err != nil {
			return err
		}
	}
	return nil
}
