package site

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io/fs"
	"strings"
)

// QuickPages renders at once the pages of episodes whose show notes or
// transcript were edited, and nothing else changed: what a podcaster does
// most while writing, and what a dev server should show before the rest
// of a large show is rebuilt. s is the Site the last Render in this
// process wrote from in (a dev server keeps it); changed lists the
// project files changed since, slash-separated ("content/episodes/a.md").
//
// The pages are exactly what the next full build writes for them: the
// front matter is byte-for-byte the same, so every link, neighbour, guest
// and resolved media value of the episode is too, and only the text is
// new. ok is false whenever that cannot be promised: a changed file that
// is not an episode's .md or .transcript.md, front matter that changed, a
// new or hidden episode, caption transcripts, or any problem in the
// changed files (the full build reports it). The caller then waits for the
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

var errNotQuick = errors.New("not a notes-only edit")

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
	if old == nil || ep.bodyOff > len(old) || len(src) < ep.bodyOff || !bytes.Equal(src[:ep.bodyOff], old[:ep.bodyOff]) {
		return nil, errNotQuick
	}
	pf := parseEpisodeFile(ep.Source, src)
	if pf.ep == nil || len(pf.errs) > 0 || pf.ep.bodyOff != ep.bodyOff {
		return nil, errNotQuick
	}
	base := strings.TrimSuffix(ep.Source, ".md")
	for _, ext := range []string{".vtt", ".srt"} {
		if _, err := fs.Stat(fsys, base+ext); err == nil {
			return nil, errNotQuick // caption transcripts are Load's to attach
		}
	}
	cp := *ep
	cp.src, cp.body, cp.contentSum, cp.lazy = src, pf.ep.body, pf.ep.contentSum, false
	cp.Chapters = pf.ep.Chapters // may come from the notes' headings
	cp.Transcript = nil
	if trSrc, err := fs.ReadFile(fsys, base+".transcript.md"); err == nil {
		tr, errs := parseTranscriptFile(base+".transcript.md", trSrc)
		if tr == nil || len(errs) > 0 {
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
	cp.content = template.HTML(html)
	return &cp, nil
}
