// Package feed writes the machine-readable outputs of a podcast site: an
// RSS 2.0 podcast feed (with the itunes:, podcast:, content: and atom:
// namespaces) that Apple Podcasts, Spotify and the Podcast Index accept, a
// JSON Feed 1.1 document and a sitemaps.org 0.9 sitemap.
//
// The package is pure: it imports no other shownotes package, never reads
// the clock and never touches the file system. Every writer is
// deterministic: the same input always produces the same bytes. Items are
// written in the order given (callers sort them newest first).
//
// All XML is produced with encoding/xml from struct types, never from string
// templates. Before encoding, every text and attribute value has the
// characters that XML 1.0 forbids removed (C0 control characters other than
// tab, newline and carriage return, U+FFFE, U+FFFF, and invalid UTF-8 such
// as lone surrogates), together with DEL and the C1 control characters
// U+0080–U+009F, which XML 1.0 discourages and which are never meaningful in
// show notes.
//
// Validate reports what the podcast directories would reject (errors) or
// would like to see (warnings); it does not stop WriteRSS from writing a
// feed, except that WriteRSS refuses to write an enclosure whose length is
// not positive.
package feed
