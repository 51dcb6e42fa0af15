package feed

import (
	"strings"
	"testing"
)

// BenchmarkClean is clean over typical item HTML: ASCII with a newline and
// a few accented names a line, which each take the byte-at-a-time path.
func BenchmarkClean(b *testing.B) {
	s := strings.Repeat("<p>Some ordinary show notes, with a <a href=\"https://example.org/x\">link</a> and Søren Wójcik.</p>\n", 100)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if clean(s) != s {
			b.Fatal("clean changed clean text")
		}
	}
}
