package feed

import (
	"testing"

	"github.com/google/uuid"
)

func TestPodcastGUID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, feedURL, want string
	}{
		// The examples of the Podcasting 2.0 podcast:guid specification.
		{"spec example", "https://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"},
		{"spec example without scheme", "mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"},
		{"spec example over http", "http://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"},
		{"podnews example", "https://podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"},
		{"trailing slashes removed", "https://podnews.net/rss///", "9b024349-ccf0-5f69-a609-6b82873eab3c"},
		{"surrounding space ignored", "  https://podnews.net/rss/\n", "9b024349-ccf0-5f69-a609-6b82873eab3c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PodcastGUID(tt.feedURL); got != tt.want {
				t.Errorf("PodcastGUID(%q) = %s, want %s", tt.feedURL, got, tt.want)
			}
		})
	}
}

// TestPodcastGUIDMatchesUUIDv5 cross-checks the hand-written UUIDv5 code
// against github.com/google/uuid.
func TestPodcastGUIDMatchesUUIDv5(t *testing.T) {
	t.Parallel()
	ns := uuid.MustParse("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
	tests := []struct{ feedURL, name string }{
		{"https://shownotes.example/feed.xml", "shownotes.example/feed.xml"},
		{"HTTPS://Example.COM/Feed/", "Example.COM/Feed"},
		{"feed://example.com/rss", "example.com/rss"},
		{"https://example.com/путь/feed.xml?x=1", "example.com/путь/feed.xml?x=1"},
		{"example.com", "example.com"},
	}
	for _, tt := range tests {
		want := uuid.NewSHA1(ns, []byte(tt.name))
		got := PodcastGUID(tt.feedURL)
		if got != want.String() {
			t.Errorf("PodcastGUID(%q) = %s, want %s", tt.feedURL, got, want)
		}
		if u, err := uuid.Parse(got); err != nil || u.Version() != 5 || u.Variant() != uuid.RFC4122 {
			t.Errorf("PodcastGUID(%q) = %s: not an RFC 4122 v5 uuid (%v)", tt.feedURL, got, err)
		}
	}
}
