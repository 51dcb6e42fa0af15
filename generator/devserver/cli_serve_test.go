package devserver_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"shownotes/generator/cli"
)

// The `shownotes serve` command end to end, in a temporary project: it
// lives here because it is the dev server's entry point (cli has no other
// dependency on it).

const serveSiteTOML = `title = "Serve Test"
description = "A show for the serve command's test."
base_url = "https://serve.example.org/show/"
author = "Host"
language = "en"
categories = ["History"]
image = "https://serve.example.org/cover.png"

[owner]
name = "Host"
email = "host@serve.example.org"

[[hosts]]
name = "Host"
`

func serveEpisode(title, body string, draft bool) string {
	d := ""
	if draft {
		d = "draft = true\n"
	}
	return "+++\ntitle = \"" + title + "\"\ndate = 2024-01-01\nsummary = \"About " + title + ".\"\n" + d +
		"[audio]\nurl = \"https://media.example.org/x.mp3\"\nlength = 1000\n+++\n\n" + body + "\n"
}

// lines is an io.Writer whose lines a test can wait for.
type lines struct {
	mu  sync.Mutex
	all []string
	buf string
	ch  chan string
}

func newLines() *lines { return &lines{ch: make(chan string, 100)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf += string(p)
	for {
		i := strings.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := l.buf[:i]
		l.buf = l.buf[i+1:]
		l.all = append(l.all, line)
		select {
		case l.ch <- line:
		default:
		}
	}
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.all, "\n") + l.buf
}

var servingLine = regexp.MustCompile(`^serving (http://127\.0\.0\.1:\d+/show/)`)

type serveRun struct {
	url            string
	stdout, stderr *lines
	stop           func() int
}

// startServe runs `shownotes serve args...` in root until stop is called.
func startServe(t *testing.T, root string, args ...string) *serveRun {
	t.Helper()
	stdout, stderr := newLines(), newLines()
	ctx, cancel := context.WithCancel(t.Context())
	exit := make(chan int, 1)
	go func() {
		exit <- cli.Run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...), cli.Env{
			Stdout:       stdout,
			Stderr:       stderr,
			Dir:          root,
			DefaultTheme: os.DirFS(filepath.Join("..", "..", "themes", "default")),
			Now:          func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) },
		})
	}()
	r := &serveRun{stdout: stdout, stderr: stderr}
	r.stop = func() int { cancel(); return <-exit }
	guard := time.After(30 * time.Second) // against hanging only
	for r.url == "" {
		select {
		case line := <-stdout.ch:
			if m := servingLine.FindStringSubmatch(line); m != nil {
				r.url = m[1]
			}
		case code := <-exit:
			t.Fatalf("serve exited with %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
		case <-guard:
			t.Fatalf("serve printed no URL\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
		}
	}
	return r
}

// waitLine waits for serve to print a line matching re (lines printed
// before are searched too).
func (r *serveRun) waitLine(t *testing.T, re *regexp.Regexp) {
	t.Helper()
	guard := time.After(30 * time.Second) // against hanging only
	for {
		for _, l := range strings.Split(r.stdout.String(), "\n") {
			if re.MatchString(l) {
				return
			}
		}
		select {
		case <-r.stdout.ch:
		case <-guard:
			t.Fatalf("serve printed no line matching %s\nstdout:\n%s", re, r.stdout)
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestServeCommand(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(filepath.Dir(p), ".save.tmp")
		if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			t.Fatal(err)
		}
	}
	write("site.toml", serveSiteTOML)
	write("content/episodes/first.md", serveEpisode("First", "The first episode.", false))
	write("content/episodes/secret.md", serveEpisode("Secret", "A draft.", true))

	r := startServe(t, root)
	page := r.url + "episodes/first/"
	code, body := get(t, page)
	if code != 200 || !strings.Contains(body, "The first episode.") || !strings.Contains(body, `<script src="/_shownotes/reload.js"`) {
		t.Fatalf("GET %s: %d\n%s", page, code, body)
	}
	if code, _ := get(t, r.url+"episodes/secret/"); code != 404 {
		t.Errorf("draft served without -drafts: %d", code)
	}
	// The site is under base_url's path; the root redirects there.
	resp, err := http.Get(strings.TrimSuffix(r.url, "show/"))
	if err != nil || resp.Request.URL.String() != r.url {
		t.Errorf("GET / ended at %v (%v), want %s", resp.Request.URL, err, r.url)
	}
	resp.Body.Close()

	// Live reload: an open event stream hears about an edit, and the edit
	// is served.
	req, _ := http.NewRequestWithContext(t.Context(), "GET", strings.TrimSuffix(r.url, "show/")+"_shownotes/events", nil)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	events := bufio.NewScanner(stream.Body)
	next := func() string {
		for events.Scan() {
			if ev, ok := strings.CutPrefix(events.Text(), "event: "); ok {
				return ev
			}
		}
		return "(end of stream)"
	}
	if ev := next(); ev != "hello" {
		t.Fatalf("first event %q", ev)
	}
	write("content/episodes/first.md", serveEpisode("First", "The first episode, edited.", false))
	if ev := next(); ev != "pages" {
		t.Fatalf("after an edit: event %q, want %q (the edited episode's page, published first)", ev, "pages")
	}
	if _, body := get(t, page); !strings.Contains(body, "edited") {
		t.Errorf("edit not served:\n%s", body)
	}
	// Only the notes changed: the page was published before the full
	// build, which follows and finds no other page to reload.
	r.waitLine(t, regexp.MustCompile(`^updated episodes/first/index\.html in \d+ ms; rebuilding the rest$`))
	r.waitLine(t, regexp.MustCompile(`^rebuilt in \d+ ms: \d+ files changed$`))

	// Broken front matter: the error page, with the position; then fixed.
	write("content/episodes/first.md", strings.Replace(serveEpisode("First", "x", false), "date = 2024-01-01", "date = 2024-13-01", 1))
	if ev := next(); ev != "reload" {
		t.Fatalf("after breaking: event %q", ev)
	}
	if code, body := get(t, page); code != 500 || !strings.Contains(body, "content/episodes/first.md:3") {
		t.Errorf("broken: %d\n%s", code, body)
	}
	write("content/episodes/first.md", serveEpisode("First", "Fixed.", false))
	if ev := next(); ev != "reload" {
		t.Fatalf("after fixing: event %q", ev)
	}
	if code, body := get(t, page); code != 200 || !strings.Contains(body, "Fixed.") {
		t.Errorf("fixed: %d\n%s", code, body)
	}

	// Stopping returns promptly even with a stream open, and ends it.
	if code := r.stop(); code != cli.ExitOK {
		t.Errorf("serve exit code %d\nstderr:\n%s", code, r.stderr)
	}
	if ev := next(); ev != "(end of stream)" {
		t.Errorf("stream still open after stop: %q", ev)
	}
	stream.Body.Close()
	if !strings.Contains(r.stderr.String(), "content/episodes/first.md:3") {
		t.Errorf("the terminal did not show the build error:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "public")); !os.IsNotExist(err) {
		t.Errorf("serve wrote public/: %v", err)
	}

	// -drafts shows the draft.
	r2 := startServe(t, root, "-drafts")
	defer r2.stop()
	if code, body := get(t, r2.url+"episodes/secret/"); code != 200 || !strings.Contains(body, "A draft.") {
		t.Errorf("draft with -drafts: %d", code)
	}
}

func TestServeCommandErrors(t *testing.T) {
	t.Parallel()
	run := func(args ...string) (int, string) {
		var out, errs strings.Builder
		code := cli.Run(t.Context(), append([]string{"serve"}, args...), cli.Env{Stdout: &out, Stderr: &errs, Dir: t.TempDir(), DefaultTheme: os.DirFS("../../themes/default")})
		return code, errs.String()
	}
	if code, _ := run("-nope"); code != cli.ExitUsage {
		t.Errorf("unknown flag: exit %d", code)
	}
	if code, _ := run("extra"); code != cli.ExitUsage {
		t.Errorf("extra argument: exit %d", code)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if code, msg := run("-addr", ln.Addr().String()); code != cli.ExitFail || !strings.Contains(msg, "address already in use") {
		t.Errorf("address in use: exit %d %q", code, msg)
	}
}
