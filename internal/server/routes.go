package server

import (
	"github.com/labstack/echo/v4/middleware"
)

// routes lists every route of the application in one place.
func (s *Server) routes() {
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 301}))
	e.Use(middleware.Recover())
	e.Use(s.logRequests)
	e.Use(s.serverTiming) // Server-Timing: the queries' time, when asked for (timing.go)
	e.Use(s.routeReads)   // before anything that reads the database (consistency.go)
	e.Use(securityHeaders)
	// 2 MB for every request but the import upload, which sets its own.
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "2M", Skipper: isImportUpload}))
	e.Use(s.negotiateLanguage)
	e.Use(s.cachePages)                        // pagecache.go: an answer already sent under this ETag
	e.Use(s.compress.middleware, s.revalidate) // compress.go, etag.go: gzip, ETag and 304

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET(staticRoute, s.static) // gzipped once at start (assets.go)

	if s.editor != nil {
		s.adminRoutes()
	}

	e.GET("/", s.overview)
	e.GET("/charts/:file", s.overviewChartCSV) // {chart id}.csv, same query as the page
	e.GET("/localities/:slug", s.locality)
	e.GET("/localities/:slug/charts/:file", s.localityChartCSV)
	e.GET("/figures", s.figures)
	e.GET("/sources", s.sources)
	e.GET("/sources/:id", s.source)
	e.GET("/about", s.about)
	e.GET("/export.csv", s.exportCSV)
	e.GET("/export.xlsx", s.exportXLSX)
	e.GET("/api/figures", s.apiFigures)
	e.GET("/api/localities", s.apiLocalities) // the locality picker's search (picker.go)
}

// adminRoutes are the signed-in part: sessions and CSRF protection apply
// to them only, so that public pages stay cacheable and cookie-free.
func (s *Server) adminRoutes() {
	e := s.echo
	withSession := e.Group("", s.sessions.load, csrf())
	withSession.GET("/login", s.loginForm)
	withSession.POST("/login", s.login)
	withSession.POST("/logout", s.logout)

	a := withSession.Group("/admin", s.requireUser)
	a.GET("", s.adminHome)
	a.GET("/changes", s.recentChanges)
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
	// The upload streams to disk: CSRF token in the query, a larger limit.
	e.POST(importUploadPath, s.uploadImport, middleware.BodyLimit(importBodyLimit),
		s.sessions.load, csrfFrom("query:_csrf"), s.requireUser)
	a.GET("/password", s.passwordForm)
	a.POST("/password", s.changePassword)

	admins := a.Group("/users", requireAdmin)
	admins.GET("", s.users)
	admins.POST("", s.createUser)
	admins.POST("/:id", s.updateUser)
}
