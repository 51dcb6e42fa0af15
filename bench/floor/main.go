// Command floor does the least work any static site generator must do for
// a shownotes corpus, as a lower bound for benchmarks: walk the content
// folder, read every .md file, split off the front matter, render the body
// with goldmark (the extensions shownotes uses: GFM, footnotes,
// typographer, auto heading ids) and write each result as
// OUT/<name>/index.html, on all cores. No templates, feeds, lists,
// validation or atomic output.
//
//	go build -o /tmp/floor ./bench/floor && /tmp/floor -in corpus/content -out /tmp/floor-out
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

func main() {
	in := flag.String("in", "content", "folder of .md files")
	out := flag.String("out", "floor-out", "output folder")
	flag.Parse()
	start := time.Now()
	var files []string
	err := filepath.WalkDir(*in, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		fail(err)
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	var (
		next, bytesOut atomic.Int64
		wg             sync.WaitGroup
		errOnce        sync.Once
		firstErr       error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				if err := render(md, files[i], *out, &buf); err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				bytesOut.Add(int64(buf.Len()))
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		fail(firstErr)
	}
	fmt.Printf("floor: rendered %d files (%d MB of HTML) into %s in %d ms\n",
		len(files), bytesOut.Load()>>20, *out, time.Since(start).Milliseconds())
}

// render converts one file: the body after a --- front matter block (the
// whole file when there is none, as for transcripts).
func render(md goldmark.Markdown, file, out string, buf *bytes.Buffer) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	body := src
	if rest, ok := bytes.CutPrefix(src, []byte("---\n")); ok {
		if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
			body = rest[i+len("\n---\n"):]
		}
	}
	buf.Reset()
	if err := md.Convert(body, buf); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	dir := filepath.Join(out, strings.TrimSuffix(filepath.Base(file), ".md"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
