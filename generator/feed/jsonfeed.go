package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// JSONFeedVersion is the JSON Feed version URL written by WriteJSONFeed.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Language    string       `json:"language,omitempty"`
	Expired     bool         `json:"expired,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name   string `json:"name,omitempty"`
	URL    string `json:"url,omitempty"`
	Avatar string `json:"avatar,omitempty"`
}

type jsonItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url,omitempty"`
	Title         string           `json:"title,omitempty"`
	ContentHTML   string           `json:"content_html,omitempty"`
	ContentText   string           `json:"content_text,omitempty"`
	Summary       string           `json:"summary,omitempty"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published,omitempty"`
	Authors       []jsonAuthor     `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL               string `json:"url"`
	MimeType          string `json:"mime_type"`
	Title             string `json:"title,omitempty"`
	SizeInBytes       int64  `json:"size_in_bytes,omitempty"`
	DurationInSeconds int64  `json:"duration_in_seconds,omitempty"`
}

// WriteJSONFeed writes ch as an indented JSON Feed 1.1 document.
//
// Mapping: home_page_url = Link, feed_url = JSONFeedURL, icon = ImageURL,
// expired = Complete, authors = Author (or, without one, the channel's
// host persons); each item has id = GUID, url = Link, content_html =
// ContentHTML (content_text = Description when there is no HTML), summary
// = Description, image = ImageURL, date_published (RFC 3339), authors =
// its host persons, tags = Tags, and one attachment for the enclosure with
// url, mime_type, size_in_bytes and duration_in_seconds. Nothing is written
// to w if an error is returned.
func WriteJSONFeed(w io.Writer, ch *Channel) error {
	if ch == nil {
		return errors.New("feed: nil channel")
	}
	f := jsonFeed{
		Version:     JSONFeedVersion,
		Title:       clean(ch.Title),
		HomePageURL: clean(ch.Link),
		FeedURL:     clean(ch.JSONFeedURL),
		Description: description(ch.Description),
		Icon:        clean(ch.ImageURL),
		Language:    clean(ch.Language),
		Expired:     ch.Complete,
		Items:       []jsonItem{},
	}
	if a := clean(ch.Author); a != "" {
		f.Authors = []jsonAuthor{{Name: a, URL: f.HomePageURL}}
	} else {
		f.Authors = jsonHosts(ch.Persons)
	}
	n, get := itemSource(ch, "json")
	if get == nil {
		for i := range ch.Items {
			ji, err := jsonItemOf(i, &ch.Items[i])
			if err != nil {
				return err
			}
			f.Items = append(f.Items, ji)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("feed: encode json feed: %w", err)
	}
	out := buf.Bytes()
	if get == nil || n == 0 {
		_, err := w.Write(out)
		return err
	}
	// Items is the last field: stream the pre-encoded items into the empty
	// list the encoder wrote, exactly as it would have written them.
	const empty = "\"items\": []\n}\n"
	if !bytes.HasSuffix(out, []byte(empty)) {
		return errors.New("feed: json feed: unexpected layout")
	}
	head := append(out[:len(out)-len(empty):len(out)-len(empty)], "\"items\": ["...)
	first, next := []byte("\n    "), []byte(",\n    ")
	sep := func(i int) []byte {
		if i == 0 {
			return first
		}
		return next
	}
	return writeItems(w, head, n, get, sep, []byte("\n  ]\n}\n"), itemWritten(ch, "json"))
}

// EncodeJSONItem encodes one item exactly as WriteJSONFeed writes it inside
// the feed's item list, for Channel.ItemJSON. i is the item's position,
// used in error messages.
func EncodeJSONItem(i int, it *Item) ([]byte, error) {
	ji, err := jsonItemOf(i, it)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(itemSize(it))
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ji); err != nil {
		return nil, fmt.Errorf("feed: encode json item %d: %w", i, err)
	}
	compact := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return indentCompact(make([]byte, 0, len(compact)+512), compact, "    ", "  "), nil // exact size, as EncodeItem
}

// indentCompact appends src, compact JSON as json.Marshal writes it, laid
// out as json.Indent(dst, src, prefix, indent) would. json.Indent runs a
// scanner state machine over every byte, which for an item is mostly its
// notes; here a string is found with one search for its closing quote and
// copied whole. The two are pinned to each other by a test.
func indentCompact(dst, src []byte, prefix, indent string) []byte {
	newline := func(depth int) {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	needIndent := false // after { or [: indent unless it is empty
	depth := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			newline(depth)
		}
		switch c {
		case '"':
			end := i + 1
			for {
				k := bytes.IndexByte(src[end:], '"')
				if k < 0 {
					return append(dst, src[i:]...) // not valid JSON; not from json.Marshal
				}
				end += k
				escapes := 0
				for m := end - 1; src[m] == '\\'; m-- {
					escapes++
				}
				if escapes%2 == 0 {
					break
				}
				end++
			}
			dst = append(dst, src[i:end+1]...)
			i = end
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline(depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				newline(depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// jsonItemOf maps an item to JSON Feed.
func jsonItemOf(i int, it *Item) (jsonItem, error) {
	ji := jsonItem{
		ID:          clean(it.GUID),
		URL:         clean(it.Link),
		Title:       clean(it.Title),
		ContentHTML: clean(it.ContentHTML),
		Summary:     description(it.Description),
		Image:       clean(it.ImageURL),
		Authors:     jsonHosts(it.Persons),
	}
	if ji.ContentHTML == "" {
		ji.ContentText = ji.Summary
	}
	if !it.PubDate.IsZero() {
		ji.DatePublished = it.PubDate.Format(time.RFC3339)
	}
	for _, t := range it.Tags {
		if t = clean(t); t != "" {
			ji.Tags = append(ji.Tags, t)
		}
	}
	if it.Enclosure.URL != "" {
		if it.Enclosure.Length <= 0 {
			return jsonItem{}, fmt.Errorf("feed: item %d (guid %q): enclosure length must be greater than 0", i, it.GUID)
		}
		ji.Attachments = []jsonAttachment{{
			URL:               clean(it.Enclosure.URL),
			MimeType:          clean(it.Enclosure.Type),
			SizeInBytes:       it.Enclosure.Length,
			DurationInSeconds: durationSeconds(it.Duration),
		}}
	}
	return ji, nil
}

// jsonHosts returns the persons whose role is host ("" counts as host, the
// podcast:person default) as JSON Feed authors.
func jsonHosts(ps []Person) []jsonAuthor {
	var out []jsonAuthor
	for _, p := range ps {
		if p.Role != "" && !strings.EqualFold(p.Role, "host") {
			continue
		}
		name := clean(p.Name)
		if name == "" {
			continue
		}
		out = append(out, jsonAuthor{Name: name, URL: clean(p.Href), Avatar: clean(p.Img)})
	}
	return out
}
