package devserver

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
)

// event is one Server-Sent Event: name is an Action, data the ID of the
// state it announces.
type event struct{ name, data string }

// clientBuffer is how many events a slow browser may fall behind before
// events are dropped for it (it then gets one "reload", see lost).
const clientBuffer = 8

// client is one open event stream.
type client struct {
	ch chan event
	// lost is set when an event could not be queued; the stream then sends
	// a reload, which supersedes anything it missed.
	lost atomic.Bool
}

// hub fans events out to every open stream. Sending never blocks: a build
// must not wait for a browser.
type hub struct {
	mu      sync.Mutex
	clients map[*client]struct{}
}

func (h *hub) subscribe() *client {
	c := &client{ch: make(chan event, clientBuffer)}
	h.mu.Lock()
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	return c
}

func (h *hub) unsubscribe(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

func (h *hub) broadcast(ev event) {
	if ev.name == ActionNone {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c.ch <- ev:
		default:
			c.lost.Store(true)
		}
	}
}

// Clients is the number of open live-reload streams.
func (s *Server) Clients() int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return len(s.hub.clients)
}

// retryMillis is how soon a browser reconnects after the stream drops (a
// server restart); the EventSource default is several seconds.
const retryMillis = 300

// serveEvents streams live-reload events. The first event, "hello",
// carries the ID of the state being served: a page rendered from another
// state (the server restarted, or rebuilt while the page loaded) reloads.
// Then each published build sends "reload" or "css" with its ID.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	rc := http.NewResponseController(w)
	c := s.hub.subscribe() // before reading the state: no build slips between
	defer s.hub.unsubscribe(c)
	select {
	case <-s.ready:
	case <-r.Context().Done():
		return
	case <-s.closed:
		return
	}
	last := s.state.Load().id
	if _, err := fmt.Fprintf(w, "retry: %d\n\nevent: hello\ndata: %s\n\n", retryMillis, last); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		case ev := <-c.ch:
			if c.lost.Swap(false) {
				ev = event{name: ActionReload, data: s.state.Load().id}
			}
			if ev.data == last {
				continue // announced by hello already
			}
			last = ev.data
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		}
	}
}

// reloadScript runs in every HTML page the dev server sends. It is served
// at /_shownotes/reload.js; the injected tag's data-build attribute names
// the state the page came from.
const reloadScript = `// shownotes dev server: live reload over Server-Sent Events.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me ? me.getAttribute("data-build") : "";
  if (!window.EventSource) return;
  var es = new EventSource("/_shownotes/events");
  function reload() {
    es.close();
    location.reload();
  }
  // On every (re)connect: a different build means the page is stale,
  // for instance because the server restarted.
  es.addEventListener("hello", function (e) {
    if (build && e.data !== build) reload();
  });
  es.addEventListener("reload", reload);
  // Only the pages listed changed: reload if this is one of them, else
  // take the new build's ID, so a reconnect's "hello" finds this page
  // current.
  es.addEventListener("pages", function (e) {
    var m, here;
    try {
      m = JSON.parse(e.data);
      here = decodeURIComponent(location.pathname).replace(/index\.html$/, "");
    } catch (err) {
      return reload();
    }
    if (m.pages.indexOf(here) >= 0) reload();
    else build = m.id;
  });
  // Only stylesheets changed: fetch this page again for its current
  // stylesheet links (names may carry a content hash), load those beside
  // the old ones, then drop the old ones: no reload, no unstyled flash.
  es.addEventListener("css", function (e) {
    build = e.data;
    fetch(location.href, { cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      })
      .then(function (html) {
        var fresh = sheets(new DOMParser().parseFromString(html, "text/html"));
        var old = sheets(document);
        if (fresh.length !== old.length) return reload();
        old.forEach(function (link, i) {
          var u = new URL(fresh[i].getAttribute("href"), location.href);
          u.searchParams.set("_shownotes", e.data);
          var next = document.importNode(fresh[i], false); // its integrity, media, ...
          next.href = u.href;
          link.setAttribute("data-shownotes-stale", "");
          next.onload = next.onerror = function () { link.remove(); };
          link.after(next);
        });
      })
      .catch(reload);
  });
  // The same-origin stylesheet links of a document, old ones excluded.
  function sheets(doc) {
    var all = doc.querySelectorAll('link[rel~="stylesheet"]:not([data-shownotes-stale])');
    return Array.prototype.filter.call(all, function (l) {
      return new URL(l.getAttribute("href") || "", location.href).origin === location.origin;
    });
  }
})();
`
