package site

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"shownotes/generator/internal/corpus"
)

// BenchmarkPageTemplates is the theme's share of an episode: executing the
// episode and transcript templates for one episode of the benchmark corpus,
// with its notes rendered beforehand (the transcript's turns are made in
// the template, by TurnsHTML), and nothing written. Each template action is a reflective call, so this is where
// a template change shows:
//
//	go test ./generator/site -run XXX -bench PageTemplates -benchmem
//	THEME_DIR=/tmp/mytheme go test ./generator/site -run XXX -bench PageTemplates
func BenchmarkPageTemplates(b *testing.B) {
	in := Input{Project: corpus.FS(corpus.Options{Episodes: 50, Seed: 1}), Theme: os.DirFS(themeDir()), Now: func() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }}
	s, err := Load(context.Background(), in)
	if err != nil {
		b.Fatal(err)
	}
	themeFS, _ := resolveTheme(in, s.Config)
	th, err := loadTheme(themeFS, s.Config.Theme, templateFuncs(s.Config, themeFS))
	if err != nil {
		b.Fatal(err)
	}
	md := newMarkdown(s.Config)
	ep := s.Episodes[10]
	if err := (&renderer{in: in}).hydrate(ep); err != nil {
		b.Fatal(err)
	}
	html, _, err := md.render(ep.body, ep.bodyLine)
	if err != nil || len(html) < 1000 {
		b.Fatalf("notes: %d bytes, %v", len(html), err)
	}
	ep.content = html
	pages := episodePages(ep)
	for _, p := range pages {
		p.Site, p.Config = s, s.Config
	}
	var buf bytes.Buffer
	for _, p := range pages {
		b.Run(p.Kind, func(b *testing.B) {
			for b.Loop() {
				buf.Reset()
				if err := th.execute(&buf, p.Kind, p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}

// themeDir is the theme BenchmarkPageTemplates executes: THEME_DIR, or the
// default theme.
func themeDir() string {
	if d := os.Getenv("THEME_DIR"); d != "" {
		return d
	}
	return "../../themes/default"
}

// BenchmarkIndexEpisode is the search index's share of an episode: the
// tokens of the show notes, title, guests, books and topics of one episode
// of the benchmark corpus (its notes mix ASCII with names in other
// scripts, as the corpus's guests do).
func BenchmarkIndexEpisode(b *testing.B) {
	in := Input{Project: corpus.FS(corpus.Options{Episodes: 50, Seed: 1}), Theme: os.DirFS(themeDir()), Now: func() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }}
	s, err := Load(context.Background(), in)
	if err != nil {
		b.Fatal(err)
	}
	r := &renderer{in: in}
	for _, ep := range s.Episodes {
		if err := r.hydrate(ep); err != nil {
			b.Fatal(err)
		}
	}
	tokens := 0
	for b.Loop() {
		tokens = 0
		for _, ep := range s.Episodes {
			tokens += len(indexEpisode(ep).tokens)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(s.Episodes)), "µs/episode")
	b.ReportMetric(float64(tokens)/float64(len(s.Episodes)), "tokens/episode")
}
