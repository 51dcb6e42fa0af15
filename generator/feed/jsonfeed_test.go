package feed

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// jsonFeedDoc is an independent decoding target for JSON Feed 1.1.
type jsonFeedDoc struct {
	Version     string `json:"version"`
	Title       string `json:"title"`
	HomePageURL string `json:"home_page_url"`
	FeedURL     string `json:"feed_url"`
	Description string `json:"description"`
	Icon        string `json:"icon"`
	Language    string `json:"language"`
	Expired     bool   `json:"expired"`
	Authors     []struct {
		Name   string `json:"name"`
		URL    string `json:"url"`
		Avatar string `json:"avatar"`
	} `json:"authors"`
	Items []struct {
		ID            string   `json:"id"`
		URL           string   `json:"url"`
		Title         string   `json:"title"`
		ContentHTML   string   `json:"content_html"`
		ContentText   string   `json:"content_text"`
		Summary       string   `json:"summary"`
		Image         string   `json:"image"`
		DatePublished string   `json:"date_published"`
		Tags          []string `json:"tags"`
		Authors       []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"authors"`
		Attachments []struct {
			URL               string `json:"url"`
			MimeType          string `json:"mime_type"`
			SizeInBytes       int64  `json:"size_in_bytes"`
			DurationInSeconds int64  `json:"duration_in_seconds"`
		} `json:"attachments"`
	} `json:"items"`
}

func writeJSON(t *testing.T, ch *Channel) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSONFeed(&buf, ch); err != nil {
		t.Fatalf("WriteJSONFeed: %v", err)
	}
	return buf.Bytes()
}

func TestWriteJSONFeed(t *testing.T) {
	t.Parallel()
	ch := fullChannel()
	b := writeJSON(t, ch)
	if !json.Valid(b) {
		t.Fatalf("invalid JSON:\n%s", b)
	}
	var doc jsonFeedDoc
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" {
		t.Errorf("version = %q", doc.Version)
	}
	checks := []struct{ name, got, want string }{
		{"title", doc.Title, ch.Title},
		{"home_page_url", doc.HomePageURL, ch.Link},
		{"feed_url", doc.FeedURL, ch.JSONFeedURL},
		{"description", doc.Description, ch.Description},
		{"icon", doc.Icon, ch.ImageURL},
		{"language", doc.Language, ch.Language},
	}
	if !doc.Expired {
		t.Error("expired should mirror Complete")
	}
	if len(doc.Authors) != 1 || doc.Authors[0].Name != ch.Author {
		t.Errorf("authors = %+v", doc.Authors)
	}
	if len(doc.Items) != 2 {
		t.Fatalf("items = %d", len(doc.Items))
	}
	it, want := doc.Items[0], ch.Items[0]
	checks = append(checks, []struct{ name, got, want string }{
		{"id", it.ID, want.GUID},
		{"url", it.URL, want.Link},
		{"item title", it.Title, want.Title},
		{"content_html", it.ContentHTML, want.ContentHTML},
		{"content_text", it.ContentText, ""},
		{"summary", it.Summary, want.Description},
		{"image", it.Image, want.ImageURL},
		{"date_published", it.DatePublished, "2024-05-06T07:08:09-07:00"},
		{"attachment url", it.Attachments[0].URL, want.Enclosure.URL},
		{"attachment mime_type", it.Attachments[0].MimeType, want.Enclosure.Type},
	}...)
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if a := it.Attachments[0]; a.SizeInBytes != want.Enclosure.Length || a.DurationInSeconds != 3724 {
		t.Errorf("attachment = %+v", a)
	}
	if !reflect.DeepEqual(it.Tags, want.Tags) {
		t.Errorf("tags = %q", it.Tags)
	}
	// Only hosts are authors; the guest is not.
	if len(it.Authors) != 1 || it.Authors[0].Name != "Jane Host" || it.Authors[0].URL != "https://jane.example/" {
		t.Errorf("item authors = %+v", it.Authors)
	}
	if d, err := time.Parse(time.RFC3339, doc.Items[1].DatePublished); err != nil || !d.Equal(date1) {
		t.Errorf("date_published = %q (%v)", doc.Items[1].DatePublished, err)
	}
	if doc.Items[1].Tags != nil {
		t.Errorf("item without tags has tags %q", doc.Items[1].Tags)
	}

	if !bytes.Equal(b, writeJSON(t, fullChannel())) {
		t.Error("WriteJSONFeed is not deterministic")
	}
}

func TestWriteJSONFeedEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		ch    *Channel
		check func(t *testing.T, doc jsonFeedDoc)
	}{
		{"empty feed has an items array", &Channel{Title: "t"}, func(t *testing.T, doc jsonFeedDoc) {
			if doc.Items == nil || len(doc.Items) != 0 {
				t.Errorf("items = %v", doc.Items)
			}
		}},
		{"no html falls back to content_text", &Channel{Title: "t", Items: []Item{{GUID: "1", Description: "plain & <simple>"}}}, func(t *testing.T, doc jsonFeedDoc) {
			if it := doc.Items[0]; it.ContentText != "plain & <simple>" || it.ContentHTML != "" || it.Attachments != nil || it.DatePublished != "" {
				t.Errorf("item = %+v", it)
			}
		}},
		{"hosts become feed authors without Author", &Channel{Title: "t", Persons: []Person{{Name: "A"}, {Name: "B", Role: "guest"}, {Name: "C", Role: "Host", Img: "https://c.example/c.png"}}}, func(t *testing.T, doc jsonFeedDoc) {
			if len(doc.Authors) != 2 || doc.Authors[0].Name != "A" || doc.Authors[1].Avatar != "https://c.example/c.png" {
				t.Errorf("authors = %+v", doc.Authors)
			}
		}},
		{"hostile text survives", &Channel{Title: "a & b <c> \"d\" ]]> 🎙 Привет\x00\x1b", Items: []Item{{GUID: "x\x0b", Title: "</script>"}}}, func(t *testing.T, doc jsonFeedDoc) {
			if doc.Title != "a & b <c> \"d\" ]]> 🎙 Привет" || doc.Items[0].ID != "x" || doc.Items[0].Title != "</script>" {
				t.Errorf("doc = %+v", doc)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var doc jsonFeedDoc
			if err := json.Unmarshal(writeJSON(t, tt.ch), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Version != JSONFeedVersion {
				t.Errorf("version = %q", doc.Version)
			}
			tt.check(t, doc)
		})
	}
}
