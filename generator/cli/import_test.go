package cli_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shownotes/generator/cli"
	"shownotes/generator/internal/sitetest"
)

func TestImportThenBuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	feed := filepath.Join(sitetest.RepoRoot(), "testdata", "feeds", "launched-fireside.xml")
	code, stdout, stderr := run(t, dir, "import", feed, "-into", "show")
	if code != cli.ExitOK {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	if want := "import: created site.toml from the feed\nimport: 36 added, 0 updated, 0 unchanged, 0 skipped (1 warning)\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if want := "warning: content/episodes/black-lives-matter.md (item 21): summary: the item has no description: used the title\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	show := filepath.Join(dir, "show")
	code, stdout, stderr = run(t, show, "build")
	if code != cli.ExitOK || !strings.HasPrefix(stdout, "built ") || !strings.Contains(stdout, "(36 episodes, ") {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	rss, err := os.ReadFile(filepath.Join(show, "public", "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	// The guid promise: the old feed's guids, verbatim.
	for _, guid := range []string{"18a6d2f1-27fd-487d-ae4b-26203ee89120", "0e461a91-941d-4cf2-bdce-f26a3c30b52c"} {
		if !strings.Contains(string(rss), `<guid isPermaLink="false">`+guid+`</guid>`) {
			t.Errorf("feed.xml lacks guid %s", guid)
		}
	}

	// Importing again from inside the site changes nothing.
	code, stdout, _ = run(t, show, "import", feed)
	if code != cli.ExitOK || stdout != "import: 0 added, 0 updated, 36 unchanged, 0 skipped (1 warning)\n" {
		t.Errorf("second import: exit %d, %q", code, stdout)
	}
	// An edited episode is skipped and said so; -force overwrites it.
	ep := filepath.Join(show, "content", "episodes", "black-lives-matter.md")
	src, err := os.ReadFile(ep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ep, append(src, "Edited.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run(t, show, "import", feed)
	if code != cli.ExitOK || stdout != "import: 0 added, 0 updated, 35 unchanged, 1 skipped (1 warning)\n" ||
		!strings.HasSuffix(stderr, "skipped: content/episodes/black-lives-matter.md (item 21): edited since the last import (-force overwrites it)\n") {
		t.Errorf("import over an edit: exit %d, %q\n%s", code, stdout, stderr)
	}
	code, stdout, _ = run(t, show, "import", "-force", feed)
	if code != cli.ExitOK || stdout != "import: 0 added, 1 updated, 35 unchanged, 0 skipped (1 warning)\n" {
		t.Errorf("forced import: exit %d, %q", code, stdout)
	}
}

func TestImportFromURL(t *testing.T) {
	t.Parallel()
	feed := `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>Web Show</title><link>https://web.example.org/</link><language>en</language><description>From the web.</description>
<itunes:category text="Technology"/><itunes:image href="https://web.example.org/cover.png"/>
<item><title>Hello</title><guid>web-1</guid><pubDate>Mon, 01 Jan 2024 08:00:00 +0000</pubDate>
<enclosure url="https://web.example.org/1.mp3" length="1000" type="audio/mpeg"/><description>Hi.</description></item>
</channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, feed)
	}))
	defer srv.Close()
	dir := t.TempDir()
	code, stdout, stderr := run(t, dir, "import", srv.URL+"/feed.xml")
	if code != cli.ExitOK || stdout != "import: created site.toml from the feed\nimport: 1 added, 0 updated, 0 unchanged, 0 skipped\n" || stderr != "" {
		t.Fatalf("import: exit %d, %q, %q", code, stdout, stderr)
	}
	if code, _, stderr := run(t, dir, "build"); code != cli.ExitOK {
		t.Errorf("build: exit %d\n%s", code, stderr)
	}
	code, _, stderr = run(t, dir, "import", srv.URL+"/missing.xml")
	if code != cli.ExitFail || stderr != "shownotes import: fetching "+srv.URL+"/missing.xml: 404 Not Found\n" {
		t.Errorf("404: exit %d, %q", code, stderr)
	}
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	dir := project(t, map[string]string{
		"page.html": "<!DOCTYPE html><html><body>Not a feed</body></html>",
		"notes.txt": "just text",
	})
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"import", "page.html"}, cli.ExitFail, "shownotes import: page.html: the feed is not RSS: the root element is <html> (a web page, not a feed), want <rss>\n"},
		{[]string{"import", "notes.txt", "-into", "x"}, cli.ExitFail, "shownotes import: notes.txt: the feed is not XML: text before the root element (line 1)\n"},
		{[]string{"import", "nowhere.xml"}, cli.ExitFail, "shownotes import: open " + filepath.Join(dir, "nowhere.xml") + ": no such file or directory\n"},
		{[]string{"import", "a.xml", "b.xml"}, cli.ExitUsage, "shownotes import: unexpected argument \"b.xml\"\n"},
	} {
		code, stdout, stderr := run(t, dir, tc.args...)
		if code != tc.code || stderr != tc.stderr || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", tc.args, code, stdout, stderr, tc.code, tc.stderr)
		}
	}
	code, _, stderr := run(t, dir, "import")
	if code != cli.ExitUsage || !strings.HasPrefix(stderr, "usage: shownotes import FEED [-into DIR] [-force]\n") {
		t.Errorf("no feed: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("a failed import created its -into folder")
	}
	if _, err := os.Stat(filepath.Join(dir, "site.toml")); err == nil {
		t.Error("a failed import wrote site.toml")
	}
}
