package site

import (
	"reflect"
	"testing"
)

// Field positions survive the cache's packing, field names with dots,
// brackets and odd characters included.
func TestPackPos(t *testing.T) {
	t.Parallel()
	for _, pos := range []map[string]Pos{
		{},
		{"title": {File: "content/a.md", Line: 2, Col: 8}},
		{"guests[0].name": {File: "content/a.md", Line: 12, Col: 11}, "audio.url": {File: "content/a.md", Line: 40, Col: 3}, "ключ": {File: "content/a.md", Line: 1, Col: 1}},
	} {
		got := unpackPos("content/a.md", packPos(pos))
		if !reflect.DeepEqual(got, pos) {
			t.Errorf("unpackPos(packPos(%v)) = %v", pos, got)
		}
	}
}
