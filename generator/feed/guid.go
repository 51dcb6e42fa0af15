package feed

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// podcastNamespace is the Podcasting 2.0 "podcast" UUID namespace,
// ead4c236-bf58-58c6-a2c6-a6b28d128cb6.
var podcastNamespace = [16]byte{
	0xea, 0xd4, 0xc2, 0x36, 0xbf, 0x58, 0x58, 0xc6,
	0xa2, 0xc6, 0xa6, 0xb2, 0x8d, 0x12, 0x8c, 0xb6,
}

// PodcastGUID returns the podcast:guid for a feed URL as the Podcasting 2.0
// spec defines it: a UUIDv5 (RFC 9562, SHA-1) in the namespace
// ead4c236-bf58-58c6-a2c6-a6b28d128cb6 whose name is the feed URL with its
// scheme ("https://") and trailing slashes removed. Surrounding white space
// is ignored. The result is lower-case, e.g.
// PodcastGUID("https://mp3s.nashownotes.com/pc20rss.xml") ==
// "917393e3-1b1e-5cef-ace4-edaa54e1f810".
func PodcastGUID(feedURL string) string {
	name := strings.TrimSpace(feedURL)
	if i := strings.Index(name, "://"); i > 0 && isScheme(name[:i]) {
		name = name[i+len("://"):]
	}
	name = strings.TrimRight(name, "/")

	h := sha1.New()
	h.Write(podcastNamespace[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 / 9562 variant

	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:36], u[10:16])
	return string(buf[:])
}

// isScheme reports whether s is a URL scheme (RFC 3986: ALPHA *( ALPHA /
// DIGIT / "+" / "-" / "." )).
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}
