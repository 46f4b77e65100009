package server

import (
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/cadrestats/cadrestats/internal/server/admin"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
)

// Routes sets the middleware every request passes, in order, and mounts
// the routes of each audience: the public pages (public/routes.go) and
// the signed-in area (admin/routes.go).
func (s *Server) routes() {
	e, k := s.echo, s.kit
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 301}))
	e.Use(k.LogRequests)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableErrorHandler: true, LogErrorFunc: panicError}))
	e.Use(k.ServerTiming) // Server-Timing: the queries' time, when asked for (httpkit/timing.go)
	e.Use(k.RouteReads)   // before anything that reads the database (httpkit/consistency.go)
	e.Use(k.SecurityHeaders)
	// 2 MB for every request but the uploads, which set their own.
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "2M", Skipper: admin.IsLargeUpload}))
	e.Use(k.NegotiateLanguage)
	e.Use(httpkit.CheckInput)
	// Identical requests share one rendering before they queue for the
	// database, so that those waiting for a copy take no slot; the page
	// cache reads the data's version in a slot, so that a database that
	// does not answer gets 503, not a hang; both keep what compression
	// made, so that it is done once per answer.
	e.Use(k.Coalesce)   // httpkit/coalesce.go: concurrent identical public requests
	e.Use(k.Guard)      // httpkit/limits.go: database slots, deadlines, fail-fast while the database is down
	e.Use(k.CachePages) // httpkit/pagecache.go: an answer already sent under this ETag
	e.Use(k.Compress)   // httpkit/compress.go
	e.Use(k.Revalidate) // httpkit/etag.go: ETag and 304

	e.GET("/healthz", k.Healthz)
	e.GET("/readyz", k.Readyz)
	e.GET(httpkit.StaticRoute, k.Static) // gzipped once at start (httpkit/assets.go)

	if s.admin != nil {
		s.admin.Routes(e)
	}
	s.public.Routes(e)
}

// panicError turns a recovered panic into the request's error, stack
// included, for the one log line of the request.
func panicError(_ echo.Context, err error, stack []byte) error {
	return fmt.Errorf("panic: %w\n%s", err, stack)
}
