package devserver

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
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
	s.rebuild(t.Context())
	es.expect(ActionCSS, id())

	// A page changed: reload.
	fb.put("episodes/x/index.html", htmlPage("episode x, edited"))
	s.rebuild(t.Context())
	es.expect(ActionReload, id())

	// A stylesheet and a page changed: reload.
	fb.put("css/site.css", "body { color: teal }\n")
	fb.put("index.html", htmlPage("home, edited"))
	s.rebuild(t.Context())
	es.expect(ActionReload, id())

	// The same output again (a touched file): no event, no new ID. The
	// next event proves nothing was sent in between.
	before := id()
	s.rebuild(t.Context())
	if id() != before {
		t.Errorf("an identical build changed the ID")
	}
	fb.put("feed.xml", "<rss/>")
	s.rebuild(t.Context())
	es.expect(ActionReload, id())

	// Broken: pages must show the error page, so reload; broken the same
	// way again: nothing; fixed: reload.
	fb.fail(brokenList())
	s.rebuild(t.Context())
	es.expect(ActionReload, id())
	broken := id()
	s.rebuild(t.Context())
	if id() != broken {
		t.Errorf("the same failure changed the ID")
	}
	fb.put("css/site.css", "body { color: red }\n") // CSS-only, but coming from an error page
	s.rebuild(t.Context())
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
		s.rebuild(t.Context()) // never blocks on the client that is not reading
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
