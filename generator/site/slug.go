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
