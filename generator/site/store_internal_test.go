package site

import (
	"testing"
)

// Field positions survive packing, field names with dots, brackets and odd
// characters included, and a field that is not there is not found (not
// even as the prefix of one that is).
func TestPackPos(t *testing.T) {
	t.Parallel()
	for _, pos := range []map[string]Pos{
		{},
		{"title": {Line: 2, Col: 8}},
		{"guests[0].name": {Line: 12, Col: 11}, "audio.url": {Line: 40, Col: 3}, "ключ": {Line: 1, Col: 1}, "audio": {Line: 39, Col: 1}},
	} {
		packed := packPos(pos)
		for f, want := range pos {
			if line, col, ok := lookupPos(packed, f); !ok || line != want.Line || col != want.Col {
				t.Errorf("lookupPos(packPos(%v), %q) = %d, %d, %v; want %d, %d", pos, f, line, col, ok, want.Line, want.Col)
			}
		}
		for _, f := range []string{"audio.u", "guests", "", "titles"} {
			if _, _, ok := lookupPos(packed, f); ok {
				t.Errorf("lookupPos(packPos(%v), %q) found a field that is not there", pos, f)
			}
		}
	}
}
