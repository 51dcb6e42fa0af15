// Package devserver is the engine of `shownotes serve`: it rebuilds the
// site into memory whenever the project changes, serves the newest good
// build over HTTP and tells open browser tabs to reload.
//
// The pieces:
//
//   - Server (this file) answers HTTP from an immutable snapshot held in an
//     atomic.Pointer. HTML responses get the live-reload script injected
//     before </body>; the snapshot itself stays byte-identical to what
//     `shownotes build` writes.
//   - Run (build.go) waits for changes, debounces them, cancels a build in
//     flight when a newer change arrives and swaps in the result.
//   - Watch (watch.go) turns fsnotify events on site.toml, content/ and
//     themes/ into project-relative paths, ignoring editor temp files.
//   - reload.go is the Server-Sent Events hub and the browser script.
//   - errorpage.go renders a failed build's problems as an HTML page.
//
// The site itself is built by a Builder; the real one (cli/serve.go) calls
// site.Build with a MemOutput, tests use fakes.
package devserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"html"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"shownotes/generator/site"
)

// Builder builds the whole site into memory. The Server keeps one Builder
// for its lifetime and never calls Build concurrently, so an implementation
// may keep caches between calls (incremental rebuilds). When ctx is
// cancelled, Build should return soon; its result is then discarded, and
// any state it keeps must stay usable for the next call.
type Builder interface {
	Build(ctx context.Context) (*Result, error)
}

// A QuickBuilder can also make, before the full build, the output files of
// some changes alone: the pages of an episode whose notes were edited,
// which a large show's full rebuild would make the podcaster wait for.
// The server publishes them over the last good build, then runs Build as
// always. changed lists the project paths (slash-separated) changed since
// the last published build. Quick returns ok false when it cannot promise
// the files are the full build's.
type QuickBuilder interface {
	Builder
	Quick(ctx context.Context, changed []string) (files map[string][]byte, ok bool)
}

// Result is one successful build.
type Result struct {
	// NextScheduled is when the earliest episode left out for its future
	// date falls due; the server rebuilds then, so a preview never shows
	// yesterday's schedule. Zero when none is waiting.
	NextScheduled time.Time

	// Files maps slash-separated output names ("index.html",
	// "episodes/x/index.html", "css/site.css") to their bytes, exactly as
	// `shownotes build` would write them. The Server never modifies the map
	// or the slices; the Builder must not modify them after returning
	// (reusing an unchanged slice in the next Result is fine).
	Files map[string][]byte
	// BasePath is the path of base_url: "/" or "/show/". The site is served
	// under it. Empty means "/".
	BasePath string
	// Warnings are advisory problems, passed on to Options.OnBuild.
	Warnings site.ErrorList
}

// DefaultQuiet is the debounce window: a rebuild starts once the project has
// been quiet this long. Editors saving by rename, `git checkout` and
// formatters produce bursts of events well within it.
const DefaultQuiet = 30 * time.Millisecond

// Options tune a Server. The zero value is ready to use.
type Options struct {
	// Quiet is the debounce window; zero means DefaultQuiet, negative means
	// rebuild as soon as a change arrives.
	Quiet time.Duration
	// After returns a channel that receives once d has passed; nil means
	// time.After. Tests inject a fake to control the debounce.
	After func(d time.Duration) <-chan time.Time
	// OnBuild, if set, is called after every finished build (cancelled
	// builds do not count), one call at a time, before Run starts the next
	// build.
	OnBuild func(BuildInfo)
	// LoopbackOnly refuses requests whose Host header is not localhost or a
	// loopback address. Set it when listening on loopback: it stops other
	// web sites from reading the preview (drafts included) through DNS
	// rebinding.
	LoopbackOnly bool
}

// BuildInfo describes one finished build, for logging.
type BuildInfo struct {
	// ID names the state now served; pages carry it, and the live-reload
	// script reloads when the server's ID differs from its page's.
	ID string
	// Err holds the build's problems (see site.AsList); nil on success.
	Err error
	// Warnings of a successful build.
	Warnings site.ErrorList
	// Files is the number of files in the snapshot now served, BasePath
	// the path it is served under ("/" before the first good build).
	Files    int
	BasePath string
	// Changed lists the output files added, changed or removed since the
	// previous good build, sorted. Empty when the build failed.
	Changed []string
	// Action is what the browsers were told: ActionReload, ActionPages,
	// ActionCSS, or ActionNone when the output did not change.
	Action string
	// Duration is the time spent in Builder.Build.
	Duration time.Duration
	// First is set on the first finished build.
	First bool
	// Quick is set when this is not a build but a QuickBuilder's pages,
	// published while the full build runs; Changed lists them.
	Quick bool
}

// The live-reload events sent to browsers.
const (
	ActionNone   = ""
	ActionReload = "reload" // reload the page
	ActionCSS    = "css"    // only stylesheets changed: swap them in place
	// ActionPages: only the pages listed changed (the event's data is
	// {"id": ..., "pages": [URL paths]}): a browser showing one of them
	// reloads, the others only take the new ID. After an episode's date
	// or title is edited, the dev server publishes its page first and
	// its neighbours' pages with the full build: the browser on the
	// episode reloads once, not twice.
	ActionPages = "pages"
)

// internalPrefix holds the dev server's own endpoints. It is outside any
// base path, so a site under /show/ still finds them at the root.
const internalPrefix = "/_shownotes/"

const (
	eventsPath = internalPrefix + "events"
	scriptPath = internalPrefix + "reload.js"
)

// Server serves the newest build and pushes live-reload events. It is an
// http.Handler; Run keeps it up to date.
type Server struct {
	builder Builder
	opts    Options

	state     atomic.Pointer[state]
	next      atomic.Pointer[time.Time] // Result.NextScheduled of the last build
	ready     chan struct{}             // closed once the first build has finished
	readyOnce sync.Once
	closed    chan struct{} // closed by Close: streams end, waiters give up
	closeOnce sync.Once

	buildMu  sync.Mutex // one Builder.Build at a time
	hub      hub
	idPrefix string // differs between server runs, so a restart reloads pages
	seq      atomic.Uint64
}

// state is what the handler serves. It is immutable once stored.
type state struct {
	id   string
	good *snapshot      // newest successful build; nil until there is one
	errs site.ErrorList // non-nil while the newest build failed
}

type snapshot struct {
	files map[string][]byte
	base  string // "/" or "/show/"
}

// New returns a Server that builds with b. Nothing is built until Run (or
// a test) asks; until then requests wait.
func New(b Builder, opts Options) *Server {
	if opts.Quiet == 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.After == nil {
		opts.After = time.After
	}
	return &Server{
		builder:  b,
		opts:     opts,
		ready:    make(chan struct{}),
		closed:   make(chan struct{}),
		hub:      hub{clients: map[*client]struct{}{}},
		idPrefix: strings.ToLower(rand.Text()[:8]),
	}
}

// Ready is closed once the first build has finished, successfully or not.
func (s *Server) Ready() <-chan struct{} { return s.ready }

// Close ends every live-reload stream and makes requests still waiting for
// the first build give up. Register it with http.Server.RegisterOnShutdown:
// Shutdown alone would wait for the never-ending event streams.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
}

// ServeHTTP serves the site from the current snapshot.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed: the dev server answers GET and HEAD only", http.StatusMethodNotAllowed)
		return
	}
	if s.opts.LoopbackOnly && !loopbackHost(r.Host) {
		http.Error(w, "403 forbidden: the dev server only answers requests for localhost", http.StatusForbidden)
		return
	}
	p, ok := cleanPath(r)
	if !ok {
		http.Error(w, "400 bad request: path not allowed", http.StatusBadRequest)
		return
	}
	switch {
	case p == eventsPath:
		s.serveEvents(w, r)
		return
	case p == scriptPath:
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		http.ServeContent(w, r, "reload.js", time.Time{}, strings.NewReader(reloadScript))
		return
	case strings.HasPrefix(p, internalPrefix):
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	select {
	case <-s.ready:
	case <-r.Context().Done():
		return
	case <-s.closed:
		http.Error(w, "503 the dev server is shutting down", http.StatusServiceUnavailable)
		return
	}
	s.serveSite(w, r, s.state.Load(), p)
}

// loopbackHost reports whether a Host header names this machine.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && ip.IsLoopback()
}

// cleanPath validates the request path and returns it cleaned. Files come
// only from the in-memory snapshot, so nothing on disk is reachable anyway;
// still, anything that tries to climb out (a ".." segment, however it was
// encoded), backslashes, encoded slashes, NUL and other control characters
// is refused outright rather than guessed at.
func cleanPath(r *http.Request) (string, bool) {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		return "", false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "", false
		}
	}
	if raw := strings.ToLower(r.URL.RawPath); strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", false
		}
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean, true
}

// serveSite answers a request for the site itself. p is clean and absolute.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request, st *state, p string) {
	base := "/"
	if st.good != nil {
		base = st.good.base
	}
	if base != "/" {
		if p == "/" || p+"/" == base {
			redirect(w, r, base)
			return
		}
		if !strings.HasPrefix(p, base) {
			s.notFound(w, r, st, p)
			return
		}
	}
	rel := strings.TrimPrefix(p, base) // "", "episodes/x/", "css/site.css"
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	var data []byte
	found := false
	if st.good != nil {
		data, found = st.good.files[name]
		if !found && name == rel {
			if _, dir := st.good.files[rel+"/index.html"]; dir {
				redirect(w, r, base+rel+"/")
				return
			}
		}
	}
	if !found {
		s.notFound(w, r, st, p)
		return
	}
	ctype := contentType(name)
	if isHTML(ctype) {
		if st.errs != nil {
			s.serveErrorPage(w, r, st)
			return
		}
		s.writeHTML(w, r, http.StatusOK, data, st.id)
		return
	}
	w.Header().Set("Content-Type", ctype)
	// ServeContent answers HEAD and Range requests (audio players seek).
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// notFound serves the site's 404.html with status 404, or the error page
// when the build is broken and the request looks like one for a page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *state, p string) {
	if st.errs != nil {
		if ext := path.Ext(p); ext == "" || ext == ".html" || ext == ".htm" {
			s.serveErrorPage(w, r, st)
			return
		}
	}
	if st.good != nil {
		if page, ok := st.good.files["404.html"]; ok {
			s.writeHTML(w, r, http.StatusNotFound, page, st.id)
			return
		}
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	// 302, not 301: browsers keep permanent redirects long after the dev
	// server's content has moved on.
	http.Redirect(w, r, to, http.StatusFound)
}

// writeHTML sends an HTML page with the live-reload script injected.
func (s *Server) writeHTML(w http.ResponseWriter, r *http.Request, status int, page []byte, id string) {
	body := injectScript(page, id)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// scriptTag loads the live-reload script; data-build is the state the page
// was rendered from.
func scriptTag(id string) string {
	return `<script src="` + scriptPath + `" data-build="` + html.EscapeString(id) + `"></script>`
}

// injectScript returns a copy of page with the live-reload script inserted
// before the last </body>, or appended when there is none. page itself is
// never modified: it belongs to the snapshot.
func injectScript(page []byte, id string) []byte {
	tag := scriptTag(id)
	at := lastIndexFold(page, "</body")
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag)+1)
	out = append(out, page[:at]...)
	out = append(out, tag...)
	if at < len(page) {
		out = append(out, '\n')
	}
	return append(out, page[at:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case.
func lastIndexFold(b []byte, sub string) int {
	for i := len(b) - len(sub); i >= 0; i-- {
		if b[i] == '<' && bytes.EqualFold(b[i:i+len(sub)], []byte(sub)) {
			return i
		}
	}
	return -1
}

// contentTypes pins the types the site produces, independent of the host's
// MIME tables.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".htm":   "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".xml":   "application/xml; charset=utf-8",
	".xsl":   "application/xml; charset=utf-8",
	".json":  "application/json",
	".txt":   "text/plain; charset=utf-8",
	".vtt":   "text/vtt; charset=utf-8",
	".srt":   "application/x-subrip",
	".mp3":   "audio/mpeg",
	".m4a":   "audio/mp4",
	".aac":   "audio/aac",
	".ogg":   "audio/ogg",
	".oga":   "audio/ogg",
	".opus":  "audio/opus",
	".wav":   "audio/wav",
	".flac":  "audio/flac",
	".mp4":   "video/mp4",
	".m4v":   "video/mp4",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".svg":   "image/svg+xml",
	".ico":   "image/x-icon",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".pdf":   "application/pdf",
}

// contentType is the Content-Type for an output file name.
func contentType(name string) string {
	if path.Base(name) == "feed.json" {
		return "application/feed+json"
	}
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func isHTML(ctype string) bool { return strings.HasPrefix(ctype, "text/html") }
