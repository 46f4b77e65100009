package httpkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Limits bound how many requests of each kind use the database at once
// and how long each may take. Zero fields take the defaults of
// DefaultLimits. Pages + Exports + Logins should stay below the pool size,
// so that a request let in never waits for a connection.
type Limits struct {
	Pages   int // page and admin requests using the database at once
	Exports int // CSV, XLSX and API exports streaming at once
	Logins  int // login attempts (password checks) at once
	// Wait is the longest a request waits for one of those slots before it
	// is answered 503 with Retry-After.
	Wait time.Duration

	PageTimeout   time.Duration // deadline of a page (its queries use the pool's statement timeout)
	AdminTimeout  time.Duration // deadline and statement timeout of an admin request
	ImportTimeout time.Duration // of an import upload or commit
	ExportTimeout time.Duration // of an export, slow client included
	// ShutdownTimeout is how long requests in flight may run after the
	// server is told to stop; those still running are then cut off.
	ShutdownTimeout time.Duration
}

// DefaultLimits fit the default pool of 12 connections on a small server.
var DefaultLimits = Limits{
	Pages: 7, Exports: 2, Logins: 2, Wait: 3 * time.Second,
	PageTimeout: 10 * time.Second, AdminTimeout: time.Minute, ImportTimeout: 10 * time.Minute,
	ExportTimeout: 10 * time.Minute, ShutdownTimeout: 10 * time.Second,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pickD := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.Pages, d.Pages)
	pick(&l.Exports, d.Exports)
	pick(&l.Logins, d.Logins)
	pickD(&l.Wait, d.Wait)
	pickD(&l.PageTimeout, d.PageTimeout)
	pickD(&l.AdminTimeout, d.AdminTimeout)
	pickD(&l.ImportTimeout, d.ImportTimeout)
	pickD(&l.ExportTimeout, d.ExportTimeout)
	pickD(&l.ShutdownTimeout, d.ShutdownTimeout)
	return l
}

// WriteTimeout is the HTTP write deadline of every response; the
// Requests allowed longer (exports, admin, imports) extend their own.
func (l Limits) writeTimeout() time.Duration { return l.PageTimeout + 10*time.Second }

// Why a request was cut short. Each maps to one status in statusOf.
var (
	errBusy         = errors.New("busy: no database slot free in time")
	errDatabaseDown = fmt.Errorf("%w: the database stopped answering", stats.ErrUnavailable)
	errTooSlow      = fmt.Errorf("%w: no answer within the request's deadline", stats.ErrUnavailable)
	ErrCutOff       = errors.New("cut off: the server is shutting down")
	errClientGone   = errors.New("client went away")
	errWriteTimeout = errors.New("client too slow: cut off at the write deadline")
)

// gate is a counting semaphore with a bounded, first-come first-served
// wait (blocked channel senders are queued in order).
type gate struct {
	slots   chan struct{}
	waiting atomic.Int32
}

func newGate(n int) *gate { return &gate{slots: make(chan struct{}, n)} }

// enter takes a slot, waiting at most wait. Errors: errBusy, ctx's error.
func (g *gate) enter(ctx context.Context, wait time.Duration) (release func(), err error) {
	select {
	case g.slots <- struct{}{}:
		return g.releaser(), nil
	default:
	}
	g.waiting.Add(1)
	defer g.waiting.Add(-1)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.releaser(), nil
	case <-t.C:
		return nil, errBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// spare takes a slot only if one is free and no request waits for one:
// a second connection for a request already let in, never at another's
// expense.
func (g *gate) spare() (release func(), ok bool) {
	if g.busy() {
		return nil, false
	}
	select {
	case g.slots <- struct{}{}:
		return g.releaser(), true
	default:
		return nil, false
	}
}

func (g *gate) releaser() func() {
	var once sync.Once
	return func() { once.Do(func() { <-g.slots }) }
}

// busy reports whether requests are queueing for a slot.
func (g *gate) busy() bool { return g.waiting.Load() > 0 }

// class is a kind of request: its slots, deadline and statement timeout.
type class struct {
	name      string
	gate      *gate
	timeout   time.Duration
	statement time.Duration // 0: the pool's default (public pages)
	// long requests extend the HTTP write deadline to their own.
	long bool
	// early: the slot is given back as soon as the response starts, since
	// pages are rendered whole before they are written; a slow reader
	// then holds no database slot.
	early bool
}

type classes struct {
	page, admin, importing, export, login class
}

func newClasses(l Limits) classes {
	pages := newGate(l.Pages)
	return classes{
		page:      class{name: "page", gate: pages, timeout: l.PageTimeout, early: true},
		admin:     class{name: "admin", gate: pages, timeout: l.AdminTimeout, statement: l.AdminTimeout, long: true},
		importing: class{name: "import", gate: pages, timeout: l.ImportTimeout, statement: l.ImportTimeout, long: true},
		export:    class{name: "export", gate: newGate(l.Exports), timeout: l.ExportTimeout, statement: l.ExportTimeout, long: true},
		login:     class{name: "login", gate: newGate(l.Logins), timeout: l.PageTimeout},
	}
}

// classify names the kind of a request from its method and path; nil
// for those that never use the database.
func (cs *classes) classify(r *http.Request) *class {
	p := r.URL.Path
	switch {
	case p == "/healthz" || p == "/readyz" || strings.HasPrefix(p, "/static/"):
		return nil
	case p == "/export.csv" || p == "/export.xlsx" || p == "/api/figures":
		return &cs.export
	case p == "/login" && r.Method == http.MethodPost:
		return &cs.login
	case r.Method == http.MethodPost && (p == "/admin/import" || p == "/admin/import/commit"):
		return &cs.importing
	case p == "/login" || p == "/logout" || p == "/admin" || strings.HasPrefix(p, "/admin/"):
		return &cs.admin
	}
	return &cs.page
}

type slotKey struct{}

// slot is the database slot a request holds, for pause.
type slot struct {
	gate    *gate
	wait    time.Duration // Limits.Wait
	release func()
}

// Guard admits requests that use the database: it fails fast while the
// database is down, takes a slot of the request's kind (waiting at most
// Limits.Wait), and runs the request under its deadline, cut short when
// the database stops answering. Errors that follow from these are named
// here, while the request's context still tells why it ended.
func (s *Kit) Guard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		cl := s.classes.classify(r)
		if cl == nil {
			return next(c)
		}
		if !s.monitor.isUp() {
			return errDatabaseDown
		}
		release, err := cl.gate.enter(r.Context(), s.limits.Wait)
		if err != nil {
			return explain(r.Context(), err)
		}
		sl := &slot{gate: cl.gate, wait: s.limits.Wait, release: release}
		defer func() { sl.release() }()
		ctx, cancel := context.WithCancelCause(r.Context())
		if cl.early {
			// A page reads on two connections when its share has two free
			// (stats.WithConnections); both are given back together.
			if extra, ok := cl.gate.spare(); ok {
				sl.release = func() { release(); extra() }
				ctx = stats.WithConnections(ctx, 2)
			}
		}
		defer cancel(nil)
		ctx, cancelTimeout := context.WithTimeoutCause(ctx, cl.timeout, errTooSlow)
		defer cancelTimeout()
		stop := s.monitor.onDown(func() { cancel(errDatabaseDown) })
		defer stop()
		if cl.statement > 0 {
			ctx = stats.WithStatementTimeout(ctx, cl.statement)
		}
		ctx = context.WithValue(ctx, slotKey{}, sl)
		if cl.long {
			rc := http.NewResponseController(c.Response())
			_ = rc.SetWriteDeadline(time.Now().Add(cl.timeout)) // not every writer has one (tests)
			if cl == &s.classes.importing {
				_ = rc.SetReadDeadline(time.Now().Add(cl.timeout))
			}
		}
		if cl.early {
			c.Response().Before(func() { sl.release() })
		}
		c.SetRequest(r.WithContext(ctx))
		err = next(c)
		err = explain(ctx, err)
		c.SetRequest(r)
		return err
	}
}

// Pause waits d without holding the request's database slot, so that
// slowed-down requests (logins under a throttle) cannot starve others,
// then takes a slot again.
func Pause(c echo.Context, d time.Duration) error {
	ctx := c.Request().Context()
	sl, _ := ctx.Value(slotKey{}).(*slot)
	if sl != nil {
		sl.release()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return explain(ctx, ctx.Err())
	}
	if sl == nil {
		return nil
	}
	release, err := sl.gate.enter(ctx, sl.wait)
	if err != nil {
		return explain(ctx, err)
	}
	sl.release = release
	return nil
}

// explain names why err happened when the request's context ended first:
// the database went down, the deadline passed, the server is shutting
// down, or the client left; or when writing the response failed because
// the client left or read too slowly. Other errors pass unchanged.
func explain(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	for _, known := range []error{errBusy, errDatabaseDown, errTooSlow, ErrCutOff, errClientGone, errWriteTimeout} {
		if errors.Is(err, known) {
			return err
		}
	}
	if cause := context.Cause(ctx); ctx.Err() != nil &&
		(errors.Is(cause, errDatabaseDown) || errors.Is(cause, errTooSlow) || errors.Is(cause, ErrCutOff)) {
		return fmt.Errorf("%w (%v)", cause, err)
	}
	// Only a failed write to the client, or the end of the client's
	// connection (net/http then ends the context), says the client is
	// gone: a broken pipe may as well be the database's.
	if w, ok := ctx.Value(writerKey{}).(*watchWriter); ok && w.err != nil {
		if isWriteTimeout(w.err) {
			return fmt.Errorf("%w (%v)", errWriteTimeout, err)
		}
		return fmt.Errorf("%w (%v)", errClientGone, err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", errClientGone, err)
	}
	return err
}

type writerKey struct{}

// watchWriter remembers the first error writing the response, which tells
// a client that left from other failures.
type watchWriter struct {
	http.ResponseWriter
	err error
}

func (w *watchWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	if err != nil && w.err == nil {
		w.err = err
	}
	return n, err
}

func (w *watchWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
