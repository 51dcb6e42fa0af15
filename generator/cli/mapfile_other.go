//go:build !unix

package cli

import "os"

// mapFile reads a file whole where memory mapping is not available.
func mapFile(path string) (data []byte, release func(), err error) {
	data, err = os.ReadFile(path)
	return data, func() {}, err
}
