package site

import (
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// decoder turns a front matter node tree into an Episode, collecting every
// problem with its position rather than stopping at the first.
type decoder struct {
	file   string
	errs   *ErrorList
	pos    map[string]Pos
	failed map[string]bool // fields already reported, to avoid piling on
}

func (d *decoder) at(n *node) Pos { return Pos{File: d.file, Line: n.line, Col: n.col} }

func (d *decoder) fail(n *node, field, format string, args ...any) {
	d.failed[field] = true
	d.errs.Add(d.at(n), field, format, args...)
}

// fieldSet describes the keys a mapping may hold.
type fieldSet map[string]func(field string, v *node)

// mapping walks a mapping node, dispatching known keys and reporting unknown
// ones with a suggestion, so a typo never passes silently.
func (d *decoder) mapping(n *node, prefix string, fields fieldSet) {
	if n.kind != mapNode {
		d.fail(n, strings.TrimSuffix(prefix, "."), "must be a mapping, got %s", n.describe())
		return
	}
	for i, k := range n.keys {
		name := k.value
		full := prefix + name
		// A mapping has a handful of keys: looking back at them costs
		// less than a map per mapping (one for every guest, book and
		// chapter of every episode).
		if slices.ContainsFunc(n.keys[:i], func(prev *node) bool { return prev.value == name }) {
			d.fail(k, full, "duplicate key")
			continue
		}
		fn, ok := fields[name]
		if !ok {
			if s := suggest(name, fields); s != "" {
				d.fail(k, full, "unknown key (did you mean %q?)", s)
			} else {
				d.fail(k, full, "unknown key")
			}
			continue
		}
		d.pos[full] = d.at(k)
		fn(full, n.vals[i])
	}
}

// synonyms are keys people write for a known key under another name.
var synonyms = map[string]string{"size": "length", "bytes": "length", "path": "file", "mime": "type"}

// suggest returns the known key closest to name, if it is a plausible typo.
func suggest(name string, fields fieldSet) string {
	if alt, ok := synonyms[name]; ok && fields[alt] != nil {
		return alt
	}
	best, bestDist := "", 3
	for k := range fields {
		if dist := editDistance(name, k); dist < bestDist || (dist == bestDist && best != "" && k < best) {
			best, bestDist = k, dist
		}
	}
	if bestDist > len(name)/2 {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (d *decoder) str(field string, n *node) (string, bool) {
	if n.kind != scalarNode || n.tag == "null" {
		d.fail(n, field, "must be a string, got %s", n.describe())
		return "", false
	}
	if n.tag != "str" {
		// A bare number or boolean where text is expected is almost always
		// fine to take literally (a title of 1984).
		return n.value, true
	}
	return n.value, true
}

// text is a required-or-optional string, trimmed and cleaned of control
// characters, which no page or feed may carry.
func (d *decoder) text(field string, n *node, dst *string) {
	if s, ok := d.str(field, n); ok {
		*dst = strings.TrimSpace(cleanText(s))
	}
}

// cleanText drops C0/C1 control characters (but tab and newline) and the
// non-characters U+FFFE/U+FFFF: XML 1.0 forbids them and HTML flags them.
func cleanText(s string) string {
	clean := func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f) || r == 0xfffe || r == 0xffff
	}
	if strings.IndexFunc(s, clean) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if clean(r) {
			return -1
		}
		return r
	}, s)
}

func (d *decoder) boolean(field string, n *node, dst *bool) {
	if n.kind != scalarNode || n.tag != "bool" {
		d.fail(n, field, "must be true or false, got %s", n.describe())
		return
	}
	*dst = n.value == "true"
}

func (d *decoder) positiveInt(field string, n *node, dst *int) {
	if n.kind != scalarNode || n.tag != "int" {
		d.fail(n, field, "must be a positive integer, got %s", n.describe())
		return
	}
	v, err := strconv.ParseInt(n.value, 0, 64)
	if err != nil || v < 1 || v > math.MaxInt32 {
		d.fail(n, field, "must be a positive integer, got %s", n.value)
		return
	}
	*dst = int(v)
}

func (d *decoder) list(field string, n *node, each func(field string, item *node)) {
	if n.kind == scalarNode && n.tag == "null" {
		return
	}
	if n.kind != seqNode {
		d.fail(n, field, "must be a list, got %s", n.describe())
		return
	}
	for i, item := range n.items {
		f := fmt.Sprintf("%s[%d]", field, i)
		d.pos[f] = d.at(item)
		each(f, item)
	}
}

func (d *decoder) absURL(field string, n *node, dst *string) {
	s, ok := d.str(field, n)
	if !ok {
		return
	}
	s = strings.TrimSpace(s)
	if s == "" {
		*dst = ""
		return
	}
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.fail(n, field, "must be an absolute http(s) URL, got %q", s)
		return
	}
	*dst = s
}

// assetPath is a path to a file under content/, written site-relative
// (audio/412.mp3) like every other asset.
func (d *decoder) assetPath(field string, n *node, dst *string) {
	var s string
	d.text(field, n, &s)
	if s == "" {
		if !d.failed[field] {
			d.fail(n, field, "must not be empty when given")
		}
		return
	}
	if strings.Contains(s, "://") || !fs.ValidPath(path0(s)) {
		d.fail(n, field, "must be a path to a file under content/, like audio/412.mp3, got %q", s)
		return
	}
	*dst = strings.TrimPrefix(s, "/")
}

// person accepts "Name" or {name, url, bio, img, role}.
func (d *decoder) person(field string, n *node) *PersonInfo {
	p := &PersonInfo{}
	if n.kind == scalarNode {
		d.text(field, n, &p.Name)
	} else {
		d.mapping(n, field+".", fieldSet{
			"name": func(f string, v *node) { d.text(f, v, &p.Name) },
			"url":  func(f string, v *node) { d.absURL(f, v, &p.URL) },
			"bio":  func(f string, v *node) { d.text(f, v, &p.Bio) },
			"img":  func(f string, v *node) { d.text(f, v, &p.Img) },
			"role": func(f string, v *node) { d.text(f, v, &p.Role) },
		})
		if n.kind != mapNode {
			return nil
		}
	}
	if p.Name == "" {
		d.fail(n, field+".name", "must not be empty")
		return nil
	}
	return p
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// frontMatter is the decoded, not yet cross-checked, content of one file.
type frontMatter struct {
	Title, Summary, Type, Slug, GUID string
	Date                             time.Time
	hasDate                          bool
	Number, Season                   int
	Guests, Hosts                    []*PersonInfo
	hostsSet                         bool
	Books                            []*Book
	Image                            *Image
	Audio                            *Audio
	Duration                         time.Duration
	hasDuration                      bool
	Explicit                         bool
	Tags                             []string
	tagNodes                         []*node
	Draft                            bool
	Chapters                         []Chapter
}

func (d *decoder) episode(root *node) *frontMatter {
	fm := &frontMatter{Type: "full"}
	d.mapping(root, "", fieldSet{
		"title":   func(f string, v *node) { d.text(f, v, &fm.Title) },
		"summary": func(f string, v *node) { d.text(f, v, &fm.Summary) },
		"date": func(f string, v *node) {
			if s, ok := d.str(f, v); ok {
				t, err := parseDate(s)
				if err != nil {
					d.fail(v, f, "%v", err)
					return
				}
				fm.Date, fm.hasDate = t, true
			}
		},
		"episode": func(f string, v *node) { d.positiveInt(f, v, &fm.Number) },
		"season":  func(f string, v *node) { d.positiveInt(f, v, &fm.Season) },
		"type": func(f string, v *node) {
			if s, ok := d.str(f, v); ok {
				switch s {
				case "full", "trailer", "bonus":
					fm.Type = s
				default:
					d.fail(v, f, "must be full, trailer or bonus, got %q", s)
				}
			}
		},
		"slug": func(f string, v *node) {
			if s, ok := d.str(f, v); ok {
				if !slugPattern.MatchString(s) {
					d.fail(v, f, "must contain only lowercase letters, digits and single hyphens, got %q", s)
					return
				}
				fm.Slug = s
			}
		},
		"guid": func(f string, v *node) {
			d.text(f, v, &fm.GUID)
			if fm.GUID == "" {
				d.fail(v, f, "must not be empty when given")
			}
		},
		"guests": func(f string, v *node) {
			d.list(f, v, func(f string, item *node) {
				if p := d.person(f, item); p != nil {
					fm.Guests = append(fm.Guests, p)
				}
			})
		},
		"hosts": func(f string, v *node) {
			fm.hostsSet = true
			d.list(f, v, func(f string, item *node) {
				if p := d.person(f, item); p != nil {
					fm.Hosts = append(fm.Hosts, p)
				}
			})
		},
		"books": func(f string, v *node) {
			d.list(f, v, func(f string, item *node) {
				b := &Book{}
				d.mapping(item, f+".", fieldSet{
					"title":  func(f string, v *node) { d.text(f, v, &b.Title) },
					"author": func(f string, v *node) { d.text(f, v, &b.Author) },
					"url":    func(f string, v *node) { d.absURL(f, v, &b.URL) },
					"isbn": func(f string, v *node) {
						d.text(f, v, &b.ISBN)
						if b.ISBN != "" && !validISBN(b.ISBN) {
							d.fail(v, f, "invalid ISBN %q", b.ISBN)
						}
					},
				})
				if item.kind == mapNode {
					if b.Title == "" {
						d.fail(item, f+".title", "must not be empty")
						return
					}
					fm.Books = append(fm.Books, b)
				}
			})
		},
		"image": func(f string, v *node) {
			img := &Image{}
			d.mapping(v, f+".", fieldSet{
				"src":         func(f string, v *node) { d.text(f, v, &img.Src) },
				"alt":         func(f string, v *node) { d.text(f, v, &img.Alt) },
				"credit":      func(f string, v *node) { d.text(f, v, &img.Credit) },
				"license":     func(f string, v *node) { d.text(f, v, &img.License) },
				"license_url": func(f string, v *node) { d.absURL(f, v, &img.LicenseURL) },
			})
			if v.kind != mapNode {
				return
			}
			if img.Src == "" {
				d.fail(v, f+".src", "must not be empty")
			}
			if img.Alt == "" {
				d.fail(v, f+".alt", "must not be empty: describe the photo for listeners using screen readers")
			}
			fm.Image = img
		},
		"audio": func(f string, v *node) {
			a := &Audio{}
			d.mapping(v, f+".", fieldSet{
				"url":  func(f string, v *node) { d.absURL(f, v, &a.URL) },
				"file": func(f string, v *node) { d.assetPath(f, v, &a.File) },
				"type": func(f string, v *node) { d.text(f, v, &a.Type) },
				"length": func(f string, v *node) {
					if v.kind != scalarNode || v.tag != "int" {
						d.fail(v, f, "must be a whole number of bytes, got %s", v.describe())
						return
					}
					n, err := strconv.ParseInt(v.value, 10, 64)
					if err != nil || n < 1 {
						d.fail(v, f, "must be a whole number of bytes greater than 0, got %s", v.value)
						return
					}
					a.Length = n
				},
			})
			if v.kind == mapNode {
				fm.Audio = a
			}
		},
		"duration": func(f string, v *node) {
			if v.kind != scalarNode || (v.tag != "str" && v.tag != "int") {
				d.fail(v, f, "must be HH:MM:SS, MM:SS or whole seconds, got %s", v.describe())
				return
			}
			dur, err := parseDuration(v.value)
			if err != nil {
				d.fail(v, f, "%v", err)
				return
			}
			fm.Duration, fm.hasDuration = dur, true
		},
		"explicit": func(f string, v *node) { d.boolean(f, v, &fm.Explicit) },
		"draft":    func(f string, v *node) { d.boolean(f, v, &fm.Draft) },
		"tags": func(f string, v *node) {
			d.list(f, v, func(f string, item *node) {
				var s string
				d.text(f, item, &s)
				if s == "" {
					if item.kind == scalarNode {
						d.fail(item, f, "must not be empty")
					}
					return
				}
				fm.Tags = append(fm.Tags, s)
				fm.tagNodes = append(fm.tagNodes, item)
			})
		},
		"chapters": func(f string, v *node) {
			d.list(f, v, func(f string, item *node) {
				var c Chapter
				hasStart := false
				d.mapping(item, f+".", fieldSet{
					"start": func(f string, v *node) {
						if v.kind != scalarNode || (v.tag != "str" && v.tag != "int") {
							d.fail(v, f, "must be HH:MM:SS, MM:SS or whole seconds, got %s", v.describe())
							return
						}
						dur, err := parseDuration(v.value)
						if err != nil {
							d.fail(v, f, "%v", err)
							return
						}
						c.Start, hasStart = dur, true
					},
					"title": func(f string, v *node) { d.text(f, v, &c.Title) },
					"url":   func(f string, v *node) { d.absURL(f, v, &c.URL) },
					"img":   func(f string, v *node) { d.text(f, v, &c.Img) },
				})
				if item.kind != mapNode {
					return
				}
				if !hasStart {
					d.fail(item, f+".start", "is required")
				}
				if c.Title == "" {
					d.fail(item, f+".title", "must not be empty")
				}
				if n := len(fm.Chapters); n > 0 && hasStart && c.Start <= fm.Chapters[n-1].Start {
					d.fail(item, f+".start", "must be later than the previous chapter's start")
				}
				fm.Chapters = append(fm.Chapters, c)
			})
		},
	})
	return fm
}

// parseDate accepts YYYY-MM-DD (midnight UTC) and RFC 3339.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	// YAML writes timestamps with a space; accept what its users type.
	if t, err := time.Parse("2006-01-02 15:04:05Z07:00", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("invalid date %q: use YYYY-MM-DD or RFC 3339 (2024-02-08T06:00:00Z)", s)
}

// parseDuration accepts HH:MM:SS, MM:SS and whole seconds.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("invalid duration %q: use HH:MM:SS, MM:SS or whole seconds", s)
	parts := strings.Split(s, ":")
	if len(parts) > 3 || s == "" {
		return 0, bad
	}
	var total int64
	for i, p := range parts {
		if p == "" || strings.TrimLeft(p, "0123456789") != "" || len(p) > 9 {
			return 0, bad
		}
		v, _ := strconv.ParseInt(p, 10, 64)
		if i > 0 && (v > 59 || len(p) != 2) {
			return 0, bad
		}
		total = total*60 + v
	}
	return time.Duration(total) * time.Second, nil
}

// validISBN checks an ISBN-10 or ISBN-13 check digit, ignoring hyphens and
// spaces.
func validISBN(s string) bool {
	digits := isbnKey(s) // a Replacer built per call was 4% of what a build allocated
	switch len(digits) {
	case 13:
		sum := 0
		for i, c := range digits {
			if c < '0' || c > '9' {
				return false
			}
			w := 1
			if i%2 == 1 {
				w = 3
			}
			sum += int(c-'0') * w
		}
		return sum%10 == 0
	case 10:
		sum := 0
		for i, c := range digits {
			var v int
			switch {
			case c >= '0' && c <= '9':
				v = int(c - '0')
			case (c == 'X' || c == 'x') && i == 9:
				v = 10
			default:
				return false
			}
			sum += v * (10 - i)
		}
		return sum%11 == 0
	}
	return false
}
