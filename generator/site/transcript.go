package site

import (
	"regexp"
	"strings"
	"time"
)

// turnStart matches "[00:12:30] Speaker Name: text" or "Speaker Name: text".
// A speaker label is short, starts with a letter and holds no sentence
// punctuation, so "Note: ..." inside a turn is rare enough to accept.
var turnStart = regexp.MustCompile(`^(?:\[((?:\d{1,2}:)?\d{1,2}:\d{2})\]\s*)?([\p{L}][\p{L}\p{M}'’.\- ]{0,40}?):\s+(.*)$`)

// parseTranscript reads the plain-text transcript format: one paragraph per
// turn, each starting with "Speaker: ", optionally preceded by a
// [HH:MM:SS] timestamp. Paragraphs without a label continue the previous
// turn.
func parseTranscript(source string, src []byte) (*Transcript, ErrorList) {
	var errs ErrorList
	tr := &Transcript{Source: source, Format: "md"}
	prev := time.Duration(-1)
	text := strings.ReplaceAll(strings.TrimPrefix(string(src), "\ufeff"), "\r\n", "\n")
	line := 1
	for _, para := range strings.Split(text, "\n\n") {
		startLine := line
		line += strings.Count(para, "\n") + 2
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		para = strings.Join(strings.Fields(para), " ")
		m := turnStart.FindStringSubmatch(para)
		if m == nil {
			if len(tr.Turns) == 0 {
				errs.Add(Pos{File: source, Line: startLine, Col: 1}, "", "transcript must start with a speaker turn like \"Name: text\"")
				return nil, errs
			}
			last := &tr.Turns[len(tr.Turns)-1]
			last.Text = append(last.Text, para)
			continue
		}
		start := time.Duration(-1)
		if m[1] != "" {
			d, err := parseDuration(m[1])
			if err != nil {
				errs.Add(Pos{File: source, Line: startLine, Col: 2}, "", "%v", err)
			} else {
				start = d
			}
			if start >= 0 && start < prev {
				errs.Warn(Pos{File: source, Line: startLine, Col: 2}, "", "timestamp %s is earlier than the one before it (%s): the transcript is published without timing", m[1], clock(prev))
			}
			prev = max(prev, start)
		}
		tr.Turns = append(tr.Turns, Turn{Speaker: strings.TrimSpace(m[2]), Start: start, Text: []string{m[3]}})
	}
	if len(tr.Turns) == 0 {
		errs.Add(Pos{File: source, Line: 1, Col: 1}, "", "transcript is empty")
		return nil, errs
	}
	return tr, errs
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
