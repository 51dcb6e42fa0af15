//go:build unix

package cli

import (
	"os"
	"syscall"
)

// mapFile maps a file into memory read-only: the previous build's feeds
// (hundreds of megabytes for a large show) are copied from item by item,
// and mapping them costs neither a read nor heap. release unmaps; the
// bytes must not be used after it. The file is replaced by rename, never
// written in place, so the mapping stays valid until release even once a
// new build's file has taken its name.
func mapFile(path string) (data []byte, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() == 0 || int64(int(fi.Size())) != fi.Size() {
		data, err := os.ReadFile(path)
		return data, func() {}, err
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		data, err := os.ReadFile(path)
		return data, func() {}, err
	}
	return data, func() { _ = syscall.Munmap(data) }, nil
}
