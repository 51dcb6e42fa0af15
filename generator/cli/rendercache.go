package cli

import (
	"bytes"
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
	loaded  bool  // the saved cache matched: the build is incremental
	size    int64 // of the saved cache read, to size the next one's buffer
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
	f, err := os.Open(rc.file)
	if err != nil {
		return rc
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		rc.size = fi.Size()
	}
	c, err := site.LoadCache(f, rc.version)
	if err == nil && c.Entries() > 0 {
		rc.cache, rc.loaded = c, true
	}
	return rc
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

// encode starts encoding the cache for save.
func (rc *renderCache) encode() <-chan encoded {
	ch := make(chan encoded, 1)
	if rc == nil {
		close(ch)
		return ch
	}
	go func() {
		var buf bytes.Buffer
		// About the size of the last one: a 50 MB buffer grown by
		// doubling is 50 MB more copied and cleared.
		buf.Grow(int(rc.size + rc.size/8))
		err := site.SaveCache(&buf, rc.cache, rc.version)
		ch <- encoded{buf.Bytes(), err}
	}()
	return ch
}

type encoded struct {
	data []byte
	err  error
}

// save writes the encoded cache for the next build, atomically.
func (rc *renderCache) save(enc <-chan encoded) error {
	if rc == nil {
		return nil
	}
	e := <-enc
	if e.err != nil {
		return e.err
	}
	dir := filepath.Dir(rc.file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// A note for whoever finds the folder.
	readme := filepath.Join(dir, "README")
	if _, err := os.Stat(readme); errors.Is(err, fs.ErrNotExist) {
		_ = os.WriteFile(readme, []byte("shownotes render cache: makes the next build fast. Safe to delete; keep it out of git.\n"), 0o644)
	}
	tmp, err := os.CreateTemp(dir, ".build-*.gob")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(e.data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), rc.file); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
