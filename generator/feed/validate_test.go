package feed

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestValidateValidChannel(t *testing.T) {
	t.Parallel()
	if ps := Validate(fullChannel()); len(ps) != 0 {
		t.Errorf("Validate(fullChannel()) = %v, want no problems", ps)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	const ch = -1
	e := func(item int, field, msg string) Problem { return Problem{Item: item, Field: field, Msg: msg} }
	w := func(item int, field, msg string) Problem {
		return Problem{Item: item, Field: field, Msg: msg, Warning: true}
	}

	tests := []struct {
		name   string
		mutate func(c *Channel)
		want   []Problem
	}{
		// Channel.
		{"missing title", func(c *Channel) { c.Title = " \x00 " },
			[]Problem{e(ch, "title", "title is required")}},
		{"long title", func(c *Channel) { c.Title = strings.Repeat("я", 256) },
			[]Problem{w(ch, "title", "title is longer than 255 characters")}},
		{"255 character title is fine", func(c *Channel) { c.Title = strings.Repeat("я", 255) }, nil},
		{"missing link", func(c *Channel) { c.Link = "" },
			[]Problem{e(ch, "link", "link is required")}},
		{"relative link", func(c *Channel) { c.Link = "/index.html" },
			[]Problem{e(ch, "link", "link must be an absolute url")}},
		{"missing feed url", func(c *Channel) { c.FeedURL = "" },
			[]Problem{e(ch, "atom:link", "feed url is required")}},
		{"relative feed url", func(c *Channel) { c.FeedURL = "feed.xml" },
			[]Problem{e(ch, "atom:link", "feed url must be an absolute url")}},
		{"missing description", func(c *Channel) { c.Description = "" },
			[]Problem{e(ch, "description", "description is required")}},
		{"long description", func(c *Channel) { c.Description = strings.Repeat("x", 4001) },
			[]Problem{w(ch, "description", "description is longer than 4000 bytes and will be truncated")}},
		{"missing language", func(c *Channel) { c.Language = "" },
			[]Problem{e(ch, "language", "language is required")}},
		{"bad language", func(c *Channel) { c.Language = "English" },
			[]Problem{e(ch, "language", "language must be an iso 639 code such as en or en-us")}},
		{"missing image", func(c *Channel) { c.ImageURL = "" },
			[]Problem{e(ch, "itunes:image", "image url is required")}},
		{"relative image", func(c *Channel) { c.ImageURL = "cover.jpg" },
			[]Problem{e(ch, "itunes:image", "image url must be an absolute url")}},
		{"http gif image", func(c *Channel) { c.ImageURL = "http://x.example/cover.gif?v=1" },
			[]Problem{w(ch, "itunes:image", "image url should use https"), w(ch, "itunes:image", "image should be a .jpg or .png file")}},
		{"no categories", func(c *Channel) { c.Categories = nil },
			[]Problem{e(ch, "itunes:category", "at least one category is required")}},
		{"unknown category", func(c *Channel) { c.Categories = []Category{{Name: "Technology"}, {Name: "Tech"}} },
			[]Problem{e(ch, "itunes:category[1]", `category "Tech" is not an apple podcasts category`)}},
		{"category case", func(c *Channel) { c.Categories = []Category{{Name: "society & culture", Sub: "Documentary"}} },
			[]Problem{e(ch, "itunes:category[0]", `category "society & culture" is not an apple podcasts category (did you mean "Society & Culture"?)`)}},
		{"unknown subcategory", func(c *Channel) { c.Categories = []Category{{Name: "Technology", Sub: "Podcasting"}} },
			[]Problem{e(ch, "itunes:category[0]", `subcategory "Podcasting" is not in category "Technology"`)}},
		{"subcategory case", func(c *Channel) { c.Categories = []Category{{Name: "Education", Sub: "how to"}} },
			[]Problem{e(ch, "itunes:category[0]", `subcategory "how to" is not in category "Education" (did you mean "How To"?)`)}},
		{"missing author", func(c *Channel) { c.Author = "" },
			[]Problem{w(ch, "itunes:author", "author is recommended")}},
		{"missing owner email", func(c *Channel) { c.OwnerEmail = "" },
			[]Problem{w(ch, "itunes:owner.email", "owner email is recommended")}},
		{"bad owner email", func(c *Channel) { c.OwnerEmail = "Jane <jane@x.example>" },
			[]Problem{e(ch, "itunes:owner.email", "owner email is not a valid email address")}},
		{"bad type", func(c *Channel) { c.Type = "Serial" },
			[]Problem{e(ch, "itunes:type", "type must be episodic or serial")}},
		{"bad new feed url", func(c *Channel) { c.NewFeedURL = "new.xml" },
			[]Problem{e(ch, "itunes:new-feed-url", "new feed url must be an absolute url")}},
		{"bad podcast guid", func(c *Channel) { c.PodcastGUID = "y0ur-gu1d-g035-h3r3" },
			[]Problem{e(ch, "podcast:guid", "podcast guid must be a uuid")}},
		{"good podcast guid", func(c *Channel) { c.PodcastGUID = "917393e3-1b1e-5cef-ace4-edaa54e1f810" }, nil},
		{"bad locked owner", func(c *Channel) { c.LockedOwner = "jane" },
			[]Problem{e(ch, "podcast:locked.owner", "locked owner must be an email address")}},
		{"bad medium", func(c *Channel) { c.Medium = "radio" },
			[]Problem{e(ch, "podcast:medium", `medium "radio" is not a podcast:medium value`)}},
		{"list medium", func(c *Channel) { c.Medium = "musicL" }, nil},
		{"funding without url", func(c *Channel) { c.Funding[1].URL = "" },
			[]Problem{e(ch, "podcast:funding[1].url", "funding url is required")}},
		{"relative funding url", func(c *Channel) { c.Funding[0].URL = "/support" },
			[]Problem{e(ch, "podcast:funding[0].url", "funding url must be an absolute url")}},
		{"long funding text", func(c *Channel) { c.Funding[0].Text = strings.Repeat("x", 129) },
			[]Problem{w(ch, "podcast:funding[0].text", "funding text should be at most 128 characters")}},
		{"person without name", func(c *Channel) { c.Persons[0].Name = "" },
			[]Problem{e(ch, "podcast:person[0].name", "person name is required")}},
		{"person bad urls", func(c *Channel) { c.Persons[0].Href, c.Persons[0].Img = "jane", "jane.jpg" },
			[]Problem{e(ch, "podcast:person[0].href", "person href must be an absolute url"), e(ch, "podcast:person[0].img", "person img must be an absolute url")}},
		{"license url without license", func(c *Channel) { c.License = "" },
			[]Problem{e(ch, "podcast:license", "license is required when a license url is set")}},
		{"relative license url", func(c *Channel) { c.LicenseURL = "license.html" },
			[]Problem{e(ch, "podcast:license.url", "license url must be an absolute url")}},
		{"no episodes", func(c *Channel) { c.Items = nil },
			[]Problem{w(ch, "item", "feed has no episodes")}},

		// Items.
		{"item missing title", func(c *Channel) { c.Items[1].Title = "" },
			[]Problem{e(1, "title", "title is required")}},
		{"item long title", func(c *Channel) { c.Items[0].Title = strings.Repeat("t", 300) },
			[]Problem{w(0, "title", "title is longer than 255 characters")}},
		{"item missing guid", func(c *Channel) { c.Items[0].GUID = "" },
			[]Problem{e(0, "guid", "guid is required")}},
		{"duplicate guid", func(c *Channel) { c.Items[1].GUID, c.Items[1].GUIDIsPermaLink = c.Items[0].GUID, false },
			[]Problem{e(1, "guid", "guid must be unique (same as item 0)")}},
		{"permalink guid not a url", func(c *Channel) { c.Items[1].GUID = "trailer-1" },
			[]Problem{e(1, "guid", "guid must be an absolute url when isPermaLink is true")}},
		{"missing pubDate", func(c *Channel) { c.Items[0].PubDate = time.Time{} },
			[]Problem{e(0, "pubDate", "pubDate is required")}},
		{"missing item link", func(c *Channel) { c.Items[0].Link = "" },
			[]Problem{w(0, "link", "link is recommended")}},
		{"relative item link", func(c *Channel) { c.Items[0].Link = "/episodes/2/" },
			[]Problem{e(0, "link", "link must be an absolute url")}},
		{"missing item description", func(c *Channel) { c.Items[1].Description = "" },
			[]Problem{w(1, "description", "description is recommended")}},
		{"long item description", func(c *Channel) { c.Items[1].Description = strings.Repeat("ü", 2001) },
			[]Problem{w(1, "description", "description is longer than 4000 bytes and will be truncated")}},
		{"missing enclosure", func(c *Channel) { c.Items[0].Enclosure = Enclosure{} },
			[]Problem{e(0, "enclosure.url", "enclosure url is required"), e(0, "enclosure.length", "enclosure length must be greater than 0"), e(0, "enclosure.type", "enclosure type is required")}},
		{"relative enclosure url", func(c *Channel) { c.Items[0].Enclosure.URL = "ep2.mp3" },
			[]Problem{e(0, "enclosure.url", "enclosure url must be an absolute url")}},
		{"http enclosure url", func(c *Channel) { c.Items[0].Enclosure.URL = "http://cdn.example/ep2.mp3" },
			[]Problem{e(0, "enclosure.url", "enclosure url must use https")}},
		{"duplicate enclosure url", func(c *Channel) { c.Items[1].Enclosure.URL = c.Items[0].Enclosure.URL },
			[]Problem{e(1, "enclosure.url", "enclosure url must be unique (same as item 0)")}},
		{"zero enclosure length", func(c *Channel) { c.Items[0].Enclosure.Length = 0 },
			[]Problem{e(0, "enclosure.length", "enclosure length must be greater than 0")}},
		{"negative enclosure length", func(c *Channel) { c.Items[1].Enclosure.Length = -5 },
			[]Problem{e(1, "enclosure.length", "enclosure length must be greater than 0")}},
		{"missing enclosure type", func(c *Channel) { c.Items[0].Enclosure.Type = "" },
			[]Problem{e(0, "enclosure.type", "enclosure type is required")}},
		{"unsupported enclosure type", func(c *Channel) { c.Items[0].Enclosure.Type = "audio/ogg" },
			[]Problem{w(0, "enclosure.type", `enclosure type "audio/ogg" is not supported by apple podcasts`)}},
		{"missing duration", func(c *Channel) { c.Items[1].Duration = 400 * time.Millisecond },
			[]Problem{w(1, "itunes:duration", "duration is recommended")}},
		{"serial without episode", func(c *Channel) { c.Items[0].Episode = 0 },
			[]Problem{e(0, "itunes:episode", "episode is required for serial shows")}},
		{"episodic without episode", func(c *Channel) { c.Type, c.Items[0].Episode = "", 0 }, nil},
		{"negative episode", func(c *Channel) { c.Items[0].Episode = -1 },
			[]Problem{e(0, "itunes:episode", "episode must not be negative")}},
		{"negative season", func(c *Channel) { c.Items[1].Season = -2 },
			[]Problem{e(1, "itunes:season", "season must not be negative")}},
		{"bad episode type", func(c *Channel) { c.Items[0].EpisodeType = "Full" },
			[]Problem{e(0, "itunes:episodeType", "episode type must be full, trailer or bonus")}},
		{"item image relative", func(c *Channel) { c.Items[0].ImageURL = "ep2.png" },
			[]Problem{e(0, "itunes:image", "image url must be an absolute url")}},
		{"item image webp", func(c *Channel) { c.Items[0].ImageURL = "https://x.example/ep2.webp" },
			[]Problem{w(0, "itunes:image", "image should be a .jpg or .png file")}},
		{"item person bad href", func(c *Channel) { c.Items[0].Persons[1].Href = "ivan" },
			[]Problem{e(0, "podcast:person[1].href", "person href must be an absolute url")}},
		{"transcript problems", func(c *Channel) {
			c.Items[0].Transcripts = append(c.Items[0].Transcripts, Transcript{URL: "t.srt", Rel: "subtitles"}, Transcript{Type: "text/plain"})
		}, []Problem{
			e(0, "podcast:transcript[2].url", "transcript url must be an absolute url"),
			e(0, "podcast:transcript[2].type", "transcript type is required"),
			w(0, "podcast:transcript[2].rel", `transcript rel should be "captions"`),
			e(0, "podcast:transcript[3].url", "transcript url is required"),
		}},
		{"chapters relative", func(c *Channel) { c.Items[1].Chapters.URL = "chapters.json" },
			[]Problem{e(1, "podcast:chapters.url", "chapters url must be an absolute url")}},
		{"chapters missing url", func(c *Channel) { c.Items[1].Chapters.URL = "" },
			[]Problem{e(1, "podcast:chapters.url", "chapters url is required")}},
		{"order: channel first, then items", func(c *Channel) { c.Items[0].Title = ""; c.Title = "" },
			[]Problem{e(ch, "title", "title is required"), e(0, "title", "title is required")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := fullChannel()
			tt.mutate(c)
			got := Validate(c)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate() =\n\t%v\nwant\n\t%v", got, tt.want)
			}
		})
	}
}

func TestValidateNil(t *testing.T) {
	t.Parallel()
	want := []Problem{{Item: -1, Field: "channel", Msg: "channel is missing"}}
	if got := Validate(nil); !reflect.DeepEqual(got, want) {
		t.Errorf("Validate(nil) = %v", got)
	}
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Item: -1, Field: "title", Msg: "title is required"}, "channel: title: title is required"},
		{Problem{Item: 2, Field: "enclosure.length", Msg: "enclosure length must be greater than 0"}, "item 2: enclosure.length: enclosure length must be greater than 0"},
		{Problem{Item: 0, Field: "link", Msg: "link is recommended", Warning: true}, "item 0: link: link is recommended (warning)"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	if HasErrors([]Problem{tests[2].p}) || !HasErrors([]Problem{tests[2].p, tests[1].p}) || HasErrors(nil) {
		t.Error("HasErrors is wrong")
	}
}
