package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"shownotes/generator/cli"
	"shownotes/generator/internal/sitetest"
)

const siteTOML = `title = "CLI Show"
description = "Tests the command line."
base_url = "https://example.org/"
author = "Host"
image = "cover.png"
categories = ["History"]
[owner]
name = "Host"
email = "host@example.org"
`

func episodeFile(title, date string) string {
	return "---\ntitle: \"" + title + "\"\ndate: " + date + "\nsummary: \"About " + title + ".\"\n" +
		"duration: \"12:00\"\naudio: {url: \"https://cdn.example.org/" + strings.ToLower(title) + ".mp3\", length: 100, type: \"audio/mpeg\"}\n---\nNotes.\n"
}

// project writes files into a fresh temporary project folder.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), args, cli.Env{
		Stdout: &out, Stderr: &errb, Dir: dir,
		DefaultTheme: os.DirFS(filepath.Join(sitetest.RepoRoot(), "themes", "default")),
		Now:          func() time.Time { return sitetest.Now },
	})
	return code, out.String(), errb.String()
}

// snapshot reads every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameFiles fails unless two snapshots hold the same files and bytes.
func sameFiles(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d files, want %d", what, len(got), len(want))
	}
	for name, data := range want {
		if got[name] != data {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

func TestBuildCommand(t *testing.T) {
	t.Parallel()
	dir := project(t, map[string]string{
		"site.toml":            siteTOML,
		"content/cover.png":    "PNG",
		"content/one.md":       episodeFile("One", "2024-01-01"),
		"content/two.md":       episodeFile("Two", "2024-01-08"),
		"content/later.md":     episodeFile("Later", "2027-01-01"),
		"content/drafty.md":    strings.Replace(episodeFile("Drafty", "2024-01-02"), "---\nNotes", "draft: true\n---\nNotes", 1),
		"themes/default/.keep": "",
	})
	code, stdout, stderr := run(t, dir, "build")
	if code != cli.ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !regexp.MustCompile(`^built \d+ pages \(2 episodes, \d+ files\) into public/ in \d+ ms\nleft out 2 draft or scheduled episodes; next scheduled episode is due 2027-01-01T00:00:00Z\n$`).MatchString(stdout) {
		t.Errorf("summary: %q", stdout)
	}
	first := snapshot(t, filepath.Join(dir, "public"))
	for _, name := range []string{"index.html", "episodes/one/index.html", "episodes/two/index.html", "feed.xml", "sitemap.xml", "404.html", "robots.txt", "search/index.json", "cover.png"} {
		if _, ok := first[name]; !ok {
			t.Errorf("public/%s missing", name)
		}
	}
	if css := regexp.MustCompile(`href="/(css/site\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(first["index.html"]); css == nil {
		t.Error("index.html links no fingerprinted stylesheet")
	} else if _, ok := first[css[1]]; !ok {
		t.Errorf("public/%s missing", css[1])
	}
	if _, ok := first["episodes/later/index.html"]; ok {
		t.Error("scheduled episode published")
	}

	// A second build of the same input is byte-identical.
	if code, _, stderr := run(t, dir, "build", "-quiet"); code != cli.ExitOK {
		t.Fatalf("second build: exit %d\n%s", code, stderr)
	}
	sameFiles(t, "a second build of the same input", first, snapshot(t, filepath.Join(dir, "public")))

	// A broken episode fails the build and leaves public/ exactly as it was.
	if err := os.WriteFile(filepath.Join(dir, "content", "two.md"), []byte("---\ntitle: Two\ndate: someday\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, dir, "build")
	if code != cli.ExitFail {
		t.Fatalf("broken build: exit %d, want %d", code, cli.ExitFail)
	}
	wantErr := "content/two.md:1:1: front matter is not closed: add a line --- after the last field\n" +
		"    1 | ---\n" +
		"      | ^\n" +
		"build failed: 1 error; public/ left unchanged\n"
	if stderr != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}
	sameFiles(t, "after a failed build, public/", first, snapshot(t, filepath.Join(dir, "public")))
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.build-*")); len(leftovers) != 0 {
		t.Errorf("failed build left %v behind", leftovers)
	}

	// Deleting an episode removes its files on the next build.
	if err := os.Remove(filepath.Join(dir, "content", "two.md")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, dir, "build"); code != cli.ExitOK {
		t.Fatalf("build after delete: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "episodes", "two")); !os.IsNotExist(err) {
		t.Errorf("episodes/two/ still in public/ after the episode was deleted (%v)", err)
	}
}

func TestBuildReportsEveryProblemSorted(t *testing.T) {
	t.Parallel()
	dir := project(t, map[string]string{
		"site.toml":         siteTOML,
		"content/cover.png": "PNG",
		"content/b.md":      "---\ntitle: B\ndate: 2024-01-01\nsummary: S\nepisode: -1\naudio: {url: \"https://x.org/b.mp3\", length: 1}\n---\n",
		"content/a.md":      "---\ntitel: A\ndate: 2024-01-01\nsummary: S\naudio: {url: \"https://x.org/a.mp3\", length: 1}\n---\n",
	})
	code, _, stderr := run(t, dir, "build")
	if code != cli.ExitFail {
		t.Fatalf("exit %d", code)
	}
	want := `content/a.md:1:1: title: is required
    1 | ---
      | ^
content/a.md:2:1: titel: unknown key (did you mean "title"?)
    2 | titel: A
      | ^
content/b.md:5:10: episode: must be a positive integer, got -1
    5 | episode: -1
      |          ^
build failed: 3 errors; public/ left unchanged
`
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("failed first build created public/ (%v)", err)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	code, _, stderr := run(t, t.TempDir(), "frobnicate")
	if code != cli.ExitUsage || !strings.HasPrefix(stderr, "shownotes: unknown command \"frobnicate\"\n") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, t.TempDir(), "build", "extra")
	if code != cli.ExitUsage || stderr != "shownotes build: unexpected argument \"extra\"\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A template that fails while pages render stops the build (and the feed
// writers streaming beside it) with the template's file and line, and
// leaves public/ as it was.
func TestBuildFailsInTemplate(t *testing.T) {
	t.Parallel()
	dir := project(t, map[string]string{
		"site.toml":         siteTOML,
		"content/cover.png": "PNG",
		"content/one.md":    episodeFile("One", "2024-01-01"),
		"content/two.md":    episodeFile("Two", "2024-01-08"),
	})
	if code, _, stderr := run(t, dir, "build"); code != cli.ExitOK {
		t.Fatalf("first build: %s", stderr)
	}
	before := snapshot(t, filepath.Join(dir, "public"))
	override := filepath.Join(dir, "themes", "default", "templates", "episode.html")
	if err := os.MkdirAll(filepath.Dir(override), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(override, []byte("{{define \"main\"}}\n<p>{{.Episode.Nope}}</p>\n{{end}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, dir, "build")
	if code != cli.ExitFail || !strings.HasPrefix(stderr, "themes/default/templates/episode.html:2:") || !strings.Contains(stderr, "Nope") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	sameFiles(t, "after a template failure, public/", before, snapshot(t, filepath.Join(dir, "public")))
}
