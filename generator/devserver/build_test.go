package devserver

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock hands out timer channels the test fires by hand.
type fakeClock struct {
	timers chan chan time.Time // every After call, in order
}

func newFakeClock() *fakeClock { return &fakeClock{timers: make(chan chan time.Time, 100)} }

func (c *fakeClock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.timers <- ch
	return ch
}

// runServer runs s in the background until the test ends.
func runServer(t *testing.T, s *Server, changes <-chan string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- s.Run(ctx, changes) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

func TestDebounceCoalescesBurst(t *testing.T) {
	t.Parallel()
	fb := newFake(siteFiles())
	clock := newFakeClock()
	builds := make(chan BuildInfo, 10)
	s := New(fb, Options{After: clock.After, OnBuild: func(b BuildInfo) { builds <- b }})
	changes := make(chan string)
	runServer(t, s, changes)
	<-builds // the first build needs no change

	// A burst of five events: each restarts the quiet period.
	var timers []chan time.Time
	for i := range 5 {
		fb.put("index.html", htmlPage(string(rune('a'+i))))
		changes <- "content/episodes/x.md"
		timers = append(timers, <-clock.timers)
	}
	for _, tm := range timers[:4] {
		tm <- time.Time{} // superseded timers do nothing
	}
	timers[4] <- time.Time{}
	b := <-builds
	if b.Action != ActionPages { // only index.html changed
		t.Errorf("build after the burst: %+v", b)
	}

	// One more change; had the stale timers started builds, this build
	// would not be the third.
	changes <- "site.toml"
	(<-clock.timers) <- time.Time{}
	<-builds
	fb.mu.Lock()
	calls := fb.calls
	fb.mu.Unlock()
	if calls != 3 {
		t.Errorf("%d builds, want 3 (first, burst, last)", calls)
	}
}

// gatedBuilder blocks each build until released or cancelled.
type gatedBuilder struct {
	*fakeBuilder
	started   chan int      // build number, as it starts
	release   chan struct{} // lets the build in flight finish
	cancelled chan int      // build number, when its context ended it
	mu        sync.Mutex
	n         int
}

func (g *gatedBuilder) Build(ctx context.Context) (*Result, error) {
	g.mu.Lock()
	g.n++
	n := g.n
	g.mu.Unlock()
	g.started <- n
	select {
	case <-g.release:
		return g.fakeBuilder.Build(ctx)
	case <-ctx.Done():
		g.cancelled <- n
		return nil, ctx.Err()
	}
}

func TestChangeCancelsBuildInFlight(t *testing.T) {
	t.Parallel()
	g := &gatedBuilder{fakeBuilder: newFake(siteFiles()), started: make(chan int), release: make(chan struct{}), cancelled: make(chan int)}
	builds := make(chan BuildInfo, 10)
	s := New(g, Options{Quiet: -1, OnBuild: func(b BuildInfo) { builds <- b }})
	changes := make(chan string)
	runServer(t, s, changes)

	<-g.started
	g.release <- struct{}{}
	first := <-builds

	changes <- "content/episodes/x.md"
	if n := <-g.started; n != 2 {
		t.Fatalf("build %d started, want 2", n)
	}
	g.put("episodes/x/index.html", htmlPage("newer"))
	changes <- "content/episodes/x.md" // arrives mid-build
	if n := <-g.cancelled; n != 2 {
		t.Fatalf("build %d cancelled, want 2", n)
	}
	if n := <-g.started; n != 3 {
		t.Fatalf("build %d started, want 3", n)
	}
	g.release <- struct{}{}
	third := <-builds

	// The cancelled build was neither published nor shown as an error.
	if third.Err != nil || third.ID == first.ID || third.Action != ActionPages {
		t.Errorf("build after the cancelled one: %+v", third)
	}
	if st := s.state.Load(); st.errs != nil || st.id != third.ID {
		t.Errorf("state after cancellation: id %q errs %v", st.id, st.errs)
	}
	if rec := do(t, s, "GET", "/episodes/x/"); rec.Code != 200 {
		t.Errorf("GET after cancellation: %d", rec.Code)
	}
	select {
	case b := <-builds:
		t.Errorf("unexpected build %+v", b)
	default:
	}
}

func TestRunWaitsForBuildOnStop(t *testing.T) {
	t.Parallel()
	g := &gatedBuilder{fakeBuilder: newFake(siteFiles()), started: make(chan int), release: make(chan struct{}), cancelled: make(chan int, 1)}
	s := New(g, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- s.Run(ctx, nil) }()
	<-g.started
	cancel()
	if n := <-g.cancelled; n != 1 {
		t.Errorf("build %d cancelled", n)
	}
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	select {
	case <-s.Ready():
		t.Errorf("a cancelled first build made the server ready")
	default:
	}
}

func TestChangedFiles(t *testing.T) {
	t.Parallel()
	shared := []byte("same")
	old := &snapshot{files: map[string][]byte{"a.html": shared, "b.css": []byte("1"), "gone.png": {}}}
	cur := &snapshot{files: map[string][]byte{"a.html": shared, "b.css": []byte("2"), "new.html": {}}}
	got := changedFiles(old, cur)
	want := []string{"b.css", "gone.png", "new.html"}
	if len(got) != len(want) {
		t.Fatalf("changedFiles = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("changedFiles = %v, want %v", got, want)
		}
	}
}

func TestCSSOnly(t *testing.T) {
	t.Parallel()
	const (
		page1 = `<link rel="stylesheet" href="/css/site.1a2b3c4d.css"><p>text</p><link rel="stylesheet" href="/css/print.00000000.css">`
		page2 = `<link rel="stylesheet" href="/css/site.99ff0011.css"><p>text</p><link rel="stylesheet" href="/css/print.00000000.css">`
	)
	snap := func(files ...string) *snapshot {
		m := map[string][]byte{}
		for i := 0; i < len(files); i += 2 {
			m[files[i]] = []byte(files[i+1])
		}
		return &snapshot{files: m}
	}
	for _, c := range []struct {
		name     string
		old, cur *snapshot
		want     bool
	}{
		{"stylesheet edited",
			snap("index.html", "<p>x</p>", "css/site.css", "a{}"),
			snap("index.html", "<p>x</p>", "css/site.css", "b{}"), true},
		{"fingerprinted stylesheet edited: new name in every page",
			snap("index.html", page1, "episodes/x/index.html", page1, "css/site.1a2b3c4d.css", "a{}"),
			snap("index.html", page2, "episodes/x/index.html", page2, "css/site.99ff0011.css", "b{}"), true},
		{"fingerprint changed and text too",
			snap("index.html", page1, "css/site.1a2b3c4d.css", "a{}"),
			snap("index.html", strings.Replace(page2, "text", "txet", 1), "css/site.99ff0011.css", "b{}"), false},
		{"page changed, no stylesheet",
			snap("index.html", "<p>x</p>"),
			snap("index.html", "<p>y</p>"), false},
		{"fingerprint-like change without a stylesheet change",
			snap("index.html", page1),
			snap("index.html", page2), false},
		{"script changed with the stylesheet",
			snap("css/site.css", "a{}", "js/app.js", "1"),
			snap("css/site.css", "b{}", "js/app.js", "2"), false},
		{"new page",
			snap("css/site.css", "a{}"),
			snap("css/site.css", "b{}", "new/index.html", "<p>"), false},
		{"hash-like text that is not a stylesheet name",
			snap("index.html", "<p>v.1a2b3c4d.js</p>", "css/site.css", "a{}"),
			snap("index.html", "<p>v.99ff0011.js</p>", "css/site.css", "b{}"), false},
	} {
		if got := cssOnly(changedFiles(c.old, c.cur), c.old, c.cur); got != c.want {
			t.Errorf("%s: cssOnly = %v, want %v (changed %v)", c.name, got, c.want, changedFiles(c.old, c.cur))
		}
	}
	long := strings.Repeat("<p>padding</p>\n", 100)
	if !sameButCSSFingerprints([]byte(long+page1+long+page1), []byte(long+page2+long+page2)) {
		t.Errorf("fingerprints deep in a long page not recognised")
	}
}

// A scheduled episode falling due triggers a rebuild without any file
// changing, so a preview left open shows it on the day.
func TestRebuildWhenScheduledEpisodeFallsDue(t *testing.T) {
	t.Parallel()
	fb := newFake(siteFiles())
	fb.next = time.Now().Add(time.Hour)
	clock := newFakeClock()
	builds := make(chan BuildInfo, 10)
	s := New(fb, Options{After: clock.After, OnBuild: func(b BuildInfo) { builds <- b }})
	runServer(t, s, make(chan string))
	<-builds
	timer := <-clock.timers // armed for the due date
	fb.mu.Lock()
	fb.next = time.Time{} // published now: nothing else waits
	fb.mu.Unlock()
	fb.put("index.html", htmlPage("the episode is out"))
	timer <- time.Time{}
	if b := <-builds; b.Action != ActionPages {
		t.Errorf("build when due: %+v", b)
	}
	select {
	case <-clock.timers:
		t.Error("timer armed again with nothing scheduled")
	default:
	}
}
