package site_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"shownotes/generator/internal/sitetest"
	"shownotes/generator/site"
)

// The default theme's CSS and JavaScript together stay under 20 KB,
// uncompressed and unminified.
func TestThemeAssetBudget(t *testing.T) {
	t.Parallel()
	const budget = 20 << 10
	dir := filepath.Join(sitetest.RepoRoot(), "themes", "default", "static")
	total := 0
	var sizes []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(p); ext != ".css" && ext != ".js" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += int(info.Size())
		rel, _ := filepath.Rel(dir, p)
		sizes = append(sizes, rel+" "+strconv.Itoa(int(info.Size())))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 {
		t.Fatal("no CSS or JS found")
	}
	if total > budget {
		t.Errorf("theme CSS + JS is %d bytes, budget %d: %s", total, budget, strings.Join(sizes, ", "))
	}
	t.Logf("theme CSS + JS: %d of %d bytes (%s)", total, budget, strings.Join(sizes, ", "))
}

var cssLink = regexp.MustCompile(`<link rel="stylesheet" href="/css/(site\.([0-9a-f]{8})\.css)">`)

func sha8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// CSS and JS are written under fingerprinted names that pages link to;
// the plain names are not written.
func TestFingerprintedAssets(t *testing.T) {
	t.Parallel()
	in := sitetest.Input(siteTOML + episode("a", ""))
	files := sitetest.Build(t, in)
	m := cssLink.FindStringSubmatch(files["index.html"])
	if m == nil {
		t.Fatalf("index.html: no fingerprinted stylesheet link")
	}
	css, ok := files["css/"+m[1]]
	if !ok {
		t.Fatalf("css/%s not written", m[1])
	}
	theme, _ := fs.ReadFile(in.Theme, "static/css/site.css")
	if css != string(theme) || sha8(css) != m[2] {
		t.Errorf("css/%s: not the theme's site.css, or the name is not its hash", m[1])
	}
	player, _ := fs.ReadFile(in.Theme, "static/js/player.js")
	search, _ := fs.ReadFile(in.Theme, "static/js/search.js")
	playerName := "js/player." + sha8(string(player)) + ".js"
	searchName := "js/search." + sha8(string(search)) + ".js"
	sitetest.Contains(t, files, "episodes/a/index.html", `<script src="/`+playerName+`" defer></script>`, `! search.`)
	sitetest.Contains(t, files, "search/index.html", `<script src="/`+searchName+`" defer></script>`, `! player.`)
	sitetest.Contains(t, files, "index.html", `! <script src=`)
	for _, name := range []string{playerName, searchName} {
		if _, ok := files[name]; !ok {
			t.Errorf("%s not written", name)
		}
	}
	for _, name := range []string{"css/site.css", "js/player.js", "js/search.js"} {
		if _, ok := files[name]; ok {
			t.Errorf("%s written under its plain name", name)
		}
	}
	// Hosts cache them for a year.
	sitetest.Contains(t, files, "_headers", "/css/*\n  Cache-Control: public, max-age=31536000, immutable", "/js/*\n  Cache-Control: public, max-age=31536000, immutable")
	// Same input, same names.
	if again := sitetest.Build(t, in); again["index.html"] != files["index.html"] {
		t.Error("index.html differs between two builds")
	}
}

// A template asking static for a file the theme lacks fails the build
// with the theme file and line.
func TestStaticMissingFile(t *testing.T) {
	t.Parallel()
	in := sitetest.Input(siteTOML + episode("a", "") + `-- themes/default/templates/404.html --
{{define "main"}}
<link rel="stylesheet" href="{{static "css/extra.css"}}">
{{end}}
`)
	errs := sitetest.BuildErrors(t, in)
	if len(errs) != 1 || !strings.Contains(errs[0], "themes/default/templates/404.html:2:") || !strings.Contains(errs[0], `static "css/extra.css": the theme has no file static/css/extra.css`) {
		t.Errorf("errors: %q", errs)
	}
}

// A site's themes/<name>/ replaces single files and inherits the rest: here
// the episode card partial and the stylesheet.
func TestThemeOverride(t *testing.T) {
	t.Parallel()
	const css = "body { color: rebeccapurple }\n"
	archive := strings.Replace(siteTOML, "paginate = 2", "paginate = 2\ntheme = \"mine\"", 1) +
		episode("a", "guests: [\"Ann Lee\"]\n") + `-- themes/mine/templates/partials/episode-card.html --
{{define "episode-card"}}<div class="my-card"><a href="{{rel .Path}}">{{.Title}}</a> ({{template "episode-meta" .}})</div>{{end}}
-- themes/mine/static/css/site.css --
` + css
	in := sitetest.Input(archive)
	files := sitetest.Build(t, in)
	cssName := "css/site." + sha8(css) + ".css"
	sitetest.Contains(t, files, "index.html",
		`<div class="my-card"><a href="/episodes/a/">Episode a</a> (<time datetime="2024-02-08T00:00:00Z">8 February 2024</time>)</div>`,
		`<link rel="stylesheet" href="/`+cssName+`">`,
		`! class="card`,
		`<ol class="episodes" reversed>`, // episode-list, inherited
		`<h2 class="section-h">Latest episodes</h2>`)
	sitetest.Contains(t, files, cssName, css)
	// Guest pages list episodes with the overridden card too.
	sitetest.Contains(t, files, "guests/ann-lee/index.html", `<div class="my-card">`)
	// Everything else is inherited: the episode page, the player script.
	player, _ := fs.ReadFile(in.Theme, "static/js/player.js")
	playerName := "js/player." + sha8(string(player)) + ".js"
	sitetest.Contains(t, files, "episodes/a/index.html", `<div class="player">`, `<script src="/`+playerName+`" defer></script>`, `<link rel="stylesheet" href="/`+cssName+`">`)
	sitetest.Contains(t, files, playerName, "playbackRate")
	if _, ok := files["_headers"]; !ok {
		t.Error("_headers not inherited")
	}
	for name := range files {
		if strings.HasPrefix(name, "css/") && name != cssName {
			t.Errorf("%s written besides the override", name)
		}
	}
}

// The default theme lists episodes with {{cached "episode-card" .}}: each
// episode's card is the same on the home page, its topic's page and its
// guest's page, and no episode gets another's card.
func TestCachedEpisodeCards(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+
		episode("a", "tags: [x]\nguests: [\"Ann Lee\"]\n")+
		episode("b", "tags: [x]\nguests: [\"Bo Chen\"]\n")))
	card := regexp.MustCompile(`(?s)<article class="card.*?</article>`)
	cards := func(name string) []string {
		t.Helper()
		got := card.FindAllString(files[name], -1)
		if len(got) == 0 {
			t.Fatalf("%s: no episode cards", name)
		}
		return got
	}
	home, topic := cards("index.html"), cards("tags/x/index.html")
	if len(home) != 2 || len(topic) != 2 || home[0] == home[1] {
		t.Fatalf("home %d cards, topic %d, home cards equal: %v", len(home), len(topic), home[0] == home[1])
	}
	for i, c := range home {
		if c != topic[i] {
			t.Errorf("card %d differs between the home page and the topic page:\n%s\n%s", i, c, topic[i])
		}
	}
	for _, g := range []struct{ page, title string }{{"guests/ann-lee/index.html", "Episode a"}, {"guests/bo-chen/index.html", "Episode b"}} {
		got := cards(g.page)
		if len(got) != 1 || !strings.Contains(got[0], ">"+g.title+"</a>") || !slices.Contains(home, got[0]) {
			t.Errorf("%s: cards %q, want the home page's card of %s", g.page, got, g.title)
		}
	}
}

// The site header is made once per page kind (cached by .Kind): each page
// still marks its own section, and only its own.
func TestNavCurrentPage(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+episode("a", "tags: [x]\nguests: [\"Ann Lee\"]\n")+episode("b", "")+episode("c", "")))
	current := regexp.MustCompile(`<a href="[^"]*" aria-current="page">([^<]+)</a>`)
	for name, want := range map[string]string{
		"index.html":                "Episodes",
		"page/2/index.html":         "Episodes",
		"guests/index.html":         "Guests",
		"books/index.html":          "Books",
		"tags/index.html":           "Topics",
		"search/index.html":         "Search",
		"guests/ann-lee/index.html": "",
		"tags/x/index.html":         "",
		"episodes/a/index.html":     "",
		"404.html":                  "",
	} {
		var got []string
		for _, m := range current.FindAllStringSubmatch(files[name], -1) {
			got = append(got, m[1])
		}
		if want == "" && len(got) != 0 || want != "" && (len(got) != 1 || got[0] != want) {
			t.Errorf("%s: current %q, want %q", name, got, want)
		}
	}
	sitetest.Contains(t, files, "episodes/a/index.html", `<footer class="site-footer">`, `<p>© Host Person</p>`)
}

// build -minify: HTML, CSS, JS and JSON get smaller and stay valid; the
// feed and everything else is written as it was.
func TestMinifyOutput(t *testing.T) {
	t.Parallel()
	in := sitetest.Input(siteTOML + seoEpisode + episode("a", "tags: [x]\n"))
	plain := sitetest.Build(t, in)
	mem := site.NewMemOutput()
	if _, err := site.Build(context.Background(), in, site.MinifyOutput(mem)); err != nil {
		t.Fatal(err)
	}
	mini := map[string]string{}
	for name, data := range mem.Files() {
		mini[name] = string(data)
	}
	if len(mini) != len(plain) {
		t.Fatalf("minified build wrote %d files, plain %d", len(mini), len(plain))
	}
	for name, p := range plain {
		m, ok := mini[name]
		if !ok {
			t.Errorf("%s missing from the minified build", name)
			continue
		}
		switch filepath.Ext(name) {
		case ".html", ".css", ".js":
			if len(m) >= len(p) {
				t.Errorf("%s: minified %d bytes, plain %d", name, len(m), len(p))
			}
		case ".json":
			if !json.Valid([]byte(m)) {
				t.Errorf("%s: minified JSON is not valid", name)
			}
			if len(m) > len(p) {
				t.Errorf("%s: minified %d bytes, plain %d", name, len(m), len(p))
			}
		default: // feed.xml, sitemap.xml, _headers, robots.txt, images
			if m != p {
				t.Errorf("%s changed by -minify", name)
			}
		}
	}
	// The JSON-LD survives minification whole and still escaped.
	ep := mini["episodes/412-exiles/index.html"]
	doc := jsonLD(t, ep)
	wantLD(t, doc, "name", "Putin's Exiles & <Friends>")
	if raw := ldScript.FindStringSubmatch(ep)[1]; strings.ContainsAny(raw, "<>&") {
		t.Errorf("minified JSON-LD has raw <, > or &: %s", raw)
	}
	// Links and the fingerprinted names are unchanged.
	if m := cssLink.FindStringSubmatch(mini["index.html"]); m == nil || mini["css/"+m[1]] == "" {
		t.Errorf("minified index.html does not link its stylesheet")
	}
	for _, w := range []string{"<!doctype html>", `<html lang="en">`, "</body>"} {
		if !strings.Contains(strings.ToLower(mini["index.html"]), strings.ToLower(w)) {
			t.Errorf("minified index.html lacks %s", w)
		}
	}
}
