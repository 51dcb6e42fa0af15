package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"shownotes/generator/cli"
)

func TestNewNumbersAndRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	dir := project(t, map[string]string{
		"site.toml":                  siteTOML,
		"content/cover.png":          "PNG",
		"content/episodes/old.md":    strings.Replace(episodeFile("Old", "2024-01-01"), "---\nNotes", "episode: 41\nseason: 2\n---\nNotes", 1),
		"content/episodes/older.md":  strings.Replace(episodeFile("Older", "2023-01-01"), "---\nNotes", "episode: 90\nseason: 1\n---\nNotes", 1),
		"content/episodes/broken.md": "---\ntitle: [half written\n",
	})
	code, stdout, stderr := run(t, dir, "new", "Putin's Exiles: Часть 2", "-guest", "Paul Starobin", "-guest", "Ольга Воронцова", "-date", "2024-03-01", "-audio", "https://cdn.example.org/42.mp3")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "created content/episodes/putins-exiles-chast-2.md and putins-exiles-chast-2.transcript.md (episode 42, draft)\n" {
		t.Errorf("stdout %q", stdout)
	}
	data, err := os.ReadFile(filepath.Join(dir, "content", "episodes", "putins-exiles-chast-2.md"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for _, want := range []string{
		"title: \"Putin's Exiles: Часть 2\"\n", "date: 2024-03-01\n", "episode: 42\n", "season: 2\n",
		"  - name: \"Paul Starobin\"\n", "  - name: \"Ольга Воронцова\"\n",
		"  url: \"https://cdn.example.org/42.mp3\"\n", "draft: true\n", "## Show notes",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("scaffold lacks %q:\n%s", want, got)
		}
	}
	if !regexp.MustCompile(`(?m)^guid: "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$`).MatchString(got) {
		t.Errorf("no fresh UUID guid in:\n%s", got)
	}

	tr, err := os.ReadFile(filepath.Join(dir, "content", "episodes", "putins-exiles-chast-2.transcript.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[00:00:00] Host: Replace these lines with the transcript", "\nPaul Starobin: ", "\nОльга Воронцова: "} {
		if !strings.Contains(string(tr), want) {
			t.Errorf("transcript scaffold lacks %q:\n%s", want, tr)
		}
	}

	// The same title again: refused, file untouched.
	code, _, stderr = run(t, dir, "new", "Putin's Exiles: Часть 2")
	if code != cli.ExitFail || stderr != "shownotes new: content/episodes/putins-exiles-chast-2.md already exists; choose another title or edit that file\n" {
		t.Errorf("overwrite: exit %d, stderr %q", code, stderr)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "content", "episodes", "putins-exiles-chast-2.md"))
	if string(again) != got {
		t.Error("refused new still changed the file")
	}

	// The scaffolded draft does not break the build (missing values are
	// warnings until it is published), and the next new numbers on.
	if err := os.Remove(filepath.Join(dir, "content", "episodes", "broken.md")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, dir, "build"); code != cli.ExitOK {
		t.Fatalf("build with a fresh draft: exit %d\n%s", code, stderr)
	}
	if code, stdout, _ := run(t, dir, "new", "Next one"); code != cli.ExitOK || stdout != "created content/episodes/next-one.md and next-one.transcript.md (episode 43, draft)\n" {
		t.Errorf("second new: exit %d, %q", code, stdout)
	}
	// A leftover transcript also blocks new: both files or neither.
	if err := os.WriteFile(filepath.Join(dir, "content", "episodes", "third.transcript.md"), []byte("A: b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, dir, "new", "Third")
	if code != cli.ExitFail || stderr != "shownotes new: content/episodes/third.transcript.md already exists; choose another title or edit that file\n" {
		t.Errorf("leftover transcript: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "episodes", "third.md")); !os.IsNotExist(err) {
		t.Error("new wrote the episode although its transcript already existed")
	}
}

func TestNewUsage(t *testing.T) {
	t.Parallel()
	code, _, stderr := run(t, t.TempDir(), "new")
	if code != cli.ExitUsage || !strings.HasPrefix(stderr, "usage: shownotes new \"Episode title\"") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, t.TempDir(), "new", "T", "-date", "March 1")
	if code != cli.ExitUsage || stderr != "shownotes new: -date \"March 1\": use YYYY-MM-DD\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func checkProject(t *testing.T) string {
	return project(t, map[string]string{
		"site.toml":         siteTOML,
		"content/cover.png": "PNG",
		"content/b.md":      "---\ntitle: B\ndate: 2024-01-02\nsummary: S\nduration: \"7:99\"\naudio: {url: \"https://x.org/b.mp3\", length: 1}\n---\nSee [a](/episodes/a/) and [gone](/episodes/gone/).\n",
		"content/a.md":      "---\ntitle: A\ndate: 2024-01-01\nsummary: S\nduration: 60\naudio: {url: \"https://x.org/a.mp3\", length: 1, type: \"audio/ogg\"}\n---\nFine.\n",
	})
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	dir := checkProject(t)
	code, stdout, _ := run(t, dir, "check")
	if code != cli.ExitFail {
		t.Errorf("exit %d, want %d", code, cli.ExitFail)
	}
	want := `content/b.md:5:11: duration: invalid duration "7:99": use HH:MM:SS, MM:SS or whole seconds
    5 | duration: "7:99"
      |           ^
check: 1 error, 0 warnings
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("check wrote public/")
	}

	// With the duration fixed, the broken link and the warning remain.
	b := filepath.Join(dir, "content", "b.md")
	src, _ := os.ReadFile(b)
	if err := os.WriteFile(b, []byte(strings.Replace(string(src), `"7:99"`, `"7:59"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = run(t, dir, "check")
	want = `content/a.md:6:48: warning: audio.type: enclosure type "audio/ogg" is not supported by apple podcasts
    6 | audio: {url: "https://x.org/a.mp3", length: 1, type: "audio/ogg"}
      |                                                ^
content/b.md:8: link to /episodes/gone/: no such page or file in the site
    8 | See [a](/episodes/a/) and [gone](/episodes/gone/).
check: 1 error, 1 warning
`
	if code != cli.ExitFail || stdout != want {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s", code, stdout, want)
	}
}

func TestCheckStrictAndFormats(t *testing.T) {
	t.Parallel()
	dir := project(t, map[string]string{
		"site.toml":         siteTOML,
		"content/cover.png": "PNG",
		"content/a.md":      "---\ntitle: A\ndate: 2024-01-01\nsummary: S\nduration: 60\naudio: {url: \"https://x.org/a.mp3\", length: 1, type: \"audio/ogg\"}\n---\nFine.\n",
	})
	if code, stdout, _ := run(t, dir, "check"); code != cli.ExitOK || !strings.HasSuffix(stdout, "check: 0 errors, 1 warning\n") {
		t.Errorf("warnings only: exit %d, %q", code, stdout)
	}
	if code, _, _ := run(t, dir, "check", "-strict"); code != cli.ExitFail {
		t.Errorf("-strict with a warning: exit %d, want %d", code, cli.ExitFail)
	}
	code, stdout, _ := run(t, dir, "check", "-format", "github")
	if code != cli.ExitOK || stdout != "::warning file=content/a.md,line=6,col=48::audio.type: enclosure type \"audio/ogg\" is not supported by apple podcasts\n" {
		t.Errorf("github: exit %d, %q", code, stdout)
	}
	code, stdout, _ = run(t, dir, "check", "-format", "json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != cli.ExitOK {
		t.Fatalf("json: exit %d, %v\n%s", code, err, stdout)
	}
	if len(got) != 1 || got[0]["file"] != "content/a.md" || got[0]["line"] != 6.0 || got[0]["column"] != 48.0 ||
		got[0]["severity"] != "warning" || got[0]["field"] != "audio.type" {
		t.Errorf("json: %v", got)
	}
	if code, _, stderr := run(t, dir, "check", "-format", "xml"); code != cli.ExitUsage || stderr != "shownotes check: -format must be text, json or github, got \"xml\"\n" {
		t.Errorf("bad format: exit %d, %q", code, stderr)
	}
	// An empty report is valid JSON too.
	clean := project(t, map[string]string{"site.toml": siteTOML, "content/cover.png": "PNG",
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\nsummary: S\nduration: 60\naudio: {url: \"https://x.org/a.mp3\", length: 1}\n---\n"})
	if code, stdout, _ := run(t, clean, "check", "-format", "json"); code != cli.ExitOK || stdout != "[]\n" {
		t.Errorf("clean json: exit %d, %q", code, stdout)
	}
}

// feed.lock: build records published identities; check fails when a
// published episode's guid or audio URL changes.
func TestFeedLockGuard(t *testing.T) {
	t.Parallel()
	dir := project(t, map[string]string{
		"site.toml":         siteTOML,
		"content/cover.png": "PNG",
		"content/a.md":      episodeFile("A", "2024-01-01"),
		"content/d.md":      strings.Replace(episodeFile("D", "2024-01-03"), "---\nNotes", "draft: true\n---\nNotes", 1),
	})
	if code, _, stderr := run(t, dir, "build"); code != cli.ExitOK {
		t.Fatalf("build: %s", stderr)
	}
	lock, err := os.ReadFile(filepath.Join(dir, "feed.lock"))
	if err != nil {
		t.Fatal(err)
	}
	wantLock := `{
  "//": "Written by shownotes build. Commit it: shownotes check fails when a published episode's guid or audio URL changes.",
  "episodes": [
    {
      "source": "content/a.md",
      "guid": "https://example.org/episodes/a/",
      "audio": "https://cdn.example.org/a.mp3"
    }
  ]
}
`
	if string(lock) != wantLock {
		t.Errorf("feed.lock:\n%s\nwant:\n%s", lock, wantLock)
	}
	// Rename the page (slug) and move the audio: both identities change.
	a := filepath.Join(dir, "content", "a.md")
	src, _ := os.ReadFile(a)
	edited := strings.Replace(strings.Replace(string(src), "---\nNotes", "slug: renamed\n---\nNotes", 1), "cdn.example.org/a.mp3", "cdn2.example.org/a.mp3", 1)
	if err := os.WriteFile(a, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := run(t, dir, "check", "-format", "github")
	want := "::error file=content/a.md,line=6,col=9::audio.url: audio URL changed from \"https://cdn.example.org/a.mp3\" since the last build (feed.lock); if the file really moved, run shownotes build and commit feed.lock\n" +
		"::error file=content/a.md,line=7,col=1::slug: feed guid changed from \"https://example.org/episodes/a/\" to \"https://example.org/episodes/renamed/\" since the last build (feed.lock); podcast apps would show the episode as new. Restore it with guid: \"https://example.org/episodes/a/\"\n"
	if code != cli.ExitFail || stdout != want {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s", code, stdout, want)
	}
	// Following the advice fixes the guid.
	fixed := strings.Replace(edited, "slug: renamed\n", "slug: renamed\nguid: \"https://example.org/episodes/a/\"\n", 1)
	fixed = strings.Replace(fixed, "cdn2.example.org", "cdn.example.org", 1)
	if err := os.WriteFile(a, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, _ := run(t, dir, "check"); code != cli.ExitOK {
		t.Errorf("after restoring the guid: exit %d\n%s", code, stdout)
	}
}
