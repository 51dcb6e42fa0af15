package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// stream is a browser's view of /_shownotes/events.
type stream struct {
	t    *testing.T
	resp *http.Response
	r    *bufio.Reader
}

func openStream(t *testing.T, url string) *stream {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", url+eventsPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("event stream: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
	return &stream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
}

// next reads the next event, skipping the retry field.
func (s *stream) next() (name, data string, err error) {
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return "", "", err
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		case line == "" && name != "":
			return name, data, nil
		}
	}
}

func (s *stream) expect(name, data string) {
	s.t.Helper()
	n, d, err := s.next()
	if err != nil || n != name || d != data {
		s.t.Fatalf("event %q %q (%v), want %q %q", n, d, err, name, data)
	}
}

// expectPages reads the next event and checks it is ActionPages for the
// ID served once it came (id) and exactly the URL paths given.
func (s *stream) expectPages(id func() string, pages ...string) {
	s.t.Helper()
	n, d, err := s.next()
	var got struct {
		ID    string   `json:"id"`
		Pages []string `json:"pages"`
	}
	if err == nil && n == ActionPages {
		err = json.Unmarshal([]byte(d), &got)
	}
	if err != nil || n != ActionPages || got.ID != id() || !slices.Equal(got.Pages, pages) {
		s.t.Fatalf("event %q %q (%v), want %q for ID %q and pages %q", n, d, err, ActionPages, id(), pages)
	}
}

func (s *stream) close() { s.resp.Body.Close() }

func TestLiveReloadEvents(t *testing.T) {
	t.Parallel()
	s, fb := newBuilt(t, siteFiles())
	ts := httptest.NewServer(s)
	defer ts.Close() // blocks until every handler has returned
	id := func() string { return s.state.Load().id }

	es := openStream(t, ts.URL)
	defer es.close()
	es.expect("hello", id())

	// Only a stylesheet changed: swap it.
	fb.put("css/site.css", "body { color: navy }\n")
	s.rebuild(t.Context(), nil)
	es.expect(ActionCSS, id())

	// A page changed: a browser on that page reloads, the others take
	// the new ID.
	fb.put("episodes/x/index.html", htmlPage("episode x, edited"))
	s.rebuild(t.Context(), nil)
	es.expectPages(id, "/episodes/x/")

	// A stylesheet and a page changed: reload.
	fb.put("css/site.css", "body { color: teal }\n")
	fb.put("index.html", htmlPage("home, edited"))
	s.rebuild(t.Context(), nil)
	es.expect(ActionReload, id())

	// The same output again (a touched file): no event, no new ID. The
	// next event proves nothing was sent in between.
	before := id()
	s.rebuild(t.Context(), nil)
	if id() != before {
		t.Errorf("an identical build changed the ID")
	}
	// Only files no page shows (a feed): served at once, but no event
	// and the same ID, since every page in a browser is current.
	fb.put("feed.xml", "<rss/>")
	s.rebuild(t.Context(), nil)
	if id() != before {
		t.Errorf("a feed-only change changed the ID")
	}
	if rec := do(t, s, "GET", "/feed.xml"); rec.Body.String() != "<rss/>" {
		t.Errorf("after a feed-only change, /feed.xml = %q, want the new feed", rec.Body.String())
	}
	fb.put("index.html", htmlPage("home, edited again"))
	fb.put("feed.xml", "<rss>again</rss>") // no page shows it
	s.rebuild(t.Context(), nil)
	es.expectPages(id, "/")

	// Broken: pages must show the error page, so reload; broken the same
	// way again: nothing; fixed: reload.
	fb.fail(brokenList())
	s.rebuild(t.Context(), nil)
	es.expect(ActionReload, id())
	broken := id()
	s.rebuild(t.Context(), nil)
	if id() != broken {
		t.Errorf("the same failure changed the ID")
	}
	fb.put("css/site.css", "body { color: red }\n") // CSS-only, but coming from an error page
	s.rebuild(t.Context(), nil)
	es.expect(ActionReload, id())

	// A second browser gets hello with the current ID.
	es2 := openStream(t, ts.URL)
	defer es2.close()
	es2.expect("hello", id())
	if n := s.Clients(); n != 2 {
		t.Errorf("Clients() = %d, want 2", n)
	}
}

func TestEventStreamEnds(t *testing.T) {
	t.Parallel()
	s, _ := newBuilt(t, siteFiles())

	// A browser going away ends its handler (r.Context().Done()):
	// httptest.Server.Close waits for every handler to return.
	ts := httptest.NewServer(s)
	gone := openStream(t, ts.URL)
	gone.expect("hello", s.state.Load().id)
	gone.close()
	closed := make(chan struct{})
	go func() { ts.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(20 * time.Second): // a guard against hanging, not a timing assumption
		t.Fatal("the event handler outlived its client")
	}
	if n := s.Clients(); n != 0 {
		t.Errorf("%d clients left after the browser went away", n)
	}

	// Close ends the streams still open (http.Server.Shutdown relies on it).
	ts2 := httptest.NewServer(s)
	defer ts2.Close()
	open := openStream(t, ts2.URL)
	defer open.close()
	open.expect("hello", s.state.Load().id)
	s.Close()
	if _, _, err := open.next(); !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("stream after Close: %v, want EOF", err)
	}
}

func TestHelloAfterRestart(t *testing.T) {
	t.Parallel()
	// A page from the previous run carries the previous run's ID; the new
	// run's hello differs, so the page reloads once.
	a, _ := newBuilt(t, siteFiles())
	b, _ := newBuilt(t, siteFiles())
	if a.state.Load().id == b.state.Load().id {
		t.Errorf("two server runs share build ID %q", a.state.Load().id)
	}
}

func TestSlowClientGetsReload(t *testing.T) {
	t.Parallel()
	s, fb := newBuilt(t, siteFiles())
	c := s.hub.subscribe()
	defer s.hub.unsubscribe(c)
	for i := range clientBuffer + 3 {
		fb.put("index.html", htmlPage(strings.Repeat("x", i+1)))
		s.rebuild(t.Context(), nil) // never blocks on the client that is not reading
	}
	if len(c.ch) != clientBuffer || !c.lost.Load() {
		t.Errorf("queued %d, lost %v; want %d queued and lost set", len(c.ch), c.lost.Load(), clientBuffer)
	}
}

func TestReloadScript(t *testing.T) {
	t.Parallel()
	s, _ := newBuilt(t, siteFiles())
	rec := do(t, s, "GET", scriptPath)
	body := rec.Body.String()
	for _, want := range []string{`new EventSource("/_shownotes/events")`, `"hello"`, `"reload"`, `"css"`, "data-build", "location.reload()"} {
		if !strings.Contains(body, want) {
			t.Errorf("reload.js lacks %s", want)
		}
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("reload.js cacheable")
	}
	if rec := do(t, s, "HEAD", eventsPath); rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("HEAD events: %d %q", rec.Code, rec.Body.String())
	}
}

// quickFake is a fakeBuilder that is also a QuickBuilder: Quick returns
// quick (ok when not nil) and records what it was asked.
type quickFake struct {
	*fakeBuilder
	quick   map[string]string
	asked   [][]string
	release chan struct{} // if set, Build waits for it
}

func (q *quickFake) Quick(ctx context.Context, changed []string) (map[string][]byte, bool) {
	q.asked = append(q.asked, changed)
	if q.quick == nil {
		return nil, false
	}
	m := map[string][]byte{}
	for k, v := range q.quick {
		m[k] = []byte(v)
	}
	return m, true
}

func (q *quickFake) Build(ctx context.Context) (*Result, error) {
	if q.release != nil {
		<-q.release
	}
	return q.fakeBuilder.Build(ctx)
}

// A QuickBuilder's pages are served and announced before the full build
// ends; the full build, which then changes only the feeds, sends nothing
// more. Without quick pages, or while the site is broken, only the full
// build counts.
func TestQuickPagesPublishedFirst(t *testing.T) {
	t.Parallel()
	fb := newFake(siteFiles())
	q := &quickFake{fakeBuilder: fb}
	s := New(q, Options{})
	if !s.rebuild(t.Context(), nil) {
		t.Fatal("first build was not applied")
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	id := func() string { return s.state.Load().id }
	es := openStream(t, ts.URL)
	defer es.close()
	es.expect("hello", id())
	var infos []BuildInfo
	s.opts.OnBuild = func(b BuildInfo) { infos = append(infos, b) }

	edited := htmlPage("episode x, notes edited")
	q.quick = map[string]string{"episodes/x/index.html": edited}
	fb.put("episodes/x/index.html", edited)
	fb.put("feed.xml", "<rss>edited</rss>")
	q.release = make(chan struct{})
	done := make(chan bool)
	go func() { done <- s.rebuild(t.Context(), []string{"content/episodes/x.md"}) }()
	// Announced before Build returns (it is still waiting).
	es.expectPages(id, "/episodes/x/")
	if rec := do(t, s, "GET", "/episodes/x/"); !strings.Contains(rec.Body.String(), "notes edited") {
		t.Errorf("quick page not served while the full build runs:\n%s", rec.Body.String())
	}
	if rec := do(t, s, "GET", "/feed.xml"); strings.Contains(rec.Body.String(), "edited") {
		t.Errorf("the feed changed before the full build ended")
	}
	quickID := id()
	close(q.release)
	<-done
	if id() != quickID {
		t.Errorf("the full build after the quick pages changed the ID (only the feed changed)")
	}
	if rec := do(t, s, "GET", "/feed.xml"); rec.Body.String() != "<rss>edited</rss>" {
		t.Errorf("feed after the full build: %q", rec.Body.String())
	}
	if len(q.asked) != 1 || strings.Join(q.asked[0], ",") != "content/episodes/x.md" {
		t.Errorf("Quick asked %v, want [[content/episodes/x.md]]", q.asked)
	}
	if len(infos) != 2 || !infos[0].Quick || strings.Join(infos[0].Changed, ",") != "episodes/x/index.html" || infos[1].Quick || strings.Join(infos[1].Changed, ",") != "feed.xml" {
		t.Errorf("OnBuild got %+v; want the quick page, then the full build with feed.xml", infos)
	}

	// Quick declines: the full build's event, as before.
	q.quick, q.release = nil, nil
	fb.put("index.html", htmlPage("home, retitled"))
	s.rebuild(t.Context(), []string{"content/episodes/x.md"})
	es.expectPages(id, "/")

	// Broken: quick pages are not published over the error page.
	fb.fail(brokenList())
	s.rebuild(t.Context(), nil)
	es.expect(ActionReload, id())
	broken := id()
	q.quick = map[string]string{"episodes/x/index.html": htmlPage("quick while broken")}
	s.rebuild(t.Context(), []string{"content/episodes/x.md"})
	if id() != broken {
		t.Errorf("quick pages were published over a broken site")
	}
	if rec := do(t, s, "GET", "/episodes/x/"); rec.Code != 500 {
		t.Errorf("while broken, GET /episodes/x/ = %d, want the error page", rec.Code)
	}
}

// reloadEvent names the pages a build changed when only pages (and files
// no page shows) changed, and falls back to reloading every browser.
func TestReloadEvent(t *testing.T) {
	t.Parallel()
	many := make([]string, maxListedPages+1)
	for i := range many {
		many[i] = "episodes/e" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "/index.html"
	}
	for _, tc := range []struct {
		changed []string
		base    string
		want    string // the event's data, or "" for ActionReload
	}{
		{[]string{"episodes/x/index.html"}, "/", `{"id":"i","pages":["/episodes/x/"]}`},
		{[]string{"feed.xml", "index.html", "search/index.json", "tags/salt/index.html"}, "/", `{"id":"i","pages":["/","/tags/salt/"]}`},
		{[]string{"episodes/x/index.html"}, "/show/", `{"id":"i","pages":["/show/episodes/x/"]}`},
		{[]string{"404.html"}, "/", ""},
		{[]string{"css/site.css", "index.html"}, "/", ""},
		{[]string{"episodes/x/index.html", "images/cover.png"}, "/", ""},
		{[]string{"episodes/xindex.html"}, "/", ""},
		{[]string{"feed.xml"}, "/", ""},
		{many, "/", ""},
	} {
		ev, action := reloadEvent("i", tc.changed, tc.base)
		switch {
		case tc.want == "" && (ev.name != ActionReload || ev.data != "i" || action != ActionReload):
			t.Errorf("reloadEvent(%d files, %q) = %q %q, %q; want a reload", len(tc.changed), tc.base, ev.name, ev.data, action)
		case tc.want != "" && (ev.name != ActionPages || ev.data != tc.want || action != ActionPages):
			t.Errorf("reloadEvent(%q, %q) = %q %q, %q; want %q %q", tc.changed, tc.base, ev.name, ev.data, action, ActionPages, tc.want)
		}
	}
}
