package site

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
)

// link resolves what depends on more than one file: uniqueness, shared
// guests, tags and books, visibility, order and prev/next.
func (s *Site) link(in Input, parsed []*parsedFile, errs *ErrorList) {
	cfg := s.Config
	memo := slugMemo{}
	exists := newAssetCheck(in)
	hostReg := &personRegistry{memo: memo}
	for i, h := range cfg.Hosts {
		p := hostReg.add(h, "host", ConfigFile, func() Pos { return Pos{File: ConfigFile, Line: keyLine(nil, "hosts")} }, errs)
		_ = i
		s.hosts = append(s.hosts, p)
	}

	var all []*Episode
	for _, pf := range parsed {
		if pf.ep != nil && pf.fm != nil {
			all = append(all, pf.ep)
		}
	}
	// Uniqueness over every file, drafts included: a draft that collides
	// today breaks the build the day it is published.
	sort.Slice(all, func(i, j int) bool { return all[i].Source < all[j].Source })
	bySlug := map[string]*Episode{}
	byGUID := map[string]*Episode{}
	byNumber := map[[2]int]*Episode{}
	for _, ep := range all {
		if ep.Slug != "" {
			if other, dup := bySlug[ep.Slug]; dup {
				errs.Add(ep.Pos("slug"), "slug", "%q is already used by %s", ep.Slug, other.Source)
			} else {
				bySlug[ep.Slug] = ep
			}
		}
		if ep.GUID != "" {
			if other, dup := byGUID[ep.GUID]; dup {
				errs.Add(ep.Pos("guid"), "guid", "%q is already used by %s", ep.GUID, other.Source)
			} else {
				byGUID[ep.GUID] = ep
			}
		}
		if ep.Number > 0 {
			key := [2]int{ep.Season, ep.Number}
			if other, dup := byNumber[key]; dup {
				if ep.Season > 0 {
					errs.Add(ep.Pos("episode"), "episode", "season %d episode %d is already used by %s", ep.Season, ep.Number, other.Source)
				} else {
					errs.Add(ep.Pos("episode"), "episode", "episode %d is already used by %s", ep.Number, other.Source)
				}
			} else {
				byNumber[key] = ep
			}
		}
		s.checkAsset(exists, ep, "image.src", ep.Image, errs)
	}

	// Visibility.
	now := in.Now()
	for _, ep := range all {
		ep.Scheduled = ep.Date.After(now)
		switch {
		case ep.Draft && !in.Drafts:
			s.Hidden++
		case ep.Scheduled && !in.Future:
			s.Hidden++
			if !ep.Draft && (s.NextScheduled.IsZero() || ep.Date.Before(s.NextScheduled)) {
				s.NextScheduled = ep.Date
			}
		default:
			s.Episodes = append(s.Episodes, ep)
		}
	}
	sortEpisodes(s.Episodes)
	for i, ep := range s.Episodes {
		if i > 0 {
			ep.Next = s.Episodes[i-1]
		}
		if i+1 < len(s.Episodes) {
			ep.Prev = s.Episodes[i+1]
		}
	}

	// Guests, hosts, tags and books, over visible episodes oldest first so
	// the earliest mention defines a name and later ones fill gaps.
	guests := &personRegistry{memo: memo}
	tags := map[string]*Tag{}
	books := map[string]*Book{}
	fms := map[*Episode]*frontMatter{}
	for _, pf := range parsed {
		if pf.ep != nil {
			fms[pf.ep] = pf.fm
		}
	}
	for i := len(s.Episodes) - 1; i >= 0; i-- {
		ep := s.Episodes[i]
		fm := fms[ep]
		for j, g := range fm.Guests {
			p := guests.add(*g, "guest", ep.Source, func() Pos { return ep.Pos(fmt.Sprintf("guests[%d]", j)) }, errs)
			if p != nil && !endsWith(p.Episodes, ep) {
				ep.Guests = append(ep.Guests, p)
				p.Episodes = append(p.Episodes, ep)
			}
		}
		if fm.hostsSet {
			for j, h := range fm.Hosts {
				if p := hostReg.add(*h, "host", ep.Source, func() Pos { return ep.Pos(fmt.Sprintf("hosts[%d]", j)) }, errs); p != nil {
					ep.Hosts = append(ep.Hosts, p)
				}
			}
		} else {
			ep.Hosts = s.hosts
		}
		for j, name := range fm.Tags {
			sl := memo.slug(name)
			field := fmt.Sprintf("tags[%d]", j)
			if sl == "" {
				errs.Add(Pos{File: ep.Source, Line: fm.tagNodes[j].line, Col: fm.tagNodes[j].col}, field, "cannot make a URL from tag %q", name)
				continue
			}
			t, ok := tags[sl]
			if !ok {
				t = &Tag{Name: name, Slug: sl, source: ep.Source}
				tags[sl] = t
			} else if t.Name != name {
				errs.Add(Pos{File: ep.Source, Line: fm.tagNodes[j].line, Col: fm.tagNodes[j].col}, field,
					"tag %q has the same URL /tags/%s/ as tag %q in %s: spell them the same", name, sl, t.Name, t.source)
				continue
			}
			if !endsWith(t.Episodes, ep) {
				t.Episodes = append(t.Episodes, ep)
				ep.Tags = append(ep.Tags, t)
			}
		}
		for j, b := range fm.Books {
			key := bookKey(b)
			book, ok := books[key]
			if !ok {
				book = b
				book.source = ep.Source
				books[key] = book
			} else {
				if book.URL == "" {
					book.URL = b.URL
				}
				fm.Books[j] = book
			}
			ep.Books[j] = book
			if !endsWith(book.Episodes, ep) {
				book.Episodes = append(book.Episodes, ep)
			}
		}
	}
	for _, p := range guests.all() {
		reverse(p.Episodes)
		s.Guests = append(s.Guests, p)
		s.checkPersonImg(exists, p, errs)
	}
	for _, p := range hostReg.all() {
		s.checkPersonImg(exists, p, errs)
	}
	for _, t := range tags {
		reverse(t.Episodes)
		s.Tags = append(s.Tags, t)
	}
	sort.Slice(s.Tags, func(i, j int) bool { return s.Tags[i].Slug < s.Tags[j].Slug })
	bookSlugs := map[string]bool{}
	for _, b := range books {
		reverse(b.Episodes)
		s.Books = append(s.Books, b)
	}
	// Sorted by lower-cased title, computed once per book rather than in
	// every comparison (a large show discusses thousands of books).
	lower := make(map[*Book]string, len(s.Books))
	for _, b := range s.Books {
		lower[b] = strings.ToLower(b.Title)
	}
	sort.Slice(s.Books, func(i, j int) bool {
		a, b := s.Books[i], s.Books[j]
		if la, lb := lower[a], lower[b]; la != lb {
			return la < lb
		}
		return a.Author < b.Author
	})
	for _, b := range s.Books {
		base := memo.slug(b.Title)
		if base == "" {
			base = "book"
		}
		b.Slug = base
		for n := 2; bookSlugs[b.Slug]; n++ {
			b.Slug = fmt.Sprintf("%s-%d", base, n)
		}
		bookSlugs[b.Slug] = true
	}
}

func (s *Site) checkAsset(exists assetCheck, ep *Episode, field string, img *Image, errs *ErrorList) {
	if img == nil || img.Src == "" || strings.Contains(img.Src, "://") {
		return
	}
	if !exists.has(img.Src) {
		errs.Add(ep.Pos(field), field, "file %s not found", path0(img.Src))
	}
}

func (s *Site) checkPersonImg(exists assetCheck, p *Person, errs *ErrorList) {
	if p.Img == "" || strings.Contains(p.Img, "://") {
		return
	}
	if !exists.has(p.Img) {
		errs.Add(Pos{File: p.source}, "img", "%s's image: file %s not found", p.Name, path0(p.Img))
	}
}

// assetCheck answers whether site-relative asset paths are present under
// content/, looking each path up once: a show's episodes mostly share a
// few images, and 10,000 stats of the same cover were a tenth of an
// incremental build's system calls.
type assetCheck struct {
	fsys  fs.FS
	found map[string]bool
}

func newAssetCheck(in Input) assetCheck {
	return assetCheck{fsys: in.Project, found: map[string]bool{}}
}

// has reports whether rel exists. Paths that try to leave content/ never
// exist.
func (a assetCheck) has(rel string) bool {
	p := path0(rel)
	if ok, seen := a.found[p]; seen {
		return ok
	}
	ok := fs.ValidPath(p)
	if ok {
		_, err := fs.Stat(a.fsys, p)
		ok = err == nil
	}
	a.found[p] = ok
	return ok
}

// path0 maps a site-relative asset path to its place in the project.
func path0(rel string) string {
	return ContentDir + "/" + strings.TrimPrefix(rel, "/")
}

// endsWith reports whether ep is the last of list. Link appends each
// episode to a guest's, topic's or book's list while it handles that
// episode, so this is whether the list has it already: a look at every
// element was a quarter of linking a large show.
func endsWith(list []*Episode, ep *Episode) bool {
	return len(list) > 0 && list[len(list)-1] == ep
}

func reverse(eps []*Episode) {
	for i, j := 0, len(eps)-1; i < j; i, j = i+1, j-1 {
		eps[i], eps[j] = eps[j], eps[i]
	}
}

// sortEpisodes orders newest first; ties by episode number, then slug, so
// the order never depends on the file system.
func sortEpisodes(eps []*Episode) {
	sort.SliceStable(eps, func(i, j int) bool { return listedBefore(eps[i], eps[j]) })
}

// listedBefore is the site's order: a before b when a is newer.
func listedBefore(a, b *Episode) bool {
	if !a.Date.Equal(b.Date) {
		return a.Date.After(b.Date)
	}
	if a.Number != b.Number {
		return a.Number > b.Number
	}
	return a.Slug < b.Slug
}

// personRegistry gives every distinct person one *Person, keyed by slug.
type personRegistry struct {
	memo   slugMemo
	bySlug map[string]*Person
	order  []*Person
}

// add registers a mention of a person; pos is where it is, computed only
// for an error.
func (r *personRegistry) add(info PersonInfo, role, source string, pos func() Pos, errs *ErrorList) *Person {
	if r.bySlug == nil {
		r.bySlug = map[string]*Person{}
	}
	sl := r.memo.slug(info.Name)
	if sl == "" {
		errs.Add(pos(), "", "cannot make a URL from the name %q", info.Name)
		return nil
	}
	if info.Role == "" {
		info.Role = role
	}
	p, ok := r.bySlug[sl]
	if !ok {
		p = &Person{Name: info.Name, Slug: sl, URL: info.URL, Bio: info.Bio, Img: info.Img, Role: info.Role, source: source}
		r.bySlug[sl] = p
		r.order = append(r.order, p)
		return p
	}
	if p.Name != info.Name {
		errs.Add(pos(), "", "%q has the same URL /guests/%s/ as %q in %s: spell the name the same way", info.Name, sl, p.Name, p.source)
		return nil
	}
	if p.URL == "" {
		p.URL = info.URL
	}
	if p.Bio == "" {
		p.Bio = info.Bio
	}
	if p.Img == "" {
		p.Img = info.Img
	}
	return p
}

func (r *personRegistry) all() []*Person {
	out := append([]*Person(nil), r.order...)
	sort.Slice(out, func(i, j int) bool { return out[i].Slug < out[j].Slug })
	return out
}

// tagBySlug and guestBySlug find a topic or guest of the linked site
// (s.Tags and s.Guests are sorted by slug), or nil.
func (s *Site) tagBySlug(slug string) *Tag {
	if i, ok := slices.BinarySearchFunc(s.Tags, slug, func(t *Tag, sl string) int { return strings.Compare(t.Slug, sl) }); ok {
		return s.Tags[i]
	}
	return nil
}

func (s *Site) guestBySlug(slug string) *Person {
	if i, ok := slices.BinarySearchFunc(s.Guests, slug, func(p *Person, sl string) int { return strings.Compare(p.Slug, sl) }); ok {
		return s.Guests[i]
	}
	return nil
}

// bookKey is what makes two mentions one book: the ISBN, else the title
// and author.
func bookKey(b *Book) string {
	if b.ISBN != "" {
		return isbnKey(b.ISBN)
	}
	return strings.ToLower(b.Title + "\x00" + b.Author)
}

// isbnKey is an ISBN without its hyphens and spaces, so one book written
// two ways is one book.
func isbnKey(isbn string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, isbn)
}
