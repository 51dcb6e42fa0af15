package cli

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// A cold build allocates about fifty times its live heap (every page,
// feed item and parse is garbage as soon as it is written), so with the
// default GOGC=100 the collector runs every time the heap doubles: a
// hundred collections for 10,000 episodes, a sixth of the CPU. tuneGC
// instead lets the heap grow to gcHeadroom times the live heap, and at
// least minGCLimit, before collecting. At 10,000 episodes, in pairs of
// runs on one machine, three times saved 2.1-2.8 s of the 20-24 s of user
// CPU and 0.6-1.9 s of wall time, with the same peak memory (620-790 MB
// either way); at 1,000 episodes the peak is 270 MB instead of 90.
//
// Four times since the render cache lets go of its parses after Load
// (Cache.seal): the live heap is smaller, and the peak at 10,000 episodes
// went back to 700-720 MB, a little more than before the seal, for 0.3 s
// less of the collector's marking (1.40 -> 1.04-1.10 s) and 0.5-0.9 s
// less user CPU. Five times was another 0.4 s of marking, for a peak of
// 810-830 MB: a quarter of Hugo's on the same show, no margin left.
//
// It is a memory limit with GOGC off, raised as the live heap grows: a
// fixed limit would make the collector run without pause once a large
// site's live heap came near it. A user's GOGC or GOMEMLIMIT wins.
const minGCLimit = 256 << 20

// A warm (incremental) build decodes the saved cache in one burst and
// keeps most of it to the end, so it collects at GOGC=warmGCPercent
// instead. Not more: every page the heap grows by is a page fault, and at
// 300 those cost what the fewer collections saved (10,000 episodes, one
// edit, 4 runs each: CPU 2.45 s at 100, 2.3 s at 200, 2.5 s at 300; peak
// 650, 730, 940 MB).
const warmGCPercent = 200

// tuneGC applies the policy for a warm or a cold build until the returned
// function is called.
func tuneGC(warm bool) (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	if warm {
		percent := debug.SetGCPercent(warmGCPercent)
		return func() { debug.SetGCPercent(percent) }
	}
	limit := gcLimit(0, 0)
	percent := debug.SetGCPercent(-1)
	previous := debug.SetMemoryLimit(limit)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		// The live heap as the last collection found it.
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if l := gcLimit(int64(min(sample[0].Value.Uint64(), math.MaxInt64/4)), limit); l != limit {
				limit = l
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	return func() {
		close(stop)
		<-done
		debug.SetMemoryLimit(previous)
		debug.SetGCPercent(percent)
	}
}

// gcLimit is the memory limit for a live heap of live bytes, given the
// limit so far: it only grows, to gcHeadroom times the live heap, but
// never more than maxGCHeadroom above it.
func gcLimit(live, limit int64) int64 {
	return max(limit, minGCLimit, live+min((gcHeadroom-1)*live, maxGCHeadroom))
}

// gcHeadroom is how many times its live heap a cold build's heap may grow
// to; maxGCHeadroom caps what that adds, so the largest shows collect more
// often instead of asking for memory a build machine may not have: at
// 10,000 episodes the live heap is about 180 MB and the cap does not
// apply; a network's 100,000 (a live heap near 2 GB) peaks near 4 GB
// instead of 8.
const (
	gcHeadroom    = 4
	maxGCHeadroom = 2 << 30
)
