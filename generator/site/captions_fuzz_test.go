package site

import (
	"strings"
	"testing"
)

// The caption parsers and the notes chapter reader take any bytes without
// panicking, and what they accept is in time order.
func FuzzCaptions(f *testing.F) {
	f.Add([]byte("WEBVTT\n\n1\n00:00.000 --> 00:01.000 align:start\n<v.loud Ann &amp; Co>Hi <i>there</i></v> <v Bo>Ho\n\nNOTE x\n"))
	f.Add([]byte("1\n00:00:01,000 --> 00:00:02,000\n- Ann: <b>Hi</b> {\\an8}\n\n2\n00:00:02,000 --> 00:00:03,000\nHo\n"))
	f.Add([]byte("00:00 Intro\n- (04:10) [Wave](https://x.org/)\n```\n05:00 code\n```\n1:02:03 End\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, parse := range []func(string, []byte) (*Transcript, ErrorList){parseVTT, parseSRT} {
			tr, errs := parse("a", src)
			if tr == nil {
				if len(errs.Errors()) == 0 {
					t.Fatal("no transcript and no error")
				}
				continue
			}
			ep := &Episode{Transcript: tr}
			prev := -1.0
			for _, s := range ep.transcriptSegments() {
				if s.End <= s.Start || s.Start.Seconds() < prev || strings.Contains(s.Body, "\n") {
					t.Fatalf("bad segment %+v", s)
				}
				prev = s.Start.Seconds()
			}
			if vtt := transcriptVTT(ep.transcriptSegments()); strings.Count(string(vtt), "\n\n") != len(ep.transcriptSegments()) {
				t.Fatalf("a cue text broke the WebVTT blocks:\n%s", vtt)
			}
		}
		var errs ErrorList
		chapters := chaptersFromNotes("a.md", src, 1, &errs)
		for i := 1; i < len(chapters); i++ {
			if chapters[i].Start <= chapters[i-1].Start || chapters[i].Title == "" {
				t.Fatalf("chapters out of order: %+v", chapters)
			}
		}
	})
}
