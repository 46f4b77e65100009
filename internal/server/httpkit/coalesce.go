package httpkit

import (
	"bytes"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"
)

// Coalesce lets concurrent requests for the same public page share one
// rendering: when a hundred clients ask for / at once, one renders it and
// takes a database slot, and the others get a copy of its answer when it
// is done, instead of queueing for slots to render it a hundred times.
// This is what keeps / fast under 256 connections on two cores.
//
// Only what any visitor would get alike is shared: GET (and HEAD) of a
// page, from a client with no cookie but the language's, keyed by the
// exact URL, the page language, the language cookie, the scheme,
// whether the client takes gzip and the ETag it holds. A
// copy is never older than the request it answers: it comes from a
// rendering that was in progress when the request arrived. Signed-in
// users (a session cookie) always get their own, so an editor sees their
// own change at once. If the shared rendering fails, each waiting request
// is served on its own.
func (s *Kit) Coalesce(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key, ok := s.flightKey(c)
		if !ok {
			return next(c)
		}
		f, leader := s.flights.join(key)
		if !leader {
			select {
			case <-f.done:
			case <-c.Request().Context().Done():
				return explain(c.Request().Context(), c.Request().Context().Err())
			}
			if f.res == nil {
				return next(c)
			}
			LogAttrs(c, slog.Bool("shared", true))
			return f.res.writeTo(c.Response())
		}
		defer s.flights.land(key, f)
		w := c.Response().Writer
		rec := &recorder{header: w.Header()}
		c.Response().Writer = rec
		err := next(c)
		c.Response().Writer = w
		if rec.status == 0 {
			return err // nothing written: the error handler answers
		}
		if err == nil {
			f.res = &recorded{status: rec.status, header: w.Header().Clone(), body: rec.body.Bytes()}
		}
		w.WriteHeader(rec.status)
		if _, werr := w.Write(rec.body.Bytes()); werr != nil && err == nil {
			err = werr
		}
		return err
	}
}

// flightKey says whether the request may share a rendering, and under
// which key.
func (s *Kit) flightKey(c echo.Context) (string, bool) {
	r := c.Request()
	if r.Method != http.MethodGet || s.classes.classify(r) != &s.classes.page || r.Header.Get("Authorization") != "" {
		return "", false
	}
	cookieLang := ""
	for _, ck := range r.Cookies() {
		if ck.Name != langCookie {
			return "", false // a session, say: its own answer
		}
		cookieLang = ck.Value
	}
	lang := Lang(c)
	// The answer is shared as compression left it (server/routes.go).
	gzip := accepts(r.Header.Get(echo.HeaderAcceptEncoding), "gzip")
	// A revalidation shares with those holding the same ETag: the same
	// 304, or the same new page.
	// The origin (scheme and host) is named in embed codes and og:image.
	return r.URL.RequestURI() + "\x00" + string(lang) + "\x00" + cookieLang + "\x00" + s.Origin(r) +
		"\x00" + strconv.FormatBool(gzip) + "\x00" + r.Header.Get("If-None-Match"), true
}

type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

// flight is one shared rendering; res is nil until it succeeds.
type flight struct {
	done chan struct{}
	res  *recorded
}

// join returns the flight for key, and whether the caller leads it.
func (fs *flights) join(key string) (*flight, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.m[key]; ok {
		return f, false
	}
	if fs.m == nil {
		fs.m = map[string]*flight{}
	}
	f := &flight{done: make(chan struct{})}
	fs.m[key] = f
	return f, true
}

// land ends a flight: later requests start a new one.
func (fs *flights) land(key string, f *flight) {
	fs.mu.Lock()
	delete(fs.m, key)
	fs.mu.Unlock()
	close(f.done)
}

type recorded struct {
	status int
	header http.Header
	body   []byte
}

func (rc *recorded) writeTo(w *echo.Response) error {
	h := w.Header()
	for k, v := range rc.header {
		h[k] = v
	}
	w.WriteHeader(rc.status)
	_, err := w.Write(rc.body)
	return err
}

// recorder keeps the leader's answer to copy it to the others.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}
