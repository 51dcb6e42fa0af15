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
}

var errFeedAborted = errors.New("the build stopped before every feed item was made")

// startFeedStreams starts the two writers; nil when the output cannot
// stream or a cache wants the whole files.
func (r *renderer) startFeedStreams() *feedStreams {
	so, ok := r.out.(StreamOutput)
	if !ok || r.cache != nil {
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
	for _, f := range []struct {
		name  string
		write func(io.Writer, *feed.Channel) error
	}{{"feed.xml", feed.WriteRSS}, {"feed.json", feed.WriteJSONFeed}} {
		fs.wg.Add(1)
		go func() {
			defer fs.wg.Done()
			err := r.recordWrite(f.name, so.WriteStream(f.name, func(w io.Writer) error { return f.write(w, main) }))
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
		k := 0
		if format == "json" {
			k = 1
		}
		fs.mu.Lock()
		defer fs.mu.Unlock()
		x := c.rss
		if k == 1 {
			x = c.json
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
func (fs *feedStreams) finish(ctx context.Context) error {
	if fs == nil {
		return nil
	}
	close(fs.stop)
	fs.wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return fs.err
}
