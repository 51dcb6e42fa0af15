package devserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"shownotes/generator/site"
)

// fakeBuilder returns whatever the test last set.
type fakeBuilder struct {
	mu    sync.Mutex
	files map[string][]byte
	base  string
	err   error
	calls int
	next  time.Time // Result.NextScheduled
}

func newFake(files map[string]string) *fakeBuilder {
	f := &fakeBuilder{}
	f.set(files)
	return f
}

// set replaces the output with files and clears any error.
func (f *fakeBuilder) set(files map[string]string) {
	m := map[string][]byte{}
	for k, v := range files {
		m[k] = []byte(v)
	}
	f.mu.Lock()
	f.files, f.err = m, nil
	f.mu.Unlock()
}

// put changes one file, keeping the rest.
func (f *fakeBuilder) put(name, data string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files = maps.Clone(f.files)
	f.files[name] = []byte(data)
	f.err = nil
}

func (f *fakeBuilder) fail(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

func (f *fakeBuilder) Build(ctx context.Context) (*Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	return &Result{Files: maps.Clone(f.files), BasePath: f.base, NextScheduled: f.next}, nil
}

const page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>t</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head>\n<body>\n<p>%s</p>\n</body>\n</html>\n"

func htmlPage(text string) string { return fmt.Sprintf(page, text) }

// siteFiles is a small built site.
func siteFiles() map[string]string {
	return map[string]string{
		"index.html":            htmlPage("home"),
		"episodes/x/index.html": htmlPage("episode x"),
		"404.html":              htmlPage("not here"),
		"css/site.css":          "body { color: black }\n",
		"js/player.js":          "console.log('player');\n",
		"feed.xml":              "<?xml version=\"1.0\"?><rss><channel><title>t</title></channel></rss>\n",
		"feed.json":             "{\"version\": \"https://jsonfeed.org/version/1.1\"}\n",
		"sitemap.xml":           "<?xml version=\"1.0\"?><urlset></urlset>\n",
		"data/x.json":           "{}\n",
		"robots.txt":            "User-agent: *\n",
		"images/a.png":          "\x89PNG\r\n",
		"images/b.jpg":          "\xff\xd8\xff",
		"images/c.svg":          "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
		"audio/e.mp3":           "ID3....",
		"audio/e.m4a":           "....ftypM4A ",
		"episodes/x/e.vtt":      "WEBVTT\n",
		"episodes/x/e.srt":      "1\n00:00:00,000 --> 00:00:01,000\nhi\n",
	}
}

// newBuilt returns a Server over a fake builder, after one build.
func newBuilt(t *testing.T, files map[string]string) (*Server, *fakeBuilder) {
	t.Helper()
	fb := newFake(files)
	s := New(fb, Options{})
	if !s.rebuild(t.Context(), nil) {
		t.Fatal("first build was not applied")
	}
	return s, fb
}

func do(t testing.TB, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestScriptInjectedIntoHTMLOnly(t *testing.T) {
	t.Parallel()
	files := siteFiles()
	s, _ := newBuilt(t, files)
	st := s.state.Load()
	tag := scriptTag(st.id)

	for _, target := range []string{"/", "/index.html", "/episodes/x/"} {
		rec := do(t, s, "GET", target)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, tag+"\n</body>") {
			t.Errorf("GET %s: %d, script not injected before </body>:\n%s", target, rec.Code, body)
		}
		if strings.Count(body, "<script") != 1 {
			t.Errorf("GET %s: want exactly one script tag:\n%s", target, body)
		}
	}
	for _, name := range []string{"css/site.css", "feed.xml", "feed.json", "sitemap.xml", "js/player.js", "robots.txt", "images/c.svg"} {
		rec := do(t, s, "GET", "/"+name)
		if rec.Code != 200 || rec.Body.String() != files[name] {
			t.Errorf("GET /%s: %d, body changed: %q", name, rec.Code, rec.Body.String())
		}
	}
	// The snapshot itself stays byte-identical to the build.
	for name, want := range files {
		if got := string(st.good.files[name]); got != want {
			t.Errorf("snapshot %s modified: %q", name, got)
		}
	}
	// HEAD: same headers, no body.
	get, head := do(t, s, "GET", "/"), do(t, s, "HEAD", "/")
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != fmt.Sprint(get.Body.Len()) {
		t.Errorf("HEAD /: %d, %d body bytes, Content-Length %q (GET sent %d)", head.Code, head.Body.Len(), head.Header().Get("Content-Length"), get.Body.Len())
	}
}

func TestInjectScript(t *testing.T) {
	t.Parallel()
	tag := scriptTag("b-1")
	for _, c := range []struct{ in, want string }{
		{"<p>x</p></body></html>", "<p>x</p>" + tag + "\n</body></html>"},
		{"<p>x</p></BODY>", "<p>x</p>" + tag + "\n</BODY>"},
		{"<p></body></p></body>", "<p></body></p>" + tag + "\n</body>"},
		{"<p>no body end", "<p>no body end" + tag},
		{"", tag},
	} {
		in := []byte(c.in)
		if got := string(injectScript(in, "b-1")); got != c.want {
			t.Errorf("injectScript(%q) = %q, want %q", c.in, got, c.want)
		}
		if string(in) != c.in {
			t.Errorf("injectScript modified its input %q", c.in)
		}
	}
}

func TestContentTypes(t *testing.T) {
	t.Parallel()
	s, _ := newBuilt(t, siteFiles())
	for _, c := range []struct{ path, want string }{
		{"/", "text/html; charset=utf-8"},
		{"/episodes/x/", "text/html; charset=utf-8"},
		{"/css/site.css", "text/css; charset=utf-8"},
		{"/js/player.js", "text/javascript; charset=utf-8"},
		{"/feed.xml", "application/xml; charset=utf-8"},
		{"/sitemap.xml", "application/xml; charset=utf-8"},
		{"/feed.json", "application/feed+json"},
		{"/data/x.json", "application/json"},
		{"/robots.txt", "text/plain; charset=utf-8"},
		{"/episodes/x/e.vtt", "text/vtt; charset=utf-8"},
		{"/episodes/x/e.srt", "application/x-subrip"},
		{"/audio/e.mp3", "audio/mpeg"},
		{"/audio/e.m4a", "audio/mp4"},
		{"/images/a.png", "image/png"},
		{"/images/b.jpg", "image/jpeg"},
		{"/images/c.svg", "image/svg+xml"},
		{"/_shownotes/reload.js", "text/javascript; charset=utf-8"},
		{"/nope/", "text/html; charset=utf-8"},
	} {
		rec := do(t, s, "GET", c.path)
		if got := rec.Header().Get("Content-Type"); got != c.want {
			t.Errorf("GET %s: Content-Type %q, want %q", c.path, got, c.want)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", c.path, got)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control %q", c.path, got)
		}
	}
	if got := contentType("x.unknownext"); got != "application/octet-stream" {
		t.Errorf("unknown extension: %q", got)
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	s, _ := newBuilt(t, siteFiles())
	for _, c := range []struct {
		path     string
		code     int
		location string
		body     string
	}{
		{"/", 200, "", "<p>home</p>"},
		{"/episodes/x/", 200, "", "<p>episode x</p>"},
		{"/episodes/x", 302, "/episodes/x/", ""},
		{"/episodes/x?t=90", 302, "/episodes/x/?t=90", ""},
		{"/episodes//x/", 200, "", "<p>episode x</p>"},
		{"/episodes/./x/", 200, "", "<p>episode x</p>"},
		{"/nope", 404, "", "<p>not here</p>"},
		{"/episodes/nope/", 404, "", "<p>not here</p>"},
		{"/css/", 404, "", "<p>not here</p>"},
		{"/_shownotes/nope", 404, "", "404 page not found"},
	} {
		rec := do(t, s, "GET", c.path)
		if rec.Code != c.code || rec.Header().Get("Location") != c.location || !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("GET %s: %d Location %q, want %d %q with %q; body:\n%s", c.path, rec.Code, rec.Header().Get("Location"), c.code, c.location, c.body, rec.Body.String())
		}
	}
	// The 404 page is HTML like any other: it gets the script.
	if rec := do(t, s, "GET", "/nope"); !strings.Contains(rec.Body.String(), scriptTag(s.state.Load().id)) {
		t.Errorf("404 page without live reload:\n%s", rec.Body.String())
	}
}

func TestBasePath(t *testing.T) {
	t.Parallel()
	fb := newFake(siteFiles())
	fb.base = "/show/"
	s := New(fb, Options{})
	s.rebuild(t.Context(), nil)
	for _, c := range []struct {
		path     string
		code     int
		location string
		body     string
	}{
		{"/", 302, "/show/", ""},
		{"/show", 302, "/show/", ""},
		{"/show/", 200, "", "<p>home</p>"},
		{"/show/episodes/x", 302, "/show/episodes/x/", ""},
		{"/show/episodes/x/", 200, "", "<p>episode x</p>"},
		{"/show/css/site.css", 200, "", "color: black"},
		{"/css/site.css", 404, "", "<p>not here</p>"},
		{"/episodes/x/", 404, "", "<p>not here</p>"},
		{"/_shownotes/reload.js", 200, "", "EventSource"},
	} {
		rec := do(t, s, "GET", c.path)
		if rec.Code != c.code || rec.Header().Get("Location") != c.location || !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("GET %s: %d Location %q, want %d %q with %q", c.path, rec.Code, rec.Header().Get("Location"), c.code, c.location, c.body)
		}
	}
}

// traversals are requests that try to leave the built site.
var traversals = []string{
	"/../site.toml",
	"/%2e%2e/x",
	"/%2E%2E/site.toml",
	"/..%2fx",
	"/..%2Fsite.toml",
	`/a\..\b`,
	`/..\site.toml`,
	"/%5c..%5csite.toml",
	"/%00",
	"/index.html%00.css",
	"/episodes/../../site.toml",
	"/episodes/%2e%2e/%2e%2e/content/x.md",
}

func TestPathTraversalRefused(t *testing.T) {
	t.Parallel()
	files := siteFiles()
	files["site.toml"] = "SECRET" // even a file in the snapshot is out of reach by ..
	s, _ := newBuilt(t, files)
	for _, p := range traversals {
		rec := do(t, s, "GET", p)
		if rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "SECRET") {
			t.Errorf("GET %s: %d %q, want 400", p, rec.Code, rec.Body.String())
		}
	}

	// The same over a real connection: nothing between the socket and the
	// handler may clean the path first and let it through.
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, p := range traversals {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", p)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		body, _ := io.ReadAll(resp.Body)
		conn.Close()
		if resp.StatusCode != http.StatusBadRequest || strings.Contains(string(body), "SECRET") {
			t.Errorf("GET %s over TCP: %d %q, want 400", p, resp.StatusCode, body)
		}
	}
}

func TestOnlyGetAndHead(t *testing.T) {
	t.Parallel()
	s, _ := newBuilt(t, siteFiles())
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"} {
		for _, p := range []string{"/", "/css/site.css", "/_shownotes/events"} {
			rec := do(t, s, m, p)
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d Allow %q, want 405 with Allow: GET, HEAD", m, p, rec.Code, rec.Header().Get("Allow"))
			}
		}
	}
	for _, m := range []string{"GET", "HEAD"} {
		if rec := do(t, s, m, "/css/site.css"); rec.Code != 200 {
			t.Errorf("%s: %d", m, rec.Code)
		}
	}
}

// brokenList is a build failure whose text needs escaping.
func brokenList() site.ErrorList {
	return site.ErrorList{
		{Pos: site.Pos{File: "content/episodes/x.md", Line: 7, Col: 3}, Field: "guests[0].name", Msg: `must not be <script>alert("x")</script>`, Snippet: `  - name: "<b>Tom & Jerry</b>"`},
		{Pos: site.Pos{File: "themes/default/templates/episode.html", Line: 12}, Msg: `function "nope" not defined`, Snippet: `{{nope .Title}}`},
		{Pos: site.Pos{File: "site.toml"}, Msg: "cannot read site configuration"},
	}
}

func TestErrorPageWhileBroken(t *testing.T) {
	t.Parallel()
	files := siteFiles()
	s, fb := newBuilt(t, files)
	fb.fail(fmt.Errorf("build: %w", brokenList()))
	s.rebuild(t.Context(), nil)
	st := s.state.Load()

	rec := do(t, s, "GET", "/episodes/x/")
	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET while broken: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		"<!DOCTYPE html>", `<html lang="en">`, "<title>Build failed",
		"3 problems",
		`<code class="pos">content/episodes/x.md:7:3</code>`,
		"<code>guests[0].name</code>",
		"must not be &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",
		"    7 | </span>  - name: &#34;&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;&#34;",
		`<code class="pos">themes/default/templates/episode.html:12</code>`,
		"{{nope .Title}}",
		`<code class="pos">site.toml</code>: cannot read site configuration`,
		scriptTag(st.id) + "\n</body>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `<script>alert`) || strings.Contains(body, "<b>Tom") {
		t.Errorf("error page does not escape the input:\n%s", body)
	}
	// The caret sits under column 3.
	if !strings.Contains(body, "      |   </span><span class=\"caret\">^</span>") {
		t.Errorf("caret not under column 3:\n%s", body)
	}

	// Every HTML request gets the page, assets still come from the last good build.
	for _, p := range []string{"/", "/nope/", "/nope"} {
		if rec := do(t, s, "GET", p); rec.Code != 500 || !strings.Contains(rec.Body.String(), "Build failed") {
			t.Errorf("GET %s while broken: %d", p, rec.Code)
		}
	}
	if rec := do(t, s, "GET", "/css/site.css"); rec.Code != 200 || rec.Body.String() != files["css/site.css"] {
		t.Errorf("stylesheet while broken: %d %q", rec.Code, rec.Body.String())
	}
	if rec := do(t, s, "GET", "/images/missing.png"); rec.Code != 404 {
		t.Errorf("missing image while broken: %d", rec.Code)
	}
	if rec := do(t, s, "HEAD", "/"); rec.Code != 500 || rec.Body.Len() != 0 {
		t.Errorf("HEAD while broken: %d, %d bytes", rec.Code, rec.Body.Len())
	}

	// Fixed: the page is back.
	fb.set(files)
	s.rebuild(t.Context(), nil)
	if rec := do(t, s, "GET", "/episodes/x/"); rec.Code != 200 || strings.Contains(rec.Body.String(), "Build failed") || !strings.Contains(rec.Body.String(), "episode x") {
		t.Errorf("after the fix: %d\n%s", rec.Code, rec.Body.String())
	}
}

func TestFirstBuildFails(t *testing.T) {
	t.Parallel()
	fb := newFake(nil)
	fb.fail(errors.New("content folder not found"))
	s := New(fb, Options{})
	s.rebuild(t.Context(), nil)
	for _, p := range []string{"/", "/episodes/x/", "/anything"} {
		rec := do(t, s, "GET", p)
		if rec.Code != 500 || !strings.Contains(rec.Body.String(), "content folder not found") || !strings.Contains(rec.Body.String(), "1 problem.") {
			t.Errorf("GET %s: %d\n%s", p, rec.Code, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), "last good build") {
			t.Errorf("GET %s: claims a last good build", p)
		}
	}
	if rec := do(t, s, "GET", "/css/site.css"); rec.Code != 404 {
		t.Errorf("asset before any good build: %d", rec.Code)
	}
	fb.set(siteFiles())
	s.rebuild(t.Context(), nil)
	if rec := do(t, s, "GET", "/"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "home") {
		t.Errorf("after the first good build: %d", rec.Code)
	}
}

func TestRequestsWaitForFirstBuild(t *testing.T) {
	t.Parallel()
	s := New(newFake(siteFiles()), Options{})
	got := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		got <- rec.Code
	}()
	s.rebuild(t.Context(), nil)
	if code := <-got; code != 200 {
		t.Errorf("request during the first build: %d", code)
	}

	// A request whose client gives up while waiting returns.
	s2 := New(newFake(siteFiles()), Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	rec := httptest.NewRecorder()
	s2.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil).WithContext(ctx))

	// Close releases waiters too.
	s2.Close()
	if rec := do(t, s2, "GET", "/"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("after Close: %d", rec.Code)
	}
}

func TestLoopbackOnly(t *testing.T) {
	t.Parallel()
	fb := newFake(siteFiles())
	s := New(fb, Options{LoopbackOnly: true})
	s.rebuild(t.Context(), nil)
	for _, c := range []struct {
		host string
		code int
	}{
		{"127.0.0.1:1313", 200},
		{"localhost:1313", 200},
		{"LOCALHOST", 200},
		{"shownotes.localhost:1313", 200},
		{"[::1]:1313", 200},
		{"127.0.0.2", 200},
		{"evil.example:1313", 403},
		{"192.168.1.10:1313", 403},
		{"localhost.evil.example", 403},
		{"", 403},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = c.host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != c.code {
			t.Errorf("Host %q: %d, want %d", c.host, rec.Code, c.code)
		}
	}
}
