package devserver

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/fsnotify/fsnotify"

	"shownotes/generator/site"
)

// Watcher reports changes to a project's inputs: site.toml, and every file
// under content/ and themes/. fsnotify watches directories, not files, so
// it watches the project root (for site.toml, and for content/ or themes/
// appearing later) and every folder below content/ and themes/, adding
// folders as they are created. Editors that save by writing a temporary
// file and renaming it over the original show up as a create of the
// original. Editor temp and backup files, hidden files and everything else
// in the root (public/, .git/) are ignored.
type Watcher struct {
	root   string
	fsw    *fsnotify.Watcher
	events chan string
	logf   func(format string, args ...any)
	done   chan struct{}
	wg     sync.WaitGroup
	once   sync.Once
}

// watchedDirs are the project folders watched recursively.
var watchedDirs = []string{site.ContentDir, "themes"}

// Watch starts watching the project in root. logf receives watcher
// problems (nil: dropped). Close it when done.
func Watch(root string, logf func(format string, args ...any)) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	w := &Watcher{
		root:   abs,
		fsw:    fsw,
		events: make(chan string, 256),
		logf:   logf,
		done:   make(chan struct{}),
	}
	if err := fsw.Add(abs); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, d := range watchedDirs {
		w.addTree(filepath.Join(abs, d), false)
	}
	w.wg.Add(1)
	go w.loop()
	return w, nil
}

// Events delivers the project-relative, slash-separated path of each
// change ("content/episodes/x.md", "site.toml"); the empty string means
// events were lost and anything may have changed. Paths repeat: one save
// can be several events. The channel is closed by Close.
func (w *Watcher) Events() <-chan string { return w.events }

// Close stops watching and closes Events.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.done)
		err = w.fsw.Close()
		w.wg.Wait()
		close(w.events)
	})
	return err
}

func (w *Watcher) loop() {
	defer w.wg.Done()
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were dropped, folder creations among them maybe:
				// watch everything again and rebuild everything.
				for _, d := range watchedDirs {
					w.addTree(filepath.Join(w.root, d), false)
				}
				w.emit("")
				continue
			}
			w.logf("watching files: %v", err)
		}
	}
}

func (w *Watcher) handle(ev fsnotify.Event) {
	if !ev.Has(fsnotify.Create | fsnotify.Write | fsnotify.Remove | fsnotify.Rename) {
		return // Chmod: touch, chmod, indexers; the bytes are the same
	}
	rel, ok := w.rel(ev.Name)
	if !ok {
		return
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			if relevant(rel, true) {
				// A new folder: watch it and everything already in it.
				// Files written before the watch was in place are
				// reported here; later ones arrive as events of their own.
				w.addTree(ev.Name, true)
				w.emit(rel)
			}
			return
		}
	}
	if relevant(rel, false) {
		w.emit(rel)
	}
}

// addTree watches dir and every folder below it, skipping hidden ones.
// With report, files found are sent as changes.
func (w *Watcher) addTree(dir string, report bool) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				w.logf("watching %s: %v", p, err)
			}
			return nil
		}
		rel, ok := w.rel(p)
		if !ok || !relevant(rel, d.IsDir()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if report {
				w.emit(rel)
			}
			return nil
		}
		if err := w.fsw.Add(p); err != nil {
			w.logf("watching %s: %v", rel, err)
		}
		return nil
	})
}

func (w *Watcher) emit(rel string) {
	select {
	case w.events <- rel:
	case <-w.done:
	}
}

// rel turns an absolute path from fsnotify into a project-relative one.
func (w *Watcher) rel(p string) (string, bool) {
	r, err := filepath.Rel(w.root, p)
	if err != nil || r == "." || !filepath.IsLocal(r) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// relevant reports whether a change to the project-relative path rel can
// change the built site: site.toml, and what is under content/ or themes/.
// Hidden folders are skipped (the build skips them too); for files, so are
// editor temp files (see ignoredFile).
func relevant(rel string, dir bool) bool {
	top, rest, _ := strings.Cut(rel, "/")
	switch top {
	case site.ConfigFile:
		return rest == "" && !dir
	case site.ContentDir, "themes":
	default:
		return false // public/, .git/, .shownotes-cache/, README.md, ...
	}
	if rest == "" {
		return dir
	}
	segs := strings.Split(rest, "/")
	for _, seg := range segs[:len(segs)-1] {
		if strings.HasPrefix(seg, ".") {
			return false
		}
	}
	last := segs[len(segs)-1]
	if dir {
		return !strings.HasPrefix(last, ".")
	}
	return !ignoredFile(last)
}

// ignoredFile reports whether a file name is one the build never reads or
// an editor's scratch file: hidden names (.x.swp, .#x emacs locks,
// .DS_Store, atomic-save temp files), ~ and #x# backups, vim's 4913 write
// probe, JetBrains' ___jb_tmp___ files and .swp/.swx/.tmp/.crswap
// leftovers.
func ignoredFile(name string) bool {
	switch {
	case strings.HasPrefix(name, "."),
		strings.HasPrefix(name, "#"),
		strings.HasSuffix(name, "~"),
		strings.HasSuffix(name, "___jb_tmp___"),
		strings.HasSuffix(name, "___jb_old___"),
		name == "4913":
		return true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".swp", ".swx", ".swo", ".tmp", ".crswap":
		return true
	}
	return false
}
