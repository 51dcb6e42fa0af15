package site

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"
	"text/template"
)

// ScaffoldFile is the theme's template for `shownotes new`;
// TranscriptScaffoldFile starts the transcript beside the new episode.
const (
	ScaffoldFile           = "scaffold/episode.md"
	TranscriptScaffoldFile = "scaffold/transcript.md"
)

// Scaffold is what the new-episode template receives.
type Scaffold struct {
	Title    string
	Slug     string
	Date     string // YYYY-MM-DD
	Number   int    // next episode number, 0 if the show has none
	Season   int    // the latest season, 0 if none
	Guests   []string
	Hosts    []string // site.toml hosts, for the transcript's speaker names
	AudioURL string
	GUID     string
}

// NextEpisode scans every episode file, drafts included and errors
// ignored, for the highest episode number and the latest season, so that
// `new` works even while another episode is half written.
func NextEpisode(ctx context.Context, project fs.FS) (number, season int, err error) {
	err = fs.WalkDir(project, ContentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".transcript.md") {
			return nil
		}
		src, err := fs.ReadFile(project, p)
		if err != nil {
			return err
		}
		pf := parseEpisodeFile(p, src)
		if pf.fm == nil {
			return nil
		}
		if pf.fm.Season > season {
			season, number = pf.fm.Season, 0
		}
		if pf.fm.Season == season && pf.fm.Number > number {
			number = pf.fm.Number
		}
		return nil
	})
	return number + 1, season, err
}

// RenderScaffold fills the theme's scaffolds: the episode file and the
// transcript beside it. Both must parse: a theme whose scaffold would not is
// reported here rather than when the podcaster first builds.
func RenderScaffold(theme fs.FS, sc Scaffold) (episode, transcript []byte, err error) {
	episode, err = renderScaffold(theme, ScaffoldFile, sc)
	if err != nil {
		return nil, nil, err
	}
	if pf := parseEpisodeFile("scaffold", episode); pf.fm == nil {
		return nil, nil, fmt.Errorf("%s does not produce valid front matter: %v", ScaffoldFile, pf.errs)
	}
	transcript, err = renderScaffold(theme, TranscriptScaffoldFile, sc)
	if err != nil {
		return nil, nil, err
	}
	if _, errs := parseTranscript(TranscriptScaffoldFile, transcript); errs.Err() != nil {
		return nil, nil, fmt.Errorf("%s does not produce a valid transcript: %v", TranscriptScaffoldFile, errs.Err())
	}
	return episode, transcript, nil
}

func renderScaffold(theme fs.FS, file string, sc Scaffold) ([]byte, error) {
	src, err := fs.ReadFile(theme, file)
	if err != nil {
		return nil, fmt.Errorf("theme has no %s: %w", file, unwrapPathErr(err))
	}
	t, err := template.New(file).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, sc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Slugify exposes the slug rules to the CLI (file names for new episodes).
func Slugify(s string) string { return slugify(s) }
