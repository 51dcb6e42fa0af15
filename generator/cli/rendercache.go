package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"shownotes/generator/site"
)

// CacheDir is the persistent render cache's folder in the project. It is
// git-ignored and always safe to delete: the next build is a cold one.
const CacheDir = ".shownotes-cache"

// renderCache is the persistent render cache of one output folder. A nil
// *renderCache is no cache (build -no-cache, -minify).
type renderCache struct {
	file    string
	version string
	cache   *site.Cache
	loaded  bool // the saved cache matched: the build is incremental
	// release unmaps the saved cache, which the cache reads from until it
	// is saved again (site.LoadCacheBytes).
	release func()
	saving  <-chan encoded // the encoding in progress, if any
}

// openRenderCache loads the cache saved by the last build of dest. Any
// problem (none saved, another version of shownotes, damage) gives an
// empty cache: a cold build, which saves a new one.
func openRenderCache(env Env, dest string, in site.Input) *renderCache {
	dir := filepath.Join(env.Dir, CacheDir)
	rc := &renderCache{
		file:    filepath.Join(dir, "build.gob"),
		version: cacheVersion(dir, dest, in),
		cache:   site.NewPersistentCache(),
	}
	data, release, err := mapFile(rc.file)
	if err != nil {
		return rc
	}
	c, err := site.LoadCacheBytes(data, rc.version)
	if err == nil && c.Entries() > 0 {
		rc.cache, rc.loaded, rc.release = c, true, release
	} else {
		release()
	}
	return rc
}

// close waits for an encoding in progress and unmaps the saved cache.
func (rc *renderCache) close() {
	if rc == nil {
		return
	}
	if rc.saving != nil {
		if e := <-rc.saving; e.tmp != "" {
			os.Remove(e.tmp) // not saved: a build that failed at the end
		}
		rc.saving = nil
	}
	if rc.release != nil {
		rc.release()
		rc.release = nil
	}
}

// cacheVersion names what the cached pages were made by and for: this
// very executable (so a new version of shownotes, or a rebuilt development
// binary, starts cold), the output folder, and the preview flags.
func cacheVersion(cacheDir, dest string, in site.Input) string {
	h := sha256.New()
	h.Write([]byte(executableHash(cacheDir)))
	abs, _ := filepath.Abs(dest)
	h.Write([]byte("\x00" + abs + "\x00" + strconv.FormatBool(in.Drafts) + strconv.FormatBool(in.Future)))
	return hex.EncodeToString(h.Sum(nil))
}

// executableHash is the SHA-256 of the running executable. Hashing 20 MB
// costs more than a small rebuild's rendering, so the hash is remembered
// in the cache folder next to the executable's path, size and modification
// time, and computed again only when one of those changes.
func executableHash(cacheDir string) string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	stamp := fmt.Sprintf("%s\x00%d\x00%d\x00", exe, fi.Size(), fi.ModTime().UnixNano())
	memo := filepath.Join(cacheDir, "executable")
	if b, err := os.ReadFile(memo); err == nil && strings.HasPrefix(string(b), stamp) {
		return strings.TrimPrefix(string(b), stamp)
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if os.MkdirAll(cacheDir, 0o755) == nil {
		_ = os.WriteFile(memo, []byte(stamp+sum), 0o644)
	}
	return sum
}

func (rc *renderCache) warm() bool { return rc != nil && rc.loaded }

// forget removes the saved cache before the output folder changes.
func (rc *renderCache) forget() {
	if rc != nil {
		_ = os.Remove(rc.file)
	}
}

// encode starts writing the cache into a temporary file beside the saved
// one, for save to rename into place. Straight to the file: a 50 MB buffer
// was 50 MB to clear and copy at 10,000 episodes.
func (rc *renderCache) encode() {
	if rc == nil {
		return
	}
	ch := make(chan encoded, 1)
	rc.saving = ch
	go func() {
		tmp, err := rc.writeTemp()
		ch <- encoded{tmp, err}
	}()
}

func (rc *renderCache) writeTemp() (string, error) {
	dir := filepath.Dir(rc.file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// A note for whoever finds the folder.
	readme := filepath.Join(dir, "README")
	if _, err := os.Stat(readme); errors.Is(err, fs.ErrNotExist) {
		_ = os.WriteFile(readme, []byte("shownotes render cache: makes the next build fast. Safe to delete; keep it out of git.\n"), 0o644)
	}
	tmp, err := os.CreateTemp(dir, ".build-*.gob")
	if err != nil {
		return "", err
	}
	err = site.SaveCache(tmp, rc.cache, rc.version)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

type encoded struct {
	tmp string // the cache, written; "" after an error
	err error
}

// save puts the cache encode wrote in place for the next build.
func (rc *renderCache) save() error {
	if rc == nil || rc.saving == nil {
		return nil
	}
	e := <-rc.saving
	rc.saving = nil
	if e.err != nil {
		return e.err
	}
	if err := os.Rename(e.tmp, rc.file); err != nil {
		os.Remove(e.tmp)
		return err
	}
	return nil
}
