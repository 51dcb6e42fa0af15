package site

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// splitTurn recognises "[00:12:30] Speaker Name: text" and "Speaker Name:
// text", returning the timestamp (or ""), the speaker and the text. A
// speaker label is short (at most 41 characters), starts with a letter and
// holds only letters, marks, spaces and ' ’ . - , so "Note: ..." inside a
// turn is rare enough to accept. Hand-written rather than a regexp: it runs
// on every paragraph of every transcript, and the backtracking regexp was a
// tenth of a 1,000-episode build.
func splitTurn(para string) (stamp, speaker, text string, ok bool) {
	rest := para
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 || !isStamp(rest[1:end]) {
			return "", "", "", false
		}
		stamp = rest[1:end]
		rest = strings.TrimLeft(rest[end+1:], " \t")
	}
	colon := strings.IndexByte(rest, ':')
	if colon <= 0 || colon+1 >= len(rest) || (rest[colon+1] != ' ' && rest[colon+1] != '\t') {
		return "", "", "", false
	}
	label := rest[:colon]
	n := 0
	for i, r := range label {
		n++
		if n > 41 {
			return "", "", "", false
		}
		switch {
		case i == 0 && !unicode.IsLetter(r):
			return "", "", "", false
		case unicode.IsLetter(r), unicode.IsMark(r), r == ' ', r == '\'', r == '’', r == '.', r == '-':
		default:
			return "", "", "", false
		}
	}
	return stamp, label, strings.TrimLeft(rest[colon+1:], " \t"), true
}

// isStamp accepts M:SS, MM:SS, H:MM:SS and HH:MM:SS.
func isStamp(s string) bool {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 || (i == len(parts)-1 && len(p) != 2) || (i > 0 && len(p) != 2) {
			return false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// parseTranscript reads the plain-text transcript format: one paragraph per
// turn, each starting with "Speaker: ", optionally preceded by a
// [HH:MM:SS] timestamp. Paragraphs without a label continue the previous
// turn.
//
// The turns share src's bytes, so src must never change afterwards. It is
// a file just read (fs.ReadFile hands the caller its own copy), and a
// string(src) copy was a transcript's size allocated twice a build.
func parseTranscript(source string, src []byte) (*Transcript, ErrorList) {
	var errs ErrorList
	tr := &Transcript{Source: source, Format: "md"}
	prev := time.Duration(-1)
	text := strings.TrimPrefix(unsafe.String(unsafe.SliceData(src), len(src)), "\ufeff")
	if strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	// Most transcripts are one line per paragraph with single spaces:
	// then only a paragraph that wraps needs its spaces collapsed, and
	// finding out costs one search per file instead of a look at every
	// character of every paragraph.
	plain := plainSpacing(text)
	// One turn a paragraph, about: grown by doubling, the slice of a long
	// transcript was allocated eight times over.
	tr.Turns = make([]Turn, 0, strings.Count(text, "\n\n")+1)
	line := 1
	for rest, more := text, true; more; {
		var para string
		para, rest, more = strings.Cut(rest, "\n\n")
		startLine := line
		lines := strings.Count(para, "\n")
		line += lines + 2
		para = strings.TrimSpace(para)
		if !plain || lines > 0 {
			para = collapseSpace(para)
		}
		if para == "" {
			continue
		}
		stamp, speaker, body, ok := splitTurn(para)
		if !ok {
			if len(tr.Turns) == 0 {
				errs.Add(Pos{File: source, Line: startLine, Col: 1}, "", "transcript must start with a speaker turn like \"Name: text\"")
				return nil, errs
			}
			last := &tr.Turns[len(tr.Turns)-1]
			last.Text = append(last.Text, para)
			continue
		}
		start := time.Duration(-1)
		if stamp != "" {
			d, err := parseDuration(stamp)
			if err != nil {
				errs.Add(Pos{File: source, Line: startLine, Col: 2}, "", "%v", err)
			} else {
				start = d
			}
			if start >= 0 && start < prev {
				errs.Warn(Pos{File: source, Line: startLine, Col: 2}, "", "timestamp %s is earlier than the one before it (%s): the transcript is published without timing", stamp, clock(prev))
			}
			prev = max(prev, start)
		}
		tr.Turns = append(tr.Turns, Turn{Speaker: strings.TrimSpace(speaker), Start: start, Text: []string{body}})
	}
	if len(tr.Turns) == 0 {
		errs.Add(Pos{File: source, Line: 1, Col: 1}, "", "transcript is empty")
		return nil, errs
	}
	return tr, errs
}

// plainSpacing reports whether text has no white space but single spaces
// and newlines: no tabs, carriage returns, runs of spaces, or Unicode
// spaces (whose UTF-8 encodings start with one of the bytes C2, E1, E2 or
// E3; text that merely has such bytes is not plain, which only costs the
// slower path).
func plainSpacing(text string) bool {
	if strings.Contains(text, "  ") {
		return false
	}
	for _, c := range []byte{'\t', '\r', '\v', '\f', 0xc2, 0xe1, 0xe2, 0xe3} {
		if strings.IndexByte(text, c) >= 0 {
			return false
		}
	}
	return true
}

// collapseSpace is strings.Join(strings.Fields(s), " "), without copying
// s when it is already in that form: most paragraphs are, and the turns
// then share the transcript's one string instead of a copy each. The
// check runs over every byte of every transcript, twice a build (Load,
// then the page), so ASCII takes no call to unicode.IsSpace.
func collapseSpace(s string) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if i == 0 || i+1 == len(s) || s[i+1] == ' ' {
				return strings.Join(strings.Fields(s), " ")
			}
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return strings.Join(strings.Fields(s), " ")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return strings.Join(strings.Fields(s), " ")
			}
			i += size - 1
		}
	}
	return s
}

// Speakers lists the distinct named speakers in order of first appearance.
func (t *Transcript) Speakers() []string {
	var out []string
	seen := map[string]bool{"": true}
	for _, turn := range t.Turns {
		if !seen[turn.Speaker] {
			seen[turn.Speaker] = true
			out = append(out, turn.Speaker)
		}
	}
	return out
}

// prepare fills the per-turn fields templates print.
func (t *Transcript) prepare() {
	for i := range t.Turns {
		turn := &t.Turns[i]
		turn.N = i + 1
		turn.Timed = turn.Start >= 0
		if turn.Timed {
			turn.Seconds = int64(turn.Start / time.Second)
			turn.Clock = clock(turn.Start)
			turn.ISO = isoDuration(turn.Start)
		}
	}
}

// TurnsHTML renders the turns as the default theme shows them: one
// <section class="turn" id="turn-N"> per turn with the speaker as an <h2>,
// a seek link when the turn is timed, a permalink, and the paragraphs.
// It is built here rather than in the template because a long transcript
// has thousands of values to escape, and each template action costs a
// reflective call; a theme that wants other markup can range over Turns.
func (e *Episode) TurnsHTML() template.HTML {
	t := e.Transcript
	if t == nil {
		return ""
	}
	audio := ""
	if e.Audio != nil {
		audio = html.EscapeString(e.Audio.URL)
	}
	// Appended straight into one buffer: a 20 KB transcript is a thousand
	// paragraphs, and building each piece as a string first cost as much
	// again as the escaping.
	size := 0
	for _, turn := range t.Turns {
		size += 256 + len(turn.Speaker)
		for _, p := range turn.Text {
			size += len(p) + 8
		}
	}
	// A strings.Builder: its String() is the bytes themselves, where
	// template.HTML(b) of a []byte copied every page's turns once more.
	var b strings.Builder
	b.Grow(size + size/16)
	for _, turn := range t.Turns {
		n := strconv.Itoa(turn.N)
		b.WriteString(`<section class="turn" id="turn-`)
		b.WriteString(n)
		b.WriteString("\">\n<h2 class=\"speaker\">")
		if turn.Speaker != "" {
			writeEscaped(&b, turn.Speaker)
		} else {
			b.WriteString(`<span class="visually-hidden">Turn `)
			b.WriteString(n)
			b.WriteString(`</span>`)
		}
		if turn.Timed {
			sec := strconv.FormatInt(turn.Seconds, 10)
			for _, piece := range [...]string{` <a class="seek" href="`, audio, `#t=`, sec, `" data-start="`, sec, `"><time datetime="`, turn.ISO, `">`, turn.Clock, `</time></a>`} {
				b.WriteString(piece)
			}
		}
		b.WriteString(` <a class="turn-link" href="#turn-`)
		b.WriteString(n)
		b.WriteString(`" aria-label="Link to turn `)
		b.WriteString(n)
		b.WriteString("\">#</a></h2>\n")
		for _, p := range turn.Text {
			b.WriteString("<p>")
			writeEscaped(&b, p)
			b.WriteString("</p>\n")
		}
		b.WriteString("</section>\n")
	}
	return template.HTML(b.String())
}

// writeEscaped writes s escaped as html.EscapeString does.
func writeEscaped(b *strings.Builder, s string) {
	for {
		i := strings.IndexAny(s, `&'<>"`)
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		switch s[i] {
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&#34;")
		}
		s = s[i+1:]
	}
}
