package feed

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"testing"
)

// xmlItemReference is how EncodeItem encoded before appendItem: through
// encoding/xml with the feed's indentation.
func xmlItemReference(t *testing.T, x *xItem) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteByte('\n')
	enc := xml.NewEncoder(&buf)
	enc.Indent("    ", "  ")
	if err := enc.EncodeElement(x, xml.StartElement{Name: xml.Name{Local: "item"}}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// appendItem writes what encoding/xml writes, for items with and without
// each optional element, and text that needs every kind of escaping
// (quotes, ampersands, tabs and newlines, CDATA ends, characters XML does
// not allow, invalid UTF-8).
func TestAppendItemIsEncodingXML(t *testing.T) {
	t.Parallel()
	texts := []string{"", "plain", `a"b'c&d<e>f`, "tab\there new\nline cr\rx", "]]>", "x]]>y]]]>z]]", "é 東京 😀", "\x01\uFFFE\xff bad", "\uFFFD"}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func() string { return texts[r.IntN(len(texts))] }
	maybe := func() bool { return r.IntN(2) == 0 }
	num := func() int { return []int{0, 1, 42}[r.IntN(3)] }
	for n := 0; n < 500; n++ {
		x := &xItem{Title: pick(), Link: pick(), PubDate: pick(), Description: pick(), ITunesExplicit: pick(), ITunesEpisodeType: pick(),
			ITunesDuration: int64(num()), ITunesEpisode: num(), ITunesSeason: num(), PodcastEpisode: num(), PodcastSeason: num()}
		if maybe() {
			x.GUID = &xGUID{IsPermaLink: pick(), Value: pick()}
		}
		for range r.IntN(3) {
			x.Categories = append(x.Categories, pick())
		}
		if maybe() {
			x.Content = &xCDATA{Value: pick()}
		}
		if maybe() {
			x.Enclosure = &xEnclosure{URL: pick(), Length: int64(num()), Type: pick()}
		}
		if maybe() {
			x.ITunesImage = &xHref{Href: pick()}
		}
		for range r.IntN(3) {
			x.PodcastPersons = append(x.PodcastPersons, xPerson{Role: pick(), Group: pick(), Href: pick(), Img: pick(), Name: pick()})
		}
		for range r.IntN(3) {
			x.PodcastTranscripts = append(x.PodcastTranscripts, xTranscript{URL: pick(), Type: pick(), Language: pick(), Rel: pick()})
		}
		if maybe() {
			x.PodcastChapters = &xChapters{URL: pick(), Type: pick()}
		}
		want := xmlItemReference(t, x)
		if got := appendItem([]byte{'\n'}, x); !bytes.Equal(got, want) {
			t.Fatalf("item %d:\n%s\nwant (encoding/xml):\n%s", n, got, want)
		}
	}
}
