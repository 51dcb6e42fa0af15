package site_test

import (
	"strings"
	"testing"

	"shownotes/generator/internal/sitetest"
)

func TestSRTTranscript(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+episode("talk", "duration: \"1:00\"\n")+`-- content/talk.srt --
1
00:00:01,000 --> 00:00:03,500
Host Person: Welcome <i>back</i>.

2
00:00:03,500 --> 00:00:05,000
It's good to be here.

3
00:00:05,000 --> 00:00:09,000
- Зоя O'Neil: Thank you &amp; hello.
`))
	sitetest.Contains(t, files, "episodes/talk/transcript/index.html",
		`Speakers: Host Person, Зоя O&#39;Neil`,
		`<p>Welcome back. It&#39;s good to be here.</p>`,
		`<section class="turn" id="turn-2">`, `data-start="5"`, `<p>Thank you &amp; hello.</p>`)
	sitetest.Contains(t, files, "episodes/talk/transcript.json",
		`"speaker": "Host Person",
      "startTime": 1,
      "endTime": 3.5,
      "body": "Welcome back."`,
		`"startTime": 3.5,
      "endTime": 5,
      "body": "It's good to be here."`)
	sitetest.Contains(t, files, "episodes/talk/transcript.vtt", "00:00:05.000 --> 00:00:09.000\n<v Зоя O'Neil>Thank you &amp; hello.\n")
	sitetest.Contains(t, files, "feed.xml", `type="text/vtt" language="en" rel="captions"`, `type="application/json"`)
	if _, ok := files["talk.srt"]; ok {
		t.Error("transcript source copied to the output")
	}
}

// A transcript.md with a timestamp on every turn is timed: each turn ends
// where the next starts, the last at the end of the episode, or after
// words ÷ 2.5 seconds when the duration is unknown.
func TestTimedMarkdownTranscript(t *testing.T) {
	t.Parallel()
	const transcript = `-- content/talk.transcript.md --
[00:00] Host Person: Welcome to the show.

[00:04] Guest Person: Thanks.

More from the guest, five words here.
`
	files := sitetest.Build(t, sitetest.Input(siteTOML+episode("talk", "duration: \"0:30\"\n")+transcript))
	sitetest.Contains(t, files, "episodes/talk/transcript.json",
		`"startTime": 0,
      "endTime": 4,`,
		`"startTime": 4,
      "endTime": 30,
      "body": "Thanks. More from the guest, five words here."`)
	sitetest.Contains(t, files, "episodes/talk/transcript.vtt", "00:00:04.000 --> 00:00:30.000\n<v Guest Person>Thanks. More from the guest, five words here.\n")

	files = sitetest.Build(t, sitetest.Input(siteTOML+episode("talk", "")+transcript))
	// 8 words at 2.5 words a second: 3.2 s.
	sitetest.Contains(t, files, "episodes/talk/transcript.json", `"startTime": 4,
      "endTime": 7.2,`)

	// One turn without a timestamp: no timing, so only the page.
	files = sitetest.Build(t, sitetest.Input(siteTOML+episode("talk", "")+strings.Replace(transcript, "[00:04] ", "", 1)))
	for _, name := range []string{"episodes/talk/transcript.json", "episodes/talk/transcript.vtt"} {
		if _, ok := files[name]; ok {
			t.Errorf("%s written for an untimed transcript", name)
		}
	}
	sitetest.Contains(t, files, "feed.xml", `type="text/html"`, `! type="text/vtt"`, `! type="application/json"`)
	sitetest.Contains(t, files, "episodes/talk/transcript/index.html", `! class="formats"`)
}

func TestTranscriptProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, files string
		want        []string
	}{
		{"no header", "-- content/a.vtt --\n00:00.000 --> 00:01.000\nHi.\n",
			[]string{"content/a.vtt:1:1: a WebVTT file starts with a line WEBVTT"}},
		{"bad timing", "-- content/a.vtt --\nWEBVTT\n\n1\n00:00.000 -> 00:01.000\nHi.\n\n00:01.000 --> 1:2\nHo.\n",
			[]string{
				"content/a.vtt:4:1: expected a cue timing line like 00:01:02.500 --> 00:01:05.000",
				"content/a.vtt:7:1: invalid cue timing \"00:01.000 --> 1:2\": use 00:01:02.500 --> 00:01:05.000",
			}},
		{"out of order", "-- content/a.vtt --\nWEBVTT\n\n00:05.000 --> 00:06.000\n<v A>Hi.\n\n00:01.000 --> 00:02.000\n<v B>Ho.\n\n00:07.000 --> 00:07.000\n<v B>Ho.\n",
			[]string{
				"content/a.vtt:6:1: cue starts at 00:00:01.000, before the cue above it (00:00:05.000): cues must be in time order",
				"content/a.vtt:9:1: cue ends at 00:00:07.000, not after it starts (00:00:07.000)",
			}},
		{"srt timing", "-- content/a.srt --\n1\n00:00:01,000 --> soon\nHi.\n",
			[]string{"content/a.srt:2:1: invalid cue timing \"00:00:01,000 --> soon\": use 00:01:02,500 --> 00:01:05,000"}},
		{"two transcripts", "-- content/a.transcript.md --\nA: Hi.\n-- content/a.vtt --\nWEBVTT\n\n00:00.000 --> 00:01.000\nHi.\n",
			[]string{"content/a.vtt: content/a.md already has a transcript, content/a.transcript.md: keep one of them"}},
		{"empty", "-- content/a.vtt --\nWEBVTT\n\nNOTE nothing yet\n",
			[]string{"content/a.vtt:1:1: transcript has no cues"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := sitetest.BuildErrors(t, sitetest.Input(siteTOML+episode("a", "")+tt.files))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// Caption files that belong to no episode are assets; a VTT without voice
// tags still makes a transcript, with no speaker names.
func TestCaptionAssetsAndUnnamedSpeakers(t *testing.T) {
	t.Parallel()
	files := sitetest.Build(t, sitetest.Input(siteTOML+episode("a", "")+`-- content/a.vtt --
WEBVTT - captions

STYLE
::cue { color: yellow }

intro
00:00:00.500 --> 00:00:02.000 align:start
First line
second line.

00:02.000 --> 00:03.000
<c.yellow>Still</c> nobody.
-- content/captions/other.vtt --
WEBVTT
`))
	sitetest.Contains(t, files, "captions/other.vtt", "WEBVTT")
	sitetest.Contains(t, files, "episodes/a/transcript/index.html",
		`<h2 class="speaker"><span class="visually-hidden">Turn 1</span> <a class="seek"`,
		`<p>First line second line. Still nobody.</p>`, `! class="speakers"`)
	sitetest.Contains(t, files, "episodes/a/transcript.vtt", "00:00:00.500 --> 00:00:02.000\nFirst line second line.\n", "! <v")
	sitetest.Contains(t, files, "episodes/a/transcript.json", `"startTime": 0.5,`, `! "speaker"`)
}

func TestNotesChapters(t *testing.T) {
	t.Parallel()
	notes := func(body string) string {
		return "-- content/a.md --\n---\ntitle: A\ndate: 2024-02-08\nsummary: S.\naudio: {url: \"https://cdn.example.org/a.mp3\", length: 10}\nduration: 5000\n---\n" + body
	}
	t.Run("forms", func(t *testing.T) {
		t.Parallel()
		files := sitetest.Build(t, sitetest.Input(siteTOML+notes("Intro text.\n\n"+
			"```\n00:00 not a chapter\n05:00 nor this\n```\n\n"+
			"00:00 Welcome\n"+
			"- (04:10) The first wave\n"+
			"* [1:02:03] – [Questions](https://example.org/q)\n"+
			"2. 1:10:00 | **Thanks** and `goodbye`\n"+
			"1:75 is not a time\n")))
		sitetest.Contains(t, files, "episodes/a/chapters.json",
			`"startTime": 0,
      "title": "Welcome"`,
			`"startTime": 250,
      "title": "The first wave"`,
			`"startTime": 3723,
      "title": "Questions",
      "url": "https://example.org/q"`,
			`"startTime": 4200,
      "title": "Thanks and goodbye"`, "! not a chapter", "! is not a time")
		sitetest.Contains(t, files, "episodes/a/index.html", `<h2 id="chapters-h">Chapters</h2>`, `data-start="250"`)
		sitetest.Contains(t, files, "feed.xml", `<podcast:chapters url="https://example.org/episodes/a/chapters.json"`)
	})
	t.Run("one line is a sentence", func(t *testing.T) {
		t.Parallel()
		files := sitetest.Build(t, sitetest.Input(siteTOML+notes("10:30 was when we met.\n")))
		if _, ok := files["episodes/a/chapters.json"]; ok {
			t.Error("chapters from a single timestamp line")
		}
	})
	t.Run("front matter wins", func(t *testing.T) {
		t.Parallel()
		files := sitetest.Build(t, sitetest.Input(siteTOML+strings.Replace(notes("00:00 A\n00:10 B\n"), "---\n00:00", "chapters: []\n---\n00:00", 1)))
		if _, ok := files["episodes/a/chapters.json"]; ok {
			t.Error("chapters from the notes although front matter sets chapters")
		}
	})
	t.Run("out of order", func(t *testing.T) {
		t.Parallel()
		_, _, warnings := build(t, sitetest.Input(siteTOML+notes("Notes.\n\n00:00 A\n00:10 B\n00:05 C\n")))
		want := "content/a.md:12:1: warning: chapters: chapter at 0:05 is not later than the one before it (0:10): the timestamps in the show notes are not used as chapters"
		if strings.Join(warnings, "\n") != want {
			t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), want)
		}
	})
}
