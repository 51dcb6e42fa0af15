package site

import (
	"strings"
	"testing"
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
