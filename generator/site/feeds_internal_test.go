package site

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// absolutize is the strings.Replacer it replaced, on hand-picked notes and
// on 5,000 strings made of the patterns' pieces.
func TestAbsolutizeIsReplacer(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"https://example.org/", "https://example.org/show/"} {
		u, _ := url.Parse(base)
		cfg := &Config{BaseURL: base, base: u}
		origin := strings.TrimSuffix(strings.TrimSuffix(base, strings.TrimPrefix(cfg.BasePath(), "/")), "/")
		want := strings.NewReplacer(`href="/`, `href="`+origin+`/`, `src="/`, `src="`+origin+`/`)
		check := func(in string) {
			t.Helper()
			if got, w := absolutize(in, cfg), want.Replace(in); got != w {
				t.Fatalf("base %s, absolutize(%q)\n got %q\nwant %q", base, in, got, w)
			}
		}
		for _, in := range []string{
			"",
			"<p>No links.</p>",
			`<p><a href="/show/episodes/a/">A</a> and <img src="/show/images/b.png" alt=""></p>`,
			`<a href="https://other.example/">x</a><a href="#t=90">y</a>`,
			`<img data-src="/x.png"><a href="/">root</a>`,
			`href="/`, `src="/`, `="/`, `f="/`, `hrefhref="/`, `src="/src="/`,
		} {
			check(in)
		}
		pieces := []string{`href="/`, `src="/`, `data-src="/`, `href="`, `="/`, `href`, `src`, `hre`, `f="/`, `<a `, `x`, `"`, `/`, `=`, "é"}
		rng := rand.New(rand.NewPCG(1, 2))
		for range 5000 {
			var b strings.Builder
			for range rng.IntN(12) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			check(b.String())
		}
	}
}
