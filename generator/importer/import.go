// Package importer moves an existing show into a shownotes site from its
// RSS feed: site.toml from the channel, one Markdown episode file per item,
// with every guid kept verbatim so that subscribers see no change.
//
// Importing again is safe: episodes are matched by guid, files written by
// an earlier import are updated, new items are added, and files edited
// since are left alone unless Options.Force. The manifest
// .shownotes-import.json in the site root remembers what was written.
package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/adrg/frontmatter"
	"github.com/pelletier/go-toml/v2"
	"gopkg.in/yaml.v3"

	"shownotes/generator/site"
)

// ManifestFile records, in the site root, what the last import wrote.
const ManifestFile = ".shownotes-import.json"

// Options tune Import.
type Options struct {
	// Force overwrites files edited since the last import, and files that
	// hold a feed item's guid but were not written by an import.
	Force bool
	// Now dates items that have no usable pubDate (they become drafts);
	// nil means time.Now.
	Now func() time.Time
	// Source is recorded in the manifest (the path or URL imported).
	Source string
}

// Warning is a problem that did not stop the import.
type Warning struct {
	Item int    // 1-based position of the <item> in the feed; 0 for the channel
	File string // the file written for it, slash-separated; "" if none
	Msg  string
}

// String is "content/episodes/x.md (item 3): audio.length: …",
// "item 3: …" or "site.toml: …".
func (w Warning) String() string {
	var where string
	switch {
	case w.File != "" && w.Item > 0:
		where = fmt.Sprintf("%s (item %d)", w.File, w.Item)
	case w.File != "":
		where = w.File
	case w.Item > 0:
		where = fmt.Sprintf("item %d", w.Item)
	default:
		where = "feed"
	}
	return where + ": " + w.Msg
}

// Skip is an item the import did not write, with the reason.
type Skip struct {
	Item   int
	GUID   string
	File   string
	Reason string
}

func (s Skip) String() string {
	if s.File != "" {
		return fmt.Sprintf("%s (item %d): %s", s.File, s.Item, s.Reason)
	}
	return fmt.Sprintf("item %d: %s", s.Item, s.Reason)
}

// Report says what an import did. The four lists hold episode files,
// slash-separated and relative to the site root; every feed item is in
// exactly one of them (Skipped by item).
type Report struct {
	Added, Updated, Unchanged []string
	Skipped                   []Skip
	// Config is what happened to site.toml: "created", "updated",
	// "unchanged", "kept" (a site.toml the import did not write) or
	// "skipped" (edited since the last import).
	Config   string
	Warnings []Warning
	// FeedURL is the old feed's own address (atom:link rel="self"), the
	// one to redirect to the new feed.
	FeedURL string
}

// Summary is the one-line result:
// "import: 54 added, 0 updated, 0 unchanged, 0 skipped (2 warnings)".
func (r *Report) Summary() string {
	s := fmt.Sprintf("import: %d added, %d updated, %d unchanged, %d skipped", len(r.Added), len(r.Updated), len(r.Unchanged), len(r.Skipped))
	switch n := len(r.Warnings); n {
	case 0:
	case 1:
		s += " (1 warning)"
	default:
		s += fmt.Sprintf(" (%d warnings)", n)
	}
	return s
}

type manifestFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

type manifest struct {
	Comment  string                  `json:"//"`
	Source   string                  `json:"source,omitempty"`
	Site     *manifestFile           `json:"site,omitempty"`
	Episodes map[string]manifestFile `json:"episodes"` // by guid
}

const manifestComment = "Written by shownotes import: the files it wrote and their SHA-256, so that importing again updates them but leaves files edited since alone."

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// existingFile is an episode file already in the site.
type existingFile struct {
	path     string // slash-separated, relative to the site root
	data     []byte
	guid     string
	slug     string
	episode  int
	season   int
	tags     []string
	people   []string // guest and host names
	replaced bool     // the import will overwrite it
}

// Import converts the feed and writes the site in dir (created if needed).
// Every file is converted in memory first and then written through a
// temporary file and a rename, so a failing import changes nothing, and a
// crash cannot leave half a file.
func Import(ctx context.Context, dir string, data []byte, opts Options) (*Report, error) {
	f, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	man, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	files, err := scanEpisodes(ctx, dir)
	if err != nil {
		return nil, err
	}
	byGUID := map[string]*existingFile{}
	byPath := map[string]*existingFile{}
	for _, ef := range files {
		byPath[ef.path] = ef
		if ef.guid != "" && byGUID[ef.guid] == nil {
			byGUID[ef.guid] = ef
		}
	}

	c := &converter{feed: f, now: opts.Now(), people: map[string]string{}, tags: map[string]string{}}
	// Names and tags already in the site, in files this feed does not
	// cover, fix their spelling: two spellings of one page address are a
	// build error.
	feedGUIDs := map[string]bool{}
	for _, it := range f.Items {
		g := verbatim(it.GUID)
		if g == "" && len(it.Enclosures) > 0 {
			g = verbatim(it.Enclosures[0].URL)
		}
		feedGUIDs[g] = true
	}
	for _, ef := range files {
		if ef.guid != "" && feedGUIDs[ef.guid] {
			continue
		}
		for _, t := range ef.tags {
			if sl := site.Slugify(t); sl != "" && c.tags[sl] == "" {
				c.tags[sl] = t
			}
		}
		for _, p := range ef.people {
			if sl := site.Slugify(p); sl != "" && c.people[sl] == "" {
				c.people[sl] = p
			}
		}
	}
	if l := line(f.Link); isAbsHTTP(l) {
		c.base = l
	}
	rep := &Report{FeedURL: line(f.SelfURL)}
	type write struct {
		path string
		data []byte
		guid string // "" for site.toml
	}
	var writes []write

	// site.toml
	nw := len(c.warnings)
	cfgData := c.siteConfig()
	cfgPath := filepath.Join(dir, site.ConfigFile)
	old, err := os.ReadFile(cfgPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		rep.Config = "created"
		writes = append(writes, write{site.ConfigFile, cfgData, ""})
	case err != nil:
		return nil, err
	case bytes.Equal(old, cfgData):
		rep.Config = "unchanged"
	case man.Site == nil:
		rep.Config = "kept"
	case man.Site.SHA256 != sum(old) && !opts.Force:
		rep.Config = "skipped"
	default:
		rep.Config = "updated"
		writes = append(writes, write{site.ConfigFile, cfgData, ""})
	}
	if rep.Config == "kept" || rep.Config == "skipped" {
		// The site's own configuration stays: what the import would have
		// written does not matter, but its default hosts do.
		c.warnings = c.warnings[:nw]
		c.hosts = nil
		if cfg, _ := site.LoadConfig(old); cfg != nil {
			for _, h := range cfg.Hosts {
				c.hosts = append(c.hosts, personYAML{Name: h.Name, URL: h.URL, Img: h.Img, Role: h.Role})
			}
		}
	} else if _, errs := site.LoadConfig(cfgData); len(errs.Errors()) > 0 {
		for _, e := range errs.Errors() {
			if e.Field == "categories" {
				continue // already explained by the warning above
			}
			c.warn(0, site.ConfigFile, "%s: %s", e.Field, e.Msg)
		}
	}

	// Episodes, converted oldest first.
	var eps []*episodePlan
	for i := range f.Items {
		eps = append(eps, c.episode(&f.Items[i]))
	}
	sortByDate(eps)
	seenGUID := map[string]int{}
	for _, ep := range eps {
		if ep.status == "skipped" {
			continue
		}
		if first, dup := seenGUID[ep.guid]; dup {
			ep.status, ep.reason = "skipped", fmt.Sprintf("its guid %q is also the guid of item %d: podcast apps see the two as one episode", ep.guid, first)
			continue
		}
		seenGUID[ep.guid] = ep.item.Index
		// Where it goes, and whether we may write there.
		if ef := byGUID[ep.guid]; ef != nil {
			ep.path = ef.path
			ep.fm.Slug = ef.slug
			entry, ours := man.Episodes[ep.guid]
			switch {
			case ours && entry.Path == ef.path && entry.SHA256 == sum(ef.data), opts.Force:
				ef.replaced = true
			case ours && entry.Path == ef.path:
				ep.reason = "edited since the last import (-force overwrites it)"
			default:
				ep.reason = "holds the item's guid but was not written by shownotes import (-force overwrites it)"
			}
			continue
		}
		if entry, ours := man.Episodes[ep.guid]; ours && !opts.Force {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(entry.Path))); err == nil {
				// The file is there, but its guid was changed by hand.
				ep.path = entry.Path
				ep.status, ep.reason = "skipped", "edited since the last import (its guid was changed; -force writes the item to a new file)"
			} else {
				ep.status, ep.reason = "skipped", "deleted since the last import (-force imports it again)"
			}
		}
	}
	// Slugs and episode numbers still taken by files that stay.
	usedSlugs := map[string]bool{}
	usedNumbers := map[[2]int]string{}
	for _, ef := range files {
		if ef.replaced {
			continue
		}
		usedSlugs[ef.slug] = true
		if ef.episode > 0 {
			usedNumbers[[2]int{ef.season, ef.episode}] = ef.path
		}
	}
	for _, ep := range eps {
		if ep.status == "skipped" || ep.path != "" {
			continue
		}
		ep.fm.Slug = uniqueSlug(ep.fm.Title, usedSlugs, func(p string) bool {
			if byPath[p] != nil {
				return true
			}
			_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p)))
			return err == nil
		})
		usedSlugs[ep.fm.Slug] = true
		ep.path = EpisodesDir + "/" + ep.fm.Slug + ".md"
	}
	for _, ep := range eps {
		if ep.status == "skipped" {
			continue
		}
		if ep.fm.Episode > 0 {
			key := [2]int{ep.fm.Season, ep.fm.Episode}
			if other, dup := usedNumbers[key]; dup && other != ep.path {
				what := fmt.Sprintf("episode %d", ep.fm.Episode)
				if ep.fm.Season > 0 {
					what = fmt.Sprintf("season %d episode %d", ep.fm.Season, ep.fm.Episode)
				}
				c.warn(ep.item.Index, ep.path, "episode: %s is already %s: number left out", what, other)
				ep.fm.Episode = 0
			} else {
				usedNumbers[key] = ep.path
			}
		}
		if ep.fm.Episode == 0 && strings.EqualFold(line(f.Type), "serial") {
			c.warn(ep.item.Index, ep.path, "episode: the show is serial and this episode has no number: the build requires one")
		}
	}
	// Render and decide.
	newMan := &manifest{Comment: manifestComment, Source: opts.Source, Site: man.Site, Episodes: map[string]manifestFile{}}
	if newMan.Source == "" {
		newMan.Source = man.Source
	}
	for g, e := range man.Episodes {
		newMan.Episodes[g] = e
	}
	for _, ep := range eps {
		if ep.status == "skipped" {
			rep.Skipped = append(rep.Skipped, Skip{Item: ep.item.Index, GUID: ep.guid, File: ep.path, Reason: ep.reason})
			continue
		}
		ep.data = ep.render()
		if ef := byPath[ep.path]; ef != nil {
			if bytes.Equal(ef.data, ep.data) {
				ep.status = "unchanged"
				rep.Unchanged = append(rep.Unchanged, ep.path)
				newMan.Episodes[ep.guid] = manifestFile{Path: ep.path, SHA256: sum(ep.data)}
				continue
			}
			if ep.reason != "" {
				ep.status = "skipped"
				rep.Skipped = append(rep.Skipped, Skip{Item: ep.item.Index, GUID: ep.guid, File: ep.path, Reason: ep.reason})
				continue
			}
			ep.status = "updated"
			rep.Updated = append(rep.Updated, ep.path)
		} else {
			ep.status = "added"
			rep.Added = append(rep.Added, ep.path)
		}
		writes = append(writes, write{ep.path, ep.data, ep.guid})
	}
	// Warnings about an item name its file.
	itemFile := map[int]string{}
	for _, ep := range eps {
		if ep.status != "skipped" {
			itemFile[ep.item.Index] = ep.path
		}
	}
	for i := range c.warnings {
		w := &c.warnings[i]
		if w.Item > 0 && w.File == "" {
			w.File = itemFile[w.Item]
		}
	}
	sort.SliceStable(c.warnings, func(i, j int) bool { return c.warnings[i].Item < c.warnings[j].Item })
	if len(f.Unmapped) > 0 {
		c.warn(0, "", "not imported, shownotes has no place for them: %s", unmappedList(f.Unmapped))
	}
	rep.Warnings = c.warnings
	sort.Strings(rep.Added)
	sort.Strings(rep.Updated)
	sort.Strings(rep.Unchanged)
	sort.SliceStable(rep.Skipped, func(i, j int) bool { return rep.Skipped[i].Item < rep.Skipped[j].Item })

	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Write: every file to a temporary name first; rename only when all
	// were written.
	type pending struct {
		write
		tmp string
	}
	var ps []pending
	cleanup := func() {
		for _, p := range ps {
			_ = os.Remove(p.tmp)
		}
	}
	for _, w := range writes {
		tmp, err := writeTemp(dir, w.path, w.data)
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("writing %s: %w", w.path, err)
		}
		ps = append(ps, pending{w, tmp})
	}
	var renameErr error
	for i, p := range ps {
		target := filepath.Join(dir, filepath.FromSlash(p.path))
		if err := os.Rename(p.tmp, target); err != nil {
			renameErr = fmt.Errorf("writing %s: %w", p.path, err)
			ps = ps[i:]
			cleanup()
			break
		}
		entry := manifestFile{Path: p.path, SHA256: sum(p.data)}
		if p.guid == "" {
			newMan.Site = &entry
		} else {
			newMan.Episodes[p.guid] = entry
		}
	}
	if rep.Config == "unchanged" && newMan.Site == nil && man.Site == nil && len(old) > 0 {
		// An identical site.toml is as good as one we wrote.
		newMan.Site = &manifestFile{Path: site.ConfigFile, SHA256: sum(old)}
	}
	manData, _ := json.MarshalIndent(newMan, "", "  ")
	manData = append(manData, '\n')
	if tmp, err := writeTemp(dir, ManifestFile, manData); err != nil {
		renameErr = errors.Join(renameErr, fmt.Errorf("writing %s: %w", ManifestFile, err))
	} else if err := os.Rename(tmp, filepath.Join(dir, ManifestFile)); err != nil {
		_ = os.Remove(tmp)
		renameErr = errors.Join(renameErr, fmt.Errorf("writing %s: %w", ManifestFile, err))
	}
	if renameErr != nil {
		return nil, renameErr
	}
	return rep, nil
}

// writeTemp writes data beside rel (a hidden name the loader ignores) and
// returns the temporary file's path.
func writeTemp(dir, rel string, data []byte) (string, error) {
	target := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".import-*")
	if err != nil {
		return "", err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func readManifest(dir string) (*manifest, error) {
	m := &manifest{Episodes: map[string]manifestFile{}}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("cannot read %s: %v (delete it to import as if for the first time)", ManifestFile, err)
	}
	if m.Episodes == nil {
		m.Episodes = map[string]manifestFile{}
	}
	return m, nil
}

// scanEpisodes reads the guid, slug and numbers of every episode file under
// content/, the way the loader finds them. Files whose front matter does
// not parse still count (their slug is taken).
func scanEpisodes(ctx context.Context, dir string) ([]*existingFile, error) {
	var out []*existingFile
	root := os.DirFS(dir)
	err := fs.WalkDir(root, site.ContentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == site.ContentDir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		name := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(name, ".") && p != site.ContentDir {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") ||
			!strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".transcript.md") {
			return nil
		}
		data, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		ef := &existingFile{path: p, data: data}
		fm := readFrontMatter(data)
		ef.guid = strings.TrimSpace(asString(fm["guid"]))
		ef.slug = strings.TrimSpace(asString(fm["slug"]))
		if !slugOK.MatchString(ef.slug) {
			ef.slug = site.Slugify(strings.TrimSuffix(path.Base(p), ".md"))
		}
		ef.episode = asInt(fm["episode"])
		ef.season = asInt(fm["season"])
		if tags, ok := fm["tags"].([]any); ok {
			for _, t := range tags {
				ef.tags = append(ef.tags, line(asString(t)))
			}
		}
		for _, key := range []string{"guests", "hosts"} {
			list, _ := fm[key].([]any)
			for _, p := range list {
				if m, ok := p.(map[string]any); ok {
					p = m["name"]
				}
				ef.people = append(ef.people, line(asString(p)))
			}
		}
		out = append(out, ef)
		return nil
	})
	return out, err
}

var (
	yamlFormat = frontmatter.NewFormat("---", "---", yaml.Unmarshal)
	tomlFormat = frontmatter.NewFormat("+++", "+++", toml.Unmarshal)
	jsonFormat = &frontmatter.Format{Start: "{", End: "}", Unmarshal: json.Unmarshal, UnmarshalDelims: true, RequiresNewLine: true}
)

// readFrontMatter returns the front matter as a generic map; nil when it
// does not parse.
func readFrontMatter(data []byte) map[string]any {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var m map[string]any
	if _, err := frontmatter.Parse(bytes.NewReader(data), &m, yamlFormat, tomlFormat, jsonFormat); err != nil {
		return nil
	}
	return m
}

func asString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprint(v)
}

func asInt(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int64:
		return int(x)
	case uint64:
		return int(x)
	case float64:
		return int(x)
	}
	return 0
}

// MaxSlugBytes keeps file names and URLs of long titles readable.
const MaxSlugBytes = 80

var slugOK = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// uniqueSlug is site.Slugify(title), shortened on a hyphen, and suffixed
// -2, -3, … until neither a slug nor a file of that name is taken. It never
// contains "/" or "..".
func uniqueSlug(title string, used map[string]bool, fileExists func(string) bool) string {
	base := site.Slugify(title)
	if len(base) > MaxSlugBytes {
		base = base[:MaxSlugBytes]
		if i := strings.LastIndexByte(base, '-'); i > MaxSlugBytes/2 {
			base = base[:i]
		}
		base = strings.Trim(base, "-")
	}
	if !slugOK.MatchString(base) {
		base = "episode"
	}
	s := base
	for n := 2; used[s] || fileExists(EpisodesDir+"/"+s+".md"); n++ {
		s = fmt.Sprintf("%s-%d", base, n)
	}
	return s
}

// DefaultTimeout bounds fetching a feed over HTTP.
const DefaultTimeout = 60 * time.Second

// Fetch reads a feed from a file path or an http(s) URL. client may be nil
// (a client with DefaultTimeout is used).
func Fetch(ctx context.Context, src string, client *http.Client) ([]byte, error) {
	lower := strings.ToLower(src)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		f, err := os.Open(src)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readLimited(f, src)
	}
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "shownotes-import")
	req.Header.Set("Accept", "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", src, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching %s: %s", src, resp.Status)
	}
	return readLimited(resp.Body, src)
}

func readLimited(r io.Reader, src string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFeedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", src, err)
	}
	if len(data) > MaxFeedBytes {
		return nil, fmt.Errorf("reading %s: the feed is larger than %d MiB", src, MaxFeedBytes>>20)
	}
	return data, nil
}
