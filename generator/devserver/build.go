package devserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"shownotes/generator/site"
)

// fired is a timer channel that has already gone off.
var fired = func() <-chan time.Time {
	c := make(chan time.Time)
	close(c)
	return c
}()

// Run builds the site once, then rebuilds whenever a path arrives on
// changes (see Watcher.Events), until ctx is done. Changes are debounced:
// a rebuild starts once no change has arrived for Options.Quiet. A change
// arriving while a build runs cancels that build; the rebuild after the
// quiet period covers both. A closed changes channel stops watching but not
// serving. Run returns nil once ctx is done and the last build has stopped.
func (s *Server) Run(ctx context.Context, changes <-chan string) error {
	var (
		pending  bool              // a change has arrived since the last build started
		changed  []string          // paths changed since the last build that was published
		inFlight int               // how many of them the running build was given
		building bool              // a build goroutine is running
		cancel   = func() {}       // cancels the build in flight
		done     = make(chan bool) // a build ended: true if published, false if cancelled
		quiet    <-chan time.Time  // the debounce timer; nil when not armed
		due      <-chan time.Time  // fires when a scheduled episode falls due
	)
	start := func() {
		bctx, c := context.WithCancel(ctx)
		cancel = c
		building, pending = true, false
		paths := slices.Clone(changed)
		inFlight = len(paths)
		go func() { done <- s.rebuild(bctx, paths) }()
	}
	start()
	for {
		select {
		case <-ctx.Done():
			cancel()
			if building {
				<-done
			}
			return nil
		case p, ok := <-changes:
			if !ok {
				changes = nil // no more watching; keep serving
				continue
			}
			pending = true
			changed = append(changed, p)
			cancel() // whatever is being built is already stale
			if s.opts.Quiet < 0 {
				quiet = fired
			} else {
				quiet = s.opts.After(s.opts.Quiet) // restarts the quiet period
			}
		case <-quiet:
			quiet = nil
			if pending && !building {
				start()
			}
		case <-due:
			due = nil
			pending = true
			if !building {
				start()
			}
		case applied := <-done:
			building = false
			cancel()
			if applied {
				// A build that was cancelled leaves its paths for the
				// next one: QuickPages must see every change since the
				// last published build.
				changed = changed[inFlight:]
			}
			inFlight = 0
			if next := s.nextScheduled(); applied && !next.IsZero() {
				// A second late, so the episode is past due when built.
				due = s.opts.After(max(time.Until(next), 0) + time.Second)
			}
			if !applied && ctx.Err() == nil {
				pending = true // cancelled by a change: build again
			}
			if pending && quiet == nil && ctx.Err() == nil {
				start()
			}
		}
	}
}

// rebuild runs the Builder once and publishes the outcome, unless ctx was
// cancelled meanwhile. It reports whether the outcome was published.
// changed lists the project paths changed since the last published build:
// a QuickBuilder may publish their pages first.
func (s *Server) rebuild(ctx context.Context, changed []string) bool {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	if qb, ok := s.builder.(QuickBuilder); ok && len(changed) > 0 {
		t0 := time.Now()
		if files, ok := qb.Quick(ctx, changed); ok && ctx.Err() == nil {
			s.applyQuick(files, time.Since(t0))
		}
	}
	t0 := time.Now()
	res, err := s.builder.Build(ctx)
	took := time.Since(t0)
	if ctx.Err() != nil {
		// Cancelled: even a finished result is older than the change that
		// cancelled it, and a cancellation error is not a problem to show.
		return false
	}
	s.apply(res, err, took)
	next := time.Time{}
	if err == nil && res != nil {
		next = res.NextScheduled
	}
	s.next.Store(&next)
	return true
}

// nextScheduled is the due time of the last published build's next
// scheduled episode.
func (s *Server) nextScheduled() time.Time {
	if p := s.next.Load(); p != nil {
		return *p
	}
	return time.Time{}
}

// apply publishes a build's outcome: a new snapshot, or the last good one
// with the problems to show on HTML pages; then tells the browsers.
func (s *Server) apply(res *Result, err error, took time.Duration) {
	prev := s.state.Load()
	info := BuildInfo{Err: err, Duration: took, First: prev == nil}
	next := &state{}
	if prev != nil {
		next.good = prev.good
	}
	if err == nil && res == nil {
		err = errNoResult
		info.Err = err
	}
	if err != nil {
		next.errs = site.AsList(err)
		if len(next.errs) == 0 {
			next.errs = site.ErrorList{{Msg: err.Error()}}
		}
		if prev != nil && prev.errs != nil && sameProblems(prev.errs, next.errs) {
			info.ID, info.Files = prev.id, filesIn(prev.good)
			s.report(info) // still broken, the same way: the page is current
			return
		}
		info.Action = ActionReload
	} else {
		snap := &snapshot{files: res.Files, base: normBase(res.BasePath)}
		if snap.files == nil {
			snap.files = map[string][]byte{}
		}
		next.good = snap
		info.Warnings = res.Warnings
		info.Files = len(snap.files)
		info.Changed = changedFiles(prevGood(prev), snap)
		switch {
		case prev == nil || prev.errs != nil || prev.good == nil || prev.good.base != snap.base:
			info.Action = ActionReload
		case len(info.Changed) == 0:
			info.ID = prev.id
			s.report(info) // nothing to do: keep serving the same state
			return
		case !pagesChanged(info.Changed):
			// Only files no page shows changed (feeds, JSON, the
			// sitemap): serve them, and leave the pages in the browsers
			// alone. The ID names the pages, which are the same.
			next.id, info.ID = prev.id, prev.id
			s.state.Store(next)
			s.report(info)
			return
		case cssOnly(info.Changed, prev.good, snap):
			info.Action = ActionCSS
		default:
			info.Action = ActionPages // or ActionReload: reloadEvent decides
		}
	}
	next.id = s.nextID()
	info.ID = next.id
	s.state.Store(next)
	s.readyOnce.Do(func() { close(s.ready) })
	ev := event{name: info.Action, data: next.id}
	if info.Action == ActionPages {
		ev, info.Action = reloadEvent(next.id, info.Changed, next.good.base)
	}
	s.hub.broadcast(ev)
	s.report(info)
}

// maxListedPages is the most pages an ActionPages event names; a build
// that changes more reloads every browser.
const maxListedPages = 500

// reloadEvent tells the browsers about a build that changed pages:
// ActionPages with their URL paths when every changed file a page can
// show is a page of its own (an index.html; feeds and the like no page
// shows), else ActionReload. A stylesheet, script or image, the 404 page
// or too many pages means every browser reloads.
func reloadEvent(id string, changed []string, base string) (event, string) {
	reload := event{name: ActionReload, data: id}
	var urls []string
	for _, name := range changed {
		if !pagesChanged([]string{name}) {
			continue
		}
		dir, ok := strings.CutSuffix(name, "index.html")
		if !ok || (dir != "" && !strings.HasSuffix(dir, "/")) || len(urls) == maxListedPages {
			return reload, ActionReload
		}
		urls = append(urls, base+dir)
	}
	if len(urls) == 0 {
		return reload, ActionReload
	}
	data, err := json.Marshal(struct {
		ID    string   `json:"id"`
		Pages []string `json:"pages"`
	}{id, urls})
	if err != nil {
		return reload, ActionReload
	}
	return event{name: ActionPages, data: string(data)}, ActionPages
}

// nextID names a newly published state.
func (s *Server) nextID() string { return s.idPrefix + "-" + strconv.FormatUint(s.seq.Add(1), 10) }

var errNoResult = errors.New("the builder returned neither files nor an error")

// applyQuick publishes the pages of a QuickBuilder over the last good
// build, while the full build runs. Not while the site is broken: the
// error page stays until a full build says the problems are gone.
func (s *Server) applyQuick(files map[string][]byte, took time.Duration) {
	prev := s.state.Load()
	if prev == nil || prev.good == nil || prev.errs != nil || len(files) == 0 {
		return
	}
	snap := &snapshot{files: maps.Clone(prev.good.files), base: prev.good.base}
	var changed []string
	for name, data := range files {
		if was, ok := snap.files[name]; !ok || !bytes.Equal(was, data) {
			changed = append(changed, name)
			snap.files[name] = data
		}
	}
	if len(changed) == 0 {
		return
	}
	slices.Sort(changed)
	next := &state{good: snap, id: s.nextID()}
	s.state.Store(next)
	ev, action := reloadEvent(next.id, changed, snap.base)
	s.hub.broadcast(ev)
	s.report(BuildInfo{ID: next.id, Quick: true, Files: len(snap.files), Changed: changed, Action: action, Duration: took})
}

func (s *Server) report(info BuildInfo) {
	info.BasePath = "/"
	if st := s.state.Load(); st != nil && st.good != nil {
		info.BasePath = st.good.base
	}
	if s.opts.OnBuild != nil {
		s.opts.OnBuild(info)
	}
}

func prevGood(st *state) *snapshot {
	if st == nil {
		return nil
	}
	return st.good
}

func filesIn(s *snapshot) int {
	if s == nil {
		return 0
	}
	return len(s.files)
}

// normBase makes a base path absolute with a trailing slash.
func normBase(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// changedFiles lists the names whose bytes differ between two snapshots,
// including names only in one of them. Unchanged slices shared between
// builds compare in constant time.
func changedFiles(old, cur *snapshot) []string {
	var out []string
	var before map[string][]byte
	if old != nil {
		before = old.files
	}
	for name, data := range cur.files {
		if was, ok := before[name]; !ok || !bytes.Equal(was, data) {
			out = append(out, name)
		}
	}
	for name := range before {
		if _, ok := cur.files[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// pagesChanged reports whether a page in a browser can show a change to
// one of the files: anything but the feeds, JSON files, captions, the
// sitemap and robots.txt, which no page displays. After an edit to an
// episode's notes, QuickPages has already published its page; the full
// build then changes the feeds and the search index, and reloading the
// page again would only make it flicker.
func pagesChanged(changed []string) bool {
	for _, name := range changed {
		switch strings.ToLower(path.Ext(name)) {
		case ".xml", ".json", ".vtt", ".txt":
		default:
			return true
		}
	}
	return false
}

// cssOnly reports whether only stylesheets changed, so pages can swap
// their <link>s instead of reloading: every changed file is a .css file, or
// an HTML page that differs from its old version only in fingerprinted
// stylesheet names (css/site.1a2b3c4d.css -> css/site.5e6f7a8b.css), which
// is what a stylesheet edit does to every page when names carry a hash.
func cssOnly(changed []string, old, cur *snapshot) bool {
	css := false
	var pages []string
	for _, name := range changed {
		switch strings.ToLower(path.Ext(name)) {
		case ".css":
			css = true
		case ".html", ".htm":
			pages = append(pages, name)
		default:
			return false
		}
	}
	if !css {
		return false
	}
	for _, name := range pages {
		a, inOld := old.files[name]
		b, inCur := cur.files[name]
		if !inOld || !inCur || !sameButCSSFingerprints(a, b) {
			return false
		}
	}
	return true
}

// fingerprintLen is len(".1a2b3c4d.css") - len(".css"): a dot and 8 hex
// digits of the content hash.
const fingerprintLen = 9

// sameButCSSFingerprints reports whether a and b are equal except inside
// stylesheet fingerprints: every difference must fall within ".<8 hex>"
// followed by ".css", at the same place in both.
func sameButCSSFingerprints(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	i := 0
	for {
		// Skip the equal stretch, a block at a time.
		for i < len(a) {
			n := min(256, len(a)-i)
			if !bytes.Equal(a[i:i+n], b[i:i+n]) {
				break
			}
			i += n
		}
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return true
		}
		// a[i] != b[i]: find the fingerprint around i in both.
		end := -1
		for dot := max(0, i-fingerprintLen+1); dot < i; dot++ {
			if isCSSFingerprint(a, dot) && isCSSFingerprint(b, dot) {
				end = dot + fingerprintLen
				break
			}
		}
		if end < 0 {
			return false
		}
		i = end
	}
}

// isCSSFingerprint reports whether s[dot:] starts with ".<8 hex>.css".
func isCSSFingerprint(s []byte, dot int) bool {
	if dot+fingerprintLen+4 > len(s) || s[dot] != '.' || string(s[dot+fingerprintLen:dot+fingerprintLen+4]) != ".css" {
		return false
	}
	for _, c := range s[dot+1 : dot+fingerprintLen] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func sameProblems(a, b site.ErrorList) bool {
	return slices.EqualFunc(a, b, func(x, y *site.Error) bool {
		return x.Error() == y.Error() && x.Snippet == y.Snippet
	})
}
