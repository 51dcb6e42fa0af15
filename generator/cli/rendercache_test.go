package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The persistent render cache: a second build keeps unchanged files in
// place (the same inode), writes what changed, removes what is gone, and
// gives exactly the bytes of a build from scratch. A damaged cache, or a
// failed build, costs nothing but speed.
func TestBuildWithRenderCache(t *testing.T) {
	t.Parallel()
	dir := project(t, map[string]string{
		"site.toml":                                siteTOML,
		"content/episodes/001-alpha.md":            episodeFile("Alpha", "2025-01-01"),
		"content/episodes/002-beta.md":             episodeFile("Beta", "2025-02-01"),
		"content/episodes/003-gamma.md":            episodeFile("Gamma", "2025-03-01"),
		"content/episodes/003-gamma.transcript.md": "Host: Hello.\n\nGuest: Hi.\n",
	})
	build := func(step string, args ...string) {
		t.Helper()
		if code, _, stderr := run(t, dir, append([]string{"build", "-quiet"}, args...)...); code != 0 {
			t.Fatalf("%s: build exited %d: %s", step, code, stderr)
		}
	}
	// fresh is what a build from scratch makes of the project as it is.
	fresh := func() map[string]string {
		t.Helper()
		build("fresh", "-no-cache", "-out", "fresh")
		defer os.RemoveAll(filepath.Join(dir, "fresh"))
		return snapshot(t, filepath.Join(dir, "fresh"))
	}
	stat := func(name string) os.FileInfo {
		t.Helper()
		fi, err := os.Stat(filepath.Join(dir, "public", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	cacheFile := filepath.Join(dir, ".shownotes-cache", "build.gob")

	build("cold")
	if _, err := os.Stat(cacheFile); err != nil {
		t.Fatalf("no render cache after a build: %v", err)
	}
	sameFiles(t, "cold build", fresh(), snapshot(t, filepath.Join(dir, "public")))
	alpha, gammaTr := stat("episodes/001-alpha/index.html"), stat("episodes/003-gamma/transcript/index.html")
	sitemap, searchRows := stat("sitemap.xml"), stat("search/d-0.json")

	// Edit one episode's notes.
	p := filepath.Join(dir, "content/episodes/002-beta.md")
	src, _ := os.ReadFile(p)
	if err := os.WriteFile(p, append(src, "\nA new paragraph about beta.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	build("after an edit")
	sameFiles(t, "after an edit", fresh(), snapshot(t, filepath.Join(dir, "public")))
	if !os.SameFile(alpha, stat("episodes/001-alpha/index.html")) || !os.SameFile(gammaTr, stat("episodes/003-gamma/transcript/index.html")) {
		t.Error("unchanged pages were written again; want them kept in place")
	}
	// Made from the whole site, but the same bytes as before: kept too.
	if !os.SameFile(sitemap, stat("sitemap.xml")) || !os.SameFile(searchRows, stat("search/d-0.json")) {
		t.Error("the sitemap or the search index's result rows were written again, unchanged; want them kept in place")
	}
	if got := snapshot(t, filepath.Join(dir, "public"))["episodes/002-beta/index.html"]; !strings.Contains(got, "A new paragraph about beta.") {
		t.Error("the edited episode's page does not show the edit")
	}

	// Delete an episode: its pages go, and so do folders left empty.
	for _, f := range []string{"003-gamma.md", "003-gamma.transcript.md"} {
		if err := os.Remove(filepath.Join(dir, "content/episodes", f)); err != nil {
			t.Fatal(err)
		}
	}
	build("after a delete")
	sameFiles(t, "after a delete", fresh(), snapshot(t, filepath.Join(dir, "public")))
	if _, err := os.Stat(filepath.Join(dir, "public/episodes/003-gamma")); !os.IsNotExist(err) {
		t.Errorf("the deleted episode's folder is still there (%v)", err)
	}

	// A failed build leaves public/ and the cache as they were.
	before := snapshot(t, filepath.Join(dir, "public"))
	cacheBefore, _ := os.ReadFile(cacheFile)
	if err := os.WriteFile(p, []byte("---\ntitle: [unclosed\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := run(t, dir, "build", "-quiet"); code == 0 {
		t.Fatal("a broken episode built")
	}
	sameFiles(t, "after a failed build", before, snapshot(t, filepath.Join(dir, "public")))
	if cacheAfter, _ := os.ReadFile(cacheFile); string(cacheAfter) != string(cacheBefore) {
		t.Error("a failed build changed the render cache")
	}
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}

	// A damaged cache is a cold build, not an error.
	if err := os.WriteFile(cacheFile, cacheBefore[:len(cacheBefore)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	build("with a damaged cache")
	sameFiles(t, "with a damaged cache", fresh(), snapshot(t, filepath.Join(dir, "public")))

	// -no-cache neither reads nor writes it.
	if err := os.RemoveAll(filepath.Join(dir, ".shownotes-cache")); err != nil {
		t.Fatal(err)
	}
	build("no cache", "-no-cache")
	if _, err := os.Stat(filepath.Join(dir, ".shownotes-cache")); !os.IsNotExist(err) {
		t.Errorf("-no-cache wrote %s (%v)", cacheFile, err)
	}
}
