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
	// With variants, they are the key, not the value: the first value's
	// output is reused; a value without variants is another entry.
	for _, tc := range []struct {
		data     any
		variants []any
		want     template.HTML
	}{
		{"p1", []any{"episode"}, `<b title="p1">p1</b>#4`},
		{"p2", []any{"episode"}, `<b title="p1">p1</b>#4`},
		{"p3", []any{"transcript"}, `<b title="p3">p3</b>#5`},
		{"p4", []any{"episode", 2}, `<b title="p4">p4</b>#6`},
		{"episode", nil, `<b title="episode">episode</b>#7`},
	} {
		got, err := m.execute("card", tc.data, tc.variants...)
		if err != nil || got != tc.want {
			t.Errorf("cached \"card\" %v %v = %q, %v; want %q", tc.data, tc.variants, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		variants []any
		want     string
	}{
		{[]any{[]int{1}}, `cached "card": a variant must be a single value such as a string, not a []int`},
		{[]any{1, 2, 3, 4}, `cached "card": at most 3 variants, not 4`},
	} {
		if _, err := m.execute("card", "a", tc.variants...); err == nil || err.Error() != tc.want {
			t.Errorf("variants %v: error %v, want %q", tc.variants, err, tc.want)
		}
	}
	_, err := m.execute("card", []string{"a"})
	if want := `cached "card": give it one value, such as an episode or a person, not a []string`; err == nil || err.Error() != want {
		t.Errorf("slice: error %v, want %q", err, want)
	}
	if _, err := m.execute("missing", "a"); err == nil {
		t.Error("a missing partial gave no error")
	}
}
