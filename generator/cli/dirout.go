package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// dirOutput builds into a temporary folder beside the destination and
// changes the destination only when the whole build succeeded: a failed
// build never touches the previous public/, and files of deleted episodes
// never linger.
//
// A cold build swaps the whole folder in. With a persistent render cache
// the build is incremental (inPlace): files the cache says are unchanged
// stay where they are (Reuse), only new and changed files are written to
// the temporary folder, and commit moves those in and deletes what this
// build did not produce. Moving 30,000 unchanged files into a new folder,
// and deleting the old one, would cost more than the whole rebuild.
type dirOutput struct {
	dest    string
	tmp     string
	inPlace bool

	mu      sync.Mutex
	dirs    map[string]bool
	written map[string]bool // inPlace: names written into tmp
	kept    map[string]bool // inPlace: names kept from the previous build
	// prev lists the files of the previous build (from the render
	// cache); commit removes those this build did not produce.
	prev []string
	// unmap releases the previous files Previous mapped.
	unmap []func()
}

// newDirOutput starts a build of dest. With prev, the files the previous
// build wrote there, the build is incremental if dest still exists; with
// nil it is a cold one.
func newDirOutput(dest string, prev []string) (*dirOutput, error) {
	dest = filepath.Clean(dest)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".build-")
	if err != nil {
		return nil, err
	}
	o := &dirOutput{dest: dest, tmp: tmp, dirs: map[string]bool{}, written: map[string]bool{}, kept: map[string]bool{}}
	if fi, err := os.Stat(dest); prev != nil && err == nil && fi.IsDir() {
		o.inPlace, o.prev = true, prev
	}
	return o, nil
}

// Reuse keeps the previous build's file name (site.ReuseOutput).
func (o *dirOutput) Reuse(name string) bool {
	if !o.inPlace || checkName(name) != nil {
		return false
	}
	o.mu.Lock()
	kept := o.kept[name] // asked before (renderer.cached, then the page)
	o.mu.Unlock()
	if kept {
		return true
	}
	fi, err := os.Lstat(filepath.Join(o.dest, filepath.FromSlash(name)))
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	o.mu.Lock()
	o.kept[name] = true
	o.mu.Unlock()
	return true
}

// Previous maps the previous build's file name (site.ReuseOutput). The
// bytes stay valid until the build is committed or aborted.
func (o *dirOutput) Previous(name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if !o.inPlace {
		return nil, os.ErrNotExist
	}
	data, release, err := mapFile(filepath.Join(o.dest, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	o.unmap = append(o.unmap, release)
	o.mu.Unlock()
	return data, nil
}

func checkName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("refusing to write %q outside the output folder", name)
	}
	return nil
}

// WriteFile writes name (slash-separated, relative) into the build folder.
// Names that could escape it are refused: slugs are validated upstream, and
// this is the last line of defence.
func (o *dirOutput) WriteFile(name string, data []byte) error {
	p, err := o.path(name)
	if err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// path maps an output name to its place in the build folder, creating the
// folder it goes in.
func (o *dirOutput) path(name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	dir := filepath.Dir(p)
	o.mu.Lock()
	known := o.dirs[dir]
	if o.inPlace {
		o.written[name] = true
	}
	o.mu.Unlock()
	if !known {
		if err := o.mkdir(dir); err != nil {
			return "", err
		}
		o.mu.Lock()
		o.dirs[dir] = true
		o.mu.Unlock()
	}
	return p, nil
}

// mkdir creates dir. When its parent is known to exist, as it is for all
// but the first file of a section, that is one mkdir system call; MkdirAll
// would stat the folder and its parent first (20,000 folders for a show of
// 10,000 episodes).
func (o *dirOutput) mkdir(dir string) error {
	o.mu.Lock()
	parentKnown := o.dirs[filepath.Dir(dir)] || filepath.Dir(dir) == o.tmp
	o.mu.Unlock()
	if parentKnown {
		if err := os.Mkdir(dir, 0o755); err == nil || errors.Is(err, fs.ErrExist) {
			return nil // ErrExist: another worker made it first
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Its parents exist now too (episodes/ for every episodes/<slug>/).
	o.mu.Lock()
	for p := filepath.Dir(dir); len(p) > len(o.tmp) && !o.dirs[p]; p = filepath.Dir(p) {
		o.dirs[p] = true
	}
	o.mu.Unlock()
	return nil
}

// WriteStream writes name through a buffered stream: the largest files (a
// big show's feeds) go to disk without being held whole in memory.
func (o *dirOutput) WriteStream(name string, write func(io.Writer) error) error {
	p, err := o.path(name)
	if err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// commit puts the finished build into place.
func (o *dirOutput) commit() error {
	if o.inPlace {
		return o.commitInPlace()
	}
	old := ""
	if _, err := os.Lstat(o.dest); err == nil {
		old = o.tmp + ".old"
		if err := os.Rename(o.dest, old); err != nil {
			o.abort()
			return fmt.Errorf("moving the previous %s aside: %w", o.dest, err)
		}
	}
	if err := os.Rename(o.tmp, o.dest); err != nil {
		if old != "" {
			_ = os.Rename(old, o.dest) // put the previous build back
		}
		o.abort()
		return fmt.Errorf("moving the new build into %s: %w", o.dest, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// abort drops the unfinished build (or what is left of a committed one)
// and releases the previous files Previous mapped.
func (o *dirOutput) abort() {
	_ = os.RemoveAll(o.tmp)
	o.mu.Lock()
	for _, release := range o.unmap {
		release()
	}
	o.unmap = nil
	o.mu.Unlock()
}

// commitInPlace moves the files this build wrote into dest, over their
// previous versions (each rename is atomic: a reader sees the old file or
// the new one), then deletes every file this build neither wrote nor kept,
// and folders left empty.
func (o *dirOutput) commitInPlace() error {
	defer o.abort()
	names := make([]string, 0, len(o.written))
	for n := range o.written {
		names = append(names, n)
	}
	sort.Strings(names)
	made := map[string]bool{}
	for _, n := range names {
		to := filepath.Join(o.dest, filepath.FromSlash(n))
		if dir := filepath.Dir(to); !made[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("updating %s: %w", o.dest, err)
			}
			made[dir] = true
		}
		if fi, err := os.Lstat(to); err == nil && fi.IsDir() {
			if err := os.RemoveAll(to); err != nil {
				return fmt.Errorf("updating %s: %w", o.dest, err)
			}
		}
		if err := os.Rename(filepath.Join(o.tmp, filepath.FromSlash(n)), to); err != nil {
			return fmt.Errorf("updating %s: %w", o.dest, err)
		}
	}
	var dirs []string
	for _, n := range o.prev {
		if o.written[n] || o.kept[n] || checkName(n) != nil {
			continue
		}
		p := filepath.Join(o.dest, filepath.FromSlash(n))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("updating %s: %w", o.dest, err)
		}
		for d := filepath.Dir(p); d != o.dest && len(d) > len(o.dest); d = filepath.Dir(d) {
			dirs = append(dirs, d)
		}
	}
	// Deepest first, so a folder emptied by removing its subfolders goes
	// too.
	sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) < len(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		_ = os.Remove(dirs[i]) // only succeeds when empty
	}
	return nil
}
