package site

import (
	"strings"

	"github.com/gosimple/slug"
	"github.com/gosimple/unidecode"
)

// dropQuotes is immutable after creation (a constant in all but syntax);
// building it per call was a tenth of a large build.
var dropQuotes = strings.NewReplacer("'", "", "’", "", "\"", "")

// slugify makes a readable ASCII URL segment from any name: "Ольга
// Воронцова" becomes "olga-vorontsova". Apostrophes (and the soft and hard
// signs that transliteration turns into them) are dropped rather than
// becoming hyphens, so "O'Brien" is "obrien", not "o-brien".
func slugify(s string) string {
	ascii := unidecode.Unidecode(s)
	ascii = dropQuotes.Replace(ascii)
	return slug.Make(ascii)
}

// slugMemo remembers slugs within one build: a show names the same few
// hundred guests and tags thousands of times, and transliteration is not
// cheap. Not safe for concurrent use.
type slugMemo map[string]string

func (m slugMemo) slug(s string) string {
	if v, ok := m[s]; ok {
		return v
	}
	v := slugify(s)
	m[s] = v
	return v
}
