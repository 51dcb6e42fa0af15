package site_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// fixture reads a test file of the media package.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../media/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// localAudio is an episode whose enclosure is a file under content/.
func localAudio(name, audio, extra string) string {
	return "-- content/" + name + ".md --\n---\n" +
		"title: \"Episode " + name + "\"\n" +
		"date: 2024-02-08\n" +
		"summary: \"About " + name + ".\"\n" +
		"audio: " + audio + "\n" +
		extra + "---\nNotes for " + name + ".\n"
}

// build builds in memory and returns the files, the report and the
// warnings as strings.
func build(t *testing.T, in site.Input) (map[string]string, *site.Report, []string) {
	t.Helper()
	out := site.NewMemOutput()
	rep, err := site.Build(context.Background(), in, out)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	files := map[string]string{}
	for k, v := range out.Files() {
		files[k] = string(v)
	}
	var warnings []string
	for _, w := range rep.Warnings {
		warnings = append(warnings, w.Error())
	}
	return files, rep, warnings
}

func withFiles(in site.Input, files map[string][]byte) site.Input {
	for name, data := range files {
		in.Project.(fstest.MapFS)[name] = &fstest.MapFile{Data: data}
	}
	return in
}

// A local file gives the enclosure URL, length, type and duration; the lock
// records them, and a build without the file gives the same site.
func TestLocalAudioAndMediaLock(t *testing.T) {
	t.Parallel()
	mp3 := fixture(t, "vbr.mp3") // 3615 bytes, 3.056327 s by ffprobe
	sum := sha256.Sum256(mp3)
	archive := siteTOML + localAudio("a", `{file: "audio/a.mp3"}`, "")

	files, rep, warnings := build(t, withFiles(sitetest.Input(archive), map[string][]byte{"content/audio/a.mp3": mp3}))
	if len(warnings) > 0 {
		t.Errorf("warnings: %q", warnings)
	}
	sitetest.Contains(t, files, "feed.xml",
		`<enclosure url="https://example.org/audio/a.mp3" length="3615" type="audio/mpeg"></enclosure>`,
		`<itunes:duration>3</itunes:duration>`)
	sitetest.Contains(t, files, "episodes/a/index.html",
		`<audio controls preload="none" src="/audio/a.mp3" data-episode="a">`,
		`<a href="/audio/a.mp3" download>Download (0.0 MB)</a>`)
	sitetest.Contains(t, files, "feed.json", `"duration_in_seconds": 3`)
	sitetest.Contains(t, files, "audio/a.mp3")
	wantLock := `{
  "//": "Written by shownotes build from the audio files episodes name with audio.file. Commit it: builds without the audio files take length, type and duration from here.",
  "files": [
    {
      "path": "content/audio/a.mp3",
      "size": 3615,
      "sha256": "` + hex.EncodeToString(sum[:]) + `",
      "duration": 3.056,
      "type": "audio/mpeg"
    }
  ]
}
`
	if string(rep.MediaLock) != wantLock {
		t.Fatalf("media.lock:\n%s\nwant:\n%s", rep.MediaLock, wantLock)
	}

	// Without the audio file, from the lock: the same feed and lock.
	files2, rep2, warnings := build(t, withFiles(sitetest.Input(archive), map[string][]byte{site.MediaLockFile: rep.MediaLock}))
	if len(warnings) > 0 {
		t.Errorf("warnings without the file: %q", warnings)
	}
	if files2["feed.xml"] != files["feed.xml"] || files2["episodes/a/index.html"] != files["episodes/a/index.html"] {
		t.Error("the site built from media.lock differs from the one built from the file")
	}
	if string(rep2.MediaLock) != wantLock {
		t.Errorf("media.lock rewritten without the file:\n%s", rep2.MediaLock)
	}

	// A changed file refreshes a stale lock.
	stale := strings.Replace(strings.Replace(wantLock, `"size": 3615`, `"size": 99`, 1), hex.EncodeToString(sum[:]), strings.Repeat("0", 64), 1)
	_, rep3, _ := build(t, withFiles(sitetest.Input(archive), map[string][]byte{"content/audio/a.mp3": mp3, site.MediaLockFile: []byte(stale)}))
	if string(rep3.MediaLock) != wantLock {
		t.Errorf("stale media.lock not refreshed:\n%s", rep3.MediaLock)
	}

	// A site without local audio writes no lock.
	_, rep4, _ := build(t, sitetest.Input(siteTOML+episode("b", "")))
	if rep4.MediaLock != nil {
		t.Errorf("media.lock for a site without audio files:\n%s", rep4.MediaLock)
	}
}

// With url and file, the url is the enclosure and the file gives the rest;
// front matter values that disagree with the file are warnings naming both.
func TestLocalAudioWithURL(t *testing.T) {
	t.Parallel()
	archive := siteTOML + localAudio("a",
		`{url: "https://cdn.example.org/a.m4a", file: "audio/a.m4a", length: 1000, type: "audio/mpeg"}`,
		"duration: \"10:00\"\n")
	files, _, warnings := build(t, withFiles(sitetest.Input(archive), map[string][]byte{"content/audio/a.m4a": fixture(t, "tone.m4a")}))
	want := []string{
		"content/a.md:5:68: warning: audio.length: 1000 bytes disagrees with content/audio/a.m4a, which is 10311 bytes: the feed uses the file's size",
		"content/a.md:5:82: warning: audio.type: \"audio/mpeg\" disagrees with content/audio/a.m4a, which is \"audio/x-m4a\": the feed uses the file's type",
		"content/a.md:6:1: warning: duration: 10:00 disagrees with content/audio/a.m4a, which plays for 0:03 (3.000 s): the feed uses the file's duration",
	}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(want, "\n"))
	}
	sitetest.Contains(t, files, "feed.xml",
		`<enclosure url="https://cdn.example.org/a.m4a" length="10311" type="audio/x-m4a"></enclosure>`,
		`<itunes:duration>3</itunes:duration>`)
	sitetest.Contains(t, files, "episodes/a/index.html", `src="https://cdn.example.org/a.m4a"`, `! src="/audio/a.m4a"`)
}

func TestLocalAudioProblems(t *testing.T) {
	t.Parallel()
	t.Run("missing without lock", func(t *testing.T) {
		t.Parallel()
		got := sitetest.BuildErrors(t, sitetest.Input(siteTOML+localAudio("a", `{file: "audio/a.mp3"}`, "")))
		want := "content/a.md:5:9: audio.file: file content/audio/a.mp3 not found and media.lock has no entry for it: add the file, or build once where it is and commit media.lock"
		if strings.Join(got, "\n") != want {
			t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
		}
	})
	t.Run("missing with url and length", func(t *testing.T) {
		t.Parallel()
		_, _, warnings := build(t, sitetest.Input(siteTOML+localAudio("a", `{url: "https://cdn.example.org/a.mp3", length: 5, file: "audio/a.mp3"}`, "")))
		want := "content/a.md:1:1: warning: duration: duration is recommended\n" +
			"content/a.md:5:58: warning: audio.file: file content/audio/a.mp3 not found and media.lock has no entry for it: using the front matter's length and type"
		if strings.Join(warnings, "\n") != want {
			t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), want)
		}
	})
	t.Run("not audio", func(t *testing.T) {
		t.Parallel()
		files, _, warnings := build(t, withFiles(sitetest.Input(siteTOML+localAudio("a", `{file: "audio/a.mp3"}`, "")),
			map[string][]byte{"content/audio/a.mp3": []byte("<html>not audio</html>")}))
		want := "content/a.md:1:1: warning: duration: duration is recommended\n" +
			"content/a.md:5:9: warning: audio.file: cannot read the duration of content/audio/a.mp3: not an MP3 or MP4/M4A file"
		if strings.Join(warnings, "\n") != want {
			t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), want)
		}
		sitetest.Contains(t, files, "feed.xml", `<enclosure url="https://example.org/audio/a.mp3" length="22" type="audio/mpeg"></enclosure>`)
	})
	t.Run("ogg", func(t *testing.T) {
		t.Parallel()
		files, rep, warnings := build(t, withFiles(sitetest.Input(siteTOML+localAudio("a", `{file: "audio/a.ogg"}`, "duration: 90\n")),
			map[string][]byte{"content/audio/a.ogg": append([]byte("OggS"), make([]byte, 60)...)}))
		// Not from the audio file: the feed rules know Apple's formats.
		if want := `content/a.md:1:1: warning: audio.type: enclosure type "audio/ogg" is not supported by apple podcasts`; strings.Join(warnings, "\n") != want {
			t.Errorf("warnings: %q", warnings)
		}
		sitetest.Contains(t, files, "feed.xml", `<enclosure url="https://example.org/audio/a.ogg" length="64" type="audio/ogg"></enclosure>`, "<itunes:duration>90</itunes:duration>")
		sitetest.Contains(t, map[string]string{"media.lock": string(rep.MediaLock)}, "media.lock", `"duration": 0,`, `"type": "audio/ogg"`)
	})
	t.Run("outside content", func(t *testing.T) {
		t.Parallel()
		got := sitetest.BuildErrors(t, sitetest.Input(siteTOML+localAudio("a", `{file: "../site.toml"}`, "")))
		want := "content/a.md:5:15: audio.file: must be a path to a file under content/, like audio/412.mp3, got \"../site.toml\""
		if strings.Join(got, "\n") != want {
			t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
		}
	})
	t.Run("neither url nor file", func(t *testing.T) {
		t.Parallel()
		got := sitetest.BuildErrors(t, sitetest.Input(siteTOML+localAudio("a", `{type: "audio/mpeg"}`, "")))
		want := []string{
			"content/a.md:1:1: audio.url: is required",
			"content/a.md:5:1: audio.length: is required: the file size in bytes",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// countingFS counts how often each file is opened.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	opens map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opens[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

func (c *countingFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

// With a MediaCache, a second build does not read an unchanged audio file
// again to hash it (the asset copy still reads it).
func TestMediaCache(t *testing.T) {
	t.Parallel()
	in := sitetest.Input(siteTOML + localAudio("a", `{file: "audio/a.mp3"}`, ""))
	in.Project.(fstest.MapFS)["content/audio/a.mp3"] = &fstest.MapFile{Data: fixture(t, "vbr.mp3"), ModTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	cfs := &countingFS{FS: in.Project, opens: map[string]int{}}
	in.Project, in.Media = cfs, &site.MediaCache{}
	_, first, _ := build(t, in)
	_, second, _ := build(t, in)
	if got := cfs.opens["content/audio/a.mp3"]; got != 3 {
		t.Errorf("audio file opened %d times in two builds, want 3 (hashed once, copied twice)", got)
	}
	if string(first.MediaLock) != string(second.MediaLock) {
		t.Errorf("cached build gave another lock:\n%s\n%s", first.MediaLock, second.MediaLock)
	}
}
