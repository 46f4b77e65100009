package server

import (
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes lists every route of the application in one place.
func (s *Server) routes() {
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 301}))
	e.Use(s.logRequests)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableErrorHandler: true, LogErrorFunc: panicError}))
	e.Use(s.serverTiming) // Server-Timing: the queries' time, when asked for (timing.go)
	e.Use(s.routeReads)   // before anything that reads the database (consistency.go)
	e.Use(s.securityHeaders)
	// 2 MB for every request but the import upload, which sets its own.
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "2M", Skipper: isImportUpload}))
	e.Use(s.negotiateLanguage)
	e.Use(checkInput)
	// Identical requests share one rendering before they queue for the
	// database, so that those waiting for a copy take no slot; the page
	// cache reads the data's version in a slot, so that a database that
	// does not answer gets 503, not a hang; both keep what compression
	// made, so that it is done once per answer.
	e.Use(s.coalesce)            // coalesce.go: concurrent identical public requests
	e.Use(s.guard)               // limits.go: database slots, deadlines, fail-fast while the database is down
	e.Use(s.cachePages)          // pagecache.go: an answer already sent under this ETag
	e.Use(s.compress.middleware) // compress.go
	e.Use(s.revalidate)          // etag.go: ETag and 304

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET(staticRoute, s.static) // gzipped once at start (assets.go)

	if s.editor != nil {
		s.adminRoutes()
	}

	e.GET("/", s.overview, s.maybeUser)
	e.GET("/charts/:file", s.overviewChartCSV) // {chart id}.csv, same query as the page
	e.GET("/localities/:slug", s.locality, s.maybeUser)
	e.GET("/localities/:slug/charts/:file", s.localityChartCSV)
	e.GET("/figures", s.figures, s.maybeUser)
	e.GET("/sources", s.sources)
	e.GET("/sources/:id", s.source, s.maybeUser)
	e.GET("/about", s.about)
	e.GET("/export.csv", s.exportCSV)
	e.GET("/export.xlsx", s.exportXLSX)
	e.GET("/api/figures", s.apiFigures)
	e.GET("/api/localities", s.apiLocalities) // the locality picker's search (picker.go)
	e.GET("/api/sources", s.apiSources)       // the source picker's search (picker.go)
}

// adminRoutes are the signed-in part: sessions and CSRF protection apply
// to them only, so that public pages stay cacheable and cookie-free.
func (s *Server) adminRoutes() {
	e := s.echo
	// Middleware per route, not Group.Use: Echo would run a group's
	// middleware for every unknown path under its prefix, here all of them.
	session := []echo.MiddlewareFunc{noStore, s.sessions.load, s.csrf("form")}
	e.GET("/login", s.loginForm, session...)
	e.POST("/login", s.login, session...)
	e.POST("/logout", s.logout, session...)

	a := e.Group("/admin", noStore, s.sessions.load, s.requireUser, s.csrf("form"), s.countReview)
	a.GET("", s.adminHome)
	a.GET("/changes", s.recentChanges)
	a.GET("/figures", s.adminFigures)
	a.POST("/figures/seen", s.markSeen)
	a.GET("/review", s.review)
	a.GET("/extract", s.extractForm)
	a.POST("/extract", s.extractArticle)
	a.POST("/extract/save", s.saveExtracted)
	a.POST("/figures/:id/send_back", s.sendBack)
	a.GET("/figures/new", s.newFigure)
	a.POST("/figures", s.saveFigure)
	a.GET("/figures/:id", s.editFigure)
	a.POST("/figures/:id", s.saveFigure)
	a.POST("/figures/:id/:action", s.figureAction)
	a.GET("/figures/:id/history", s.figureHistory)
	s.entityRoutes(a) // sources, findings, localities, terms (admin_entities.go)
	a.GET("/import", s.importForm)
	a.GET("/import/preview", s.previewImport)
	a.POST("/import/commit", s.commitImport)
	a.POST("/import/cancel", s.cancelImport)
	// The upload streams into PostgreSQL: CSRF token in the query, a larger limit.
	e.POST(importUploadPath, s.uploadImport, middleware.BodyLimit(importBodyLimit),
		noStore, s.sessions.load, s.requireUser, s.csrf("query"))
	a.GET("/password", s.passwordForm)
	a.POST("/password", s.changePassword)

	admins := a.Group("/users", requireAdmin)
	admins.GET("", s.users)
	admins.POST("", s.createUser)
	admins.POST("/:id", s.updateUser)
}

// panicError turns a recovered panic into the request's error, stack
// included, for the one log line of the request.
func panicError(_ echo.Context, err error, stack []byte) error {
	return fmt.Errorf("panic: %w\n%s", err, stack)
}
