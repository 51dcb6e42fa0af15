package site

import (
	"context"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/gosimple/unidecode"

	"shownotes/generator/internal/corpus"
)

func tokensOf(s string) []string {
	var out []string
	searchTokens(s, func(t string) { out = append(out, t) })
	return out
}

func TestSearchTokens(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Putin's Exiles & <Friends>", []string{"putin", "exiles", "friends"}},
		{"The riot of 1648, at 00:04:10 and 42", []string{"riot", "1648"}},
		{"Zoë Achterberg", []string{"zoe", "achterberg"}},
		{"Ольга Воронцова", []string{"ольга", "olga", "воронцова", "vorontsova"}},
		{"Đặng Minh Châu", []string{"đang", "dang", "minh", "chau"}},
		{"a I x", nil},
	} {
		if got := tokensOf(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSearchShardKey(t *testing.T) {
	for _, c := range []struct {
		tok  string
		p    int
		want string
	}{
		{"salt", 0, "all"}, {"salt", 1, "s"}, {"salt", 2, "sa"}, {"ольга", 2, "_43e_43b"}, {"1648", 2, "16"}, {"x", 2, "x"},
	} {
		if got := searchShardKey(c.tok, c.p); got != c.want {
			t.Errorf("searchShardKey(%q, %d) = %q, want %q", c.tok, c.p, got, c.want)
		}
	}
	if got := deltas([]int{3, 5, 40}); got != "3,2,z" {
		t.Errorf("deltas = %q", got)
	}
}

func TestMarkdownText(t *testing.T) {
	md := "See [*The White Road*](https://example.org/white \"t\") and <https://x.example/>.\n[ref]: https://ref.example/\nA note.[^1] <b>bold</b> https://bare.example/path\n"
	got := strings.Join(tokensOf(markdownText([]byte(md))), " ")
	if got != "see white road note bold" {
		t.Errorf("markdownText tokens = %q", got)
	}
}

// searchIndexFor builds an index over n generated episodes.
func searchIndexFor(t *testing.T, n int, words func(i int) string) map[string][]byte {
	t.Helper()
	eps := make([]*Episode, n)
	for i := range eps {
		eps[i] = &Episode{Slug: "ep-" + strings.Repeat("x", i%3), Title: "Episode title", Summary: "Summary.",
			Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), body: []byte(words(i))}
	}
	files, err := buildSearchIndex(eps, nil)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The shard prefix grows with the index, so no shard gets big.
func TestSearchIndexShardsGrow(t *testing.T) {
	word := func(i int) string { // a deterministic pseudo-word
		const letters = "abcdefghijklmnopqrstuvwxyz"
		b := []byte{letters[i%26], letters[i/26%26], letters[i/676%26], 'e', 'n'}
		return string(b)
	}
	small := searchIndexFor(t, 10, func(i int) string { return "salt riot " + word(i) })
	if _, ok := small["search/s-all.json"]; !ok || len(small) != 3 {
		t.Errorf("small index: want index.json, s-all.json, d-0.json; got %d files", len(small))
	}
	// 6,000 documents with 100 words each, from a vocabulary of 17,576:
	// big enough for two-character shards.
	big := searchIndexFor(t, 6000, func(i int) string {
		var b strings.Builder
		for j := 0; j < 100; j++ {
			b.WriteString(word((i*7919 + j*104729) % 17576))
			b.WriteByte(' ')
		}
		return b.String()
	})
	var shards []string
	largest, total := 0, 0
	for name, data := range big {
		if strings.HasPrefix(name, "search/s-") {
			shards = append(shards, name)
			largest = max(largest, len(data))
			total += len(data)
		}
	}
	sort.Strings(shards)
	if len(shards) < 100 || !strings.Contains(string(big["search/index.json"]), `"p":2`) {
		t.Errorf("big index: %d shards, manifest %.80s", len(shards), big["search/index.json"])
	}
	if largest > total/20 {
		t.Errorf("largest shard %d bytes of %d", largest, total)
	}
	if _, ok := big["search/d-59.json"]; !ok {
		t.Errorf("6,000 documents: want doc chunks d-0 .. d-59")
	}
	t.Logf("6,000 docs: %d shards, %d bytes of postings, largest shard %d bytes", len(shards), total, largest)
}

// The index of a 10,000-episode show (opt-in: SHOWNOTES_SEARCH_10K=1, it
// loads 80 MB of generated show notes): how many shards, how big.
func TestSearchIndex10000(t *testing.T) {
	if os.Getenv("SHOWNOTES_SEARCH_10K") == "" {
		t.Skip("set SHOWNOTES_SEARCH_10K=1 to index a 10,000-episode corpus")
	}
	in := Input{Project: corpus.FS(corpus.Options{Episodes: 10000, Seed: 1, TranscriptBytes: -1}), Now: func() time.Time { return corpus.Newest.AddDate(1, 0, 0) }}
	s, err := Load(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	files, err := buildSearchIndex(s.Episodes, nil)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var sizes []int
	total, docs := 0, 0
	for name, data := range files {
		switch {
		case strings.HasPrefix(name, "search/s-"):
			sizes = append(sizes, len(data))
			total += len(data)
		case strings.HasPrefix(name, "search/d-"):
			docs += len(data)
		}
	}
	sort.Ints(sizes)
	n := len(sizes)
	t.Logf("10,000 episodes: indexed in %v; manifest %d bytes; %d shards, %d bytes (median %d, p90 %d, largest %d); docs %d bytes in %d chunks",
		took.Round(time.Millisecond), len(files["search/index.json"]), n, total, sizes[n/2], sizes[n*9/10], sizes[n-1], docs, len(files)-n-1)
	if sizes[n-1] > 512<<10 {
		t.Errorf("largest shard %d bytes", sizes[n-1])
	}
}

// wholeTextTokens is how searchTokens worked before it folded token by
// token: fold the whole text, then split it. The index must not change.
func wholeTextTokens(s string) []string {
	var out []string
	var walk func(s string)
	walk = func(s string) {
		folded := searchFold(s)
		start := -1
		emit := func(end int) {
			if start < 0 {
				return
			}
			t := folded[start:end]
			start = -1
			if !searchKeep(t) {
				return
			}
			out = append(out, t)
			if !isASCII(t) {
				tr := strings.ToLower(strings.ReplaceAll(unidecode.Unidecode(t), "'", ""))
				if tr != t {
					walk(tr)
				}
			}
		}
		for i, c := range folded {
			if unicode.IsLetter(c) || unicode.IsNumber(c) {
				if start < 0 {
					start = i
				}
				continue
			}
			emit(i)
		}
		emit(len(folded))
	}
	if s != "" {
		walk(s)
	}
	return out
}

// Token by token gives the tokens of the whole folded text: decomposed
// and precomposed accents, marks at odd places, scripts without case,
// and a generated show's notes and names.
func TestSearchTokensAsWholeText(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"Zoë Achterberg and ZOË", "Zoe\u0308 decomposed", "cafe\u0301s and café", "x \u0301y", "\u0301start",
		"Ölsen, Ørsted; Åsa—Łódź", "1\u0301 2\u20dd3", "Straße STRASSE", "ǅemal ǄEMAL", "Ǆ", "İstanbul ıi",
		"東京 تہران देवनागरी ᄀ각", "Ω Ω Å", "mixed ASCII with é in the middle, and 2024",
	}
	fsys := corpus.FS(corpus.Options{Episodes: 20, Seed: 9, NotesBytes: 2000, TranscriptBytes: 200})
	for name, f := range fsys {
		if strings.HasSuffix(name, ".md") {
			inputs = append(inputs, string(f.Data))
		}
	}
	for _, s := range inputs {
		if got, want := tokensOf(s), wholeTextTokens(s); !reflect.DeepEqual(got, want) {
			t.Errorf("tokens(%.60q):\n got %q\nwant %q", s, got, want)
		}
	}
}
