// Package httpkit is the HTTP machinery the pages and the admin need not
// know: request limits and deadlines (limits.go), the database monitor
// (monitor.go), coalescing of identical requests (coalesce.go), the page
// cache (pagecache.go), ETags and 304 (etag.go), compression
// (compress.go), static files (assets.go), read routing to a replica
// (consistency.go), trusted proxies (proxy.go), request logging, security
// headers, input checks and language negotiation (middleware.go), health
// checks (health.go) and the one error handler that maps domain errors
// to HTTP (errors.go).
package httpkit

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
)

// Config is what the HTTP machinery depends on; see server.Config for
// what each field means.
type Config struct {
	Catalog        *i18n.Catalog
	Logger         *slog.Logger
	Now            func() time.Time
	Database       Database
	Pinger         Pinger // asked by /readyz when no Database is watched
	Versions       DataVersioner
	Build          string
	Limits         Limits
	TrustedProxies []netip.Prefix
	PublicURL      *url.URL
	Timing         QueryTimer
	NoPageCache    bool
	Replication    Replication
	// SessionCookie names the cookie of signed-in users ("" when there
	// are none): their answers are their own (etag.go).
	SessionCookie string
	// ErrorPage writes the HTML page of an error (HandleError).
	ErrorPage func(c echo.Context, status int, title, message string, details []string) error
}

// Pinger tells whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Kit is the HTTP machinery that neither the pages nor the admin need to
// know: limits, the database monitor, coalescing, the page cache, ETags,
// compression, read routing, logging, language negotiation, static files
// and the error handler. Its middleware is mounted by the server, in the
// order server/routes.go gives.
type Kit struct {
	catalog *i18n.Catalog
	log     *slog.Logger
	assets  *assets
	now     func() time.Time
	pinger  Pinger

	versions   DataVersioner
	build      string
	compressor *compressor

	replication   Replication
	sessionCookie string
	errorPage     func(c echo.Context, status int, title, message string, details []string) error

	limits   Limits
	classes  classes
	monitor  *monitor
	flights  flights
	proxies  []netip.Prefix
	https    bool     // PublicURL is https
	public   *url.URL // nil: the address is the request's (Origin)
	inflight sync.WaitGroup
	draining atomic.Bool

	timing QueryTimer
	cache  *pageCache
}

// New builds the machinery; it fails if a static asset is broken.
func New(cfg Config) (*Kit, error) {
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
	if cfg.Build == "" {
		cfg.Build = buildID()
	}
	k := &Kit{catalog: cfg.Catalog, log: cfg.Logger, assets: a, now: cfg.Now, pinger: cfg.Pinger,
		versions: cfg.Versions, build: cfg.Build, compressor: newCompressor(),
		replication: cfg.Replication, sessionCookie: cfg.SessionCookie, errorPage: cfg.ErrorPage, timing: cfg.Timing,
		limits: cfg.Limits.withDefaults(), proxies: cfg.TrustedProxies,
		https: cfg.PublicURL != nil && cfg.PublicURL.Scheme == "https", public: cfg.PublicURL}
	k.classes = newClasses(k.limits)
	if cfg.Database != nil {
		k.monitor = newMonitor(cfg.Database, k.log)
	}
	if !cfg.NoPageCache {
		k.cache = newPageCache()
	}
	return k, nil
}

// AssetURL is the versioned address of a static file, for templates.
func (s *Kit) AssetURL(p string) (string, error) { return s.assets.url(p) }

// Origin is the site's address as other sites must link to it (embed
// codes, og:image): the public URL when configured, else the scheme and
// host the request came by.
func (s *Kit) Origin(r *http.Request) string {
	if s.public != nil {
		return s.public.Scheme + "://" + s.public.Host
	}
	scheme := "http"
	if s.IsHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Compress gzips the answers of clients that take it (compress.go).
func (s *Kit) Compress(next echo.HandlerFunc) echo.HandlerFunc { return s.compressor.middleware(next) }

// Close stops watching the database.
func (s *Kit) Close() { s.monitor.close() }

// Drain marks the server as shutting down: /readyz says so.
func (s *Kit) Drain() { s.draining.Store(true) }

// WaitInflight returns when every request has finished.
func (s *Kit) WaitInflight() { s.inflight.Wait() }

// WriteTimeout is the HTTP write deadline of every response.
func (s *Kit) WriteTimeout() time.Duration { return s.limits.writeTimeout() }

// ShutdownTimeout is how long requests in flight may run after the server
// is told to stop.
func (s *Kit) ShutdownTimeout() time.Duration { return s.limits.ShutdownTimeout }
