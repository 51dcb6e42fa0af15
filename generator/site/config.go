package site

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"shownotes/generator/feed"
)

// ConfigFile is the name of the site configuration in the project root.
const ConfigFile = "site.toml"

// Config is site.toml. Unknown keys are errors (see LoadConfig).
type Config struct {
	Title       string       `toml:"title"`
	Description string       `toml:"description"`
	BaseURL     string       `toml:"base_url"`
	Language    string       `toml:"language"`
	Author      string       `toml:"author"`
	Copyright   string       `toml:"copyright"`
	Image       string       `toml:"image"` // show artwork: a path under content/ or an absolute URL
	Explicit    bool         `toml:"explicit"`
	Categories  []string     `toml:"categories"` // Apple categories: "History" or "Society & Culture/Documentary"
	Type        string       `toml:"type"`       // episodic | serial
	Owner       Owner        `toml:"owner"`
	Hosts       []PersonInfo `toml:"hosts"`
	Paginate    int          `toml:"paginate"`
	Theme       string       `toml:"theme"`
	Markdown    Markdown     `toml:"markdown"`
	Feed        FeedConfig   `toml:"feed"`

	base       *url.URL
	categories []feed.Category
	src        []byte
}

type Owner struct {
	Name  string `toml:"name"`
	Email string `toml:"email"`
}

// PersonInfo is a host or guest as written in site.toml or front matter.
type PersonInfo struct {
	Name string `toml:"name"`
	URL  string `toml:"url"`
	Bio  string `toml:"bio"`
	Img  string `toml:"img"`
	Role string `toml:"role"` // Podcasting 2.0 person role; default "host"/"guest"
}

type Markdown struct {
	// Unsafe keeps raw HTML in show notes. Off by default: episode files
	// often come from many hands, and raw HTML is a script-injection path.
	Unsafe bool `toml:"unsafe"`
}

// FeedConfig tunes /feed.xml.
type FeedConfig struct {
	Limit      int       `toml:"limit"`        // newest N episodes; 0 = all
	NewFeedURL string    `toml:"new_feed_url"` // itunes:new-feed-url when moving hosts
	Block      bool      `toml:"block"`
	Complete   bool      `toml:"complete"`
	GUID       string    `toml:"guid"` // podcast:guid; default UUIDv5 of the feed URL
	Locked     bool      `toml:"locked"`
	License    string    `toml:"license"`
	LicenseURL string    `toml:"license_url"`
	Medium     string    `toml:"medium"`
	Funding    []Funding `toml:"funding"`
}

type Funding struct {
	URL  string `toml:"url"`
	Text string `toml:"text"`
}

// BasePath is the path part of base_url, always ending in "/": "/" for a
// site at the root, "/show/" for one hosted under a sub-path.
func (c *Config) BasePath() string {
	if c.base == nil || c.base.Path == "" {
		return "/"
	}
	return c.base.Path
}

// AbsURL turns a site-relative path ("episodes/x/") into an absolute URL;
// BaseURL always ends in "/" after LoadConfig.
func (c *Config) AbsURL(rel string) string {
	if strings.Contains(rel, "://") {
		return rel
	}
	return c.BaseURL + strings.TrimPrefix(rel, "/")
}

// LoadConfig decodes site.toml strictly and validates it. Every problem is
// reported with its line and column.
func LoadConfig(src []byte) (*Config, ErrorList) {
	var errs ErrorList
	cfg := &Config{Paginate: 10, Theme: "default", Type: "episodic", Language: "en"}
	dec := toml.NewDecoder(bytes.NewReader(src)).DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		var strict *toml.StrictMissingError
		var de *toml.DecodeError
		switch {
		case errors.As(err, &strict):
			for _, e := range strict.Errors {
				row, col := e.Position()
				errs.Add(Pos{File: ConfigFile, Line: row, Col: col}, strings.Join(e.Key(), "."), "unknown key")
			}
		case errors.As(err, &de):
			row, col := de.Position()
			msg := strings.TrimPrefix(de.Error(), "toml: ")
			if m := tomlTypeErr.FindStringSubmatch(msg); m != nil {
				msg = fmt.Sprintf("must be %s, got a %s", goTypeWords[m[2]], m[1])
			}
			if len(de.Key()) == 0 {
				msg = "invalid TOML: " + msg
			}
			errs.Add(Pos{File: ConfigFile, Line: row, Col: col}, strings.Join(de.Key(), "."), "%s", msg)
		default:
			errs.Add(Pos{File: ConfigFile}, "", "%s", err.Error())
		}
		return nil, fillSnippets(errs, map[string][]byte{ConfigFile: src})
	}
	cfg.src = src
	at := func(key string) Pos { return Pos{File: ConfigFile, Line: keyLine(src, key)} }
	if strings.TrimSpace(cfg.Title) == "" {
		errs.Add(at("title"), "title", "must not be empty")
	}
	if strings.TrimSpace(cfg.Description) == "" {
		errs.Add(at("description"), "description", "must not be empty")
	}
	u, err := url.Parse(cfg.BaseURL)
	switch {
	case cfg.BaseURL == "":
		errs.Add(at("base_url"), "base_url", "must not be empty: the feed and sitemap need absolute URLs")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		errs.Add(at("base_url"), "base_url", "must be an absolute http(s) URL, got %q", cfg.BaseURL)
	default:
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		cfg.base = u
		cfg.BaseURL = u.Scheme + "://" + u.Host + u.Path
	}
	if cfg.Paginate < 1 {
		errs.Add(at("paginate"), "paginate", "must be at least 1, got %d", cfg.Paginate)
	}
	if cfg.Type != "episodic" && cfg.Type != "serial" {
		errs.Add(at("type"), "type", "must be episodic or serial, got %q", cfg.Type)
	}
	if strings.ContainsAny(cfg.Theme, `/\.`) || cfg.Theme == "" {
		errs.Add(at("theme"), "theme", "must be a theme folder name under themes/, got %q", cfg.Theme)
	}
	for i, h := range cfg.Hosts {
		if strings.TrimSpace(h.Name) == "" {
			errs.Add(at("hosts"), "hosts["+itoa(i)+"].name", "must not be empty")
		}
	}
	for _, c := range cfg.Categories {
		cat, ok := parseCategory(c)
		if !ok {
			errs.Add(at("categories"), "categories", "%q is not an Apple Podcasts category (write \"Category\" or \"Category/Subcategory\", e.g. \"Society & Culture/Documentary\")", c)
			continue
		}
		cfg.categories = append(cfg.categories, cat)
	}
	if len(cfg.Categories) == 0 {
		errs.Add(at("categories"), "categories", "must name at least one Apple Podcasts category, e.g. [\"History\"]")
	}
	if cfg.Feed.Limit < 0 {
		errs.Add(at("limit"), "feed.limit", "must not be negative")
	}
	return cfg, fillSnippets(errs, map[string][]byte{ConfigFile: src})
}

var tomlTypeErr = regexp.MustCompile(`cannot decode TOML (\w+) into struct field \S+ of type (\S+)`)

// goTypeWords names Go field types in the words of a site.toml author.
var goTypeWords = map[string]string{
	"int": "a whole number", "int64": "a whole number", "bool": "true or false", "string": "a string",
	"[]string": "a list of strings", "site.Owner": "a table", "site.Markdown": "a table", "site.FeedConfig": "a table",
	"[]site.PersonInfo": "a list of tables ([[hosts]])", "[]site.Funding": "a list of tables ([[feed.funding]])",
}

// parseCategory accepts "Parent", "Parent/Sub", "Parent > Sub", and a bare
// subcategory name that belongs to exactly one parent ("Politics").
func parseCategory(s string) (feed.Category, bool) {
	for _, sep := range []string{"/", ">"} {
		if parent, sub, ok := strings.Cut(s, sep); ok {
			c := feed.Category{Name: strings.TrimSpace(parent), Sub: strings.TrimSpace(sub)}
			return c, feed.ValidCategory(c.Name, c.Sub)
		}
	}
	s = strings.TrimSpace(s)
	if feed.ValidCategory(s, "") {
		return feed.Category{Name: s}, true
	}
	var found []feed.Category
	for _, c := range feed.AppleCategories() {
		if c.Sub == s {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return feed.Category{}, false
}

// line is the line of key in site.toml, 0 when absent.
func (c *Config) line(key string) int { return keyLine(c.src, key) }

// keyLine finds the first line assigning key, for errors about values that
// decoded fine but failed validation. Zero when absent.
func keyLine(src []byte, key string) int {
	for i, line := range strings.Split(string(src), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, key) {
			rest := strings.TrimSpace(t[len(key):])
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(t, "[") {
				return i + 1
			}
		}
		if t == "[["+key+"]]" || t == "["+key+"]" {
			return i + 1
		}
	}
	return 0
}

func fillSnippets(errs ErrorList, files map[string][]byte) ErrorList {
	for _, e := range errs {
		if src, ok := files[e.Pos.File]; ok && e.Snippet == "" {
			e.Snippet = lineAt(src, e.Pos.Line)
		}
	}
	return errs
}
