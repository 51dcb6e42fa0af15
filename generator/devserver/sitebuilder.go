package devserver

import (
	"context"
	"io/fs"

	"shownotes/generator/site"
)

// SiteBuilder is the Builder behind `shownotes serve`: it builds the site
// into memory and keeps a site.Cache between builds, so a rebuild re-reads,
// re-parses and re-renders only what a change touched. It is also a
// QuickBuilder: it keeps the last built site, so an edit to one episode's
// notes, transcript, date, guests or topics is on screen before the rest
// of the show is rebuilt.
type SiteBuilder struct {
	in   site.Input
	last *site.Site // the site of the last successful Build
}

// NewSiteBuilder returns a builder for in; in.Cache is set to a new cache.
func NewSiteBuilder(in site.Input) *SiteBuilder {
	in.Cache = site.NewCache()
	return &SiteBuilder{in: in}
}

// Build implements Builder.
func (b *SiteBuilder) Build(ctx context.Context) (*Result, error) {
	s, err := site.Load(ctx, b.in)
	if err != nil {
		return nil, err
	}
	out := site.NewMemOutput()
	report, err := s.Render(ctx, b.in, out)
	if err != nil {
		return nil, err
	}
	b.last = s
	res := &Result{Files: out.Files(), BasePath: "/", Warnings: report.Warnings, NextScheduled: report.NextScheduled}
	if src, err := fs.ReadFile(b.in.Project, site.ConfigFile); err == nil {
		if cfg, _ := site.LoadConfig(src); cfg != nil {
			res.BasePath = cfg.BasePath()
		}
	}
	return res, nil
}

// Quick implements QuickBuilder with site.Site.QuickPages.
func (b *SiteBuilder) Quick(ctx context.Context, changed []string) (map[string][]byte, bool) {
	if b.last == nil {
		return nil, false
	}
	return b.last.QuickPages(ctx, b.in, changed)
}
