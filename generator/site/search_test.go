package site_test

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"shownotes/generator/internal/corpus"
	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// searchManifest is search/index.json.
type searchManifest struct {
	V, P, N, C int
	S          []string
	Stop       []string
}

// searchQuery answers a query of lower-case ASCII words the way
// js/search.js does, from the built files: every term must match a token
// exactly or as a prefix; a match in a title, guest, book or topic counts
// 3, in the notes 1, an exact match double. It returns the result paths,
// best first.
func searchQuery(t *testing.T, files map[string]string, q string) []string {
	t.Helper()
	var m searchManifest
	if err := json.Unmarshal([]byte(files["search/index.json"]), &m); err != nil {
		t.Fatalf("search/index.json: %v", err)
	}
	ids := func(s string) []int {
		var out []int
		n := 0
		for _, d := range strings.Split(s, ",") {
			if d == "" {
				continue
			}
			v, err := strconv.ParseInt(d, 36, 64)
			if err != nil {
				t.Fatalf("bad posting %q", s)
			}
			n += int(v)
			out = append(out, n)
		}
		return out
	}
	var total map[int]int
	for _, term := range strings.Fields(q) {
		key := "all"
		if m.P > 0 {
			key = term[:min(m.P, len(term))]
		}
		shard := map[string]string{}
		if data, ok := files["search/s-"+key+".json"]; ok {
			if err := json.Unmarshal([]byte(data), &shard); err != nil {
				t.Fatalf("shard %s: %v", key, err)
			}
		}
		best := map[int]int{}
		for tok, v := range shard {
			if !strings.HasPrefix(tok, term) {
				continue
			}
			w := 1
			if tok == term {
				w = 2
			}
			a, b, _ := strings.Cut(v, ";")
			for _, d := range ids(a) {
				best[d] = max(best[d], 3*w)
			}
			for _, d := range ids(b) {
				best[d] = max(best[d], w)
			}
		}
		next := map[int]int{}
		for d, s := range best {
			if total == nil {
				next[d] = s
			} else if prev, ok := total[d]; ok {
				next[d] = prev + s
			}
		}
		total = next
	}
	hits := make([]int, 0, len(total))
	for d := range total {
		hits = append(hits, d)
	}
	sort.Slice(hits, func(i, j int) bool {
		if total[hits[i]] != total[hits[j]] {
			return total[hits[i]] > total[hits[j]]
		}
		return hits[i] < hits[j]
	})
	var paths []string
	for _, d := range hits {
		var rows [][5]string
		if err := json.Unmarshal([]byte(files["search/d-"+strconv.Itoa(d/m.C)+".json"]), &rows); err != nil {
			t.Fatalf("doc chunk: %v", err)
		}
		paths = append(paths, rows[d%m.C][0])
	}
	return paths
}

// searchSizes returns the bytes of every .html page and of search/.
func searchSizes(files map[string]string) (html, index, shards, largest int) {
	for name, data := range files {
		switch {
		case strings.HasSuffix(name, ".html"):
			html += len(data)
		case strings.HasPrefix(name, "search/") && strings.HasSuffix(name, ".json"):
			index += len(data)
			if strings.HasPrefix(name, "search/s-") {
				shards++
				largest = max(largest, len(data))
			}
		}
	}
	return
}

func TestSearchPageAndIndex(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+
		episode("episodes/salt", "guests: [\"Ольга Воронцова\"]\ntags: [history]\nbooks: [{title: \"The White Road\", author: \"Ann Writer\"}]\n")+
		strings.Replace(episode("episodes/tea", "tags: [food]\n"), "Notes for episodes/tea.", "We talk about [salt](https://example.org/salt) and tea.", 1)+
		strings.Replace(episode("episodes/draft", "draft: true\n"), "Notes for", "Salt notes for", 1)))
	sitetest.Contains(t, files, "search/index.html",
		`<form class="search" role="search" action="/search/" data-index="/search/index.json" data-base="/" hidden>`,
		`<label for="q">`, `<input id="q" name="q" type="search"`,
		`<p id="search-status" class="status" role="status" aria-live="polite"></p>`,
		`<ol id="search-results" class="results"></ol>`,
		`<noscript>`,
		`<a href="/tags/history/" rel="tag">history</a>`, // the fallback without JavaScript
		`<a href="/guests/olga-vorontsova/">Ольга Воронцова</a>`)
	sitetest.Contains(t, files, "index.html", `<a href="/search/">Search</a>`)
	sitetest.Contains(t, files, "sitemap.xml", "<loc>https://example.org/search/</loc>")

	for q, want := range map[string][]string{
		"salt":         {"episodes/salt/", "episodes/tea/"}, // title first, notes second; drafts left out
		"sal":          {"episodes/salt/", "episodes/tea/"}, // as you type
		"olga":         {"episodes/salt/"},                  // transliterated guest
		"white writer": {"episodes/salt/"},                  // book title and author
		"food":         {"episodes/tea/"},                   // topic
		"salt tea":     {"episodes/tea/"},                   // every term must match
		"example":      nil,                                 // link URLs are not indexed
		"about":        nil,                                 // a stop word
	} {
		got := searchQuery(t, files, q)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("search %q = %q, want %q", q, got, want)
		}
	}
	var docs [][5]string
	if err := json.Unmarshal([]byte(files["search/d-0.json"]), &docs); err != nil {
		t.Fatal(err)
	}
	want := map[string][5]string{
		"episodes/salt/": {"episodes/salt/", "Episode episodes/salt", "8 February 2024", "About episodes/salt.", "Ольга Воронцова"},
		"episodes/tea/":  {"episodes/tea/", "Episode episodes/tea", "8 February 2024", "About episodes/tea.", ""},
	}
	if len(docs) != 2 || docs[0] != want[docs[0][0]] || docs[1] != want[docs[1][0]] {
		t.Errorf("docs: %q", docs)
	}
}

// The index stays small next to the pages it indexes: under 15% of the
// HTML of the example site and of a 1,000-episode show (without
// transcripts, whose pages would make the ratio look better than it is).
func TestSearchIndexBudgetExampleSite(t *testing.T) {
	t.Parallel()
	root := sitetest.RepoRoot()
	files := sitetest.Build(t, site.Input{Project: os.DirFS(root), Theme: sitetest.DefaultTheme(), Now: func() time.Time { return sitetest.Now }})
	html, index, shards, largest := searchSizes(files)
	t.Logf("example site: index %d bytes in %d shard(s) (largest %d) = %.1f%% of %d bytes of HTML", index, shards, largest, 100*float64(index)/float64(html), html)
	if float64(index) > 0.15*float64(html) {
		t.Errorf("search index %d bytes > 15%% of %d bytes of HTML", index, html)
	}
	if got := searchQuery(t, files, "salt"); len(got) == 0 || got[0] != "episodes/001-the-salt-roads/" {
		t.Errorf("search salt = %q", got)
	}
}

func TestSearchIndexBudget1000(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1,000-episode show")
	}
	t.Parallel()
	mem := site.NewMemOutput()
	in := site.Input{Project: corpus.FS(corpus.Options{Episodes: 1000, Seed: 1, TranscriptBytes: -1}), Theme: sitetest.DefaultTheme(), Now: func() time.Time { return sitetest.Now }}
	if _, err := site.Build(context.Background(), in, mem); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for name, data := range mem.Files() {
		files[name] = string(data)
	}
	html, index, shards, largest := searchSizes(files)
	t.Logf("1,000 episodes: index %d bytes in %d shards (largest %d) = %.1f%% of %d bytes of HTML", index, shards, largest, 100*float64(index)/float64(html), html)
	if float64(index) > 0.15*float64(html) {
		t.Errorf("search index %d bytes > 15%% of %d bytes of HTML", index, html)
	}
	if shards < 10 || largest > 256<<10 {
		t.Errorf("%d shards, largest %d bytes: want the index split", shards, largest)
	}
}
