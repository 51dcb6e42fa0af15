package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A transcript can also be a caption file beside the episode:
// <name>.vtt (WebVTT, speakers in <v Name> voice tags) or <name>.srt
// (SubRip, speakers as a "Name: " prefix). Consecutive cues of one speaker
// make one turn; a cue that names nobody continues the previous turn.

// captionFile is a .vtt or .srt file found under content/.
type captionFile struct {
	path string
	d    fs.DirEntry
}

func isCaptionFile(name string) bool {
	return strings.HasSuffix(name, ".vtt") || strings.HasSuffix(name, ".srt")
}

// attachCaptions makes each caption file beside an episode that episode's
// transcript; any other caption file is an asset, copied as is.
func (s *Site) attachCaptions(in Input, caps []captionFile, files []sourceFile, parsed []*parsedFile, errs *ErrorList) {
	byBase := map[string]int{}
	for i, f := range files {
		byBase[strings.TrimSuffix(f.path, ".md")] = i
	}
	sort.Slice(caps, func(i, j int) bool { return caps[i].path < caps[j].path })
	for _, c := range caps {
		i, ok := byBase[strings.TrimSuffix(c.path, path.Ext(c.path))]
		if !ok {
			s.Assets = append(s.Assets, c.path)
			continue
		}
		pf := parsed[i]
		if pf.fm == nil || pf.ep == nil {
			continue // the episode has errors of its own
		}
		if have := pf.ep.Transcript; have != nil {
			errs.Add(Pos{File: c.path}, "", "%s already has a transcript, %s: keep one of them", files[i].path, have.Source)
			continue
		}
		src, err := readLimited(in.Project, c.path, c.d)
		if err != nil {
			errs.Add(Pos{File: c.path}, "", "%v", err)
			continue
		}
		var tr *Transcript
		var terrs ErrorList
		if strings.HasSuffix(c.path, ".vtt") {
			tr, terrs = parseVTT(c.path, src)
		} else {
			tr, terrs = parseSRT(c.path, src)
		}
		*errs = append(*errs, fillSnippets(terrs, map[string][]byte{c.path: src})...)
		if tr != nil {
			tr.sum, tr.crc = sha256.Sum256(src), sourceCRC(src)
			tr.prepare()
		}
		pf.ep.Transcript = tr
	}
}

// captionLines normalises line endings and drops a byte-order mark.
func captionLines(src []byte) []string {
	text := strings.TrimPrefix(string(src), "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(text, "\n")
}

// cueBlock is a run of non-blank lines.
type cueBlock struct {
	line  int // 1-based line of the first
	lines []string
}

func cueBlocks(lines []string) []cueBlock {
	var out []cueBlock
	var cur *cueBlock
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			cur = nil
			continue
		}
		if cur == nil {
			out = append(out, cueBlock{line: i + 1})
			cur = &out[len(out)-1]
		}
		cur.lines = append(cur.lines, l)
	}
	return out
}

// cueTime matches 00:01:02.500, 01:02.500 (WebVTT) and 00:01:02,500 (SRT).
var cueTime = regexp.MustCompile(`^(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)[.,](\d{3})$`)

func parseCueTime(s string) (time.Duration, bool) {
	m := cueTime.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	ms, _ := strconv.Atoi(m[4])
	return time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond, true
}

// parseTiming reads "start --> end [settings]".
func parseTiming(l string) (start, end time.Duration, ok bool) {
	a, b, found := strings.Cut(l, "-->")
	if !found {
		return 0, 0, false
	}
	f := strings.Fields(b)
	if len(f) == 0 {
		return 0, 0, false
	}
	start, ok1 := parseCueTime(strings.TrimSpace(a))
	end, ok2 := parseCueTime(f[0])
	return start, end, ok1 && ok2
}

// cueBuilder turns cues into speaker turns, checking their order.
type cueBuilder struct {
	source string
	tr     *Transcript
	errs   ErrorList
	last   time.Duration
}

func (b *cueBuilder) add(speaker string, c Cue, line int) {
	if c.End <= c.Start {
		b.errs.Add(Pos{File: b.source, Line: line, Col: 1}, "", "cue ends at %s, not after it starts (%s)", cueClock(c.End), cueClock(c.Start))
		return
	}
	if c.Start < b.last {
		b.errs.Add(Pos{File: b.source, Line: line, Col: 1}, "", "cue starts at %s, before the cue above it (%s): cues must be in time order", cueClock(c.Start), cueClock(b.last))
		return
	}
	b.last = c.Start
	if c.Text == "" {
		return
	}
	turns := b.tr.Turns
	if n := len(turns); n > 0 && (speaker == "" || turns[n-1].Speaker == speaker) {
		turns[n-1].Cues = append(turns[n-1].Cues, c)
		return
	}
	b.tr.Turns = append(turns, Turn{Speaker: speaker, Start: c.Start, Cues: []Cue{c}})
}

func (b *cueBuilder) done() (*Transcript, ErrorList) {
	for i := range b.tr.Turns { // a turn's cues make one paragraph
		t := &b.tr.Turns[i]
		texts := make([]string, len(t.Cues))
		for j, c := range t.Cues {
			texts[j] = c.Text
		}
		t.Text = []string{strings.Join(texts, " ")}
	}
	if len(b.tr.Turns) == 0 && len(b.errs) == 0 {
		b.errs.Add(Pos{File: b.source, Line: 1, Col: 1}, "", "transcript has no cues")
	}
	if len(b.errs.Errors()) > 0 {
		return nil, b.errs
	}
	return b.tr, b.errs
}

// parseVTT reads a WebVTT file. NOTE, STYLE and REGION blocks are skipped;
// cue settings and formatting tags are dropped; <v Name> gives the
// speaker.
func parseVTT(source string, src []byte) (*Transcript, ErrorList) {
	b := &cueBuilder{source: source, tr: &Transcript{Source: source, Format: "vtt"}}
	lines := captionLines(src)
	if first := lines[0]; !strings.HasPrefix(first, "WEBVTT") || (len(first) > 6 && first[6] != ' ' && first[6] != '\t') {
		b.errs.Add(Pos{File: source, Line: 1, Col: 1}, "", "a WebVTT file starts with a line WEBVTT")
		return nil, b.errs
	}
	blocks := cueBlocks(lines)
	for _, blk := range blocks[1:] { // the first block is the header
		first := blk.lines[0]
		if kw, _, _ := strings.Cut(strings.TrimSpace(first), " "); kw == "NOTE" || kw == "STYLE" || kw == "REGION" {
			continue
		}
		ti := 0
		if !strings.Contains(first, "-->") {
			ti = 1 // a cue identifier comes first
		}
		if ti >= len(blk.lines) || !strings.Contains(blk.lines[ti], "-->") {
			b.errs.Add(Pos{File: source, Line: blk.line + min(ti, len(blk.lines)-1), Col: 1}, "", "expected a cue timing line like 00:01:02.500 --> 00:01:05.000")
			continue
		}
		start, end, ok := parseTiming(blk.lines[ti])
		if !ok {
			b.errs.Add(Pos{File: source, Line: blk.line + ti, Col: 1}, "", "invalid cue timing %q: use 00:01:02.500 --> 00:01:05.000", strings.TrimSpace(blk.lines[ti]))
			continue
		}
		for _, sp := range voiceSpans(strings.Join(blk.lines[ti+1:], "\n")) {
			b.add(sp.voice, Cue{Start: start, End: end, Text: sp.text}, blk.line+ti)
		}
		if len(blk.lines) == ti+1 {
			b.add("", Cue{Start: start, End: end}, blk.line+ti) // check the timing of an empty cue
		}
	}
	return b.done()
}

type span struct{ voice, text string }

// vttTag matches a WebVTT cue tag: <v Name>, <v.loud Name>, </v>, <i>,
// <c.yellow>, <00:00:01.000>, ...
var vttTag = regexp.MustCompile(`<(/?)([^\s.>/]*)[^\s>]*(?:[ \t]([^>]*))?>`)

// voiceSpans splits a cue payload by voice. Text outside any <v> span has
// voice "".
func voiceSpans(payload string) []span {
	var out []span
	voice := ""
	var text strings.Builder
	flush := func() {
		t := strings.Join(strings.Fields(html.UnescapeString(text.String())), " ")
		text.Reset()
		if t == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].voice == voice {
			out[n-1].text += " " + t
			return
		}
		out = append(out, span{voice, t})
	}
	rest := payload
	for {
		loc := vttTag.FindStringSubmatchIndex(rest)
		if loc == nil {
			text.WriteString(rest)
			break
		}
		text.WriteString(rest[:loc[0]])
		closing := loc[3] > loc[2]
		name := rest[loc[4]:loc[5]]
		if name == "v" {
			flush()
			if closing {
				voice = ""
			} else if loc[6] >= 0 {
				voice = strings.Join(strings.Fields(html.UnescapeString(rest[loc[6]:loc[7]])), " ")
			}
		}
		rest = rest[loc[1]:]
	}
	flush()
	return out
}

// srtTag matches SubRip formatting: <i>, </b>, <font color="...">, {\an8}.
var srtTag = regexp.MustCompile(`</?[a-zA-Z][^>]*>|\{\\[^}]*\}`)

// srtSpeaker matches a "Name: " prefix (optionally after a dialogue dash).
var srtSpeaker = regexp.MustCompile(`^(?:-\s*)?([\p{L}][\p{L}\p{M}'’.\- ]{0,40}?):\s+(.*)$`)

// parseSRT reads a SubRip file: numbered cues, "00:00:01,000 -->
// 00:00:04,000", then text; a "Name: " prefix gives the speaker.
func parseSRT(source string, src []byte) (*Transcript, ErrorList) {
	b := &cueBuilder{source: source, tr: &Transcript{Source: source, Format: "srt"}}
	for _, blk := range cueBlocks(captionLines(src)) {
		ti := 0
		if !strings.Contains(blk.lines[0], "-->") {
			ti = 1 // the cue number
		}
		if ti >= len(blk.lines) || !strings.Contains(blk.lines[ti], "-->") {
			b.errs.Add(Pos{File: source, Line: blk.line + min(ti, len(blk.lines)-1), Col: 1}, "", "expected a cue number and a timing line like 00:01:02,500 --> 00:01:05,000")
			continue
		}
		start, end, ok := parseTiming(blk.lines[ti])
		if !ok {
			b.errs.Add(Pos{File: source, Line: blk.line + ti, Col: 1}, "", "invalid cue timing %q: use 00:01:02,500 --> 00:01:05,000", strings.TrimSpace(blk.lines[ti]))
			continue
		}
		text := srtTag.ReplaceAllString(strings.Join(blk.lines[ti+1:], "\n"), "")
		text = strings.Join(strings.Fields(html.UnescapeString(text)), " ")
		speaker := ""
		if m := srtSpeaker.FindStringSubmatch(text); m != nil {
			speaker, text = strings.TrimSpace(m[1]), m[2]
		}
		b.add(speaker, Cue{Start: start, End: end, Text: text}, blk.line+ti)
	}
	return b.done()
}

// Timed reports whether every turn has timing: a caption source, or a
// transcript.md with a timestamp on every turn, in order.
func (t *Transcript) Timed() bool {
	if t.lazy {
		return t.timed
	}
	if t.Format == "vtt" || t.Format == "srt" {
		return true
	}
	prev := time.Duration(0)
	for _, turn := range t.Turns {
		if turn.Start < prev {
			return false // also catches -1: no timestamp
		}
		prev = turn.Start
	}
	return len(t.Turns) > 0
}

// segment is one timed piece of a transcript, as apps read it.
type segment struct {
	Speaker    string
	Start, End time.Duration
	Body       string
}

// wordsPerSecond estimates how long a last turn lasts when the episode's
// duration is unknown.
const wordsPerSecond = 2.5

// transcriptSegments is the transcript as timed segments, or nil when it
// has no timing. Caption cues are kept as they are; a transcript.md turn
// ends where the next begins, the last at the end of the episode (or after
// words ÷ 2.5 seconds).
func (ep *Episode) transcriptSegments() []segment {
	tr := ep.Transcript
	if tr == nil || !tr.Timed() {
		return nil
	}
	var out []segment
	for i, turn := range tr.Turns {
		if turn.Cues != nil {
			for _, c := range turn.Cues {
				out = append(out, segment{turn.Speaker, c.Start, c.End, c.Text})
			}
			continue
		}
		body := strings.Join(turn.Text, " ")
		end := ep.Duration
		if i+1 < len(tr.Turns) {
			end = tr.Turns[i+1].Start
		}
		if end <= turn.Start { // no duration, or two turns stamped the same second
			words := float64(len(strings.Fields(body)))
			end = turn.Start + max(time.Second, time.Duration(math.Round(words/wordsPerSecond*1000))*time.Millisecond)
		}
		out = append(out, segment{turn.Speaker, turn.Start, end, body})
	}
	return out
}

// transcriptJSON is the Podcasting 2.0 JSON transcript format 1.0.0.
func transcriptJSON(segs []segment) ([]byte, error) {
	type jsonSegment struct {
		Speaker   string  `json:"speaker,omitempty"`
		StartTime float64 `json:"startTime"`
		EndTime   float64 `json:"endTime"`
		Body      string  `json:"body"`
	}
	doc := struct {
		Version  string        `json:"version"`
		Segments []jsonSegment `json:"segments"`
	}{Version: "1.0.0", Segments: []jsonSegment{}}
	for _, s := range segs {
		doc.Segments = append(doc.Segments, jsonSegment{s.Speaker, secs(s.Start), secs(s.End), s.Body})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// secs is a duration in seconds to the millisecond.
func secs(d time.Duration) float64 { return float64(d.Milliseconds()) / 1000 }

// transcriptVTT writes the segments as WebVTT with <v> voice tags, which
// Apple Podcasts reads for speaker names.
func transcriptVTT(segs []segment) []byte {
	var b bytes.Buffer
	b.WriteString("WEBVTT\n")
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", " ")
	for i, s := range segs {
		fmt.Fprintf(&b, "\n%d\n%s --> %s\n", i+1, cueClock(s.Start), cueClock(s.End))
		if s.Speaker != "" {
			fmt.Fprintf(&b, "<v %s>", esc.Replace(s.Speaker))
		}
		b.WriteString(esc.Replace(s.Body))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// cueClock formats a WebVTT timestamp, 00:01:02.500.
func cueClock(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// TranscriptJSONPath and TranscriptVTTPath are where the timed transcript
// formats are published, site-relative.
func (e *Episode) TranscriptJSONPath() string { return e.Path() + "transcript.json" }
func (e *Episode) TranscriptVTTPath() string  { return e.Path() + "transcript.vtt" }
