// Package server assembles the HTTP face of cadrestats: it builds the
// machinery (httpkit), the sessions (session), the renderer (render) and
// the two audiences, the public pages (public) and the signed-in area
// (admin); sets the middleware in order and mounts their routes
// (routes.go); and runs the listener until shutdown.
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
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chartimg"
	"github.com/cadrestats/cadrestats/internal/fetch"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/admin"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/public"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/web"
)

// What cmd configures, named where it is configured; each is defined by
// the part that uses it.
type (
	Limits        = httpkit.Limits
	Replication   = httpkit.Replication
	DataVersioner = httpkit.DataVersioner
	Database      = httpkit.Database
	QueryTimer    = httpkit.QueryTimer
)

// Config holds what the server depends on.
type Config struct {
	Stats    *stats.Service
	Editor   *stats.Editor   // nil: no admin area (read-only deployments, some tests)
	Accounts *stats.Accounts // with Editor
	Sessions scs.Store       // where sessions live (PostgreSQL in production)
	Catalog  *i18n.Catalog
	Logger   *slog.Logger
	// Replication sends public reads to a replica (httpkit/consistency.go); nil:
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
	// saying how long its queries took (httpkit/timing.go).
	Timing QueryTimer
	// NoPageCache renders every public answer afresh (httpkit/pagecache.go).
	NoPageCache bool
	// Fetcher brings the pages of links an editor pastes for extraction;
	// nil: fetch.New(fetch.Defaults), public addresses only.
	Fetcher *fetch.Fetcher
}

// Server handles HTTP requests.
type Server struct {
	echo   *echo.Echo
	log    *slog.Logger
	kit    *httpkit.Kit
	public *public.Handler
	admin  *admin.Handler // nil: no admin area
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
	s := &Server{echo: echo.New(), log: cfg.Logger}
	var ss *session.Sessions
	cookie := ""
	if cfg.Editor != nil {
		if cfg.Accounts == nil || cfg.Sessions == nil {
			return nil, errors.New("server: the admin area needs Accounts and Sessions")
		}
		cookie = session.CookieName
	}
	var rd *render.Renderer
	kit, err := httpkit.New(httpkit.Config{Catalog: cfg.Catalog, Logger: cfg.Logger, Now: cfg.Now, Database: cfg.Database, Pinger: cfg.Stats,
		Versions: cfg.Versions, Build: cfg.Build, Limits: cfg.Limits, TrustedProxies: cfg.TrustedProxies, PublicURL: cfg.PublicURL,
		Timing: cfg.Timing, NoPageCache: cfg.NoPageCache, Replication: cfg.Replication, SessionCookie: cookie,
		ErrorPage: func(c echo.Context, status int, title, message string, details []string) error {
			return rd.ErrorPage(c, status, title, message, details)
		}})
	if err != nil {
		return nil, err
	}
	if cfg.Editor != nil {
		ss = session.New(cfg.Sessions, cfg.Accounts, kit.IsHTTPS)
	}
	rd, err = render.New(cfg.Stats, cfg.Catalog, ss, kit.AssetURL)
	if err != nil {
		return nil, err
	}
	s.kit = kit
	images, err := chartimg.New(web.ChartFont)
	if err != nil {
		return nil, err
	}
	s.public = public.New(rd, cfg.Stats, cfg.Now, ss, kit.Origin, images)
	if cfg.Editor != nil {
		fetcher := cfg.Fetcher
		if fetcher == nil {
			fetcher = fetch.New(fetch.Defaults)
		}
		s.admin = admin.New(rd, cfg.Stats, cfg.Editor, cfg.Accounts, ss, fetcher, cfg.Logger, cfg.Now)
	}
	s.echo.IPExtractor = httpkit.ClientIP(cfg.TrustedProxies)
	s.echo.HideBanner, s.echo.HidePort = true, true
	s.echo.HTTPErrorHandler = kit.HandleError
	s.routes()
	return s, nil
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w, r = httpkit.HeadAsGet(w, r)
	s.echo.ServeHTTP(w, r)
}

// Close stops watching the database. Serve calls it when it returns.
func (s *Server) Close() { s.kit.Close() }

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
		WriteTimeout:      s.kit.WriteTimeout(),
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
	s.kit.Drain()
	s.log.Info("shutting down: finishing the requests in flight", "grace", s.kit.ShutdownTimeout())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.kit.ShutdownTimeout())
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Still running after the grace: end their contexts, close their
		// connections, and give them a moment to notice and log.
		cut(httpkit.ErrCutOff)
		_ = srv.Close()
		done := make(chan struct{})
		go func() { s.kit.WaitInflight(); close(done) }()
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
