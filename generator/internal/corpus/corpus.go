// Package corpus generates deterministic, realistic shownotes projects of
// any size for benchmarks: a site.toml, N episodes of about 30 KB each (show
// notes plus a speaker-turn transcript) and one small shared image.
//
// The same Options give the same bytes: every random choice comes from
// math/rand/v2 PCG sources seeded from Options.Seed (one stream per episode,
// so episode n does not depend on how many episodes come before or after
// it, except for its date, which counts back from the newest).
package corpus

import (
	_ "embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing/fstest"
	"time"
)

// Options describe a corpus.
type Options struct {
	Episodes int    // number of episodes, at least 1
	Seed     uint64 // same seed, same bytes

	// NotesBytes is the approximate size of each episode's Markdown body;
	// 0 means DefaultNotesBytes.
	NotesBytes int
	// TranscriptBytes is the approximate size of each transcript; 0 means
	// DefaultTranscriptBytes, a negative value writes no transcripts.
	TranscriptBytes int
}

// Default sizes: together with the front matter, about 30 KB per episode.
const (
	DefaultNotesBytes      = 8000
	DefaultTranscriptBytes = 21000
)

// Newest is the date of the newest episode; episode n of N is dated
// (N-n) weeks earlier, so no episode is in the future after 2025.
var Newest = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// ImagePath is the one image every episode and the show refer to,
// relative to content/.
const ImagePath = "images/cover.png"

// Host is the show's host, named in site.toml and in every transcript.
const Host = "Mara Ellison"

//go:embed cover.png
var coverPNG []byte

func (o Options) withDefaults() (Options, error) {
	if o.Episodes < 1 {
		return o, errors.New("corpus: Episodes must be at least 1")
	}
	if o.NotesBytes == 0 {
		o.NotesBytes = DefaultNotesBytes
	}
	if o.TranscriptBytes == 0 {
		o.TranscriptBytes = DefaultTranscriptBytes
	}
	return o, nil
}

// each calls fn for every file of the corpus, with its slash-separated path
// relative to the project root, in a fixed order.
func each(opt Options, fn func(name string, data []byte) error) error {
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	if err := fn("site.toml", []byte(siteTOML)); err != nil {
		return err
	}
	if err := fn("content/"+ImagePath, coverPNG); err != nil {
		return err
	}
	g := newGenerator(opt)
	for n := 1; n <= opt.Episodes; n++ {
		md, tr := g.episode(n)
		base := "content/episodes/" + g.fileBase(n)
		if err := fn(base+".md", md); err != nil {
			return err
		}
		if tr != nil {
			if err := fn(base+".transcript.md", tr); err != nil {
				return err
			}
		}
	}
	return nil
}

// FS returns the corpus as an in-memory project (site.toml, content/). It
// panics if opt is invalid (Episodes < 1): it is meant for benchmarks and
// tests with fixed options.
func FS(opt Options) fstest.MapFS {
	m := fstest.MapFS{}
	err := each(opt, func(name string, data []byte) error {
		m[name] = &fstest.MapFile{Data: data, Mode: 0o644, ModTime: Newest}
		return nil
	})
	if err != nil {
		panic(err)
	}
	return m
}

// Write writes the corpus into dir (created if needed) as a project folder:
// dir/site.toml and dir/content/. It refuses to write into an existing
// dir/content, so episodes of an earlier, larger corpus never mix in.
func Write(dir string, opt Options) error {
	if _, err := opt.withDefaults(); err != nil {
		return err
	}
	if _, err := os.Lstat(filepath.Join(dir, "content")); err == nil {
		return fmt.Errorf("corpus: %s already exists; remove it first", filepath.Join(dir, "content"))
	}
	made := map[string]bool{}
	return each(opt, func(name string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		return os.WriteFile(p, data, 0o644)
	})
}

const siteTOML = `# Benchmark corpus written by shownotes/generator/internal/corpus.
title = "The Long Margin (benchmark corpus)"
description = "Weekly conversations with authors about the books behind the news: history, migration, science and the cities we live in."
base_url = "https://bench.example.org/"
language = "en"
author = "` + Host + `"
copyright = "© 2025 ` + Host + `. Show notes CC BY 4.0."
image = "` + ImagePath + `"
explicit = false
categories = ["History"]
type = "episodic"
paginate = 10
theme = "default"

[owner]
name = "` + Host + `"
email = "mara@bench.example.org"

[[hosts]]
name = "` + Host + `"
url = "https://bench.example.org/about/"
bio = "Mara Ellison hosts The Long Margin. Before that she spent twelve years as a books editor."

[markdown]
unsafe = false

[feed]
limit = 0
license = "CC BY 4.0"
license_url = "https://creativecommons.org/licenses/by/4.0/"
medium = "podcast"

[[feed.funding]]
url = "https://bench.example.org/support/"
text = "Support the show"
`

// Random streams: each part of the corpus draws from its own PCG stream so
// that changing one part never shifts another.
const (
	streamPool    = 1 << 62
	streamTitle   = 2 << 60
	streamEpisode = 3 << 60
)

// generator holds what is shared by all episodes of one corpus.
type generator struct {
	opt    Options
	guests []guest
	width  int // digits of the episode number in file names
}

type guest struct {
	name, url, bio string
}

func newGenerator(opt Options) *generator {
	g := &generator{opt: opt, width: max(5, len(strconv.Itoa(opt.Episodes)))}
	g.guests = guestPool(rand.New(rand.NewPCG(opt.Seed, streamPool)))
	return g
}

// Guest name parts. Every name folds to a distinct ASCII slug (the test
// checks it), since two guests with one URL are a build error.
var (
	firstNames = strings.Fields(`Ana Tomás Zoë Søren Małgorzata Aurélie Björn Chiara Daniel Efua
		Farah Grace Hiroshi Ingrid Javier Kwame Leila Mateo Nadia Oliver Priya
		Quentin Rosa Samuel Thandiwe Ulla Viktor Wen Yusuf Émile`)
	lastNames = strings.Fields(`Achterberg Brandão Castillo Duarte Eriksson Ferreira García
		Hoffmann Ibáñez Jovanović Kowalski Lindqvist Mbeki Novák Okafor Petersen
		Quiroga Rossi Şahin Tanaka Uribe Virtanen Wójcik Xu Yilmaz Zielińska`)
	cyrillicNames = []string{
		"Ольга Воронцова", "Анна Смирнова", "Дмитрий Соколов", "Иван Петров",
		"Мария Кузнецова", "Сергей Морозов", "Наталья Волкова", "Алексей Лебедев",
		"Елена Новикова", "Павел Фёдоров", "Татьяна Егорова", "Юрий Орлов",
	}
)

// PoolSize is the number of distinct guests a corpus draws from.
const PoolSize = 300

// GuestNames returns the guest pool of a seed, for tests.
func GuestNames(seed uint64) []string {
	var out []string
	for _, g := range guestPool(rand.New(rand.NewPCG(seed, streamPool))) {
		out = append(out, g.name)
	}
	return out
}

func guestPool(r *rand.Rand) []guest {
	var names []string
	for _, f := range firstNames {
		for _, l := range lastNames {
			names = append(names, f+" "+l)
		}
	}
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	names = append(names[:PoolSize-len(cyrillicNames)], cyrillicNames...)
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	pool := make([]guest, len(names))
	for i, n := range names {
		pool[i] = guest{
			name: n,
			url:  fmt.Sprintf("https://people.example.org/g%03d/", i),
			bio:  sentence(r, 12, 24),
		}
	}
	return pool
}

// Tags: 60 topics with distinct slugs.
var tags = []string{
	"history", "migration", "science", "cities", "food", "labour", "climate",
	"economics", "maps", "law", "music", "religion", "medicine", "rivers",
	"borders", "trade", "empire", "architecture", "art", "cinema",
	"literature", "memory", "language", "technology", "energy", "water",
	"farming", "the sea", "war", "peace", "elections", "journalism",
	"photography", "archaeology", "astronomy", "biology", "chemistry",
	"mathematics", "philosophy", "psychology", "sport", "fashion", "design",
	"education", "childhood", "family", "prisons", "policing", "railways",
	"aviation", "public health", "climate policy", "urban planning",
	"human rights", "cold war", "middle ages", "ancient world", "data",
	"islands", "mountains",
}

// words is the prose vocabulary: common English words, so that Markdown
// parsing and typography see text of the usual shape.
var words = strings.Fields(`the of and to in a is that for it as was with be by on not he
	this are or his from at which but have an they you were her all she there
	would their we him been has when who will more no if out so said what up its
	about into than them can only other new some time could these two may then do
	first any my now such like our over man me even most made after also did many
	before must through back years where much your way well down should because
	each just those people how too little state good very make world still own
	see men work long get here between both life being under never day same
	another know while last might us great old year off come since against go came
	right used take three city river salt road border clerk map flood harbour
	ledger archive letter census railway market village empire tax riot winter
	summer barge rope song ship island mountain valley coast factory mill school
	hospital prison court parliament newspaper photograph telegraph bridge canal
	tunnel station harvest famine plague treaty border merchant soldier sailor
	farmer weaver miner nurse teacher judge printer baker historian economist
	cartographer archivist journalist engineer architect novelist poet
	remembered forgotten measured counted printed carried crossed built burned
	flooded traded taxed smuggled recorded argued explained discovered wrote
	ordinary strange careful quiet sudden heavy narrow distant northern southern
	early modern ancient local national public private small large slow fast`)

var titleNouns = strings.Fields(`Salt Roads Clerks Flood Maps City Letters Harbour Ledger
	Archive Census Railway Market Village Empire Riot Winter Barge Song Ship Island
	Mountain Valley Coast Factory Mill School Hospital Prison Court Newspaper
	Photograph Telegraph Bridge Canal Tunnel Station Harvest Famine Plague Treaty
	Merchant Soldier Sailor Farmer Weaver Miner Nurse Teacher Judge Printer Border
	Clock Calendar Compass Lighthouse Orchard Quarry Forest Glacier Desert Delta`)

var titleAdjs = strings.Fields(`Night Borrowed Long Lost Quiet Northern Southern Hidden
	First Last Drowned Burning Paper Silver Iron Salt Stolen Forgotten Narrow Distant
	Ordinary Secret Broken Floating Invisible Counted Printed Frozen Golden Empty`)

// title returns episode n's title; it comes from its own stream, so links
// to earlier episodes can name them without generating them.
func (g *generator) title(n int) string {
	r := rand.New(rand.NewPCG(g.opt.Seed, streamTitle+uint64(n)))
	noun := titleNouns[r.IntN(len(titleNouns))]
	adj := titleAdjs[r.IntN(len(titleAdjs))]
	switch r.IntN(4) {
	case 0:
		return "The " + adj + " " + noun
	case 1:
		return "The " + noun + " of " + titleNouns[r.IntN(len(titleNouns))]
	case 2:
		return adj + " " + noun + "s"
	default:
		return "Why the " + noun + " Came Back"
	}
}

// fileBase is episode n's file name without .md: "00042-the-night-clock".
func (g *generator) fileBase(n int) string {
	return fmt.Sprintf("%0*d-%s", g.width, n, strings.ToLower(strings.ReplaceAll(g.title(n), " ", "-")))
}

// slug is episode n's URL slug: shownotes derives it from the file name,
// which is already lowercase ASCII with hyphens.
func (g *generator) slug(n int) string { return g.fileBase(n) }

// Date returns episode n's date in a corpus of total episodes.
func Date(n, total int) time.Time { return Newest.AddDate(0, 0, -7*(total-n)) }

// episode returns episode n's Markdown file and transcript (nil when
// transcripts are off).
func (g *generator) episode(n int) (md, transcript []byte) {
	r := rand.New(rand.NewPCG(g.opt.Seed, streamEpisode+uint64(n)))
	e := &ep{n: n, title: g.title(n), date: Date(n, g.opt.Episodes)}
	// Guests: 1 or 2 distinct names from the pool.
	e.guests = append(e.guests, g.guests[r.IntN(len(g.guests))])
	if r.IntN(5) < 2 {
		if o := g.guests[r.IntN(len(g.guests))]; o.name != e.guests[0].name {
			e.guests = append(e.guests, o)
		}
	}
	// Tags: 2 to 5 distinct.
	for _, i := range r.Perm(len(tags))[:2+r.IntN(4)] {
		e.tags = append(e.tags, tags[i])
	}
	// Books: 0 to 2.
	for range r.IntN(3) {
		author := e.guests[0].name
		if r.IntN(3) == 0 {
			author = g.guests[r.IntN(len(g.guests))].name
		}
		isbn := isbn13(r)
		e.books = append(e.books, book{
			title:  "The " + titleAdjs[r.IntN(len(titleAdjs))] + " " + titleNouns[r.IntN(len(titleNouns))] + ": " + capitalize(words[r.IntN(len(words))]) + " and " + capitalize(words[r.IntN(len(words))]),
			author: author,
			url:    "https://books.example.org/" + isbn,
			isbn:   isbn,
		})
	}
	e.duration = time.Duration(20*60+r.IntN(70*60)) * time.Second
	var b strings.Builder
	b.Grow(g.opt.NotesBytes + 2500)
	g.frontMatter(&b, r, e)
	g.notes(&b, r, e)
	md = []byte(b.String())
	if g.opt.TranscriptBytes > 0 {
		transcript = []byte(g.transcript(r, e))
	}
	return md, transcript
}

type ep struct {
	n        int
	title    string
	date     time.Time
	guests   []guest
	tags     []string
	books    []book
	duration time.Duration
}

type book struct{ title, author, url, isbn string }

// q quotes s as a YAML double-quoted scalar.
func q(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func (g *generator) frontMatter(b *strings.Builder, r *rand.Rand, e *ep) {
	season := (e.n-1)/100 + 1
	typ := "full"
	if e.n%25 == 0 {
		typ = "bonus"
	}
	fmt.Fprintf(b, "---\ntitle: %s\ndate: %s\nepisode: %d\nseason: %d\ntype: %s\n",
		q(e.title), e.date.Format("2006-01-02"), e.n, season, typ)
	fmt.Fprintf(b, "summary: %s\n", q(e.guests[0].name+" on "+strings.ToLower(e.title)+": "+sentence(r, 14, 28)+" "+sentence(r, 10, 20)))
	b.WriteString("guests:\n")
	for _, gu := range e.guests {
		if r.IntN(2) == 0 {
			fmt.Fprintf(b, "  - %s\n", q(gu.name))
		} else {
			fmt.Fprintf(b, "  - {name: %s, url: %s, bio: %s}\n", q(gu.name), q(gu.url), q(gu.bio))
		}
	}
	if len(e.books) > 0 {
		b.WriteString("books:\n")
		for _, bk := range e.books {
			fmt.Fprintf(b, "  - {title: %s, author: %s, url: %s, isbn: %s}\n", q(bk.title), q(bk.author), q(bk.url), q(bk.isbn))
		}
	}
	fmt.Fprintf(b, "image:\n  src: %s\n  alt: %s\n  credit: %s\n  license: \"CC BY-SA 4.0\"\n  license_url: \"https://creativecommons.org/licenses/by-sa/4.0/\"\n",
		q(ImagePath), q("Illustration: "+sentence(r, 8, 16)), q(g.guests[r.IntN(len(g.guests))].name+" / Long Margin Studio"))
	fmt.Fprintf(b, "audio:\n  url: \"https://media.example.org/long-margin/%0*d.mp3\"\n  length: %d\n  type: \"audio/mpeg\"\n",
		g.width, e.n, 8_000_000+r.IntN(80_000_000))
	fmt.Fprintf(b, "duration: %q\n", clock(e.duration))
	fmt.Fprintf(b, "explicit: %t\n", r.IntN(20) == 0)
	b.WriteString("tags: [")
	for i, t := range e.tags {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(q(t))
	}
	b.WriteString("]\nchapters:\n")
	nch := 3 + r.IntN(4)
	step := e.duration / time.Duration(nch)
	for i := range nch {
		start := time.Duration(0)
		if i > 0 {
			start = (step*time.Duration(i) + time.Duration(r.IntN(60))*time.Second).Truncate(time.Second)
		}
		title := "Intro"
		if i > 0 {
			title = capitalize(phrase(r, 2, 5))
		}
		if r.IntN(4) == 0 {
			fmt.Fprintf(b, "  - {start: %q, title: %s, url: \"https://example.org/chapters/%d-%d\"}\n", clock(start), q(title), e.n, i)
		} else {
			fmt.Fprintf(b, "  - {start: %q, title: %s}\n", clock(start), q(title))
		}
	}
	fmt.Fprintf(b, "draft: false\nguid: \"long-margin-bench-%d\"\n---\n\n", e.n)
}

// notes writes the Markdown body: paragraphs, headings, lists, links,
// quotes, now and then a table and a footnote.
func (g *generator) notes(b *strings.Builder, r *rand.Rand, e *ep) {
	start := b.Len()
	gname := e.guests[0].name
	fmt.Fprintf(b, "%s %s joins us to talk about %s", sentence(r, 10, 20), gname, phrase(r, 3, 7))
	if len(e.books) > 0 {
		fmt.Fprintf(b, " and her book *%s*", e.books[0].title)
	}
	fmt.Fprintf(b, ". %s\n\n%s\n\n## Show notes\n\n", paragraph(r, 3, 5), paragraph(r, 3, 6))
	footnote, table := false, false
	tail := 900
	for b.Len()-start < g.opt.NotesBytes-tail {
		switch k := r.IntN(100); {
		case k < 55:
			p := paragraph(r, 3, 7)
			if !footnote && r.IntN(8) == 0 {
				p = strings.TrimSuffix(p, ".") + ".[^1]"
				footnote = true
			}
			b.WriteString(p)
		case k < 70:
			for range 3 + r.IntN(4) {
				b.WriteString("- " + inlineSentence(r) + "\n")
			}
		case k < 80:
			for i := range 2 + r.IntN(4) {
				fmt.Fprintf(b, "%d. %s\n", i+1, inlineSentence(r))
			}
		case k < 87:
			b.WriteString("> " + sentence(r, 12, 30) + "\n> " + sentence(r, 8, 20) + "\n")
		case k < 95:
			b.WriteString("### " + capitalize(phrase(r, 2, 5)))
		case !table:
			table = true
			b.WriteString("| Year | Place | What happened |\n| --- | --- | --- |\n")
			for range 3 + r.IntN(4) {
				fmt.Fprintf(b, "| %d | %s | %s |\n", 1600+r.IntN(420), capitalize(words[r.IntN(len(words))]), phrase(r, 4, 9))
			}
		default:
			b.WriteString(paragraph(r, 2, 4))
		}
		b.WriteString("\n\n")
	}
	b.WriteString("## Links\n\n")
	for _, gu := range e.guests {
		fmt.Fprintf(b, "- %s's website: [%s](%s)\n", gu.name, strings.TrimSuffix(strings.TrimPrefix(gu.url, "https://"), "/"), gu.url)
	}
	for _, bk := range e.books {
		fmt.Fprintf(b, "- *%s* by %s ([publisher's page](%s))\n", bk.title, bk.author, bk.url)
	}
	for range 2 + r.IntN(3) {
		fmt.Fprintf(b, "- [%s](%s)\n", capitalize(phrase(r, 2, 5)), extURL(r))
	}
	// Site links to earlier episodes: the link checker follows these.
	for range min(e.n-1, 1+r.IntN(2)) {
		m := 1 + r.IntN(e.n-1)
		fmt.Fprintf(b, "- From the archive: [%s](/episodes/%s/)\n", g.title(m), g.slug(m))
	}
	if footnote {
		fmt.Fprintf(b, "\n[^1]: %s\n", sentence(r, 8, 20))
	}
}

// transcript writes speaker turns, "[HH:MM:SS] Name: text" now and then,
// with the odd unlabelled paragraph that continues a turn.
func (g *generator) transcript(r *rand.Rand, e *ep) string {
	var b strings.Builder
	b.Grow(g.opt.TranscriptBytes + 1000)
	t := time.Duration(0)
	turn := 0
	for b.Len() < g.opt.TranscriptBytes {
		speaker := Host
		lo, hi := 1, 3
		if turn%2 == 1 {
			speaker = e.guests[(turn/2)%len(e.guests)].name
			lo, hi = 2, 7
		}
		if turn%5 == 0 && turn > 0 {
			fmt.Fprintf(&b, "[%s] ", clock(t))
		}
		text := speech(r, lo, hi)
		fmt.Fprintf(&b, "%s: %s\n\n", speaker, text)
		t += time.Duration(len(text)/14+1) * time.Second // ~170 words a minute
		if turn%2 == 1 && r.IntN(10) == 0 {
			more := speech(r, 2, 4)
			b.WriteString(more + "\n\n")
			t += time.Duration(len(more)/14+1) * time.Second
		}
		turn++
	}
	return b.String()
}

// clock formats d as MM:SS, or HH:MM:SS from an hour on.
func clock(d time.Duration) string {
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// isbn13 returns a random ISBN-13 with a valid check digit.
func isbn13(r *rand.Rand) string {
	d := []byte("978")
	for range 9 {
		d = append(d, byte('0'+r.IntN(10)))
	}
	sum := 0
	for i, c := range d {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(c-'0') * w
	}
	return string(append(d, byte('0'+(10-sum%10)%10)))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func phrase(r *rand.Rand, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}

// sentence is plain prose: no Markdown, no colons.
func sentence(r *rand.Rand, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	var b strings.Builder
	for i := range n {
		w := words[r.IntN(len(words))]
		switch {
		case i == 0:
			w = capitalize(w)
		case i == n/2 && n > 10 && r.IntN(2) == 0:
			b.WriteByte(',')
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	b.WriteByte('.')
	return b.String()
}

// inlineSentence is a sentence with some inline Markdown: emphasis,
// strong, links, quotes, apostrophes and dashes (for the typographer),
// code, strikethrough and bare URLs (for GFM autolinks).
func inlineSentence(r *rand.Rand) string {
	s := sentence(r, 8, 22)
	switch r.IntN(12) {
	case 0:
		w := words[r.IntN(len(words))]
		return strings.TrimSuffix(s, ".") + " and *" + w + "* too."
	case 1:
		return strings.TrimSuffix(s, ".") + ", **" + phrase(r, 1, 3) + "**."
	case 2, 3:
		return strings.TrimSuffix(s, ".") + " ([" + phrase(r, 2, 4) + "](" + extURL(r) + "))."
	case 4:
		return strings.TrimSuffix(s, ".") + " -- \"" + phrase(r, 3, 6) + "\", as she put it."
	case 5:
		return "It's " + strings.ToLower(s[:1]) + s[1:] + " Don't forget it."
	case 6:
		return strings.TrimSuffix(s, ".") + " in `" + words[r.IntN(len(words))] + "`."
	case 7:
		return strings.TrimSuffix(s, ".") + " ~~" + phrase(r, 1, 3) + "~~ " + phrase(r, 1, 3) + "."
	case 8:
		return strings.TrimSuffix(s, ".") + " (see " + extURL(r) + ")."
	}
	return s
}

func paragraph(r *rand.Rand, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = inlineSentence(r)
	}
	return strings.Join(parts, " ")
}

// speech is a transcript paragraph: plain sentences, no Markdown, no
// colons (a "Word: " opening would read as a speaker label).
func speech(r *rand.Rand, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	parts := make([]string, n)
	for i := range parts {
		s := sentence(r, 5, 24)
		switch r.IntN(10) {
		case 0:
			s = "Well, " + strings.ToLower(s[:1]) + s[1:]
		case 1:
			s = "I don't think " + strings.ToLower(s[:1]) + s[1:]
		case 2:
			s = strings.TrimSuffix(s, ".") + "?"
		}
		parts[i] = s
	}
	return strings.Join(parts, " ")
}

var hosts = []string{"example.org", "en.wikipedia.org", "archive.example.net", "www.example.com", "news.example.org"}

func extURL(r *rand.Rand) string {
	return "https://" + hosts[r.IntN(len(hosts))] + "/" + words[r.IntN(len(words))] + "/" + strconv.Itoa(r.IntN(10000))
}
