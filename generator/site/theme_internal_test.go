package site

import (
	"html/template"
	"testing"
)

// cached executes a partial once per name and value, escapes like
// {{template}} in element content, and refuses values it cannot key on.
func TestPartialMemo(t *testing.T) {
	t.Parallel()
	runs := 0
	base := template.Must(template.New("base").Funcs(template.FuncMap{
		"run": func() int { runs++; return runs },
	}).Parse(`{{define "card"}}<b title="{{.}}">{{.}}</b>#{{run}}{{end}}{{define "other"}}<i>{{.}}</i>{{end}}`))
	m := &partialMemo{base: base}
	for _, tc := range []struct {
		name string
		data any
		want template.HTML
	}{
		{"card", "a", `<b title="a">a</b>#1`},
		{"card", "a", `<b title="a">a</b>#1`}, // not executed again
		{"card", "b", `<b title="b">b</b>#2`},
		{"other", "a", `<i>a</i>`}, // keyed by name too
		{"card", `<x y="1">`, `<b title="&lt;x y=&#34;1&#34;&gt;">&lt;x y=&#34;1&#34;&gt;</b>#3`},
		{"card", "a", `<b title="a">a</b>#1`},
	} {
		got, err := m.execute(tc.name, tc.data)
		if err != nil || got != tc.want {
			t.Errorf("cached %q %v = %q, %v; want %q", tc.name, tc.data, got, err, tc.want)
		}
	}
	if runs != 3 {
		t.Errorf("the partial ran %d times, want 3", runs)
	}
	_, err := m.execute("card", []string{"a"})
	if want := `cached "card": give it one value, such as an episode or a person, not a []string`; err == nil || err.Error() != want {
		t.Errorf("slice: error %v, want %q", err, want)
	}
	if _, err := m.execute("missing", "a"); err == nil {
		t.Error("a missing partial gave no error")
	}
}
