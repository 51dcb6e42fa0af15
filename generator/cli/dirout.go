package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// dirOutput builds into a temporary folder beside the destination and swaps
// it in only when the whole build succeeded: a failed build never touches
// the previous public/, and files of deleted episodes never linger.
type dirOutput struct {
	dest string
	tmp  string

	mu   sync.Mutex
	dirs map[string]bool
}

func newDirOutput(dest string) (*dirOutput, error) {
	dest = filepath.Clean(dest)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".build-")
	if err != nil {
		return nil, err
	}
	return &dirOutput{dest: dest, tmp: tmp, dirs: map[string]bool{}}, nil
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
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || !filepath.IsLocal(filepath.FromSlash(name)) {
		return "", fmt.Errorf("refusing to write %q outside the output folder", name)
	}
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	dir := filepath.Dir(p)
	o.mu.Lock()
	known := o.dirs[dir]
	o.mu.Unlock()
	if !known {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		o.mu.Lock()
		o.dirs[dir] = true
		o.mu.Unlock()
	}
	return p, nil
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

// commit swaps the finished build into place.
func (o *dirOutput) commit() error {
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

// abort drops the unfinished build.
func (o *dirOutput) abort() { _ = os.RemoveAll(o.tmp) }
