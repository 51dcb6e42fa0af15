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
