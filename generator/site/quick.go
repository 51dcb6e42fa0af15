package site

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
)

// QuickPages renders at once the pages of episodes whose show notes,
// transcript, title, summary, chapters, photo credit, date, guests or
// topics were edited: what a podcaster does most while writing, and what a
// dev server should show before the rest of a large show is rebuilt. s is
// the Site the last Render in this process wrote from in (a dev server
// keeps it); changed lists the project files changed since,
// slash-separated ("content/episodes/a.md").
//
// The pages are exactly what the next full build writes for them. When
// nothing that places the episode among the others changed (sameLinks),
// every link, neighbour, guest and resolved media value of the episode is
// the one the site has and only what the page itself shows is new. A new
// date, guest list or topic list is placed again by relink, as Load's
// link would place it. ok is false whenever that cannot be promised: a
// changed file that is not an episode's .md or .transcript.md, a change
// to the slug, number, books, hosts, audio and the like, a new or hidden
// episode, more than one episode to place again, caption transcripts, or
// an error in the changed files (the full build reports it). The caller
// then waits for the full build, which it runs after QuickPages either
// way: feeds, search and the other pages still need it.
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
		fresh, err := r.reread(ep, len(edited) == 1)
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
// from disk again, or errNotQuick if anything is wrong with the files or
// its front matter changed in a way it cannot place again: beyond
// sameLinks at all, and beyond sameLinks but for what relink handles
// unless canRelink (it places one episode among unchanged others).
func (r *renderer) reread(ep *Episode, canRelink bool) (*Episode, error) {
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
	relinked := false
	if !sameFrontMatter {
		was := parseEpisodeFile(ep.Source, old)
		switch {
		case was.fm == nil:
			return nil, errNotQuick
		case sameLinks(was.fm, pf.fm):
		case canRelink && placedAlike(was.fm, pf.fm):
			relinked = true
		default:
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
	if relinked {
		if err := r.relink(&cp, ep, pf.fm); err != nil {
			return nil, err
		}
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
	return reflect.DeepEqual(shownOnly(a), shownOnly(b))
}

// shownOnly is fm without what sameLinks lets differ.
func shownOnly(fm *frontMatter) frontMatter {
	c := *fm
	c.Title, c.Summary, c.Explicit, c.Chapters, c.tagNodes = "", "", false, nil, nil
	if c.Image != nil {
		c.Image = &Image{Src: c.Image.Src}
	}
	return c
}

// placedAlike reports whether two parses of an episode's front matter
// differ at most in what sameLinks allows and in what relink places
// again: the date, the guests and the topics.
func placedAlike(a, b *frontMatter) bool {
	norm := func(fm *frontMatter) frontMatter {
		c := shownOnly(fm)
		c.Date, c.Guests, c.Tags = time.Time{}, nil, nil
		return c
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// relink places cp, the copy of ep made from its edited front matter fm,
// among the other episodes as Load's link would, so its pages are the
// full build's: its neighbours by the new date, its topics from the
// site's, and its guests and books folded again, oldest mention first,
// over every episode that names them, from the parses the cache holds
// (link gives a person's or book's details to the first mention that has
// them). The other episodes are as the site has them: QuickPages places
// one episode at a time.
//
// errNotQuick when that cannot be promised: the episode would be hidden,
// its hosts' details could fold differently at the new date, a name or
// topic is spelled unlike elsewhere or makes no URL (the full build
// reports those), a guest's new image is not known to exist, or the
// cache does not hold the parse an episode was linked from.
func (r *renderer) relink(cp, ep *Episode, fm *frontMatter) error {
	s := r.site
	cp.Date = fm.Date
	cp.Scheduled = cp.Date.After(r.in.Now())
	if cp.Scheduled && !r.in.Future {
		return errNotQuick
	}
	moved := !cp.Date.Equal(ep.Date)
	if moved && fm.hostsSet {
		return errNotQuick
	}
	// Neighbours: where cp goes among the others, newest first.
	k := slices.Index(s.Episodes, ep)
	if k < 0 {
		return errNotQuick
	}
	others := len(s.Episodes) - 1
	at := func(j int) *Episode {
		if j >= k {
			j++
		}
		return s.Episodes[j]
	}
	pos := sort.Search(others, func(j int) bool { return listedBefore(cp, at(j)) })
	cp.Prev, cp.Next = nil, nil
	if pos > 0 {
		cp.Next = at(pos - 1)
	}
	if pos < others {
		cp.Prev = at(pos)
	}

	// Topics: a topic is named the same by every episode, so the site's
	// is the one; a new one is as this episode writes it.
	cp.Tags = nil
	seen := map[string]*Tag{}
	for _, name := range fm.Tags {
		sl := slugify(name)
		if sl == "" {
			return errNotQuick
		}
		t := seen[sl]
		if t == nil {
			if t = s.tagBySlug(sl); t == nil {
				t = &Tag{Name: name, Slug: sl}
			}
			seen[sl] = t
			cp.Tags = append(cp.Tags, t)
		}
		if t.Name != name {
			return errNotQuick
		}
	}

	// Guests and books: the episodes that name them, with cp for ep, in
	// the order link folds them (oldest first).
	guestSlugs := map[string]bool{}
	var named []*Episode
	for _, g := range fm.Guests {
		sl := slugify(g.Name)
		if sl == "" {
			return errNotQuick
		}
		guestSlugs[sl] = true
		if p := s.guestBySlug(sl); p != nil {
			named = append(named, p.Episodes...)
		}
	}
	bookKeys := map[string]bool{}
	if moved {
		for _, b := range ep.Books {
			bookKeys[bookKey(b)] = true
			named = append(named, b.Episodes...)
		}
	}
	named = slices.DeleteFunc(append(named, cp), func(e *Episode) bool { return e == ep })
	slices.SortFunc(named, func(a, b *Episode) int {
		if listedBefore(a, b) {
			return 1 // oldest first
		} else if listedBefore(b, a) {
			return -1
		}
		return 0
	})
	named = slices.Compact(named)
	var errs ErrorList
	guests := &personRegistry{memo: slugMemo{}}
	books := map[string]*Book{}
	for _, e := range named {
		efm := fm
		if e != cp {
			if efm = r.in.Cache.linkedFrontMatter(e.Source, e.contentSum); efm == nil {
				return errNotQuick
			}
		}
		for _, g := range efm.Guests {
			if guestSlugs[slugify(g.Name)] {
				guests.add(*g, "guest", e.Source, func() Pos { return Pos{File: e.Source} }, &errs)
			}
		}
		for _, b := range efm.Books {
			key := bookKey(b)
			if !bookKeys[key] {
				continue
			}
			if book := books[key]; book == nil {
				first := *b
				first.Episodes, first.source = nil, ""
				books[key] = &first
			} else if book.URL == "" {
				book.URL = b.URL
			}
		}
	}
	if len(errs) > 0 {
		return errNotQuick
	}
	cp.Guests = nil
	for _, g := range fm.Guests {
		p := guests.bySlug[slugify(g.Name)]
		if old := s.guestBySlug(p.Slug); p.Img != "" && !strings.Contains(p.Img, "://") && (old == nil || old.Img != p.Img) {
			return errNotQuick // link checks the file exists
		}
		if !slices.Contains(cp.Guests, p) {
			cp.Guests = append(cp.Guests, p)
		}
	}
	if moved {
		cp.Books = make([]*Book, len(ep.Books))
		for j, b := range ep.Books {
			folded := *books[bookKey(b)]
			folded.Slug = b.Slug // not on its pages; where the book page is
			cp.Books[j] = &folded
		}
	}
	return nil
}
