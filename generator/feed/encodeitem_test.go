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
