package httpkit

import (
	clist "container/list"
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// The page cache keeps public answers as they went out (compressed or
// not), under their ETag: an ETag names everything an answer depends on
// (the data's version, the build, the language, the viewer, the path and
// query, the day; etag.go), so the same ETag is the same answer, which is
// what a 304 already relies on. A first visit of the overview is then
// served at the cost of a static file until the next write changes the
// Version; a write makes new keys, and old entries age out.
//
// It holds at most pageCacheBytes, no answer above pageCacheEntry, nothing
// that sets a cookie and no export (they stream, up to gigabytes). A
// request that says Cache-Control: no-cache (a browser's reload, the
// benchmark's page timings) is rendered afresh.
const (
	pageCacheBytes = 32 << 20
	pageCacheEntry = 2 << 20
)

type pageCache struct {
	mu       sync.Mutex
	items    map[string]*clist.Element
	order    *clist.List // front: most recently used
	bytes    int
	inflight map[string]chan struct{} // answers being rendered: the same ones wait
}

type cachedAnswer struct {
	key    string
	status int
	header http.Header
	body   []byte
}

func newPageCache() *pageCache {
	return &pageCache{items: map[string]*clist.Element{}, order: clist.New(), inflight: map[string]chan struct{}{}}
}

// claim returns the answer if it is kept; else, if another request is
// rendering it, waits for that one (a page rendered by 64 readers at once
// would take 64 times as long) and takes what it kept; else makes this
// request the one that renders, with done to call when it has finished.
// An answer that could not be kept (an error, a cookie) is rendered by
// each waiter itself.
func (pc *pageCache) claim(ctx context.Context, key string) (a *cachedAnswer, done func()) {
	if a := pc.get(key); a != nil {
		return a, nil
	}
	pc.mu.Lock()
	ch, busy := pc.inflight[key]
	if !busy {
		ch = make(chan struct{})
		pc.inflight[key] = ch
		pc.mu.Unlock()
		return nil, func() {
			pc.mu.Lock()
			delete(pc.inflight, key)
			pc.mu.Unlock()
			close(ch)
		}
	}
	pc.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
	}
	if a := pc.get(key); a != nil {
		return a, nil
	}
	return nil, func() {}
}

func (pc *pageCache) get(key string) *cachedAnswer {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.items[key]
	if !ok {
		return nil
	}
	pc.order.MoveToFront(el)
	return el.Value.(*cachedAnswer)
}

func (pc *pageCache) put(a *cachedAnswer) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if _, ok := pc.items[a.key]; ok {
		return
	}
	pc.items[a.key] = pc.order.PushFront(a)
	pc.bytes += len(a.body)
	for pc.bytes > pageCacheBytes {
		el := pc.order.Back()
		old := el.Value.(*cachedAnswer)
		pc.order.Remove(el)
		delete(pc.items, old.key)
		pc.bytes -= len(old.body)
	}
}

// CachePages answers from the page cache, or lets the page render and
// keeps what went out. It runs outside compression (which it therefore
// never repeats) and inside language negotiation (the ETag names the
// language).
func (s *Kit) CachePages(next echo.HandlerFunc) echo.HandlerFunc {
	if s.versions == nil || s.cache == nil {
		return next
	}
	return func(c echo.Context) error {
		r := c.Request()
		path := c.Path()
		if r.Method != http.MethodGet || !revalidated(path) || path == "/export.csv" || path == "/export.xlsx" ||
			r.Header.Get(headerIfNoneMatch) != "" || strings.Contains(r.Header.Get(echo.HeaderCacheControl), "no-cache") {
			return next(c)
		}
		v, err := s.versions.DataVersion(r.Context())
		if err != nil {
			return next(c)
		}
		// The ETag leaves out the host (a browser keeps answers per
		// address anyway); the answer names it in embed codes and
		// og:image, so that a request with another Host must not be
		// served, or kept, as one with ours.
		key := s.etag(c, v, s.viewer(c)) + " " + s.Origin(r)
		if accepts(r.Header.Get(echo.HeaderAcceptEncoding), "gzip") {
			key += " gzip"
		}
		res := c.Response()
		a, done := s.cache.claim(r.Context(), key)
		if a != nil {
			for k, vs := range a.header {
				res.Header()[k] = vs
			}
			res.WriteHeader(a.status)
			_, err := res.Write(a.body)
			return err
		}
		defer done()
		w := &capture{ResponseWriter: res.Writer}
		res.Writer = w
		err = next(c)
		res.Writer = w.ResponseWriter
		if err == nil && w.status == http.StatusOK && !w.overflow && w.header != nil && w.header.Get("Set-Cookie") == "" &&
			w.header.Get(headerETag) != "" {
			s.cache.put(&cachedAnswer{key: key, status: w.status, header: w.header, body: w.body})
		}
		return err
	}
}

// capture passes an answer through and keeps a copy, up to pageCacheEntry.
type capture struct {
	http.ResponseWriter
	status   int
	header   http.Header
	body     []byte
	overflow bool
}

func (w *capture) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.header = w.ResponseWriter.Header().Clone()
		w.header.Del("Server-Timing") // of this request, not of the next
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *capture) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !w.overflow {
		if len(w.body)+len(b) > pageCacheEntry {
			w.overflow, w.body = true, nil
		} else {
			w.body = append(w.body, b...)
		}
	}
	return w.ResponseWriter.Write(b)
}

// Flush keeps streaming answers streaming.
func (w *capture) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *capture) Unwrap() http.ResponseWriter { return w.ResponseWriter }
