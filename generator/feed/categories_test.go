package feed

import "testing"

func TestValidCategory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, sub string
		want      bool
	}{
		{"Arts", "", true},
		{"Arts", "Books", true},
		{"Arts", "Fashion & Beauty", true},
		{"Business", "Non-Profit", true},
		{"Comedy", "Stand-Up", true},
		{"Education", "How To", true},
		{"Education", "Self-Improvement", true},
		{"Fiction", "Science Fiction", true},
		{"Government", "", true},
		{"History", "", true},
		{"Health & Fitness", "Mental Health", true},
		{"Kids & Family", "Pets & Animals", true},
		{"Leisure", "Animation & Manga", true},
		{"Leisure", "Video Games", true},
		{"Music", "Music History", true},
		{"News", "Daily News", true},
		{"Religion & Spirituality", "Religion", true},
		{"Science", "Earth Sciences", true},
		{"Society & Culture", "Places & Travel", true},
		{"Sports", "Wilderness", true},
		{"Technology", "", true},
		{"True Crime", "", true},
		{"TV & Film", "After Shows", true},

		{"", "", false},
		{"arts", "", false},                 // case-sensitive
		{"Arts", "books", false},            // case-sensitive
		{"Kids &amp; Family", "", false},    // not pre-escaped
		{"Technology", "Podcasting", false}, // pre-2019 subcategory
		{"Technology", "Tech News", false},  // belongs to News
		{"Games & Hobbies", "", false},      // pre-2019 category
		{"Education", "How-To", false},      // Apple writes "How To"
		{"Sports", "Outdoor", false},
		{"Books", "", false}, // a subcategory is not a category
		{" Arts", "", false},
	}
	for _, tt := range tests {
		if got := ValidCategory(tt.name, tt.sub); got != tt.want {
			t.Errorf("ValidCategory(%q, %q) = %v, want %v", tt.name, tt.sub, got, tt.want)
		}
	}
}

func TestAppleCategories(t *testing.T) {
	t.Parallel()
	all := AppleCategories()
	top, subs := 0, 0
	seen := map[Category]bool{}
	for _, c := range all {
		if seen[c] {
			t.Errorf("duplicate %+v", c)
		}
		seen[c] = true
		if c.Sub == "" {
			top++
		} else {
			subs++
		}
		if !ValidCategory(c.Name, c.Sub) {
			t.Errorf("AppleCategories lists %+v but ValidCategory rejects it", c)
		}
	}
	// Apple lists 19 categories and 91 subcategories (110 in all).
	if top != 19 || subs != 91 {
		t.Errorf("got %d categories and %d subcategories, want 19 and 91", top, subs)
	}
	all[0].Name = "changed"
	if AppleCategories()[0].Name != "Arts" {
		t.Error("AppleCategories returns shared storage")
	}
}
