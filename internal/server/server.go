// Package server is the HTTP face of cadrestats: Echo routes, middleware,
// rendering and the mapping of domain errors to responses.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Config holds what the server depends on.
type Config struct {
	Stats    *stats.Service
	Editor   *stats.Editor   // nil: no admin area (read-only deployments, some tests)
	Accounts *stats.Accounts // with Editor
	Sessions scs.Store       // where sessions live (PostgreSQL in production)
	Catalog  *i18n.Catalog
	Logger   *slog.Logger
	// Replication sends public reads to a replica (consistency.go); nil:
	// every query goes to the primary.
	Replication Replication
	// Now is the clock, for dated file names; time.Now when nil.
	Now func() time.Time
	// Versions tells the data's version, from which public answers derive
	// their ETag (postgres.DB). Nil: no validators, every request renders.
	Versions DataVersioner
	// Build names the code in ETags, so that a deploy revalidates pages;
	// "" takes the binary's VCS revision, or its start time.
	Build string

	// Limits bound the requests of each kind; zero fields take defaults.
	Limits Limits
	// Database, when set, is probed several times a second: while it does
	// not answer, requests that need it get 503 at once, and those in
	// flight are cut off rather than left hanging.
	Database Database
	// TrustedProxies may set X-Forwarded-For and X-Forwarded-Proto; from
	// any other peer those headers are ignored.
	TrustedProxies []netip.Prefix
	// PublicURL with https makes cookies Secure and sends HSTS on every
	// response, as behind a TLS-terminating proxy.
	PublicURL *url.URL
	// Timing, when set, answers each request with a Server-Timing header
	// saying how long its queries took (timing.go).
	Timing QueryTimer
	// NoPageCache renders every public answer afresh (pagecache.go).
	NoPageCache bool
}

// Server handles HTTP requests.
type Server struct {
	echo    *echo.Echo
	stats   *stats.Service
	catalog *i18n.Catalog
	log     *slog.Logger
	views   *views
	assets  *assets
	now     func() time.Time

	versions DataVersioner
	build    string
	compress *compressor

	editor   *stats.Editor
	accounts *stats.Accounts
	sessions *sessions

	replication Replication

	limits   Limits
	classes  classes
	monitor  *monitor
	flights  flights
	proxies  []netip.Prefix
	https    bool // PublicURL is https
	inflight sync.WaitGroup
	draining atomic.Bool

	timing QueryTimer
	cache  *pageCache
	// pages are rendered whole into these before they are written; the
	// writers downstream copy what they are given.
	renderBufs sync.Pool
}

// New builds the server and its routes. It fails if a template or asset
// is broken, so that a bad build never starts.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	v, err := loadViews(a)
	if err != nil {
		return nil, err
	}
	if cfg.Build == "" {
		cfg.Build = buildID()
	}
	s := &Server{echo: echo.New(), stats: cfg.Stats, catalog: cfg.Catalog, log: cfg.Logger, views: v, assets: a, now: cfg.Now,
		versions: cfg.Versions, build: cfg.Build, compress: newCompressor(),
		editor: cfg.Editor, accounts: cfg.Accounts, replication: cfg.Replication, timing: cfg.Timing,
		limits: cfg.Limits.withDefaults(), proxies: cfg.TrustedProxies,
		https: cfg.PublicURL != nil && cfg.PublicURL.Scheme == "https"}
	s.classes = newClasses(s.limits)
	if cfg.Editor != nil {
		if cfg.Accounts == nil || cfg.Sessions == nil {
			return nil, errors.New("server: the admin area needs Accounts and Sessions")
		}
		s.sessions = newSessions(cfg.Sessions, s.isHTTPS)
	}
	s.echo.IPExtractor = clientIP(s.proxies)
	if cfg.Database != nil {
		s.monitor = newMonitor(cfg.Database, s.log)
	}
	if !cfg.NoPageCache {
		s.cache = newPageCache()
	}
	s.echo.HideBanner, s.echo.HidePort = true, true
	s.echo.HTTPErrorHandler = s.handleError
	s.routes()
	return s, nil
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		// HEAD is GET without the body, wherever GET is: routed as GET (on a
		// copy: net/http's own writer also drops HEAD bodies).
		g := r.WithContext(context.WithValue(r.Context(), headKey{}, true))
		g.Method = http.MethodGet
		r, w = g, headWriter{w}
	}
	s.echo.ServeHTTP(w, r)
}

type headKey struct{}

func isHead(r *http.Request) bool { v, _ := r.Context().Value(headKey{}).(bool); return v }

// headWriter drops the body of a HEAD answer.
type headWriter struct{ http.ResponseWriter }

func (h headWriter) Write(p []byte) (int, error) { return len(p), nil }
func (h headWriter) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// Close stops watching the database. Serve calls it when it returns.
func (s *Server) Close() { s.monitor.close() }

// ListenAndServe serves on addr until ctx ends; see Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve on %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends, then shuts down: it stops accepting
// connections, lets the requests in flight finish for up to
// Limits.ShutdownTimeout, then cuts off those still running (a slow
// export download, say), each logged once.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.Close()
	base, cut := context.WithCancelCause(context.Background())
	defer cut(nil)
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      s.limits.writeTimeout(),
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", "http://"+ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("shutting down: finishing the requests in flight", "grace", s.limits.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.limits.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Still running after the grace: end their contexts, close their
		// connections, and give them a moment to notice and log.
		cut(errCutOff)
		_ = srv.Close()
		done := make(chan struct{})
		go func() { s.inflight.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			s.log.Warn("requests still running after they were cut off")
		}
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.log.Info("server stopped")
	return nil
}
