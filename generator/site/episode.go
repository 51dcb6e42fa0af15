package site

import (
	"html/template"
	"time"
)

// Episode is one show, as loaded from content/**.md and validated.
type Episode struct {
	Source   string // path relative to the project root: content/episodes/012-x.md
	Slug     string
	Title    string
	Summary  string
	Date     time.Time
	Number   int // itunes:episode; 0 when absent
	Season   int
	Type     string // full | trailer | bonus
	Guests   []*Person
	Hosts    []*Person
	Books    []*Book
	Image    *Image
	Audio    *Audio
	Duration time.Duration
	Explicit bool
	Tags     []*Tag
	Draft    bool
	GUID     string // as written; see FeedGUID for the effective one
	Chapters []Chapter

	// Transcript is parsed from <name>.transcript.md, <name>.vtt or
	// <name>.srt beside the episode.
	Transcript *Transcript

	// Scheduled is true for an episode dated after Input.Now, shown only
	// with -future.
	Scheduled bool

	// Prev is the next-older published episode, Next the next-newer one.
	Prev, Next *Episode

	src        []byte        // the file as read
	body       []byte        // Markdown after the front matter (a slice of src)
	bodyLine   int           // 1-based line where body starts in the file
	bodyOff    int           // byte offset of body in src
	pos        string        // front matter field -> position, packed (packPos)
	content    template.HTML // rendered show notes, kept only for feed items
	contentSum string        // hash of the inputs, for caches
	contentCRC uint32        // CRC-32C of src: hydrate's check that the file is still the one parsed
	// lazy: src and body are not held (a persistent cache hit, or a
	// Load that keeps only what linking needs); the renderer reads them
	// again if it renders this episode (hydrate).
	lazy bool
}

// Person is a guest or host. One Person value is shared by every episode
// that names the same slug, so the guest page sees all their episodes.
type Person struct {
	Name     string
	Slug     string
	URL      string
	Bio      string
	Img      string
	Role     string
	Episodes []*Episode // newest first; only for guests
	source   string     // first file that named this person, for collisions
}

// Book is a book discussed in an episode.
type Book struct {
	Title    string
	Author   string
	URL      string
	ISBN     string
	Slug     string
	Episodes []*Episode
	source   string
}

// Image is an episode photo with its credit.
type Image struct {
	Src        string // site-relative path under content/ or an absolute URL
	Alt        string
	Credit     string
	License    string
	LicenseURL string
}

// Audio is the episode's enclosure.
type Audio struct {
	URL    string // the enclosure: front matter url, else the file's absolute URL
	Length int64  // bytes
	Type   string
	// File is a site-relative path under content/ (audio/412.mp3) whose
	// length, type and duration are read from the file or media.lock.
	File string
	// Src is what the page's player plays: the front matter url if there
	// is one, else File (site-relative, for the asset template function).
	Src string
}

// Tag groups episodes by topic.
type Tag struct {
	Name     string
	Slug     string
	Episodes []*Episode
	source   string
}

// Chapter is one chapter mark; Start is an offset into the audio.
type Chapter struct {
	Start time.Duration
	Title string
	URL   string
	Img   string
}

// Transcript is a speaker-turn transcript.
type Transcript struct {
	Source string
	Format string // "md" (<name>.transcript.md), "vtt" or "srt"
	Turns  []Turn
	sum    [32]byte // hash of the source, for cache keys
	crc    uint32   // CRC-32C of the source, as Episode.contentCRC
	// lazy: Turns were not read (a persistent cache hit); timed is what
	// Timed said when they were.
	lazy, timed bool
}

// Turn is one speaker's uninterrupted speech.
type Turn struct {
	Speaker string        // "" when a caption file does not say
	Start   time.Duration // -1 when the turn has no timestamp
	Text    []string      // paragraphs
	// Cues are the timed captions the turn was made of (VTT and SRT
	// sources); nil for transcript.md.
	Cues []Cue

	// Precomputed for templates: a transcript has hundreds of turns, and
	// template function calls go through reflection, so the values a
	// theme prints per turn are plain fields (see Transcript.prepare).
	N       int    // 1-based position, for anchors: turn-N
	Timed   bool   // Start is known
	Seconds int64  // Start in whole seconds, for seeking
	Clock   string // Start as H:MM:SS or M:SS
	ISO     string // Start as an ISO 8601 duration, for <time datetime>
}

// Cue is one timed caption.
type Cue struct {
	Start, End time.Duration
	Text       string
}

// Pos returns the position of a front matter field ("audio.url"), falling
// back to the file itself.
func (e *Episode) Pos(field string) Pos {
	if line, col, ok := lookupPos(e.pos, field); ok {
		return Pos{File: e.Source, Line: line, Col: col}
	}
	return Pos{File: e.Source, Line: 1, Col: 1}
}

// has reports whether the front matter gave field.
func (e *Episode) has(field string) bool {
	_, _, ok := lookupPos(e.pos, field)
	return ok
}

// Path is the episode page's path relative to the site root.
func (e *Episode) Path() string { return "episodes/" + e.Slug + "/" }

// TranscriptPath is the transcript page's site-relative path.
func (e *Episode) TranscriptPath() string { return e.Path() + "transcript/" }

// Content is the rendered show notes HTML; only valid during rendering.
func (e *Episode) Content() template.HTML { return e.content }

// Path is the guest page path.
func (p *Person) Path() string { return "guests/" + p.Slug + "/" }

// Path is the tag page path.
func (t *Tag) Path() string { return "tags/" + t.Slug + "/" }

// Anchor is the fragment id of the book on /books/.
func (b *Book) Anchor() string { return "book-" + b.Slug }
