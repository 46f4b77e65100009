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
	e.Use(securityHeaders)
	e.Use(middleware.BodyLimit("2M"))
	e.Use(s.negotiateLanguage)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/static/:hash/*", s.static, middleware.Gzip())

	e.GET("/", s.overview)
	e.GET("/export.csv", s.exportCSV)
}
