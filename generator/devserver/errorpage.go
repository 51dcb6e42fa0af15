package devserver

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"shownotes/generator/site"
)

// problem is one entry of the error page.
type problem struct {
	Pos      string // file:line:col, or just the file
	Field    string
	Msg      string
	Warning  bool
	Line     string // the gutter: "    7 | "
	Snippet  string
	CaretPad string // spaces (and tabs) up to the column; empty: no caret
	HasCaret bool
}

type errorPageData struct {
	Count    string
	Problems []problem
	HaveGood bool
	Script   template.HTML
}

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · shownotes</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff8f6; color: #1d1d1d; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { color: #a4161a; margin-top: 0; }
ol { padding-left: 1.5rem; }
li { margin-bottom: 1.25rem; }
.pos { font-weight: bold; }
pre { background: #fff; border: 1px solid #e4c5c0; border-radius: 4px; padding: .75rem; overflow-x: auto; }
.gutter { color: #6b6b6b; }
.caret { color: #a4161a; font-weight: bold; }
</style>
</head>
<body>
<main>
<h1>Build failed</h1>
<p>{{.Count}}. This page reloads by itself once the files are fixed.{{if .HaveGood}} Stylesheets, images and audio still come from the last good build.{{end}}</p>
<ol>
{{range .Problems}}<li>
<p>{{with .Pos}}<code class="pos">{{.}}</code>: {{end}}{{if .Warning}}warning: {{end}}{{with .Field}}<code>{{.}}</code>: {{end}}{{.Msg}}</p>
{{if .Snippet}}<pre><code><span class="gutter">{{.Line}}</span>{{.Snippet}}{{if .HasCaret}}
<span class="gutter">{{.CaretPad}}</span><span class="caret">^</span>{{end}}</code></pre>
{{end}}</li>
{{end}}</ol>
</main>
{{.Script}}
</body>
</html>
`))

// serveErrorPage answers an HTML request while the newest build is broken.
func (s *Server) serveErrorPage(w http.ResponseWriter, r *http.Request, st *state) {
	body := renderErrorPage(st.errs, st.good != nil, st.id)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusInternalServerError)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// renderErrorPage lists each problem with its position, message and source
// line, the way the terminal shows them. Everything from the input is
// escaped by html/template. The page carries the live-reload script.
func renderErrorPage(list site.ErrorList, haveGood bool, id string) []byte {
	d := errorPageData{HaveGood: haveGood, Script: template.HTML(scriptTag(id))}
	n := 0
	for _, e := range list {
		if e.Severity == site.SeverityError {
			n++
		}
		p := problem{Pos: e.Pos.String(), Field: e.Field, Msg: e.Msg, Warning: e.Severity == site.SeverityWarning}
		if e.Snippet != "" && e.Pos.Line > 0 {
			p.Line = fmt.Sprintf("%5d | ", e.Pos.Line)
			p.Snippet = e.Snippet
			if e.Pos.Col > 0 {
				p.HasCaret = true
				p.CaretPad = strings.Repeat(" ", len(p.Line)-2) + "| " + site.CaretPad(e.Snippet, e.Pos.Col)
			}
		}
		d.Problems = append(d.Problems, p)
	}
	if n == 0 {
		n = len(list)
	}
	d.Count = fmt.Sprintf("%d problem", n)
	if n != 1 {
		d.Count += "s"
	}
	var b bytes.Buffer
	if err := errorPage.Execute(&b, d); err != nil {
		// The template is fixed and its data plain strings; this cannot
		// happen, but a dev server must not die of it.
		b.Reset()
		b.WriteString("<!DOCTYPE html><title>Build failed</title><p>Build failed; see the terminal.</p>")
		b.WriteString(scriptTag(id))
	}
	return b.Bytes()
}
