package site

import (
	"io"
	"sort"
	"sync"
)

// Output receives the built files. Implementations must be safe for
// concurrent use: pages are written from many goroutines.
type Output interface {
	// WriteFile must not keep data after it returns (as io.Writer must
	// not keep p): the renderer reuses the buffer for the next page.
	WriteFile(name string, data []byte) error
}

// StreamOutput is an Output that can also take a file as a stream, so the
// largest files (a big show's feeds) are never held whole in memory.
type StreamOutput interface {
	Output
	WriteStream(name string, write func(io.Writer) error) error
}

// SharedOutput is an Output that can keep bytes without copying them, for
// files the writer promises never to modify (the render cache's pages).
type SharedOutput interface {
	Output
	WriteFileShared(name string, data []byte) error
}

// ReuseOutput is an Output that still holds the previous build's files
// (the CLI's output folder, updated in place). With a persistent Cache the
// renderer keeps an unchanged file instead of writing it again.
type ReuseOutput interface {
	Output
	// Reuse keeps the previous build's file name as it is, reporting
	// false if there is none.
	Reuse(name string) bool
	// Previous returns the previous build's file name. The renderer
	// only reads the bytes, and not after Render returns: the output may
	// hand out a memory map it releases then.
	Previous(name string) ([]byte, error)
}

// MemOutput keeps files in memory (dev server, tests).
type MemOutput struct {
	mu    sync.Mutex
	files map[string][]byte
}

func NewMemOutput() *MemOutput { return &MemOutput{files: map[string][]byte{}} }

func (m *MemOutput) WriteFile(name string, data []byte) error {
	cp := append([]byte(nil), data...)
	m.mu.Lock()
	m.files[name] = cp
	m.mu.Unlock()
	return nil
}

// WriteFileShared stores data without copying it; the caller promises never
// to modify it (the render cache hands out immutable pages).
func (m *MemOutput) WriteFileShared(name string, data []byte) error {
	m.mu.Lock()
	m.files[name] = data
	m.mu.Unlock()
	return nil
}

// Files returns the written files; the map must not be modified.
func (m *MemOutput) Files() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files
}

// Names returns the written file names, sorted.
func (m *MemOutput) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.files))
	for n := range m.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Discard drops everything (check).
type Discard struct{}

func (Discard) WriteFile(string, []byte) error { return nil }
