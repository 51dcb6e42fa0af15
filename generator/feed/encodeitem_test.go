package feed

import (
	"bytes"
	"testing"
)

// Items encoded one by one and passed as ItemXML give the very bytes of a
// feed encoded whole, so callers can cache or parallelise item encoding.
func TestEncodeItemMatchesWriteRSS(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 3} {
		ch := fullChannel()
		if n < len(ch.Items) {
			ch.Items = ch.Items[:n]
		}
		var whole bytes.Buffer
		if err := WriteRSS(&whole, ch); err != nil {
			t.Fatal(err)
		}
		pre := *ch
		pre.ItemXML = nil
		for i := range ch.Items {
			x, err := EncodeItem(i, &ch.Items[i])
			if err != nil {
				t.Fatal(err)
			}
			pre.ItemXML = append(pre.ItemXML, x)
		}
		if pre.ItemXML == nil {
			pre.ItemXML = [][]byte{}
		}
		var parts bytes.Buffer
		if err := WriteRSS(&parts, &pre); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(whole.Bytes(), parts.Bytes()) {
			t.Errorf("%d items: pre-encoded feed differs:\n--- whole\n%s\n--- parts\n%s", n, whole.String(), parts.String())
		}
	}
}

// The same for JSON Feed items.
func TestEncodeJSONItemMatchesWriteJSONFeed(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 3} {
		ch := fullChannel()
		if n < len(ch.Items) {
			ch.Items = ch.Items[:n]
		}
		var whole bytes.Buffer
		if err := WriteJSONFeed(&whole, ch); err != nil {
			t.Fatal(err)
		}
		pre := *ch
		pre.ItemJSON = [][]byte{}
		for i := range ch.Items {
			x, err := EncodeJSONItem(i, &ch.Items[i])
			if err != nil {
				t.Fatal(err)
			}
			pre.ItemJSON = append(pre.ItemJSON, x)
		}
		var parts bytes.Buffer
		if err := WriteJSONFeed(&parts, &pre); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(whole.Bytes(), parts.Bytes()) {
			t.Errorf("%d items: pre-encoded JSON feed differs:\n--- whole\n%s\n--- parts\n%s", n, whole.String(), parts.String())
		}
	}
}

// Items supplied one by one through ItemStream give the same bytes.
func TestItemStreamMatches(t *testing.T) {
	t.Parallel()
	ch := fullChannel()
	var rss, js bytes.Buffer
	if err := WriteRSS(&rss, ch); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSONFeed(&js, ch); err != nil {
		t.Fatal(err)
	}
	streamed := *ch
	var asked []string
	streamed.ItemStream = func(format string, i int) ([]byte, error) {
		asked = append(asked, format)
		if format == "rss" {
			return EncodeItem(i, &ch.Items[i])
		}
		return EncodeJSONItem(i, &ch.Items[i])
	}
	var rss2, js2 bytes.Buffer
	if err := WriteRSS(&rss2, &streamed); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSONFeed(&js2, &streamed); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rss.Bytes(), rss2.Bytes()) || !bytes.Equal(js.Bytes(), js2.Bytes()) {
		t.Error("streamed items give different feeds")
	}
	if len(asked) != 2*len(ch.Items) {
		t.Errorf("items asked for %d times, want %d", len(asked), 2*len(ch.Items))
	}
}

// ItemWritten says where each pre-encoded item landed, in both formats:
// the bytes at those offsets are the item, which is how the persistent
// render cache finds unchanged items in the previous build's feeds.
func TestItemWrittenOffsets(t *testing.T) {
	t.Parallel()
	ch := fullChannel()
	for _, tc := range []struct {
		format string
		encode func(int, *Item) ([]byte, error)
		write  func(*bytes.Buffer, *Channel) error
	}{
		{"rss", EncodeItem, func(b *bytes.Buffer, c *Channel) error { return WriteRSS(b, c) }},
		{"json", EncodeJSONItem, func(b *bytes.Buffer, c *Channel) error { return WriteJSONFeed(b, c) }},
	} {
		var items [][]byte
		for i := range ch.Items {
			x, err := tc.encode(i, &ch.Items[i])
			if err != nil {
				t.Fatal(err)
			}
			items = append(items, x)
		}
		pre := *ch
		pre.ItemStream = func(format string, i int) ([]byte, error) { return items[i], nil }
		type at struct{ off, n int64 }
		got := map[int]at{}
		pre.ItemWritten = func(format string, i int, off, n int64) {
			if format != tc.format {
				t.Errorf("ItemWritten got format %q, want %q", format, tc.format)
			}
			got[i] = at{off, n}
		}
		var out bytes.Buffer
		if err := tc.write(&out, &pre); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(items) {
			t.Fatalf("%s: ItemWritten called for %d items, want %d", tc.format, len(got), len(items))
		}
		for i, x := range items {
			a := got[i]
			if a.off < 0 || a.off+a.n > int64(out.Len()) || !bytes.Equal(out.Bytes()[a.off:a.off+a.n], x) {
				t.Errorf("%s item %d: offset %d length %d is not the item in the written feed", tc.format, i, a.off, a.n)
			}
		}
	}
}
