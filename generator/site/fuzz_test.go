package site

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// fuzzSeeds are the example site's episodes plus a few tricky shapes.
func fuzzSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "content", "episodes", "*.md"))
	for _, name := range files {
		if strings.HasSuffix(name, ".transcript.md") {
			continue
		}
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"---\n---\n",
		"+++\ntitle = 1\n+++\n",
		"{\n}\n\n",
		"---\ntitle: [a, {b: c}]\nguests: [{name: x}, y, 3]\n---\n[l](/x) ![i](../y)\n",
		"\ufeff---\r\ntitle: t\r\n---\r\n",
		"---\na: &x [1]\nb: *x\n---\n",
	} {
		f.Add([]byte(s))
	}
}

// FuzzParseEpisode: any bytes give a result or positioned errors, never a
// panic, and every position lies inside the file.
func FuzzParseEpisode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		pf := parseEpisodeFile("content/x.md", data)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range pf.errs {
			if e.Pos.File != "content/x.md" || e.Pos.Line < 0 || e.Pos.Line > lines+1 || e.Pos.Col < 0 {
				t.Errorf("error outside the file (%d lines): %v", lines, e)
			}
			if e.Msg == "" {
				t.Errorf("error without a message: %#v", e)
			}
		}
		if pf.fm != nil && pf.ep == nil {
			t.Error("front matter decoded but no episode")
		}
		if pf.ep != nil && pf.ep.Slug != "" && !slugPattern.MatchString(pf.ep.Slug) {
			t.Errorf("unsafe slug %q", pf.ep.Slug)
		}
	})
}

const fuzzSite = `title = "Fuzz"
description = "D"
base_url = "https://example.org/"
categories = ["History"]
[owner]
email = "a@example.org"
`

// FuzzBuildOneEpisode builds a one-episode site: it either fails with
// errors or produces files that stay inside the output and a feed that is
// well-formed XML.
func FuzzBuildOneEpisode(f *testing.F) {
	fuzzSeeds(f)
	theme := os.DirFS(filepath.Join("..", "..", "themes", "default"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := Input{
			Project: fstest.MapFS{
				"site.toml":       {Data: []byte(fuzzSite)},
				"content/ep.md":   {Data: data},
				"content/img.png": {Data: []byte("PNG")},
			},
			Theme:  theme,
			Now:    func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) },
			Drafts: true,
		}
		out := NewMemOutput()
		_, err := Build(context.Background(), in, out)
		if err != nil {
			for _, e := range AsList(err) {
				if e.Msg == "" {
					t.Errorf("error without a message: %#v", e)
				}
			}
			return
		}
		for name := range out.Files() {
			if !fs.ValidPath(name) {
				t.Errorf("output name %q escapes the output folder", name)
			}
		}
		dec := xml.NewDecoder(bytes.NewReader(out.Files()["feed.xml"]))
		dec.Strict = true
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("feed.xml is not well-formed: %v", err)
			}
		}
	})
}
