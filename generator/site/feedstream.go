package site

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"shownotes/generator/feed"
)

// feedStreams writes feed.xml and feed.json while the episode jobs are still
// running: each encoded item is written as soon as it and every item before
// it exist, then dropped. A large show's feeds are then never held in
// memory, neither as the items nor as the finished files. Used when the
// output takes streams and there is no cache to fill (the CLI build).
type feedStreams struct {
	ready []chan struct{} // ready[i] is closed once s.Episodes[i]'s item exists
	stop  chan struct{}   // closed once no more items will come
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error
	taken [][2]bool // [rss, json] handed out, so the item can be dropped
	size  [2]int64  // bytes written to feed.xml and feed.json
}

// countingWriter counts what goes through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func formatIndex(format string) int {
	if format == "json" {
		return 1
	}
	return 0
}

// loadPrevFeeds reads back, for a persistent cache, the feed.xml and
// feed.json the last build wrote: unchanged items are copied from them.
// A feed that is gone or not the size the cache recorded is not used (its
// items are made again).
func (r *renderer) loadPrevFeeds() {
	c := r.cache
	ro, ok := r.out.(ReuseOutput)
	if c == nil || !c.persist || !ok {
		return
	}
	for k, name := range []string{"feed.xml", "feed.json"} {
		if data, err := ro.Previous(name); err == nil && int64(len(data)) == c.feedSize[k] {
			c.prevFeed[k] = data
		}
	}
}

var errFeedAborted = errors.New("the build stopped before every feed item was made")

// startFeedStreams starts the two writers; nil when the output cannot
// stream or a cache wants the whole files.
func (r *renderer) startFeedStreams() *feedStreams {
	so, ok := r.out.(StreamOutput)
	if !ok || (r.cache != nil && !r.cache.persist) {
		return nil
	}
	cfg := r.site.Config
	main, eps := r.channelFrame(r.site.Episodes, "feed.xml", cfg.Feed.Limit)
	main.JSONFeedURL = cfg.AbsURL("feed.json")
	main.Items = make([]feed.Item, len(eps)) // only counted: items come from ItemStream
	fs := &feedStreams{stop: make(chan struct{}), taken: make([][2]bool, len(eps))}
	fs.ready = make([]chan struct{}, len(eps))
	for i := range fs.ready {
		fs.ready[i] = make(chan struct{})
	}
	main.ItemStream = fs.item(r)
	main.ItemWritten = func(format string, i int, off, n int64) {
		r.cache.itemWritten(r.items[i], formatIndex(format), off, n)
	}
	for k, f := range []struct {
		name  string
		write func(io.Writer, *feed.Channel) error
	}{{"feed.xml", feed.WriteRSS}, {"feed.json", feed.WriteJSONFeed}} {
		fs.wg.Add(1)
		go func() {
			defer fs.wg.Done()
			err := r.recordWrite(f.name, so.WriteStream(f.name, func(w io.Writer) error {
				cw := &countingWriter{w: w}
				err := f.write(cw, main)
				fs.size[k] = cw.n
				return err
			}))
			if err != nil {
				fs.mu.Lock()
				if fs.err == nil {
					fs.err = fmt.Errorf("%s: %w", f.name, err)
				}
				fs.mu.Unlock()
			}
		}()
	}
	return fs
}

// item returns the ItemStream function: it waits for item i, hands out its
// encoding, and drops it once both feeds have it.
func (fs *feedStreams) item(r *renderer) func(format string, i int) ([]byte, error) {
	return func(format string, i int) ([]byte, error) {
		select {
		case <-fs.ready[i]:
		case <-fs.stop:
			select {
			case <-fs.ready[i]:
			default:
				return nil, errFeedAborted
			}
		}
		c := r.items[i]
		k := formatIndex(format)
		fs.mu.Lock()
		defer fs.mu.Unlock()
		x := r.cache.itemBytes(c, k)
		if x == nil {
			return nil, fmt.Errorf("item %d has no %s encoding", i, format)
		}
		fs.taken[i][k] = true
		if fs.taken[i][0] && fs.taken[i][1] {
			c.rss, c.json = nil, nil
		}
		return x, nil
	}
}

// done marks item i as made.
func (fs *feedStreams) done(i int) {
	if fs != nil && i < len(fs.ready) {
		close(fs.ready[i])
	}
}

// finish waits for both writers once the episode jobs are over.
func (fs *feedStreams) finish(ctx context.Context, r *renderer) error {
	if fs == nil {
		return nil
	}
	close(fs.stop)
	fs.wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if fs.err == nil && r.cache != nil {
		r.cache.feedSize = fs.size
	}
	return fs.err
}
