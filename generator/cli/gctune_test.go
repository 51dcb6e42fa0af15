package cli

import (
	"runtime/debug"
	"testing"
)

func TestGCLimit(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	for _, tc := range []struct{ live, limit, want int64 }{
		{0, 0, minGCLimit},
		{minGCLimit / 4, minGCLimit, minGCLimit},
		{minGCLimit / 2, minGCLimit, minGCLimit * 2},
		{300 * mib, minGCLimit, 1200 * mib},
		{100 * mib, 900 * mib, 900 * mib},    // never lowered
		{1536 * mib, minGCLimit, 3584 * mib}, // at most 2 GiB above the live heap
	} {
		if got := gcLimit(tc.live, tc.limit); got != tc.want {
			t.Errorf("gcLimit(%d MiB, %d MiB) = %d MiB, want %d MiB", tc.live/mib, tc.limit/mib, got/mib, tc.want/mib)
		}
	}
}

// tuneGC turns GOGC off for a memory limit and puts both back; a user's
// GOGC or GOMEMLIMIT turns it off. Not parallel: it sets the environment.
func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	debug.SetGCPercent(percent)
	restore := tuneGC(false)
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("while tuned: GOGC %d, want off", got)
	}
	if got := debug.SetMemoryLimit(-1); got < minGCLimit {
		t.Errorf("while tuned: memory limit %d, want at least %d", got, minGCLimit)
	}
	restore()
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("after: GOGC %d, want %d", got, percent)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("after: memory limit %d, want %d", got, limit)
	}

	restore = tuneGC(true)
	if got := debug.SetGCPercent(-1); got != warmGCPercent {
		t.Errorf("warm: GOGC %d, want %d", got, warmGCPercent)
	}
	debug.SetGCPercent(warmGCPercent)
	restore()
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("after warm: GOGC %d, want %d", got, percent)
	}

	t.Setenv("GOGC", "50")
	restore = tuneGC(false)
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("with GOGC set: GOGC %d, want it left at %d", got, percent)
	}
	restore()
}
