package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Pos is a position in a source file. Line and Col are 1-based; a zero Line
// means the whole file, a zero Col the whole line.
type Pos struct {
	File string // slash-separated path relative to the project root
	Line int
	Col  int
}

func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Severity separates problems that stop a build from advice.
type Severity int

const (
	SeverityError Severity = iota
	SeverityWarning
)

// Error is one problem in the input, anchored at a position. Field names the
// front matter or config key in dotted form (guests[0].name) when known.
type Error struct {
	Pos      Pos
	Field    string
	Msg      string
	Severity Severity
	// Snippet is the source line at Pos, filled in by the loader so that
	// every consumer (CLI, dev server error page) shows the same context.
	Snippet string
}

func (e *Error) Error() string {
	var b strings.Builder
	if s := e.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	if e.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList collects every problem found, so users fix them all in one pass.
type ErrorList []*Error

func (l *ErrorList) Add(pos Pos, field, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (l *ErrorList) Warn(pos Pos, field, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...), Severity: SeverityWarning})
}

// Sort orders by file, line, column, then message, for stable output.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Error() < b.Error()
	})
}

// Errors returns only the entries that stop a build.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Severity == SeverityError {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns only the advisory entries.
func (l ErrorList) Warnings() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Severity == SeverityWarning {
			out = append(out, e)
		}
	}
	return out
}

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns the list as an error when it holds at least one error (not
// just warnings), else nil.
func (l ErrorList) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

// AsList extracts the positioned problems from err: an ErrorList as is, an
// *Error as a one-element list, anything else as a position-less entry.
func AsList(err error) ErrorList {
	if err == nil {
		return nil
	}
	var list ErrorList
	if errors.As(err, &list) {
		return list
	}
	var one *Error
	if errors.As(err, &one) {
		return ErrorList{one}
	}
	return ErrorList{{Msg: err.Error()}}
}

// lineAt returns the text of 1-based line n of src, without its newline.
func lineAt(src []byte, n int) string {
	if n <= 0 {
		return ""
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimRight(string(src), "\r")
}

func itoa(i int) string { return strconv.Itoa(i) }

// fillSnippets adds source lines to errors about episode files.
func (s *Site) fillSnippets(errs ErrorList) {
	if len(errs) == 0 {
		return
	}
	files := map[string][]byte{}
	for _, ep := range s.Episodes {
		files[ep.Source] = ep.src
	}
	for _, e := range errs {
		if src, ok := files[e.Pos.File]; ok && src == nil && s.project != nil {
			src, _ = fs.ReadFile(s.project, e.Pos.File)
			files[e.Pos.File] = src
		}
	}
	fillSnippets(errs, files)
}

// source is an episode's file as read, read again if a persistent cache
// hit left it unread (for the snippet of a problem).
func (s *Site) source(ep *Episode) []byte {
	if ep.src == nil && ep.lazy && s.project != nil {
		src, _ := fs.ReadFile(s.project, ep.Source)
		return src
	}
	return ep.src
}

// CaretPad is the indentation that puts a caret under 1-based column col
// of line, keeping tabs so it lines up wherever the line is shown.
func CaretPad(line string, col int) string {
	var b strings.Builder
	for i, r := range []rune(line) {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
