package site

import (
	"net/url"
	"regexp"
	"strings"
)

// Chapters can be written into the show notes instead of the front matter:
// lines (or list items) that start with a timestamp,
//
//	00:04:10 The first wave
//	- (04:10) The first wave
//	1. [1:02:03] – [Questions](https://example.org/q)
//
// They count when the front matter has no chapters: key, there are at least
// two of them, and they are in order. One line alone is just a sentence
// that starts with a time.

// chapterLine: optional list marker, a timestamp bare or in () or [], an
// optional separator, the title.
var chapterLine = regexp.MustCompile(`^ {0,3}(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)?([(\[]?)((?:\d{1,3}:)?\d{1,2}:\d{2})([)\]]?)[ \t]+(?:[-–—|:][ \t]+)?(\S.*)$`)

// mdLink is an inline Markdown link.
var mdLink = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)`)

var fence = regexp.MustCompile("^ {0,3}(```|~~~)")

// chaptersFromNotes reads chapter lines from the Markdown body; firstLine is
// the body's line in the file. Problems are warnings: the notes still
// publish.
func chaptersFromNotes(file string, body []byte, firstLine int, errs *ErrorList) []Chapter {
	var chapters []Chapter
	var lines []int
	inFence := ""
	for i, l := range strings.Split(string(body), "\n") {
		l = strings.TrimSuffix(l, "\r")
		if m := fence.FindStringSubmatch(l); m != nil {
			switch inFence {
			case "":
				inFence = m[1]
			case m[1]:
				inFence = ""
			}
			continue
		}
		if inFence != "" {
			continue
		}
		m := chapterLine.FindStringSubmatch(l)
		if m == nil || !bracketsMatch(m[1], m[3]) {
			continue
		}
		start, err := parseDuration(m[2])
		if err != nil {
			continue // 1:75 is not a time
		}
		c := Chapter{Start: start}
		c.Title, c.URL = chapterTitle(m[4])
		if c.Title == "" {
			continue
		}
		chapters = append(chapters, c)
		lines = append(lines, firstLine+i)
	}
	if len(chapters) < 2 {
		return nil
	}
	for i := 1; i < len(chapters); i++ {
		if chapters[i].Start <= chapters[i-1].Start {
			errs.Warn(Pos{File: file, Line: lines[i], Col: 1}, "chapters", "chapter at %s is not later than the one before it (%s): the timestamps in the show notes are not used as chapters", clock(chapters[i].Start), clock(chapters[i-1].Start))
			return nil
		}
	}
	return chapters
}

func bracketsMatch(open, close string) bool {
	return open+close == "" || open+close == "()" || open+close == "[]"
}

// chapterTitle turns the Markdown after a timestamp into plain text; a
// title that is one link to a web page gives the chapter its URL.
func chapterTitle(md string) (title, link string) {
	md = strings.TrimSpace(strings.TrimRight(md, "\\ \t"))
	if m := mdLink.FindStringSubmatch(md); m != nil && m[0] == md {
		if u, err := url.Parse(m[2]); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			link = m[2]
		}
	}
	title = mdLink.ReplaceAllString(md, "$1")
	title = strings.NewReplacer("**", "", "__", "", "`", "").Replace(title)
	return strings.Join(strings.Fields(cleanText(title)), " "), link
}
