package site

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"testing"
	"time"
)

// collapseSpace must equal strings.Join(strings.Fields(s), " ") for any
// trimmed paragraph; it only skips the copy when nothing changes.
func TestCollapseSpace(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"",
		"Ana: hello there",
		"Ana: hello  there",
		"Ana: hello\nthere",
		"Ana:\thello",
		"Ana: hello\u00a0there", // no-break space is a space to Fields
		"Ана: привет мир",
		"Ana: a\u3000b",
		"x",
		"a b c d",
		" a",
		"a ",
		"a\u0085b",
		"é ü",
	} {
		want := strings.Join(strings.Fields(s), " ")
		if got := collapseSpace(s); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// Turns keep the text as written, joined across lines, and line numbers
// count from the paragraph a problem is in.
func TestParseTranscriptParagraphs(t *testing.T) {
	t.Parallel()
	src := "\ufeffAna: one\r\ntwo  three\r\n\r\n[00:01] Ben: four\n\n\nmore text\n\n[00:00] Ana: five\n"
	tr, errs := parseTranscript("a.transcript.md", []byte(src))
	if tr == nil {
		t.Fatalf("no transcript: %v", errs)
	}
	var got []string
	for _, turn := range tr.Turns {
		got = append(got, turn.Speaker+"|"+strings.Join(turn.Text, "/"))
	}
	want := "Ana|one two three; Ben|four/more text; Ana|five"
	if g := strings.Join(got, "; "); g != want {
		t.Errorf("turns = %q, want %q", g, want)
	}
	if len(errs) != 1 || errs[0].Pos.Line != 9 || !strings.Contains(errs[0].Msg, "timestamp 00:00 is earlier than the one before it (0:01)") {
		t.Errorf("errs = %v, want one warning at line 9 about 00:00", errs)
	}
}

// Paragraphs come out in normal form whichever path the parser takes:
// plain files (one search per file), wrapped lines, and every kind of
// white space the slow path exists for.
func TestParseTranscriptNormalForm(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		"Ana: one two\n\nBen: three four\n",
		"Ana: one\ntwo three\n\nBen: four\n",
		"Ana: one  two\n\nBen: three\tfour\n",
		"Ana: one\u00a0two\n\nBen: three\u2003four\n",
		"Ana: one\u00e9two Ølsen\n\nBen: \u00c2 four\n",
		"Ana: one\n\n\n  Ben: two \n",
	} {
		tr, errs := parseTranscript("a.transcript.md", []byte(src))
		if tr == nil {
			t.Fatalf("%q: %v", src, errs)
		}
		var want []string
		for _, para := range strings.Split(src, "\n\n") {
			if p := strings.Join(strings.Fields(para), " "); p != "" {
				_, speaker, text, _ := splitTurn(p)
				want = append(want, speaker+"|"+text)
			}
		}
		var got []string
		for _, turn := range tr.Turns {
			got = append(got, turn.Speaker+"|"+strings.Join(turn.Text, "/"))
		}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Errorf("%q: turns %q, want %q", src, got, want)
		}
	}
}

func TestAppendEscaped(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", `<b>"Tom" & 'Jerry'</b>`, "&&&", "é<ü>", "x>"} {
		var b strings.Builder
		b.WriteString("pre:")
		writeEscaped(&b, s)
		if got, want := b.String(), "pre:"+html.EscapeString(s); got != want {
			t.Errorf("writeEscaped(%q) = %q, want %q", s, got, want)
		}
	}
}

// TurnsHTML writes what it wrote when it was built from strings (kept
// here as the reference), for timed and untimed turns, turns without a
// speaker and text that needs escaping.
func TestTurnsHTMLUnchanged(t *testing.T) {
	t.Parallel()
	tr := &Transcript{Format: "vtt", Turns: []Turn{
		{Speaker: "Ana <Host>", Start: 0, Text: []string{`She said "no" & left.`, "It's fine."}},
		{Speaker: "", Start: 65 * time.Second, Text: []string{"Unnamed <voice>."}},
		{Speaker: "Ben", Start: -1, Text: []string{"Untimed."}},
	}}
	tr.prepare()
	for _, audio := range []*Audio{nil, {URL: `https://cdn.example.org/a.mp3?x=1&y="2"`}} {
		ep := &Episode{Transcript: tr, Audio: audio}
		if got, want := ep.TurnsHTML(), oldTurnsHTML(ep); got != want {
			t.Errorf("TurnsHTML:\n%s\nwant:\n%s", got, want)
		}
	}
}

func oldTurnsHTML(e *Episode) template.HTML {
	t := e.Transcript
	if t == nil {
		return ""
	}
	audio := ""
	if e.Audio != nil {
		audio = e.Audio.URL
	}
	var b strings.Builder
	b.Grow(len(t.Turns) * 256)
	esc := html.EscapeString
	for _, turn := range t.Turns {
		n := strconv.Itoa(turn.N)
		b.WriteString(`<section class="turn" id="turn-` + n + `">` + "\n" + `<h2 class="speaker">`)
		if turn.Speaker != "" {
			b.WriteString(esc(turn.Speaker))
		} else {
			b.WriteString(`<span class="visually-hidden">Turn ` + n + `</span>`)
		}
		if turn.Timed {
			sec := strconv.FormatInt(turn.Seconds, 10)
			b.WriteString(` <a class="seek" href="` + esc(audio) + `#t=` + sec + `" data-start="` + sec + `"><time datetime="` + turn.ISO + `">` + turn.Clock + `</time></a>`)
		}
		b.WriteString(` <a class="turn-link" href="#turn-` + n + `" aria-label="Link to turn ` + n + `">#</a></h2>` + "\n")
		for _, p := range turn.Text {
			b.WriteString("<p>" + esc(p) + "</p>\n")
		}
		b.WriteString("</section>\n")
	}
	return template.HTML(b.String())
}
