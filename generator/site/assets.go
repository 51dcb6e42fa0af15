package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
)

// Fingerprinted theme assets: every .css and .js file under the theme's
// static/ is written as name.<8 hex of its SHA-256>.ext (css/site.css ->
// css/site.1a2b3c4d.css), so hosts can serve it with a one-year immutable
// Cache-Control and a changed file gets a new URL. Templates refer to such
// files with {{static "css/site.css"}}. The name depends only on the bytes,
// so the same input still gives byte-identical output.

// fingerprinted reports whether a theme static file gets a content hash in
// its name.
func fingerprinted(name string) bool {
	ext := path.Ext(name)
	return ext == ".css" || ext == ".js"
}

// fingerprint inserts the first 8 hex digits of the SHA-256 of data before
// the extension: css/site.css -> css/site.1a2b3c4d.css.
func fingerprint(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
}

// staticName is the output name of a copied file: theme static/**.css and
// .js get their fingerprint, everything else (content assets, _headers,
// images) keeps its name. src is the file's path in its file system
// ("static/css/site.css", "content/images/x.png"), dst the output name.
func staticName(src, dst string, data []byte) string {
	if strings.HasPrefix(src, "static/") && fingerprinted(dst) {
		return fingerprint(dst, data)
	}
	return dst
}

// staticFunc returns the template function static: the root-relative URL
// of a theme static file, fingerprinted when it is CSS or JavaScript. A
// file the theme does not have is a template error naming it. Results are
// cached for the build (every page asks for the same few files).
func staticFunc(cfg *Config, theme fs.FS) func(string) (string, error) {
	var cache sync.Map // name -> URL
	return func(name string) (string, error) {
		name = strings.TrimPrefix(name, "/")
		if u, ok := cache.Load(name); ok {
			return u.(string), nil
		}
		if theme == nil {
			return "", fmt.Errorf("static %q: no theme", name)
		}
		data, err := fs.ReadFile(theme, "static/"+name)
		if err != nil {
			return "", fmt.Errorf("static %q: the theme has no file static/%s", name, name)
		}
		out := name
		if fingerprinted(name) {
			out = fingerprint(name, data)
		}
		u := cfg.BasePath() + out
		cache.Store(name, u)
		return u, nil
	}
}

// MinifyOutput wraps out so that HTML, CSS, JavaScript and JSON files are
// minified on their way through (build -minify). Other files, feed.xml
// and the sitemap among them, pass unchanged, so the feed's XML and its
// CDATA show notes stay exactly as written. A file the minifier cannot
// parse is written as it was.
func MinifyOutput(out Output) Output {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), js.Minify)
	// JSON-LD inside pages and .json files. The JSON minifier copies
	// strings as they are, so \u003c escapes stay escaped.
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	return &minifyOutput{out: out, m: m}
}

type minifyOutput struct {
	out Output
	m   *minify.M
}

var minifyTypes = map[string]string{
	".html": "text/html",
	".css":  "text/css",
	".js":   "application/javascript",
	".json": "application/json",
}

func (o *minifyOutput) WriteFile(name string, data []byte) error {
	if mt, ok := minifyTypes[path.Ext(name)]; ok {
		if small, err := o.m.Bytes(mt, data); err == nil {
			data = small
		}
	}
	return o.out.WriteFile(name, data)
}
