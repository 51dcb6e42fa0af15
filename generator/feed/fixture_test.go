package feed

import (
	"time"
)

// Dates with sub-second parts and a non-UTC zone, to check that pubDate is
// written to the second in the value's own zone.
var (
	tzMinus7 = time.FixedZone("", -7*60*60)
	date2    = time.Date(2024, time.May, 6, 7, 8, 9, 987654321, tzMinus7)
	date1    = time.Date(2024, time.April, 29, 18, 30, 0, 0, time.UTC)
)

// fullChannel returns a valid channel that uses every element WriteRSS can
// write. It is the input of the golden file.
func fullChannel() *Channel {
	return &Channel{
		Title:       "Shownotes & Friends",
		Link:        "https://shownotes.example/",
		FeedURL:     "https://shownotes.example/feed.xml",
		JSONFeedURL: "https://shownotes.example/feed.json",
		Description: "A show about \"show notes\", <static> sites & feeds — с кириллицей 🎙️.\nSecond line.",
		Language:    "en-us",
		Copyright:   "© 2024 Jane Host",
		Author:      "Jane Host",
		ImageURL:    "https://shownotes.example/cover.jpg",
		Categories: []Category{
			{Name: "Technology"},
			{Name: "Society & Culture", Sub: "Documentary"},
			{Name: "Society & Culture", Sub: "Philosophy"},
		},
		Explicit:    true,
		OwnerName:   "Jane Host",
		OwnerEmail:  "jane@shownotes.example",
		Type:        "serial",
		Locked:      true,
		LockedOwner: "jane@shownotes.example",
		Funding: []Funding{
			{URL: "https://shownotes.example/support", Text: "Support the show!"},
			{URL: "https://shownotes.example/members?plan=gold&ref=feed", Text: "Become a member"},
		},
		Persons: []Person{
			{Name: "Jane Host", Role: "host", Group: "cast", Href: "https://jane.example/", Img: "https://jane.example/jane.jpg"},
		},
		License:    "cc-by-4.0",
		LicenseURL: "https://creativecommons.org/licenses/by/4.0/",
		Medium:     "podcast",
		NewFeedURL: "https://shownotes.example/feed.xml",
		Block:      true,
		Complete:   true,
		LastBuild:  date2,
		Generator:  "shownotes",
		Items: []Item{
			{
				Title:       "Episode 2: Ünïcödé, \"quotes\" & <angles>",
				Link:        "https://shownotes.example/episodes/2/",
				GUID:        "urn:uuid:6f0f5c4e-7a4d-4d8e-9a43-2f9c1d0b7e11",
				PubDate:     date2,
				Description: "We talk about feeds. Also: Привет! 👋",
				ContentHTML: `<p>Links: <a href="https://example.com/?a=1&amp;b=2">example</a></p>` + "\n" + `<pre>if a[b[0]]>c { }</pre>`,
				Enclosure: Enclosure{
					URL:    "https://cdn.shownotes.example/ep2.mp3",
					Length: 45678901,
					Type:   "audio/mpeg",
				},
				Duration:    time.Hour + 2*time.Minute + 3*time.Second + 600*time.Millisecond,
				Episode:     2,
				Season:      1,
				EpisodeType: "full",
				ImageURL:    "https://shownotes.example/ep2.png",
				Explicit:    true,
				Persons: []Person{
					{Name: "Jane Host", Role: "host", Href: "https://jane.example/"},
					{Name: "Иван Гость", Role: "guest", Group: "cast", Href: "https://ivan.example/", Img: "https://ivan.example/i.jpg"},
				},
				Transcripts: []Transcript{
					{URL: "https://shownotes.example/episodes/2/transcript.vtt", Type: "text/vtt", Rel: "captions"},
					{URL: "https://shownotes.example/episodes/2/transcript.html", Type: "text/html", Language: "en"},
				},
				Chapters: &Chapters{URL: "https://shownotes.example/episodes/2/chapters.json"},
				Tags:     []string{"feeds", "rss"},
			},
			{
				Title:           "Trailer",
				Link:            "https://shownotes.example/episodes/1/",
				GUID:            "https://shownotes.example/episodes/1/",
				GUIDIsPermaLink: true,
				PubDate:         date1,
				Description:     "The trailer.",
				ContentHTML:     "<p>The trailer.</p>",
				Enclosure: Enclosure{
					URL:    "https://cdn.shownotes.example/trailer.m4a",
					Length: 1234567,
					Type:   "audio/x-m4a",
				},
				Duration:    95 * time.Second,
				Episode:     1,
				Season:      1,
				EpisodeType: "trailer",
				Chapters:    &Chapters{URL: "https://shownotes.example/episodes/1/chapters.json", Type: "application/json+chapters"},
			},
		},
	}
}
