package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"shownotes/generator/media"
)

// MediaLockFile records what the build read from the local audio files of
// episodes (audio.file): size, hash, duration and type. Committed, it lets
// CI and teammates build without the audio files; where a file is present
// and has changed, the build refreshes it.
const MediaLockFile = "media.lock"

// MediaLockEntry is one audio file in media.lock.
type MediaLockEntry struct {
	Path     string  `json:"path"`     // project-relative: content/audio/412.mp3
	Size     int64   `json:"size"`     // bytes: the enclosure length
	SHA256   string  `json:"sha256"`   // hex
	Duration float64 `json:"duration"` // seconds, to the millisecond; 0 when unknown
	Type     string  `json:"type"`     // MIME type: the enclosure type
}

func (e MediaLockEntry) duration() time.Duration {
	return time.Duration(math.Round(e.Duration*1000)) * time.Millisecond
}

type mediaLockDoc struct {
	Comment string           `json:"//"`
	Files   []MediaLockEntry `json:"files"`
}

// MediaCache remembers, within one process, what was read from audio files
// keyed by path, size and modification time, so that repeated builds (the
// dev server) do not hash unchanged files again. Set Input.Media to use
// one; the zero value is ready. Safe for concurrent use.
type MediaCache struct {
	mu sync.Mutex
	m  map[mediaKey]mediaRead
}

type mediaKey struct {
	path    string
	size    int64
	modTime time.Time
}

func (c *MediaCache) get(k mediaKey) (mediaRead, bool) {
	if c == nil || k.modTime.IsZero() {
		return mediaRead{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[k]
	return r, ok
}

func (c *MediaCache) put(k mediaKey, r mediaRead) {
	if c == nil || k.modTime.IsZero() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[mediaKey]mediaRead{}
	}
	c.m[k] = r
}

// mediaRead is the outcome of reading one audio file.
type mediaRead struct {
	entry    MediaLockEntry
	present  bool  // the file exists
	err      error // it exists but cannot be read
	probeErr error // it was read, but its duration or type could not be
}

// probedExts are the extensions media.Probe is expected to understand; a
// file with another extension (.ogg, .opus, .aac, ...) that it cannot read
// takes its type from the extension, and its duration from front matter,
// without a warning.
var probedExts = map[string]bool{".mp3": true, ".m4a": true, ".mp4": true, ".m4v": true, ".mov": true}

// readMedia hashes and probes one file under the project.
func readMedia(in Input, p string) mediaRead {
	info, err := fs.Stat(in.Project, p)
	if errors.Is(err, fs.ErrNotExist) {
		return mediaRead{}
	}
	if err != nil {
		return mediaRead{present: true, err: unwrapPathErr(err)}
	}
	if info.IsDir() {
		return mediaRead{present: true, err: errors.New("is a folder, not a file")}
	}
	key := mediaKey{p, info.Size(), info.ModTime()}
	if r, ok := in.Media.get(key); ok {
		return r
	}
	f, err := in.Project.Open(p)
	if err != nil {
		return mediaRead{present: true, err: unwrapPathErr(err)}
	}
	defer f.Close()
	ra, ok := f.(io.ReaderAt)
	size := info.Size()
	if !ok {
		data, err := io.ReadAll(f)
		if err != nil {
			return mediaRead{present: true, err: err}
		}
		ra, size = bytes.NewReader(data), int64(len(data))
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(ra, 0, size)); err != nil {
		return mediaRead{present: true, err: err}
	}
	r := mediaRead{present: true, entry: MediaLockEntry{Path: p, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))}}
	mi, err := media.Probe(ra, size)
	if err != nil {
		if probedExts[strings.ToLower(path.Ext(p))] {
			r.probeErr = err
		}
		r.entry.Type = typeByExtension(p)
	} else {
		r.entry.Type = mi.Type
		r.entry.Duration = math.Round(mi.Duration.Seconds()*1000) / 1000
	}
	in.Media.put(key, r)
	return r
}

// resolveMedia fills the enclosure length and type and the duration of
// every episode with audio.file, from the file when it is present, else
// from the previous media.lock, and keeps the new lock content for the
// Report.
func (s *Site) resolveMedia(ctx context.Context, in Input, parsed []*parsedFile, errs *ErrorList) error {
	old, hadLock := s.readMediaLock(in, errs)
	users := map[string][]*parsedFile{}
	for _, pf := range parsed {
		if pf.ep != nil && pf.fm != nil && pf.ep.Audio != nil && pf.ep.Audio.File != "" {
			p := path0(pf.ep.Audio.File)
			users[p] = append(users[p], pf)
		}
	}
	paths := make([]string, 0, len(users))
	for p := range users {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	reads := make([]mediaRead, len(paths))
	if err := forEach(ctx, len(paths), func(i int) { reads[i] = readMedia(in, paths[i]) }); err != nil {
		return err
	}
	var entries []MediaLockEntry
	var probs ErrorList // about episodes, shown with their source line
	byFile := map[string]*Episode{}
	for i, p := range paths {
		r := reads[i]
		entry, known := r.entry, r.present && r.err == nil
		if !known {
			entry, known = old[p]
		}
		if known {
			entries = append(entries, entry)
		}
		for _, pf := range users[p] {
			ep := pf.ep
			byFile[ep.Source] = ep
			problem := probs.Add
			if ep.Draft {
				problem = probs.Warn
			}
			switch {
			case r.err != nil: // reported even when the lock knows the file
				problem(ep.Pos("audio.file"), "audio.file", "cannot read %s: %v", p, r.err)
			case !known && ep.Audio.URL != "" && ep.Audio.Length > 0:
				probs.Warn(ep.Pos("audio.file"), "audio.file", "file %s not found and %s has no entry for it: using the front matter's length and type", p, MediaLockFile)
			case !known:
				problem(ep.Pos("audio.file"), "audio.file", "file %s not found and %s has no entry for it: add the file, or build once where it is and commit %s", p, MediaLockFile, MediaLockFile)
			case r.probeErr != nil:
				probs.Warn(ep.Pos("audio.file"), "audio.file", "cannot read the duration of %s: %v", p, r.probeErr)
			}
			if known {
				s.applyMedia(ep, pf.fm, entry, &probs)
			}
			if ep.Audio.URL == "" {
				ep.Audio.URL = s.Config.AbsURL(ep.Audio.File)
			}
		}
	}
	srcs := map[string][]byte{}
	for _, e := range probs {
		if ep := byFile[e.Pos.File]; ep != nil && srcs[e.Pos.File] == nil {
			srcs[e.Pos.File] = s.source(ep) // read only for a problem
		}
	}
	*errs = append(*errs, fillSnippets(probs, srcs)...)
	if len(entries) > 0 || hadLock {
		s.mediaLock = encodeMediaLock(entries)
	}
	return nil
}

// applyMedia puts what the file says into the episode; front matter values
// that disagree are warnings naming both.
func (s *Site) applyMedia(ep *Episode, fm *frontMatter, e MediaLockEntry, errs *ErrorList) {
	a := ep.Audio
	file := e.Path
	if ep.has("audio.length") && a.Length != e.Size {
		errs.Warn(ep.Pos("audio.length"), "audio.length", "%d bytes disagrees with %s, which is %d bytes: the feed uses the file's size", a.Length, file, e.Size)
	}
	a.Length = e.Size
	if e.Type != "" {
		if ep.has("audio.type") && !sameMediaType(a.Type, e.Type) {
			errs.Warn(ep.Pos("audio.type"), "audio.type", "%q disagrees with %s, which is %q: the feed uses the file's type", a.Type, file, e.Type)
		}
		a.Type = e.Type
	}
	if d := e.duration(); d > 0 {
		if fm.hasDuration && (ep.Duration-d).Abs() > time.Second {
			errs.Warn(ep.Pos("duration"), "duration", "%s disagrees with %s, which plays for %s (%.3f s): the feed uses the file's duration", clock(ep.Duration), file, clock(d.Round(time.Second)), e.Duration)
		}
		ep.Duration = d
	}
}

// sameMediaType treats the spellings of the M4A type as one.
func sameMediaType(a, b string) bool {
	norm := func(t string) string {
		t = strings.ToLower(strings.TrimSpace(t))
		switch t {
		case "audio/mp4", "audio/m4a", "audio/x-m4a":
			return "audio/x-m4a"
		case "audio/mp3", "audio/mpeg3":
			return "audio/mpeg"
		}
		return t
	}
	return norm(a) == norm(b)
}

// readMediaLock reads the previous lock; a broken one is a warning (the
// build writes a new one).
func (s *Site) readMediaLock(in Input, errs *ErrorList) (map[string]MediaLockEntry, bool) {
	data, err := fs.ReadFile(in.Project, MediaLockFile)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			errs.Warn(Pos{File: MediaLockFile}, "", "cannot read: %v", unwrapPathErr(err))
		}
		return nil, false
	}
	var doc mediaLockDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		errs.Warn(Pos{File: MediaLockFile}, "", "cannot read: %v (the build writes a new one from the audio files present)", err)
		return nil, true
	}
	m := make(map[string]MediaLockEntry, len(doc.Files))
	for _, e := range doc.Files {
		if e.Path != "" && e.Size > 0 {
			m[e.Path] = e
		}
	}
	return m, true
}

func encodeMediaLock(entries []MediaLockEntry) []byte {
	doc := mediaLockDoc{
		Comment: "Written by shownotes build from the audio files episodes name with audio.file. Commit it: builds without the audio files take length, type and duration from here.",
		Files:   entries,
	}
	if doc.Files == nil {
		doc.Files = []MediaLockEntry{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic(fmt.Sprintf("encoding %s: %v", MediaLockFile, err)) // strings and finite numbers cannot fail
	}
	return buf.Bytes()
}

// MediaLock returns the content of media.lock for this site, or nil when
// no episode names a local audio file and there was no lock before.
func (s *Site) MediaLock() []byte { return s.mediaLock }
