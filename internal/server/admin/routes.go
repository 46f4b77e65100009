package admin

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/session"
)

// Routes are the signed-in part: sessions and CSRF protection apply to
// them only, so that public pages stay cacheable and cookie-free.
func (s *Handler) Routes(e *echo.Echo) {
	// Middleware per route, not Group.Use: Echo would run a group's
	// middleware for every unknown path under its prefix, here all of them.
	signIn := []echo.MiddlewareFunc{httpkit.NoStore, s.sessions.Load, s.sessions.CSRF("form")}
	e.GET("/login", s.loginForm, signIn...)
	e.POST("/login", s.login, signIn...)
	e.POST("/logout", s.logout, signIn...)

	a := e.Group("/admin", httpkit.NoStore, s.sessions.Load, s.sessions.RequireUser, s.sessions.CSRF("form"), s.countReview)
	a.GET("", s.adminHome)
	a.GET("/changes", s.recentChanges)
	a.GET("/figures", s.adminFigures)
	a.POST("/figures/seen", s.markSeen)
	a.GET("/review", s.review)
	a.GET("/extract", s.extractForm)
	a.POST("/extract", s.extractArticle, middleware.BodyLimit(extractBodyLimit))
	a.POST("/extract/save", s.saveExtracted)
	a.POST("/figures/:id/send_back", s.sendBack)
	a.GET("/figures/new", s.newFigure)
	a.POST("/figures", s.saveFigure)
	a.GET("/figures/:id", s.editFigure)
	a.POST("/figures/:id", s.saveFigure)
	a.POST("/figures/:id/:action", s.figureAction)
	a.GET("/figures/:id/history", s.figureHistory)
	s.entityRoutes(a) // sources, findings, localities, terms (entities.go)
	a.GET("/import", s.importForm)
	a.GET("/import/preview", s.previewImport)
	a.POST("/import/commit", s.commitImport)
	a.POST("/import/cancel", s.cancelImport)
	// The upload streams into PostgreSQL: CSRF token in the query, a larger limit.
	e.POST(importUploadPath, s.uploadImport, middleware.BodyLimit(importBodyLimit),
		httpkit.NoStore, s.sessions.Load, s.sessions.RequireUser, s.sessions.CSRF("query"))
	a.GET("/password", s.passwordForm)
	a.POST("/password", s.changePassword)

	admins := a.Group("/users", session.RequireAdmin)
	admins.GET("", s.users)
	admins.POST("", s.createUser)
	admins.POST("/:id", s.updateUser)
}
