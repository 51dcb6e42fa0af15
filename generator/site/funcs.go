package site

import (
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"
)

// templateFuncs are the helpers themes may use. They close over the config
// so that every URL honours a sub-path base_url, and over the resolved
// theme so that static can fingerprint its files.
func templateFuncs(cfg *Config, theme fs.FS) template.FuncMap {
	return template.FuncMap{
		// rel turns a site-relative path into a root-relative link.
		"rel": func(p string) string { return cfg.BasePath() + strings.TrimPrefix(p, "/") },
		// abs turns a site-relative path into an absolute URL.
		"abs": func(p string) string { return cfg.AbsURL(p) },
		// asset resolves an image or file path from front matter.
		"asset": func(p string) string {
			if strings.Contains(p, "://") {
				return p
			}
			return cfg.BasePath() + strings.TrimPrefix(p, "/")
		},
		"date":        func(t time.Time) string { return t.Format("2 January 2006") },
		"isodate":     func(t time.Time) string { return t.Format("2006-01-02") },
		"rfc3339":     func(t time.Time) string { return t.Format(time.RFC3339) },
		"clock":       clock,
		"minutes":     minutes,
		"isoduration": isoDuration,
		"seconds":     func(d time.Duration) int64 { return int64(d / time.Second) },
		"add":         func(a, b int) int { return a + b },
		"megabytes":   func(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) },
		// static is the URL of a theme static file; CSS and JavaScript
		// come back fingerprinted (css/site.1a2b3c4d.css), see assets.go.
		"static": staticFunc(cfg, theme),
		// absasset is asset as an absolute URL (Open Graph, JSON-LD).
		"absasset": func(p string) string { return absAsset(cfg, p) },
		// jsonld is the page's schema.org JSON-LD (PodcastSeries on the
		// home page, PodcastEpisode on an episode), escaped for a <script>
		// element; empty for other pages. See seo.go.
		"jsonld": jsonLD,
		// initials: "Ольга Воронцова" -> "ОВ", for people without a portrait.
		"initials": initials,
	}
}

// initials is the first letter of the first and the last word of a name.
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	first := func(w string) string {
		for _, r := range w {
			return strings.ToUpper(string(r))
		}
		return ""
	}
	out := first(words[0])
	if len(words) > 1 {
		out += first(words[len(words)-1])
	}
	return out
}

// clock formats a duration as H:MM:SS or M:SS, the way players show it.
func clock(d time.Duration) string {
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// minutes is a human length: "38 min", "1 h 02 min"; "10 s" for a very
// short episode, which would otherwise be "0 min".
func minutes(d time.Duration) string {
	if d > 0 && d < 30*time.Second {
		return fmt.Sprintf("%d s", int64(d/time.Second))
	}
	m := int64((d + 30*time.Second) / time.Minute)
	if m >= 60 {
		return fmt.Sprintf("%d h %02d min", m/60, m%60)
	}
	return fmt.Sprintf("%d min", m)
}

// isoDuration is ISO 8601 (PT1H2M3S), used by schema.org.
func isoDuration(d time.Duration) string {
	s := int64(d / time.Second)
	var b strings.Builder
	b.WriteString("PT")
	if h := s / 3600; h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m := s / 60 % 60; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if sec := s % 60; sec > 0 || s == 0 {
		fmt.Fprintf(&b, "%dS", sec)
	}
	return b.String()
}
