package feed

// appleCategories is Apple Podcasts' category list (19 categories, 91
// subcategories), in Apple's order. Names are case-sensitive and written
// exactly as they must appear in itunes:category text attributes.
// Source: Apple Podcasts for Creators, "Apple Podcasts categories"
// (podcasters.apple.com/support/1691-apple-podcasts-categories).
var appleCategories = []struct {
	name string
	subs []string
}{
	{"Arts", []string{"Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"}},
	{"Business", []string{"Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"}},
	{"Comedy", []string{"Comedy Interviews", "Improv", "Stand-Up"}},
	{"Education", []string{"Courses", "How To", "Language Learning", "Self-Improvement"}},
	{"Fiction", []string{"Comedy Fiction", "Drama", "Science Fiction"}},
	{"Government", nil},
	{"History", nil},
	{"Health & Fitness", []string{"Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"}},
	{"Kids & Family", []string{"Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"}},
	{"Leisure", []string{"Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden", "Video Games"}},
	{"Music", []string{"Music Commentary", "Music History", "Music Interviews"}},
	{"News", []string{"Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News", "Tech News"}},
	{"Religion & Spirituality", []string{"Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"}},
	{"Science", []string{"Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences", "Nature", "Physics", "Social Sciences"}},
	{"Society & Culture", []string{"Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"}},
	{"Sports", []string{"Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"}},
	{"Technology", nil},
	{"True Crime", nil},
	{"TV & Film", []string{"After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"}},
}

// ValidCategory reports whether name (with sub, or sub == "" for the
// category alone) is in Apple Podcasts' category list. The comparison is
// exact and case-sensitive, as Apple's is: "Health & Fitness" with
// "Mental Health" is valid, "health & fitness" is not.
func ValidCategory(name, sub string) bool {
	for _, c := range appleCategories {
		if c.name != name {
			continue
		}
		if sub == "" {
			return true
		}
		for _, s := range c.subs {
			if s == sub {
				return true
			}
		}
		return false
	}
	return false
}

// AppleCategories returns every valid category: each top-level category
// (Sub == "") followed by its subcategories, in Apple's order. The slice is
// a fresh copy.
func AppleCategories() []Category {
	var out []Category
	for _, c := range appleCategories {
		out = append(out, Category{Name: c.name})
		for _, s := range c.subs {
			out = append(out, Category{Name: c.name, Sub: s})
		}
	}
	return out
}
