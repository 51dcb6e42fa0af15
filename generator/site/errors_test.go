package site_test

import (
	"strings"
	"testing"

	"shownotes/generator/internal/sitetest"
)

// Error messages are user interface: each one is pinned exactly.
func TestFrontMatterErrors(t *testing.T) {
	t.Parallel()
	const audio = "audio: {url: \"https://x.org/a.mp3\", length: 10}\n"
	tests := []struct {
		name string
		file string
		want []string
	}{
		{"unterminated", "---\ntitle: T\ndate: 2024-01-01\n\nBody without a closing line.\n",
			[]string{"content/ep.md:1:1: front matter is not closed: add a line --- after the last field"}},
		{"unterminated toml", "+++\ntitle = \"T\"\n",
			[]string{"content/ep.md:1:1: front matter is not closed: add a line +++ after the last field"}},
		{"missing", "Just text.\n",
			[]string{"content/ep.md:1:1: missing front matter: an episode starts with a line --- (YAML), +++ (TOML) or { (JSON)"}},
		{"misspelt key", "---\ntitel: T\ndate: 2024-01-01\nsummary: S\n" + audio + "---\n",
			[]string{
				"content/ep.md:1:1: title: is required",
				"content/ep.md:2:1: titel: unknown key (did you mean \"title\"?)",
			}},
		{"wrong types", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nepisode: \"abc\"\nguests: 5\n" + audio + "---\n",
			[]string{
				"content/ep.md:5:10: episode: must be a positive integer, got the string \"abc\"",
				"content/ep.md:6:9: guests: must be a list, got 5",
			}},
		{"invalid date", "---\ntitle: T\ndate: 2024-13-45\nsummary: S\n" + audio + "---\n",
			[]string{"content/ep.md:3:7: date: invalid date \"2024-13-45\": use YYYY-MM-DD or RFC 3339 (2024-02-08T06:00:00Z)"}},
		{"negative duration", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nduration: \"-3:00\"\n" + audio + "---\n",
			[]string{"content/ep.md:5:11: duration: invalid duration \"-3:00\": use HH:MM:SS, MM:SS or whole seconds"}},
		{"malformed duration", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nduration: \"1:75\"\n" + audio + "---\n",
			[]string{"content/ep.md:5:11: duration: invalid duration \"1:75\": use HH:MM:SS, MM:SS or whole seconds"}},
		{"empty title", "---\ntitle: \"\"\ndate: 2024-01-01\nsummary: S\n" + audio + "---\n",
			[]string{"content/ep.md:2:1: title: must not be empty"}},
		{"missing summary and audio", "---\ntitle: T\ndate: 2024-01-01\n---\n",
			[]string{
				"content/ep.md:1:1: audio: is required: podcast apps need the episode's audio file",
				"content/ep.md:1:1: summary: is required",
			}},
		{"audio length zero", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\naudio: {url: \"http:/x\", length: 0}\n---\n",
			[]string{
				"content/ep.md:5:14: audio.url: must be an absolute http(s) URL, got \"http:/x\"",
				"content/ep.md:5:33: audio.length: must be a whole number of bytes greater than 0, got 0",
			}},
		{"slug escapes", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nslug: ../../etc\n" + audio + "---\n",
			[]string{"content/ep.md:5:7: slug: must contain only lowercase letters, digits and single hyphens, got \"../../etc\""}},
		{"slug with slash", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nslug: a/b\n" + audio + "---\n",
			[]string{"content/ep.md:5:7: slug: must contain only lowercase letters, digits and single hyphens, got \"a/b\""}},
		{"not utf-8", "---\ntitle: \"caf\xe9\"\n---\n",
			[]string{"content/ep.md:2:12: file is not valid UTF-8: save it as UTF-8"}},
		{"yaml syntax", "---\ntitle: [unclosed\ndate: 2024-01-01\n---\n",
			[]string{"content/ep.md:2: invalid YAML: did not find expected ',' or ']'"}},
		{"json syntax", "{\n  \"title\": \"T\",\n  \"date\": 2024\n  \"summary\": \"x\"\n}\n\n",
			[]string{"content/ep.md:4:3: invalid JSON: invalid character '\"' after object key:value pair"}},
		{"toml syntax", "+++\ntitle = \"T\nsummary = 1\n+++\n",
			[]string{"content/ep.md:2:11: invalid TOML: basic strings cannot have new lines"}},
		{"nested unknown", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\naudio: {url: \"https://x.org/a.mp3\", length: 10, size: 3}\nguests: [{name: G, website: \"https://g.org\"}]\n---\n",
			[]string{
				"content/ep.md:5:49: audio.size: unknown key (did you mean \"length\"?)",
				"content/ep.md:6:20: guests[0].website: unknown key",
			}},
		{"image without alt", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nimage: {src: \"https://img.example.org/a.jpg\"}\n" + audio + "---\n",
			[]string{"content/ep.md:5:8: image.alt: must not be empty: describe the photo for listeners using screen readers"}},
		{"missing image file", "---\ntitle: T\ndate: 2024-01-01\nsummary: S\nimage: {src: \"nope.jpg\", alt: \"A\"}\n" + audio + "---\n",
			[]string{"content/ep.md:5:9: image.src: file content/nope.jpg not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := sitetest.BuildErrors(t, sitetest.Input(siteTOML+"-- content/ep.md --\n"+tt.file))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestCrossFileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		archive string
		want    []string
	}{
		{"duplicate slug", episode("a", "slug: same\n") + episode("b", "slug: same\n"),
			[]string{`content/b.md:6:1: slug: "same" is already used by content/a.md`}},
		{"duplicate number", episode("a", "episode: 3\n") + episode("b", "episode: 3\n"),
			[]string{`content/b.md:6:1: episode: episode 3 is already used by content/a.md`}},
		{"duplicate guid", episode("a", "guid: g-1\n") + episode("b", "guid: g-1\n"),
			[]string{`content/b.md:6:1: guid: "g-1" is already used by content/a.md`}},
		{"guest slug collision", episode("a", "guests: [\"José Diaz\"]\n") + episode("b", "guests: [\"Jose Diaz\"]\n"),
			[]string{`content/a.md:6:10: "José Diaz" has the same URL /guests/jose-diaz/ as "Jose Diaz" in content/b.md: spell the name the same way`}},
		{"file slug collision", episode("Ab", "") + episode("ab", ""),
			[]string{`content/ab.md:1:1: slug: "ab" is already used by content/Ab.md`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := sitetest.BuildErrors(t, sitetest.Input(siteTOML+tt.archive))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, toml string
		want       []string
	}{
		{"syntax", "title = \"T\ndescription = \"D\"\n",
			[]string{"site.toml:1:11: invalid TOML: basic strings cannot have new lines"}},
		{"unknown keys", "title = \"T\"\ndescription = \"D\"\nbase_url = \"https://x.org/\"\ntitel = \"x\"\n[owner]\nmail = \"a@b\"\n",
			[]string{"site.toml:4:1: titel: unknown key", "site.toml:6:1: owner.mail: unknown key"}},
		{"wrong type", "title = \"T\"\ndescription = \"D\"\nbase_url = \"https://x.org/\"\npaginate = \"ten\"\n",
			[]string{"site.toml:4:12: paginate: must be a whole number, got a string"}},
		{"bad values", "title = \"\"\ndescription = \"D\"\nbase_url = \"example.org\"\npaginate = 0\n",
			[]string{
				"site.toml: categories: must name at least one Apple Podcasts category, e.g. [\"History\"]",
				"site.toml:1: title: must not be empty",
				"site.toml:3: base_url: must be an absolute http(s) URL, got \"example.org\"",
				"site.toml:4: paginate: must be at least 1, got 0",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := sitetest.BuildErrors(t, sitetest.Input("-- site.toml --\n"+tt.toml+"-- content/x.png --\n"))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
