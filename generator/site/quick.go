package site

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"reflect"
	"slices"
	"strings"
)

// QuickPages renders at once the pages of episodes whose show notes,
// transcript, title, summary, chapters or photo credit were edited: what a
// podcaster does most while writing, and what a dev server should show
// before the rest of a large show is rebuilt. s is the Site the last
// Render in this process wrote from in (a dev server keeps it); changed
// lists the project files changed since, slash-separated
// ("content/episodes/a.md").
//
// The pages are exactly what the next full build writes for them: nothing
// that places the episode among the others changed (sameLinks), so every
// link, neighbour, guest and resolved media value of the episode is the
// one the site has; only what the page itself shows is new. ok is false
// whenever that cannot be promised: a changed file that is not an
// episode's .md or .transcript.md, a change to the date, slug, guests,
// topics, books, audio and the like, a new or hidden episode, caption
// transcripts, or an error in the changed files (the full build
// reports it). The caller then waits for the
// full build, which it runs after QuickPages either way: feeds, search and
// the other pages still need it.
func (s *Site) QuickPages(ctx context.Context, in Input, changed []string) (files map[string][]byte, ok bool) {
	if s == nil || s.rendered == nil || len(changed) == 0 || in.Project == nil {
		return nil, false
	}
	bySource := make(map[string]*Episode, len(s.Episodes))
	for _, ep := range s.Episodes {
		bySource[ep.Source] = ep
	}
	edited := map[*Episode]bool{}
	for _, p := range changed {
		src, isTr := strings.CutSuffix(p, ".transcript.md")
		if isTr {
			src += ".md"
		} else if !strings.HasSuffix(p, ".md") {
			if s.transient(in, p) {
				continue
			}
			return nil, false
		}
		ep := bySource[src]
		if ep == nil {
			return nil, false
		}
		edited[ep] = true
	}
	r := &renderer{site: s, in: in, out: NewMemOutput(), theme: s.rendered, md: newMarkdown(s.Config), written: map[string]bool{}}
	r.preview = in.Drafts || in.Future
	for _, ep := range s.Episodes { // in site order: deterministic
		if !edited[ep] {
			continue
		}
		if ctx.Err() != nil {
			return nil, false
		}
		fresh, err := r.reread(ep)
		if err != nil {
			return nil, false
		}
		for _, p := range episodePages(fresh) {
			if err := r.page(p); err != nil {
				return nil, false
			}
		}
	}
	return r.out.(*MemOutput).Files(), true
}

// transient reports whether a changed path is a file that came and went
// and that the site never had: the temporary file of an editor or of
// sed -i, saved beside the episode and renamed over it.
func (s *Site) transient(in Input, p string) bool {
	if _, err := fs.Stat(in.Project, p); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	_, had := slices.BinarySearch(s.Assets, p)
	return !had
}

var errNotQuick = errors.New("an edit only a full build can publish")

// reread returns a copy of ep with its show notes and transcript read
// from disk again, or errNotQuick if its front matter is not the one ep
// was linked from or anything is wrong with the files.
func (r *renderer) reread(ep *Episode) (*Episode, error) {
	fsys := r.in.Project
	src, err := fs.ReadFile(fsys, ep.Source)
	if err != nil {
		return nil, err
	}
	old := r.site.source(ep)
	if old == nil || ep.bodyOff > len(old) {
		return nil, errNotQuick
	}
	pf := parseEpisodeFile(ep.Source, src)
	if pf.ep == nil || pf.fm == nil || pf.errs.Err() != nil {
		return nil, errNotQuick // warnings are fine: they change no page
	}
	sameFrontMatter := pf.ep.bodyOff == ep.bodyOff && bytes.Equal(src[:ep.bodyOff], old[:ep.bodyOff])
	if !sameFrontMatter {
		was := parseEpisodeFile(ep.Source, old)
		if was.fm == nil || !sameLinks(was.fm, pf.fm) {
			return nil, errNotQuick
		}
	}
	base := strings.TrimSuffix(ep.Source, ".md")
	for _, ext := range []string{".vtt", ".srt"} {
		if _, err := fs.Stat(fsys, base+ext); err == nil {
			return nil, errNotQuick // caption transcripts are Load's to attach
		}
	}
	cp := *ep
	cp.src, cp.body, cp.bodyOff, cp.bodyLine = src, pf.ep.body, pf.ep.bodyOff, pf.ep.bodyLine
	cp.contentSum, cp.pos, cp.lazy = pf.ep.contentSum, pf.ep.pos, false
	cp.Chapters = pf.ep.Chapters // may come from the notes' headings
	// What sameLinks lets differ: shown on the page, linked to nothing.
	cp.Title, cp.Summary, cp.Explicit = pf.ep.Title, pf.ep.Summary, pf.ep.Explicit
	if cp.Image != nil && pf.ep.Image != nil {
		im := *cp.Image
		im.Alt, im.Credit, im.License, im.LicenseURL = pf.ep.Image.Alt, pf.ep.Image.Credit, pf.ep.Image.License, pf.ep.Image.LicenseURL
		cp.Image = &im
	}
	cp.Transcript = nil
	if trSrc, err := fs.ReadFile(fsys, base+".transcript.md"); err == nil {
		tr, errs := parseTranscriptFile(base+".transcript.md", trSrc, true)
		if tr == nil || errs.Err() != nil {
			return nil, errNotQuick
		}
		cp.Transcript = tr
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	html, _, err := r.md.render(cp.body, cp.bodyLine)
	if err != nil {
		return nil, err
	}
	cp.content = html
	return &cp, nil
}

// sameLinks reports whether two parses of an episode's front matter differ
// at most in what its own pages show and nothing links to: the title, the
// summary, the explicit flag, the chapters and the photo's alt text and
// credit. Everything else (date, slug, guests, topics, books, audio, the
// photo itself, draft) places the episode among the others, and only Load
// can work out what a change to it does.
func sameLinks(a, b *frontMatter) bool {
	norm := func(fm *frontMatter) frontMatter {
		c := *fm
		c.Title, c.Summary, c.Explicit, c.Chapters, c.tagNodes = "", "", false, nil, nil
		if c.Image != nil {
			c.Image = &Image{Src: c.Image.Src}
		}
		return c
	}
	return reflect.DeepEqual(norm(a), norm(b))
}
