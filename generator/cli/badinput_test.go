package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shownotes/generator/cli"
)

// Every kind of bad input gets the exact message from both check and
// build, a non-zero exit, and leaves the previous public/ untouched.
func TestBadInput(t *testing.T) {
	t.Parallel()
	const ok = "duration: 60\naudio: {url: \"https://x.org/bad.mp3\", length: 5}\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string // the first line of output: file:line:col: message
	}{
		{"unterminated front matter", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\n"},
			"content/bad.md:1:1: front matter is not closed: add a line --- after the last field"},
		{"misspelt key", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsumary: S\n" + ok + "---\n"},
			"content/bad.md:1:1: summary: is required"},
		{"episode not a number", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nepisode: \"abc\"\n" + ok + "---\n"},
			"content/bad.md:5:10: episode: must be a positive integer, got the string \"abc\""},
		{"guests not a list", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nguests: 5\n" + ok + "---\n"},
			"content/bad.md:5:9: guests: must be a list, got 5"},
		{"invalid date", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-02-30\nsummary: S\n" + ok + "---\n"},
			"content/bad.md:3:7: date: invalid date \"2024-02-30\": use YYYY-MM-DD or RFC 3339 (2024-02-08T06:00:00Z)"},
		{"negative duration", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\naudio: {url: \"https://x.org/bad.mp3\", length: 5}\nduration: -60\n---\n"},
			"content/bad.md:6:11: duration: invalid duration \"-60\": use HH:MM:SS, MM:SS or whole seconds"},
		{"malformed duration", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\naudio: {url: \"https://x.org/bad.mp3\", length: 5}\nduration: \"1h30\"\n---\n"},
			"content/bad.md:6:11: duration: invalid duration \"1h30\": use HH:MM:SS, MM:SS or whole seconds"},
		{"empty title", map[string]string{"content/bad.md": "---\ntitle: \"  \"\ndate: 2024-01-01\nsummary: S\n" + ok + "---\n"},
			"content/bad.md:2:1: title: must not be empty"},
		{"missing summary", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\n" + ok + "---\n"},
			"content/bad.md:1:1: summary: is required"},
		{"missing audio", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nduration: 60\n---\n"},
			"content/bad.md:1:1: audio: is required: podcast apps need the episode's audio file"},
		{"duplicate slug", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nslug: good\n" + ok + "---\n"},
			"content/good.md:1:1: slug: \"good\" is already used by content/bad.md"},
		{"duplicate episode number", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nepisode: 1\n" + ok + "---\n"},
			"content/good.md:5:1: episode: episode 1 is already used by content/bad.md"},
		{"duplicate guid", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nguid: good-1\n" + ok + "---\n"},
			"content/good.md:6:1: guid: \"good-1\" is already used by content/bad.md"},
		{"not UTF-8", map[string]string{"content/bad.md": "---\ntitle: \"Caf\xe9\"\ndate: 2024-01-01\n---\n"},
			"content/bad.md:2:12: file is not valid UTF-8: save it as UTF-8"},
		{"slug with ../", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nslug: \"../../outside\"\n" + ok + "---\n"},
			"content/bad.md:5:7: slug: must contain only lowercase letters, digits and single hyphens, got \"../../outside\""},
		{"slug with /", map[string]string{"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nslug: a/b\n" + ok + "---\n"},
			"content/bad.md:5:7: slug: must contain only lowercase letters, digits and single hyphens, got \"a/b\""},
		{"site.toml syntax error", map[string]string{"site.toml": siteTOML + "paginate = = 3\n"},
			"site.toml:10:12: invalid TOML: unexpected character U+003D '=' at start of value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := project(t, map[string]string{
				"site.toml":         siteTOML,
				"content/cover.png": "PNG",
				"content/good.md":   "---\ntitle: Good\ndate: 2024-01-01\nsummary: S\nepisode: 1\nguid: good-1\n" + strings.Replace(ok, "bad.mp3", "good.mp3", 1) + "---\nGood notes.\n",
			})
			if code, _, stderr := run(t, dir, "build"); code != cli.ExitOK {
				t.Fatalf("first build: %s", stderr)
			}
			before := snapshot(t, filepath.Join(dir, "public"))
			for name, data := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, stdout, _ := run(t, dir, "check")
			if first, _, _ := strings.Cut(stdout, "\n"); code != cli.ExitFail || first != tt.want {
				t.Errorf("check: exit %d, first line:\n%s\nwant:\n%s", code, first, tt.want)
			}
			code, _, stderr := run(t, dir, "build")
			if first, _, _ := strings.Cut(stderr, "\n"); code != cli.ExitFail || first != tt.want {
				t.Errorf("build: exit %d, first line:\n%s\nwant:\n%s", code, first, tt.want)
			}
			sameFiles(t, "after a failed build, public/", before, snapshot(t, filepath.Join(dir, "public")))
			if _, err := os.Stat(filepath.Join(dir, "outside")); !os.IsNotExist(err) {
				t.Error("something was written outside public/")
			}
		})
	}
}

// A byte-order mark, CRLF line endings and a 20 MB episode simply work.
func TestAwkwardButValidInput(t *testing.T) {
	t.Parallel()
	var big strings.Builder
	big.WriteString("---\ntitle: Long\ndate: 2024-01-02\nsummary: S\nduration: 60\naudio: {url: \"https://x.org/long.mp3\", length: 5}\n---\n")
	para := "A long transcript paragraph, with *emphasis*, a [link](https://example.org/) and plenty of words to fill the page. "
	for big.Len() < 20<<20 {
		big.WriteString(strings.Repeat(para, 8))
		big.WriteString("\n\n")
	}
	dir := project(t, map[string]string{
		"site.toml":         siteTOML,
		"content/cover.png": "PNG",
		"content/bom.md":    "\ufeff---\r\ntitle: BOM and CRLF\r\ndate: 2024-01-01\r\nsummary: S\r\nduration: 60\r\naudio: {url: \"https://x.org/bom.mp3\", length: 5}\r\n---\r\nLine one\r\nline two.\r\n",
		"content/long.md":   big.String(),
	})
	code, _, stderr := run(t, dir, "build")
	if code != cli.ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public", "episodes", "bom", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "<h1>BOM and CRLF</h1>") || !strings.Contains(string(page), "<p>Line one\nline two.</p>") {
		t.Errorf("BOM/CRLF episode rendered wrongly:\n%s", page)
	}
	st, err := os.Stat(filepath.Join(dir, "public", "episodes", "long", "index.html"))
	if err != nil || st.Size() < 20<<20 {
		t.Errorf("20 MB episode: %v, %d bytes", err, st.Size())
	}
}
