package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
)

// ContentDir holds the episodes and their assets.
const ContentDir = "content"

// MaxEpisodeBytes bounds one episode file. Real show notes with a full
// transcript are well under 1 MiB; the limit keeps a stray binary from
// stalling a build.
const MaxEpisodeBytes = 32 << 20

// Input is everything a build reads. The core does no other I/O.
type Input struct {
	Project fs.FS            // holds site.toml and content/
	Theme   fs.FS            // the resolved theme: templates/, static/, scaffold/
	Now     func() time.Time // injected clock: drafts, scheduled episodes
	Drafts  bool             // include draft: true episodes
	Future  bool             // include episodes dated after Now
	// Cache, when set, carries work from one build to the next (the dev
	// server keeps one); nil builds everything from scratch.
	Cache *Cache
	// Media, if set, remembers what was read from audio files (audio.file)
	// across builds, so the dev server does not hash them again.
	Media *MediaCache
}

// Site is the loaded, validated content.
type Site struct {
	Config   *Config
	Episodes []*Episode // published (and, with flags, draft/future), newest first
	Tags     []*Tag     // by name
	Guests   []*Person  // by name
	Books    []*Book    // by title
	Assets   []string   // content files copied verbatim (images, audio), sorted
	// Hidden counts episodes left out as drafts or scheduled.
	Hidden int
	// NextScheduled is the earliest future date of a hidden episode.
	NextScheduled time.Time
	// Warnings are advisory problems that did not stop the load.
	Warnings ErrorList

	hosts     []*Person
	mediaLock []byte // see MediaLock
	project   fs.FS  // Input.Project, to read what a cache hit left unread
	rendered  *theme // the theme Render used, for QuickPages
}

// sourceFile is one episode or transcript file of the project; src is
// read when it is needed.
type sourceFile struct {
	path string
	src  []byte
	d    fs.DirEntry
	hit  bool // unchanged since the cached build (src may be nil then)
}

// Load reads site.toml and content/, validating everything. All problems
// come back together as one ErrorList.
func Load(ctx context.Context, in Input) (*Site, error) {
	in.Cache.begin()
	var errs ErrorList
	cfgSrc, err := fs.ReadFile(in.Project, ConfigFile)
	if err != nil {
		errs.Add(Pos{File: ConfigFile}, "", "cannot read site configuration: %v", unwrapPathErr(err))
		return nil, errs
	}
	cfg, cfgErrs := LoadConfig(cfgSrc)
	errs = append(errs, cfgErrs...)
	if cfg == nil {
		return nil, errs.Err()
	}

	var files []sourceFile
	transcripts := map[string]sourceFile{}
	var captions []captionFile // .vtt and .srt: transcripts or assets
	s := &Site{Config: cfg, project: in.Project}
	walkErr := fs.WalkDir(in.Project, ContentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Add(Pos{File: p}, "", "cannot read: %v", unwrapPathErr(err))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		name := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(name, ".") && p != ContentDir {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") {
			return nil // editor backups and hidden files
		}
		switch {
		case strings.HasSuffix(name, ".transcript.md"):
			// Read by the parse worker and dropped once parsed: a show's
			// transcripts are most of its bytes.
			transcripts[strings.TrimSuffix(p, ".transcript.md")] = sourceFile{path: p, d: d}
		case strings.HasSuffix(name, ".md"):
			files = append(files, sourceFile{path: p, d: d}) // read by the parse worker
		case isCaptionFile(name):
			captions = append(captions, captionFile{p, d})
		default:
			s.Assets = append(s.Assets, p)
		}
		return nil
	})
	if walkErr != nil {
		if errors.Is(walkErr, fs.ErrNotExist) {
			errs.Add(Pos{File: ContentDir}, "", "content folder not found")
		} else if ctx.Err() != nil {
			return nil, ctx.Err()
		} else {
			errs.Add(Pos{File: ContentDir}, "", "%v", walkErr)
		}
	}

	// Parse in parallel: each file and its transcript are independent.
	// Unless a dev server's cache holds the text anyway, the site keeps
	// only what linking needs, not the show notes and transcripts: held
	// for every episode at once they were most of a large build's peak
	// memory. Rendering reads an episode's files again (renderer.hydrate:
	// one read from the page cache and a hash, no second front matter
	// parse).
	lean := in.Cache.lean()
	parsed := make([]*parsedFile, len(files))
	type parsedTranscript struct {
		tr   *Transcript
		errs ErrorList
	}
	trs := make([]*parsedTranscript, len(files))
	if err := forEach(ctx, len(files), func(i int) {
		f := files[i]
		src, hit, err := in.Cache.read(in.Project, f.path, f.d)
		if err != nil {
			parsed[i] = &parsedFile{errs: ErrorList{{Pos: Pos{File: f.path}, Msg: err.Error()}}}
			return
		}
		f.src, f.hit = src, hit
		tf, hasTr := transcripts[strings.TrimSuffix(f.path, ".md")]
		trPath := ""
		if hasTr {
			src, hit, err := in.Cache.read(in.Project, tf.path, tf.d)
			if err != nil {
				trs[i] = &parsedTranscript{errs: ErrorList{{Pos: Pos{File: tf.path}, Msg: err.Error()}}}
				hasTr = false
			} else {
				tf.src, tf.hit, trPath = src, hit, tf.path
			}
		}
		if pf, tr, terrs, ok := in.Cache.parsed(f.path, f.hit, trPath, tf.hit); ok {
			parsed[i] = pf
			if hasTr && pf.fm != nil {
				trs[i] = &parsedTranscript{tr, terrs}
			}
			return
		}
		// A persistent cache hit has no bytes: read what must be parsed.
		if f.src == nil {
			src, err := readLimited(in.Project, f.path, f.d)
			if err != nil {
				parsed[i] = &parsedFile{errs: ErrorList{{Pos: Pos{File: f.path}, Msg: err.Error()}}}
				return
			}
			f.src = src
		}
		if hasTr && tf.src == nil {
			src, err := readLimited(in.Project, tf.path, tf.d)
			if err != nil {
				trs[i] = &parsedTranscript{errs: ErrorList{{Pos: Pos{File: tf.path}, Msg: err.Error()}}}
				hasTr, trPath = false, ""
			}
			tf.src = src
		}
		pf := parseEpisodeFile(f.path, f.src)
		var tr *Transcript
		var terrs ErrorList
		if hasTr && pf.fm != nil {
			tr, terrs = parseTranscriptFile(tf.path, tf.src, !lean)
		}
		if in.Cache != nil {
			in.Cache.storeParsed(f.path, f.src, pf, trPath, tr, terrs)
			pf = pf.fresh()
		}
		if lean {
			pf, tr = pf.withoutText(), tr.withoutText()
		}
		if hasTr && pf.fm != nil {
			trs[i] = &parsedTranscript{tr, terrs}
		}
		parsed[i] = pf
	}); err != nil {
		return nil, err
	}
	for i, pf := range parsed {
		errs = append(errs, pf.errs...)
		if t := trs[i]; t != nil && t.tr == nil {
			errs = append(errs, t.errs...) // the transcript could not be read
			delete(transcripts, strings.TrimSuffix(files[i].path, ".md"))
		}
		if pf.fm == nil {
			continue
		}
		if t := trs[i]; t != nil && t.tr != nil {
			errs = append(errs, t.errs...)
			pf.ep.Transcript = t.tr
			delete(transcripts, strings.TrimSuffix(files[i].path, ".md"))
		}
	}
	for _, tf := range sortedTranscripts(transcripts) {
		errs.Add(Pos{File: tf}, "", "transcript has no episode: expected %s beside it", strings.TrimSuffix(tf, ".transcript.md")+".md")
	}
	s.attachCaptions(in, captions, files, parsed, &errs)
	if err := s.resolveMedia(ctx, in, parsed, &errs); err != nil {
		return nil, err
	}
	s.link(in, parsed, &errs)
	sort.Strings(s.Assets)
	errs.Sort()
	s.Warnings = errs.Warnings()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// parseTranscriptFile parses a .transcript.md file; with forPages, it
// also fills what templates print (Transcript.prepare), which a lean Load,
// dropping the turns at once, does not need.
func parseTranscriptFile(path string, src []byte, forPages bool) (*Transcript, ErrorList) {
	tr, errs := parseTranscript(path, src)
	errs = fillSnippets(errs, map[string][]byte{path: src})
	if tr != nil {
		tr.sum, tr.crc = sha256.Sum256(src), sourceCRC(src)
		if forPages {
			tr.prepare()
		}
	}
	return tr, errs
}

func sortedTranscripts(m map[string]sourceFile) []string {
	out := make([]string, 0, len(m))
	for _, f := range m {
		out = append(out, f.path)
	}
	sort.Strings(out)
	return out
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readLimited(fsys fs.FS, p string, d fs.DirEntry) ([]byte, error) {
	if info, err := d.Info(); err == nil && info.Size() > MaxEpisodeBytes {
		return nil, fmt.Errorf("file is %d MiB; episode files are limited to %d MiB", info.Size()>>20, MaxEpisodeBytes>>20)
	}
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", unwrapPathErr(err))
	}
	return src, nil
}

// parsedFile is the result of parsing one episode file on its own, before
// anything that depends on other files. It is a pure function of (path,
// bytes), which is what lets the dev server cache it.
type parsedFile struct {
	ep   *Episode
	fm   *frontMatter
	errs ErrorList
}

type capture struct {
	format string
	data   []byte
}

func captureAs(format string) frontmatter.UnmarshalFunc {
	return func(data []byte, v any) error {
		c := v.(*capture)
		c.format = format
		c.data = data
		return nil
	}
}

var bom = []byte("\ufeff")

// parseEpisodeFile splits and decodes one file. Positions in errors are
// relative to the file as written (a BOM does not shift columns of later
// lines; it is stripped first).
func parseEpisodeFile(file string, src []byte) *parsedFile {
	pf := &parsedFile{}
	add := func(line, col int, field, format string, args ...any) {
		pf.errs.Add(Pos{File: file, Line: line, Col: col}, field, format, args...)
	}
	defer func() { fillSnippets(pf.errs, map[string][]byte{file: src}) }()
	if !utf8.Valid(src) {
		line, col := firstInvalidUTF8(src)
		add(line, col, "", "file is not valid UTF-8: save it as UTF-8")
		return pf
	}
	text := bytes.TrimPrefix(src, bom)

	// Find the opening delimiter line: adrg/frontmatter skips blank lines
	// before it, and we need its line to offset decoder positions.
	openLine, opener := 0, ""
	for i, l := range strings.SplitN(string(text), "\n", 64) {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		openLine, opener = i+1, t
		break
	}
	formats := []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", captureAs("yaml")),
		frontmatter.NewFormat("+++", "+++", captureAs("toml")),
		{Start: "{", End: "}", Unmarshal: captureAs("json"), UnmarshalDelims: true, RequiresNewLine: true},
	}
	var c capture
	body, err := frontmatter.Parse(bytes.NewReader(text), &c, formats...)
	if err != nil {
		add(openLine, 1, "", "cannot read front matter: %v", err)
		return pf
	}
	if c.format == "" {
		switch opener {
		case "---", "+++":
			// adrg/frontmatter hands back the whole file as body when the
			// closing delimiter is missing; that must not publish.
			add(openLine, 1, "", "front matter is not closed: add a line %s after the last field", opener)
		case "{":
			add(openLine, 1, "", "front matter is not closed: end the JSON object with a line } followed by an empty line")
		default:
			add(max(openLine, 1), 1, "", "missing front matter: an episode starts with a line --- (YAML), +++ (TOML) or { (JSON)")
		}
		return pf
	}
	var root *node
	switch c.format {
	case "yaml":
		root, err = yamlToNode(c.data, openLine)
	case "toml":
		root, err = tomlToNode(c.data, openLine)
	case "json":
		root, err = jsonToNode(c.data, openLine-1)
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Pos.File = file
			pf.errs = append(pf.errs, e)
		} else {
			add(openLine, 1, "", "%v", err)
		}
		return pf
	}
	// Sized for a typical episode's fields (with guests, books and
	// chapters, 50 to 80 positions): grown from empty, the map was
	// rehashed five times per file.
	d := &decoder{file: file, errs: &pf.errs, pos: make(map[string]Pos, 64), failed: map[string]bool{}}
	fm := d.episode(root)
	pf.fm = fm
	ep := &Episode{
		Source:   file,
		Title:    fm.Title,
		Summary:  fm.Summary,
		Date:     fm.Date,
		Number:   fm.Number,
		Season:   fm.Season,
		Type:     fm.Type,
		Books:    fm.Books,
		Image:    fm.Image,
		Audio:    fm.Audio,
		Duration: fm.Duration,
		Explicit: fm.Explicit,
		Draft:    fm.Draft,
		GUID:     fm.GUID,
		Chapters: fm.Chapters,
		pos:      packPos(d.pos),
		src:      src,
		body:     text[len(text)-len(body):], // the same bytes, without a second copy
		bodyOff:  len(src) - len(body),
		bodyLine: bytes.Count(text[:len(text)-len(body)], []byte("\n")) + 1,
	}
	if _, set := d.pos["chapters"]; !set {
		ep.Chapters = chaptersFromNotes(file, ep.body, ep.bodyLine, &pf.errs)
	}
	sum := sha256.Sum256(src)
	ep.contentSum, ep.contentCRC = hex.EncodeToString(sum[:]), sourceCRC(src)
	rootPos := Pos{File: file, Line: openLine, Col: 1}
	// Drafts are work in progress: what is missing is a warning until the
	// episode is published; what is wrong is an error either way.
	missing := func(pos Pos, field, format string, args ...any) {
		if fm.Draft {
			pf.errs.Warn(pos, field, format, args...)
		} else {
			pf.errs.Add(pos, field, format, args...)
		}
	}
	need := func(field string, ok bool) {
		if !ok && !d.failed[field] {
			if _, present := d.pos[field]; present {
				missing(d.pos[field], field, "must not be empty")
			} else {
				missing(rootPos, field, "is required")
			}
		}
	}
	if !fm.hasDate && !d.failed["date"] {
		// Without a date an episode cannot be placed, draft or not.
		if _, present := d.pos["date"]; present {
			pf.errs.Add(d.pos["date"], "date", "must not be empty")
		} else {
			pf.errs.Add(rootPos, "date", "is required")
		}
	}
	need("title", fm.Title != "")
	need("summary", fm.Summary != "")
	if _, present := d.pos["audio"]; !present {
		missing(rootPos, "audio", "is required: podcast apps need the episode's audio file")
	} else if fm.Audio != nil {
		// A local file (audio.file) gives the length, type and duration;
		// see media.go.
		if fm.Audio.URL == "" && fm.Audio.File == "" && !d.failed["audio.file"] {
			need("audio.url", false)
		}
		if fm.Audio.Length == 0 && fm.Audio.File == "" && !d.failed["audio.file"] {
			if _, present := d.pos["audio.length"]; !present {
				missing(d.pos["audio"], "audio.length", "is required: the file size in bytes")
			}
		}
		if fm.Audio.Type == "" && (fm.Audio.URL != "" || fm.Audio.File != "") {
			name := fm.Audio.File
			if name == "" {
				name = fm.Audio.URL
			}
			fm.Audio.Type = typeByExtension(name)
			if fm.Audio.Type == "" && fm.Audio.File == "" {
				missing(d.pos["audio"], "audio.type", "is required: cannot tell the media type from %q", fm.Audio.URL)
			}
		}
		fm.Audio.Src = fm.Audio.URL
		if fm.Audio.Src == "" {
			fm.Audio.Src = fm.Audio.File
		}
	}
	if fm.Slug != "" {
		ep.Slug = fm.Slug
	} else {
		base := strings.TrimSuffix(path.Base(file), ".md")
		ep.Slug = slugify(base)
		if ep.Slug == "" {
			add(1, 1, "", "cannot derive a URL slug from the file name %q: add slug: to the front matter", path.Base(file))
		}
	}
	pf.ep = ep
	return pf
}

// typeByExtension guesses a media type from a file name or URL.
func typeByExtension(name string) string {
	ext := strings.ToLower(path.Ext(strings.SplitN(name, "?", 2)[0]))
	if t := audioTypes[ext]; t != "" {
		return t
	}
	return mime.TypeByExtension(ext)
}

// audioTypes covers what podcast apps accept; mime.TypeByExtension depends
// on the host's tables, so the common ones are pinned here.
var audioTypes = map[string]string{
	".mp3":  "audio/mpeg",
	".m4a":  "audio/x-m4a",
	".mp4":  "video/mp4",
	".m4v":  "video/x-m4v",
	".mov":  "video/quicktime",
	".aac":  "audio/aac",
	".ogg":  "audio/ogg",
	".oga":  "audio/ogg",
	".opus": "audio/opus",
	".wav":  "audio/wav",
	".flac": "audio/flac",
}

func firstInvalidUTF8(src []byte) (line, col int) {
	line, col = 1, 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		src = src[size:]
	}
	return line, col
}
