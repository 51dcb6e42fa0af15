package site

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"
)

// Overlay layers a site's theme folder over the built-in theme: a file in
// upper replaces the file of the same path in lower, everything else is
// inherited. Directory listings are merged.
type Overlay struct {
	Upper, Lower fs.FS
}

func (o Overlay) Open(name string) (fs.File, error) {
	if o.Upper != nil {
		f, err := o.Upper.Open(name)
		if err == nil {
			st, statErr := f.Stat()
			if statErr == nil && !st.IsDir() {
				return f, nil
			}
			f.Close()
		}
	}
	return o.Lower.Open(name)
}

func (o Overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	var firstErr error
	for _, layer := range []fs.FS{o.Lower, o.Upper} {
		if layer == nil {
			continue
		}
		ents, err := fs.ReadDir(layer, name)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		for _, e := range ents {
			seen[e.Name()] = e
		}
	}
	if len(seen) == 0 && firstErr != nil {
		return nil, firstErr
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// pageKinds are the templates a theme provides, each executed with base.html
// and every partial.
var pageKinds = []string{"home", "episode", "transcript", "tags", "tag", "guests", "guest", "books", "search", "404"}

// theme holds one parsed template set per page kind. Parsing happens once
// per build; each kind is a Clone of the shared base so blocks can differ.
type theme struct {
	pages map[string]*template.Template
	name  string
	// cached is the memo behind the cached template function: one per
	// Render, since the theme is loaded for each.
	cached *partialMemo
}

// partialMemo backs the cached template function: a partial executed once
// per value and then reused. Every list page shows episode cards, and an
// episode is on a home page, on each of its topics' pages and on each of
// its guests' pages: at 10,000 episodes that was 60,000 cards made from
// 10,000 distinct ones. It lives for one Render, so one build's episodes
// never show in the next.
type partialMemo struct {
	base *template.Template // set once the theme is parsed
	done sync.Map           // partialKey -> template.HTML
}

type partialKey struct {
	name     string
	variants int              // 0: keyed by the value
	by       [maxVariants]any // the value, or the variants
}

// maxVariants is how many variant values cached takes.
const maxVariants = 3

// execute is the cached function, as Hugo's partialCached: cached NAME
// VALUE executes the partial once per name and value (its output depends
// only on the value given to it: templates see nothing else, and every
// function is the same for the whole build). cached NAME VALUE VARIANT...
// executes it once per name and variants instead, for a partial whose
// output depends on less than all of the value: the site header, the
// same on every episode page, is cached by the page's kind.
func (m *partialMemo) execute(name string, data any, variants ...any) (template.HTML, error) {
	k := partialKey{name: name, variants: len(variants)}
	switch {
	case len(variants) > maxVariants:
		return "", fmt.Errorf("cached %q: at most %d variants, not %d", name, maxVariants, len(variants))
	case len(variants) > 0:
		for i, v := range variants {
			if !reflect.ValueOf(v).Comparable() {
				return "", fmt.Errorf("cached %q: a variant must be a single value such as a string, not a %T", name, v)
			}
			k.by[i] = v
		}
	case !reflect.ValueOf(data).Comparable():
		return "", fmt.Errorf("cached %q: give it one value, such as an episode or a person, not a %T", name, data)
	default:
		k.by[0] = data
	}
	if v, ok := m.done.Load(k); ok {
		return v.(template.HTML), nil
	}
	var b strings.Builder
	if err := m.base.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	// A copy of its own size: the builder's spare capacity would stay
	// with the card for the rest of the build.
	v, _ := m.done.LoadOrStore(k, template.HTML(strings.Clone(b.String())))
	return v.(template.HTML), nil
}

var templateLine = regexp.MustCompile(`template: ([^:]+):(\d+)(?::(\d+))?: (.*)`)

// themeError positions an html/template error in the theme's file.
func themeError(themeName string, err error) *Error {
	msg := err.Error()
	if m := templateLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		rest := m[4]
		// html/template repeats "name:line:col:" inside the message.
		if i := strings.Index(rest, ": "); i > 0 && strings.Contains(rest[:i], ":") && !strings.Contains(rest[:i], " ") {
			rest = rest[i+2:]
		}
		return &Error{Pos: Pos{File: "themes/" + themeName + "/templates/" + m[1], Line: line, Col: col}, Msg: rest}
	}
	return &Error{Pos: Pos{File: "themes/" + themeName + "/templates"}, Msg: msg}
}

// loadTheme parses the theme's templates with funcs and the cached
// function, which this theme's partials back.
func loadTheme(fsys fs.FS, name string, funcs template.FuncMap) (*theme, error) {
	memo := &partialMemo{}
	funcs = maps.Clone(funcs)
	funcs["cached"] = memo.execute
	read := func(p string) (string, error) {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return "", &Error{Pos: Pos{File: "themes/" + name + "/" + p}, Msg: fmt.Sprintf("cannot read template: %v", unwrapPathErr(err))}
		}
		return string(b), nil
	}
	base := template.New("base.html").Funcs(funcs)
	src, err := read("templates/base.html")
	if err != nil {
		return nil, err
	}
	if _, err := base.Parse(src); err != nil {
		return nil, themeError(name, err)
	}
	partials, _ := fs.Glob(fsys, "templates/partials/*.html")
	sort.Strings(partials)
	for _, p := range partials {
		src, err := read(p)
		if err != nil {
			return nil, err
		}
		if _, err := base.New(path.Base(p)).Parse(src); err != nil {
			return nil, themeError(name, err)
		}
	}
	memo.base = base
	th := &theme{pages: map[string]*template.Template{}, name: name, cached: memo}
	for _, kind := range pageKinds {
		file := "templates/" + kind + ".html"
		src, err := read(file)
		if err != nil {
			return nil, err
		}
		t, err := base.Clone()
		if err != nil {
			return nil, themeError(name, err)
		}
		if _, err := t.New(kind + ".html").Parse(src); err != nil {
			return nil, themeError(name, err)
		}
		th.pages[kind] = t
	}
	return th, nil
}

// execute renders a page kind; errors name the theme file and line.
func (th *theme) execute(w interface{ Write([]byte) (int, error) }, kind string, data any) error {
	t := th.pages[kind]
	if t == nil {
		return &Error{Msg: "theme has no template for " + kind}
	}
	if err := t.ExecuteTemplate(w, "base.html", data); err != nil {
		var ee texttemplate.ExecError
		if errors.As(err, &ee) {
			return themeError(th.name, ee.Err)
		}
		return themeError(th.name, err)
	}
	return nil
}

// resolveTheme layers the project's themes/<name>/ over the built-in theme.
func resolveTheme(in Input, cfg *Config) (fs.FS, error) {
	th, err := ResolveTheme(in.Project, in.Theme, cfg.Theme)
	if err != nil {
		return nil, &Error{Pos: Pos{File: ConfigFile, Line: cfg.line("theme")}, Field: "theme", Msg: err.Error()}
	}
	return th, nil
}

// ResolveTheme returns the theme called name: the project's themes/<name>/
// layered over builtin, so a site overrides single files and inherits the
// rest. Any name other than "default" must exist in the project.
func ResolveTheme(project, builtin fs.FS, name string) (fs.FS, error) {
	dir := "themes/" + name
	st, err := fs.Stat(project, dir)
	if err != nil || !st.IsDir() {
		if name != "default" {
			return nil, fmt.Errorf("theme folder %s not found", dir)
		}
		return builtin, nil
	}
	sub, err := fs.Sub(project, dir)
	if err != nil {
		return nil, err
	}
	return Overlay{Upper: sub, Lower: builtin}, nil
}
