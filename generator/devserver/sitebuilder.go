package devserver

import (
	"context"
	"io/fs"

	"shownotes/generator/site"
)

// SiteBuilder is the Builder behind `shownotes serve`: it builds the site
// into memory and keeps a site.Cache between builds, so a rebuild re-reads,
// re-parses and re-renders only what a change touched.
type SiteBuilder struct {
	in site.Input
}

// NewSiteBuilder returns a builder for in; in.Cache is set to a new cache.
func NewSiteBuilder(in site.Input) *SiteBuilder {
	in.Cache = site.NewCache()
	return &SiteBuilder{in: in}
}

// Build implements Builder.
func (b *SiteBuilder) Build(ctx context.Context) (*Result, error) {
	out := site.NewMemOutput()
	report, err := site.Build(ctx, b.in, out)
	if err != nil {
		return nil, err
	}
	res := &Result{Files: out.Files(), BasePath: "/", Warnings: report.Warnings, NextScheduled: report.NextScheduled}
	if src, err := fs.ReadFile(b.in.Project, site.ConfigFile); err == nil {
		if cfg, _ := site.LoadConfig(src); cfg != nil {
			res.BasePath = cfg.BasePath()
		}
	}
	return res, nil
}
