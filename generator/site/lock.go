package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// LockFile records the feed identity of every published episode. build
// writes it; check compares against the committed copy, so a pull request
// that changes a published episode's guid or enclosure URL (which makes
// podcast apps download it again, or lose it) fails review.
const LockFile = "feed.lock"

// LockEntry is one published episode's identity.
type LockEntry struct {
	Source string `json:"source"`
	GUID   string `json:"guid"`
	Audio  string `json:"audio"`
}

type lockDoc struct {
	Comment  string      `json:"//"`
	Episodes []LockEntry `json:"episodes"`
}

// FeedLock returns the lock file for the published episodes (drafts and
// scheduled episodes are not published yet, so they may still change).
func (s *Site) FeedLock() []byte {
	doc := lockDoc{Comment: "Written by shownotes build. Commit it: shownotes check fails when a published episode's guid or audio URL changes."}
	for _, ep := range s.Episodes {
		if ep.Draft || ep.Scheduled {
			continue
		}
		e := LockEntry{Source: ep.Source, GUID: s.FeedGUID(ep)}
		if ep.Audio != nil {
			e.Audio = ep.Audio.URL
		}
		doc.Episodes = append(doc.Episodes, e)
	}
	sort.Slice(doc.Episodes, func(i, j int) bool { return doc.Episodes[i].Source < doc.Episodes[j].Source })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(doc) // plain strings cannot fail to encode
	return buf.Bytes()
}

// CheckLock compares the site with a previous lock file. An episode is
// matched by its file. Episodes that are gone are fine (unpublishing is a decision, not an accident).
func (s *Site) CheckLock(lock []byte) ErrorList {
	var errs ErrorList
	var doc lockDoc
	if err := json.Unmarshal(lock, &doc); err != nil {
		errs.Add(Pos{File: LockFile}, "", "cannot read: %v (delete it and run shownotes build to write a new one)", err)
		return errs
	}
	bySource := map[string]LockEntry{}
	for _, e := range doc.Episodes {
		bySource[e.Source] = e
	}
	for _, ep := range s.Episodes {
		guid := s.FeedGUID(ep)
		old, ok := bySource[ep.Source]
		if !ok {
			continue // new episode, or a renamed file whose guid is unchanged
		}
		if old.GUID != guid {
			field := "guid"
			msg := fmt.Sprintf("feed guid changed from %q to %q since the last build (%s); podcast apps would show the episode as new. Restore it", old.GUID, guid, LockFile)
			if ep.GUID == "" {
				field = "slug"
				msg += fmt.Sprintf(" with guid: %q", old.GUID)
			}
			errs.Add(ep.Pos(field), field, "%s", msg)
		}
		if ep.Audio != nil && old.Audio != "" && old.Audio != ep.Audio.URL {
			errs.Add(ep.Pos("audio.url"), "audio.url", "audio URL changed from %q since the last build (%s); if the file really moved, run shownotes build and commit %s", old.Audio, LockFile, LockFile)
		}
	}
	s.fillSnippets(errs)
	return errs
}
