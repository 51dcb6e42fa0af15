package feed

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// indentCompact lays out what json.Marshal writes exactly as json.Indent
// does: empty and nested objects and arrays, strings with escaped quotes
// and backslashes, numbers and literals.
func TestIndentCompactIsIndent(t *testing.T) {
	t.Parallel()
	values := []any{
		map[string]any{},
		[]any{},
		map[string]any{"a": []any{}, "b": map[string]any{}, "c": []any{1, 2.5, true, nil, "x"}},
		[]any{`quote " inside`, `backslash \ and \" and \\" end`, "\\", `\\\\"`, "tab\tnew\nline", "<b>&</b>", "é ü 東京"},
		map[string]any{"nested": map[string]any{"deep": []any{map[string]any{"k": "v"}, []any{[]any{}}}}},
		jsonItem{ID: "id", Title: `A "title"`, ContentHTML: `<p>He said "hi" \ bye</p>`, Authors: []jsonAuthor{{Name: "Ana"}}, Tags: []string{"a", "b"}, Attachments: []jsonAttachment{{URL: "u", MimeType: "audio/mpeg", SizeInBytes: 3}}},
	}
	for _, v := range values {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		compact := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		var want bytes.Buffer
		if err := json.Indent(&want, compact, "    ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentCompact([]byte("pre"), compact, "    ", "  "); string(got) != "pre"+want.String() {
			t.Errorf("indentCompact(%s):\n%s\nwant:\n%s", compact, got, want.String())
		}
	}
}

// EncodeJSONItem gives what an indenting json.Encoder gave.
func TestEncodeJSONItemLayout(t *testing.T) {
	t.Parallel()
	it := &Item{Title: `Ep "1"`, Link: "https://example.org/1/", GUID: "g1", PubDate: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Description: "Sum & mary", ContentHTML: "<p>Notes with \"quotes\" and \\ backslashes.</p>\n<ul>\n<li>x</li>\n</ul>",
		Enclosure: Enclosure{URL: "https://cdn.example.org/1.mp3", Length: 100, Type: "audio/mpeg"}, Duration: 90 * time.Second}
	got, err := EncodeJSONItem(0, it)
	if err != nil {
		t.Fatal(err)
	}
	ji, err := jsonItemOf(0, it)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	if err := enc.Encode(ji); err != nil {
		t.Fatal(err)
	}
	if want := bytes.TrimSuffix(buf.Bytes(), []byte("\n")); !bytes.Equal(got, want) {
		t.Errorf("EncodeJSONItem:\n%s\nwant:\n%s", got, want)
	}
}
