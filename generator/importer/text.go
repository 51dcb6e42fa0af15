package importer

import (
	"errors"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxSummaryBytes is the feed's description limit; summaries are cut to it.
const MaxSummaryBytes = 4000

// sanitize drops what no page or feed may carry: invalid UTF-8, C0 and C1
// control characters other than tab and newline, and the non-characters
// U+FFFE/U+FFFF. Line endings become \n.
func sanitize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if utf8.ValidString(s) && strings.IndexFunc(s, badRune) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if (r == utf8.RuneError && size <= 1) || badRune(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func badRune(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r <= 0x9f) || r == 0xfffe || r == 0xffff || (r >= 0xd800 && r <= 0xdfff)
}

// verbatim is for identities (guids, URLs): only what no feed may carry
// is dropped, and surrounding space, which every reader trims.
func verbatim(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r != '\r' && badRune(r) {
			return -1
		}
		return r
	}, s))
}

// line is sanitize for one-line values (titles, names, tags): any run of
// white space becomes one space.
func line(s string) string {
	return strings.Join(strings.Fields(sanitize(s)), " ")
}

// plainText strips HTML to its text, white space collapsed, for summaries.
func plainText(s string) string {
	s = sanitize(s)
	if !looksLikeHTML(s) {
		return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
	}
	nodes, err := nethtml.ParseFragment(strings.NewReader(s), &nethtml.Node{Type: nethtml.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch n.Type {
		case nethtml.TextNode:
			b.WriteString(n.Data)
		case nethtml.ElementNode:
			switch n.Data {
			case "script", "style", "template":
				return
			case "br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote", "pre", "hr":
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == nethtml.ElementNode {
			switch n.Data {
			case "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "pre":
				b.WriteByte(' ')
			}
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return strings.Join(strings.Fields(sanitize(b.String())), " ")
}

var htmlTag = regexp.MustCompile(`(?i)</?[a-z][a-z0-9]*(\s[^<>]*)?/?>|&[a-z]+;|&#[0-9]+;|&#x[0-9a-f]+;`)

func looksLikeHTML(s string) bool { return htmlTag.MatchString(s) }

// shorten cuts s to at most max bytes on a word boundary, ending in "…".
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ellipsis = "…"
	cut := max - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	head := s[:cut]
	// Back up to the last space, unless that throws away most of the text
	// (one enormous "word", such as a URL).
	if i := strings.LastIndexFunc(head, unicode.IsSpace); i > cut/2 {
		head = head[:i]
	}
	head = strings.TrimRightFunc(head, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != ')' && r != '"' })
	return head + ellipsis
}

// markdown converts show notes HTML to Markdown. Relative links are made
// absolute against domain (the show's old website), since in the new site
// a link starting with / means a page of the site itself.
func markdown(src, domain string) (string, error) {
	src = sanitize(src)
	if strings.TrimSpace(src) == "" {
		return "", nil
	}
	if !looksLikeHTML(src) {
		src = textToHTML(src)
	}
	conv := htmltomarkdown.NewConverter(htmltomarkdown.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		strikethrough.NewStrikethroughPlugin(),
		table.NewTablePlugin(),
	))
	var opts []htmltomarkdown.ConvertOptionFunc
	if domain != "" {
		opts = append(opts, htmltomarkdown.WithDomain(domain))
	}
	md, err := conv.ConvertString(src, opts...)
	if err != nil {
		return "", err
	}
	return tidyMarkdown(sanitize(md)), nil
}

// tidyMarkdown removes noise from converted notes, outside code blocks:
// whitespace-only lines and runs of blank lines. Hard line breaks written
// as two trailing spaces, which editors strip, become a backslash.
func tidyMarkdown(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	fence := ""
	blank := 0
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if fence == "" && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")) {
			fence = t[:3]
		} else if fence != "" {
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			out = append(out, l)
			continue
		}
		if t == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
			out = append(out, "")
			continue
		}
		blank = 0
		if strings.HasSuffix(l, "  ") && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			l = strings.TrimRight(l, " ") + "\\"
		} else {
			l = strings.TrimRight(l, " \t")
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// textToHTML turns plain-text notes into paragraphs: a blank line separates
// paragraphs, a single newline is a line break.
func textToHTML(s string) string {
	var b strings.Builder
	for _, para := range regexp.MustCompile(`\n\s*\n`).Split(strings.TrimSpace(s), -1) {
		lines := strings.Split(para, "\n")
		for i := range lines {
			lines[i] = html.EscapeString(strings.TrimSpace(lines[i]))
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>") + "</p>\n")
	}
	return b.String()
}

// zones are the RFC 822 zone names, and a few more that feeds use.
var zones = map[string]string{
	"GMT": "+0000", "UT": "+0000", "UTC": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"BST": "+0100", "CET": "+0100", "CEST": "+0200", "EET": "+0200", "EEST": "+0300",
	"AEST": "+1000", "AEDT": "+1100", "JST": "+0900",
}

var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 January 2006 15:04:05 -0700",
	"2 January 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"2006-01-02T15:04:05-07:00",
	"2006-01-02 15:04:05 -0700",
}

// parseDate reads an RFC 822/2822 date as feeds write it (day name
// optional, numeric or named zone, seconds optional), keeping its offset,
// or RFC 3339. Fractions of a second are dropped.
func parseDate(s string) (time.Time, error) {
	orig := s
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, errors.New("no pubDate")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Truncate(time.Second), nil
	}
	if i := strings.IndexByte(s, ','); i >= 0 && i < 12 {
		s = strings.TrimSpace(s[i+1:])
	}
	fields := strings.Fields(s)
	if n := len(fields); n > 0 {
		last := fields[n-1]
		if z, ok := zones[strings.ToUpper(last)]; ok {
			fields[n-1] = z
		} else if len(last) == 5 && (last[0] == '+' || last[0] == '-') {
			// numeric already
		} else if n == 4 {
			fields = append(fields, "+0000") // no zone at all: GMT, as RFC 822 readers assume
		} else if n >= 5 {
			return time.Time{}, fmt.Errorf("unknown time zone %q in pubDate %q", last, orig)
		}
		// "Sept" and full month names with a dot are seen in the wild.
		if len(fields) > 1 {
			fields[1] = strings.TrimSuffix(fields[1], ".")
			if strings.EqualFold(fields[1], "Sept") {
				fields[1] = "Sep"
			}
		}
		s = strings.Join(fields, " ")
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Truncate(time.Second), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read pubDate %q", orig)
}

// formatDate writes t as RFC 3339 with its own offset, to the second.
func formatDate(t time.Time) string { return t.Format(time.RFC3339) }

// parseDuration reads itunes:duration: HH:MM:SS, H:MM:SS, MM:SS or seconds
// (fractions rounded).
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty duration")
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("cannot read duration %q", s)
	}
	var total float64
	for i, p := range parts {
		last := i == len(parts)-1
		if p == "" || strings.TrimLeft(p, "0123456789") != "" && !(last && isDecimal(p)) {
			return 0, fmt.Errorf("cannot read duration %q", s)
		}
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || v > 1e9 {
			return 0, fmt.Errorf("cannot read duration %q", s)
		}
		total = total*60 + v
	}
	return time.Duration(math.Round(total)) * time.Second, nil
}

func isDecimal(s string) bool {
	whole, frac, ok := strings.Cut(s, ".")
	return ok && whole != "" && strings.TrimLeft(whole, "0123456789") == "" && strings.TrimLeft(frac, "0123456789") == ""
}

// formatDuration is HH:MM:SS, which the front matter decoder reads back.
func formatDuration(d time.Duration) string {
	sec := int64(d / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// parseExplicit reads itunes:explicit: yes, explicit and true are explicit;
// no, clean and false are not.
func parseExplicit(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "explicit":
		return true, true
	case "no", "false", "clean":
		return false, true
	}
	return false, false
}

func parseYes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true":
		return true
	}
	return false
}
