package devserver

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRelevant(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rel  string
		dir  bool
		want bool
	}{
		{"site.toml", false, true},
		{"site.toml.swp", false, false},
		{"content", true, true},
		{"content/episodes/012-x.md", false, true},
		{"content/episodes/012-x.transcript.md", false, true},
		{"content/images/cover.png", false, true},
		{"content/episodes/2025", true, true},
		{"content/episodes/2025/1-x.md", false, true},
		{"themes/default/static/css/site.css", false, true},
		{"themes/default/templates/base.html", false, true},
		// editor temp files
		{"content/episodes/.012-x.md.swp", false, false},
		{"content/episodes/012-x.md.swp", false, false},
		{"content/episodes/012-x.md.swx", false, false},
		{"content/episodes/012-x.md~", false, false},
		{"content/episodes/4913", false, false},
		{"content/episodes/.#012-x.md", false, false},
		{"content/episodes/#012-x.md#", false, false},
		{"content/episodes/.012-x.md.lr-123.tmp", false, false},
		{"content/episodes/012-x.md___jb_tmp___", false, false},
		{"content/episodes/012-x.md.crswap", false, false},
		{"content/.DS_Store", false, false},
		// hidden folders, and everything outside the inputs
		{"content/.git", true, false},
		{"content/.git/index", false, false},
		{"themes/x/.cache/a.css", false, false},
		{"public", true, false},
		{"public/index.html", false, false},
		{".public.build-123/index.html", false, false},
		{".git/index", false, false},
		{"README.md", false, false},
		{"contents/x.md", false, false},
	} {
		if got := relevant(c.rel, c.dir); got != c.want {
			t.Errorf("relevant(%q, dir=%v) = %v, want %v", c.rel, c.dir, got, c.want)
		}
	}
}

// diskBuilder turns every .md file under content/ into a page, reading the
// project from disk like the real builder does.
type diskBuilder struct{ root string }

func (d diskBuilder) Build(ctx context.Context) (*Result, error) {
	files := map[string][]byte{"404.html": []byte(htmlPage("not found"))}
	err := filepath.WalkDir(filepath.Join(d.root, "content"), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".md") || strings.HasPrefix(e.Name(), ".") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(d.root, p)
		files[strings.TrimSuffix(filepath.ToSlash(rel), ".md")+"/index.html"] = []byte(htmlPage(string(b)))
		return nil
	})
	return &Result{Files: files}, err
}

// TestWatchRealFiles drives a real fsnotify watcher and a Server with edits
// the way editors make them, in a temporary project.
func TestWatchRealFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// saveByRename saves the way vim, VS Code and most editors do.
	saveByRename := func(rel, data string) {
		t.Helper()
		dir, base := filepath.Split(rel)
		tmp := dir + "." + base + ".tmp-save"
		write(tmp, data)
		if err := os.Rename(filepath.Join(root, tmp), filepath.Join(root, rel)); err != nil {
			t.Fatal(err)
		}
	}
	write("site.toml", "title = 'x'\n")
	write("content/episodes/a.md", "episode a v1")

	w, err := Watch(root, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	builds := make(chan BuildInfo, 100)
	s := New(diskBuilder{root}, Options{Quiet: -1, OnBuild: func(b BuildInfo) { builds <- b }})
	// Tee the watcher's events: the test checks them, the server builds.
	seen := make(chan string, 100)
	changes := make(chan string, 100)
	teeDone := make(chan struct{})
	go func() {
		for ev := range w.Events() {
			seen <- ev
			changes <- ev
		}
		close(changes)
		close(teeDone)
	}()
	runServer(t, s, changes)
	t.Cleanup(func() { w.Close() })
	<-builds

	timeout := time.After(20 * time.Second) // a guard against hanging, not a timing assumption
	// nextEvent returns the next watcher event that is not a repeat of an
	// earlier step's path (one save can be several events).
	nextEvent := func(old ...string) string {
		t.Helper()
		for {
			select {
			case ev := <-seen:
				repeat := false
				for _, o := range old {
					repeat = repeat || ev == o
				}
				if !repeat {
					return ev
				}
			case <-timeout:
				t.Fatal("no event within the time limit")
			}
		}
	}
	// served waits until the server serves page with want in it.
	served := func(pagePath, want string) {
		t.Helper()
		for {
			rec := do(t, s, "GET", pagePath)
			if want == "" && rec.Code == 404 || want != "" && strings.Contains(rec.Body.String(), want) {
				return
			}
			select {
			case <-builds:
			case <-timeout:
				t.Fatalf("GET %s never served %q; last: %d %s", pagePath, want, rec.Code, rec.Body.String())
			}
		}
	}

	// 1. A rename-style save is one create of the episode; the temp file
	// it was written to is never reported.
	saveByRename("content/episodes/a.md", "episode a v2")
	if ev := nextEvent(); ev != "content/episodes/a.md" {
		t.Fatalf("rename save: first event %q, want content/episodes/a.md", ev)
	}
	served("/content/episodes/a/", "episode a v2")

	// 2. Editor temp files trigger nothing: the next event after them is
	// the file saved after them.
	for _, name := range []string{".a.md.swp", "a.md.swp", "a.md~", "4913", ".#a.md", "#a.md#", "a.md___jb_tmp___"} {
		write("content/episodes/"+name, "scratch")
	}
	if err := os.Remove(filepath.Join(root, "content/episodes/4913")); err != nil {
		t.Fatal(err)
	}
	write("public/index.html", "output, not input") // public/ is output
	saveByRename("content/episodes/b.md", "episode b")
	if ev := nextEvent("content/episodes/a.md"); ev != "content/episodes/b.md" {
		t.Fatalf("after editor temp files: event %q, want content/episodes/b.md", ev)
	}
	served("/content/episodes/b/", "episode b")

	// 3. A folder created after start is watched: a file written inside it
	// afterwards is reported by the new watch and rebuilt.
	if err := os.Mkdir(filepath.Join(root, "content/episodes/2025"), 0o755); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent("content/episodes/b.md"); ev != "content/episodes/2025" {
		t.Fatalf("new folder: event %q", ev)
	}
	write("content/episodes/2025/c.md", "episode c")
	if ev := nextEvent(); ev != "content/episodes/2025/c.md" {
		t.Fatalf("file in the new folder: event %q", ev)
	}
	served("/content/episodes/2025/c/", "episode c")

	// 4. Folders created together with files in them (mkdir -p, unzip, git
	// checkout) are reported, however the race with the watch goes.
	write("content/season/2/d.md", "episode d")
	served("/content/season/2/d/", "episode d")
	write("content/season/2/e.md", "episode e")
	served("/content/season/2/e/", "episode e")

	// 5. site.toml saved by rename, and a delete.
	for len(seen) > 0 {
		<-seen
	}
	saveByRename("site.toml", "title = 'y'\n")
	if ev := nextEvent("content/season", "content/season/2", "content/season/2/d.md", "content/season/2/e.md"); ev != "site.toml" {
		t.Fatalf("site.toml: event %q", ev)
	}
	if err := os.Remove(filepath.Join(root, "content/episodes/b.md")); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent("site.toml"); ev != "content/episodes/b.md" {
		t.Fatalf("delete: event %q", ev)
	}
	served("/content/episodes/b/", "")

	// Close ends the event stream.
	w.Close()
	<-teeDone
}
