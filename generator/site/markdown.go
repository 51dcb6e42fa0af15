package site

import (
	"html/template"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// markdown renders show notes. One instance serves a whole build and is
// used from many goroutines; goldmark parsers and renderers keep no
// per-document state outside the parser.Context.
type markdown struct {
	md       goldmark.Markdown
	basePath string // "/" or "/show/"
}

func newMarkdown(cfg *Config) *markdown {
	rendererOpts := []goldmark.Option{}
	if cfg.Markdown.Unsafe {
		rendererOpts = append(rendererOpts, goldmark.WithRendererOptions(html.WithUnsafe()))
	}
	md := goldmark.New(append(rendererOpts,
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)...)
	return &markdown{md: md, basePath: cfg.BasePath()}
}

// Link is a link found in show notes, with its line in the episode file.
type Link struct {
	Dest string
	Line int
}

// render converts body to HTML. Root-relative link and image targets
// ("/episodes/x/") are prefixed with the site's base path so a site hosted
// under a sub-path works; the original targets are returned for checking.
func (m *markdown) render(body []byte, firstLine int) (template.HTML, []Link, error) {
	doc := m.md.Parser().Parse(text.NewReader(body))
	var links []Link
	var lines lineIndex
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		switch v := n.(type) {
		case *ast.Link:
			dest = &v.Destination
		case *ast.Image:
			dest = &v.Destination
		default:
			return ast.WalkContinue, nil
		}
		d := string(*dest)
		links = append(links, Link{Dest: d, Line: firstLine + lines.lineOf(body, nodeOffset(n))})
		if strings.HasPrefix(d, "/") && !strings.HasPrefix(d, "//") && m.basePath != "/" {
			*dest = []byte(m.basePath + d[1:])
		}
		return ast.WalkContinue, nil
	})
	// Into a strings.Builder, whose String() is its bytes: the notes are
	// not copied again on their way to the template.
	var buf strings.Builder
	buf.Grow(len(body) + len(body)/4)
	if err := m.md.Renderer().Render(&buf, body, doc); err != nil {
		return "", nil, err
	}
	return template.HTML(buf.String()), links, nil
}

// nodeOffset is the byte offset of the first text under n, or of its
// nearest block ancestor.
func nodeOffset(n ast.Node) int {
	for c := n; c != nil; {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
		if !c.HasChildren() {
			break
		}
		c = c.FirstChild()
	}
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

// lineIndex maps byte offsets to 0-based line numbers. It is built on
// first use, so a page without links pays nothing and a page with many
// links pays one pass instead of one per link.
type lineIndex struct {
	starts []int // offset of each line start
}

func (x *lineIndex) lineOf(src []byte, off int) int {
	if x.starts == nil {
		x.starts = append(x.starts, 0)
		for i, c := range src {
			if c == '\n' {
				x.starts = append(x.starts, i+1)
			}
		}
	}
	return sort.SearchInts(x.starts, off+1) - 1
}
