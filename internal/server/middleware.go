package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
)

// contentSecurityPolicy allows nothing from other origins and no inline
// script or style: chart options travel as JSON and a static script draws
// them.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if c.Request().TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // write the response now, so the status below is final
		}
		r := c.Request()
		level := slog.LevelInfo
		if c.Response().Status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", c.Response().Status), slog.Duration("duration", time.Since(start)))
		return nil
	}
}

const langCookie = "lang"

// negotiateLanguage picks the page language: ?lang= (remembered in a
// cookie), then the cookie, then Accept-Language, else Vietnamese.
func (s *Server) negotiateLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		explicit := c.QueryParam("lang")
		cookie := ""
		if ck, err := c.Cookie(langCookie); err == nil {
			cookie = ck.Value
		}
		lang := i18n.Negotiate(explicit, cookie, c.Request().Header.Get("Accept-Language"))
		if l, ok := i18n.Parse(explicit); ok && l != i18n.Lang(cookie) {
			c.SetCookie(&http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request().TLS != nil})
		}
		c.Set(ctxLang, lang)
		c.Response().Header().Add("Vary", "Accept-Language, Cookie")
		return next(c)
	}
}

const ctxLang = "lang"

func (s *Server) printer(c echo.Context) *i18n.Printer {
	lang, _ := c.Get(ctxLang).(i18n.Lang)
	return s.catalog.Printer(lang)
}
