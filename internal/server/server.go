// Package server is the HTTP face of cadrestats: Echo routes, middleware,
// rendering and the mapping of domain errors to responses.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/auth"

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
	throttle *auth.Throttle

	replication Replication
	timing      QueryTimer
	cache       *pageCache
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
		throttle: auth.NewThrottle(15*time.Minute, 5, 20, cfg.Now)}
	if cfg.Editor != nil {
		if cfg.Accounts == nil || cfg.Sessions == nil {
			return nil, errors.New("server: the admin area needs Accounts and Sessions")
		}
		s.sessions = newSessions(cfg.Sessions)
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
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully,
// letting requests in flight finish for up to ten seconds.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	s.log.Info("serving", "addr", "http://"+addr)
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.log.Info("server stopped")
	return nil
}
