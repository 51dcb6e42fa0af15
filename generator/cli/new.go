package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"shownotes/generator/site"
)

// stringList is a repeatable flag (-guest A -guest B).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runNew(ctx context.Context, args []string, env Env) int {
	fl := newFlags("new", env)
	var guests stringList
	fl.Var(&guests, "guest", "a guest's name (repeat for several)")
	date := fl.String("date", "", "publication date, YYYY-MM-DD (default today)")
	audio := fl.String("audio", "", "URL of the episode's audio file")
	dir := fl.String("dir", "", "folder for the new file (default content/episodes if it exists, else content)")
	fl.Usage = func() {
		fmt.Fprintln(env.Stderr, `usage: shownotes new "Episode title" [-guest NAME ...] [-date YYYY-MM-DD] [-audio URL]`)
		fl.PrintDefaults()
	}
	// Accept the title before or after the flags.
	var title string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		title, args = args[0], args[1:]
	}
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if title == "" && fl.NArg() > 0 {
		title = fl.Arg(0)
	} else if fl.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "shownotes new: unexpected argument %q (quote the title)\n", fl.Arg(0))
		return ExitUsage
	}
	title = strings.TrimSpace(title)
	if title == "" {
		fl.Usage()
		return ExitUsage
	}
	day := env.Now().Format("2006-01-02")
	if *date != "" {
		if _, err := time.Parse("2006-01-02", *date); err != nil {
			fmt.Fprintf(env.Stderr, "shownotes new: -date %q: use YYYY-MM-DD\n", *date)
			return ExitUsage
		}
		day = *date
	}
	slug := site.Slugify(title)
	if slug == "" {
		fmt.Fprintf(env.Stderr, "shownotes new: cannot make a file name from %q\n", title)
		return ExitUsage
	}
	project := os.DirFS(env.Dir)
	number, season, err := site.NextEpisode(ctx, project)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(env.Stderr, "shownotes new: %v\n", err)
		return ExitFail
	}
	theme, hosts, err := env.theme()
	if err != nil {
		fmt.Fprintf(env.Stderr, "shownotes new: %v\n", err)
		return ExitFail
	}
	data, transcript, err := site.RenderScaffold(theme, site.Scaffold{
		Title: title, Slug: slug, Date: day, Number: number, Season: season,
		Guests: guests, Hosts: hosts, AudioURL: *audio, GUID: uuid.NewString(),
	})
	if err != nil {
		fmt.Fprintf(env.Stderr, "shownotes new: %v\n", err)
		return ExitFail
	}
	rel := *dir
	if rel == "" {
		rel = site.ContentDir
		if st, err := os.Stat(filepath.Join(env.Dir, site.ContentDir, "episodes")); err == nil && st.IsDir() {
			rel = site.ContentDir + "/episodes"
		}
	}
	name := filepath.Join(env.Dir, filepath.FromSlash(rel), slug+".md")
	trName := filepath.Join(env.Dir, filepath.FromSlash(rel), slug+".transcript.md")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		fmt.Fprintf(env.Stderr, "shownotes new: %v\n", err)
		return ExitFail
	}
	for _, p := range []string{name, trName} {
		if _, err := os.Lstat(p); err == nil {
			rp, _ := filepath.Rel(env.Dir, p)
			fmt.Fprintf(env.Stderr, "shownotes new: %s already exists; choose another title or edit that file\n", filepath.ToSlash(rp))
			return ExitFail
		}
	}
	if err := createNew(name, data); err != nil {
		fmt.Fprintf(env.Stderr, "shownotes new: %v\n", err)
		return ExitFail
	}
	if err := createNew(trName, transcript); err != nil {
		os.Remove(name) // both files or neither
		fmt.Fprintf(env.Stderr, "shownotes new: %v\n", err)
		return ExitFail
	}
	fmt.Fprintf(env.Stdout, "created %s and %s (episode %d, draft)\n", filepath.ToSlash(filepath.Join(rel, slug+".md")), slug+".transcript.md", number)
	return ExitOK
}

// createNew writes a file that must not exist yet: O_EXCL never
// overwrites, even if the file appears between the check and the write.
func createNew(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}

// theme is the theme `new` takes its scaffold from (the project's own
// themes/<name>/ layered over the built-in one), and the show's hosts.
// site.toml may be missing or broken here; new must still work, so it
// falls back to "default" and no hosts.
func (env Env) theme() (fs.FS, []string, error) {
	name := "default"
	var hosts []string
	if src, err := os.ReadFile(filepath.Join(env.Dir, site.ConfigFile)); err == nil {
		if cfg, errs := site.LoadConfig(src); cfg != nil && len(errs.Errors()) == 0 {
			name = cfg.Theme
			for _, h := range cfg.Hosts {
				hosts = append(hosts, h.Name)
			}
		}
	}
	th, err := site.ResolveTheme(os.DirFS(env.Dir), env.DefaultTheme, name)
	return th, hosts, err
}
