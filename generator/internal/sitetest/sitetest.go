// Package sitetest builds small sites written inline as txtar archives, in
// memory, and asserts on the files they produce.
package sitetest

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"shownotes/generator/site"
)

// Update rewrites golden files instead of comparing against them.
var Update = flag.Bool("update", false, "rewrite golden files")

// Now is the fixed clock of every test site.
var Now = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// RepoRoot is the repository root, found from this file's location so tests
// work from any package directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}

// DefaultTheme is the built-in theme, read from the working tree.
func DefaultTheme() fstest.MapFS { return dirFS(filepath.Join(RepoRoot(), "themes", "default")) }

func dirFS(dir string) fstest.MapFS {
	m := fstest.MapFS{}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
		return nil
	})
	return m
}

// Project parses a txtar archive into a file system.
func Project(archive string) fstest.MapFS {
	a := txtar.Parse([]byte(archive))
	m := fstest.MapFS{}
	for _, f := range a.Files {
		m[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return m
}

// Input is a build input over an inline project and the default theme.
func Input(archive string) site.Input {
	return site.Input{
		Project: Project(archive),
		Theme:   DefaultTheme(),
		Now:     func() time.Time { return Now },
	}
}

// Build builds in memory and fails the test on error.
func Build(t testing.TB, in site.Input) map[string]string {
	t.Helper()
	out := site.NewMemOutput()
	if _, err := site.Build(context.Background(), in, out); err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	files := map[string]string{}
	for name, data := range out.Files() {
		files[name] = string(data)
	}
	return files
}

// BuildErrors builds and returns the problems; it fails the test if the
// build succeeded.
func BuildErrors(t testing.TB, in site.Input) []string {
	t.Helper()
	_, err := site.Build(context.Background(), in, site.Discard{})
	if err == nil {
		t.Fatalf("build succeeded, want errors")
	}
	var lines []string
	var list site.ErrorList
	if !errors.As(err, &list) {
		return []string{err.Error()}
	}
	for _, e := range list {
		lines = append(lines, e.Error())
	}
	return lines
}

// Contains checks that file name exists and holds each want substring; a
// want starting with "! " must be absent.
func Contains(t testing.TB, files map[string]string, name string, wants ...string) {
	t.Helper()
	body, ok := files[name]
	if !ok {
		t.Errorf("%s: not written (have %d files)", name, len(files))
		return
	}
	for _, w := range wants {
		if neg, ok := strings.CutPrefix(w, "! "); ok {
			if strings.Contains(body, neg) {
				t.Errorf("%s: contains %q, want it absent", name, neg)
			}
			continue
		}
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", name, w)
		}
	}
}

// Golden compares got with testdata/<name>, rewriting it with -update.
func Golden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; run go test ./... -update and review the diff\n%s", path, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}
