package site

import (
	"strings"

	"github.com/gosimple/slug"
	"github.com/gosimple/unidecode"
)

// slugify makes a readable ASCII URL segment from any name: "Ольга
// Воронцова" becomes "olga-vorontsova". Apostrophes (and the soft and hard
// signs that transliteration turns into them) are dropped rather than
// becoming hyphens, so "O'Brien" is "obrien", not "o-brien".
func slugify(s string) string {
	ascii := unidecode.Unidecode(s)
	ascii = strings.NewReplacer("'", "", "’", "", "\"", "").Replace(ascii)
	return slug.Make(ascii)
}
