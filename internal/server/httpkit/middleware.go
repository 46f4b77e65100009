package httpkit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// contentSecurityPolicy allows nothing from other origins and no inline
// script or style: chart options travel as JSON and a static script draws
// them.
const contentSecurityPolicy = cspCommon + "frame-ancestors 'none'"

// embedSecurityPolicy is the same policy for the embeds (/embed/…), which
// any site may frame: only frame-ancestors differs.
const embedSecurityPolicy = cspCommon + "frame-ancestors *"

const cspCommon = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; "

// EmbedPrefix starts the address of every answer other sites may frame
// (public/embed.go): the only ones without frame-ancestors 'none', and
// they set no cookie.
const EmbedPrefix = "/embed/"

// IsEmbed reports whether path is an embed's.
func IsEmbed(path string) bool { return strings.HasPrefix(path, EmbedPrefix) }

func (s *Kit) SecurityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if IsEmbed(c.Request().URL.Path) {
			h.Set("Content-Security-Policy", embedSecurityPolicy)
		} else {
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Frame-Options", "DENY")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.IsHTTPS(c.Request()) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// NoStore keeps signed-in pages out of every cache, the browser's back
// button included: they show what only their user may see.
func NoStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// ctxErr is where HandleError leaves the error it answered, for the log.
const ctxErr = "request_error"

const ctxLogAttrs = "request_log_attrs"

// LogAttrs adds attributes to the request's log line.
func LogAttrs(c echo.Context, attrs ...slog.Attr) {
	prev, _ := c.Get(ctxLogAttrs).([]slog.Attr)
	c.Set(ctxLogAttrs, append(prev, attrs...))
}

// LogRequests writes one line per request, with the error that ended it
// if any: HandleError answers errors but does not log them.
func (s *Kit) LogRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s.inflight.Add(1)
		defer s.inflight.Done()
		start := time.Now()
		r := c.Request()
		w := &watchWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = w
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), writerKey{}, w)))
		if err := next(c); err != nil {
			c.Error(err) // write the response now, so the status below is final
		}
		err, _ := c.Get(ctxErr).(error)
		status := c.Response().Status
		level := slog.LevelInfo
		if err != nil {
			// By what went wrong, not by the status sent: an export cut
			// short after its 200 is a warning.
			switch code, _ := statusOf(err); {
			case errors.Is(err, errClientGone):
				status = 499 // nginx's "client closed request"
			case code == http.StatusServiceUnavailable || code == 499:
				level = slog.LevelWarn
			case code >= 500:
				level = slog.LevelError
			}
		} else if status >= 500 {
			level = slog.LevelError
		}
		method := r.Method
		if isHead(r) {
			method = http.MethodHead
		}
		attrs := []slog.Attr{slog.String("method", method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Duration("duration", time.Since(start)),
			slog.Int64("bytes", c.Response().Size), slog.String("client", c.RealIP())}
		if err != nil {
			attrs = append(attrs, slog.String("err", err.Error()))
		}
		if more, ok := c.Get(ctxLogAttrs).([]slog.Attr); ok {
			attrs = append(attrs, more...)
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
		return nil
	}
}

// CheckInput refuses a path or query that is not valid UTF-8 or holds a
// NUL byte (or whose escapes do not decode), before any handler or query
// sees it: 400 in the user's language naming what is wrong, never a 500
// from the database.
func CheckInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Request().URL
		v := &stats.ValidationError{}
		bad := func(s string) bool { return !utf8.ValidString(s) || strings.ContainsRune(s, 0) }
		if bad(u.Path) {
			v.Add("path", "error.input.encoding", "")
		}
		if u.RawQuery != "" {
			q, err := url.ParseQuery(u.RawQuery)
			if err != nil {
				v.Add("query", "error.input.escape", "")
			}
			keys := make([]string, 0, len(q))
			for k := range q {
				keys = append(keys, k)
			}
			slices.Sort(keys) // the same message for the same query
			for _, k := range keys {
				switch {
				case bad(k):
					v.Add("query", "error.input.encoding", "")
				case slices.ContainsFunc(q[k], bad):
					v.Add(k, "error.input.encoding", "")
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		return next(c)
	}
}

const langCookie = "lang"

// NegotiateLanguage picks the page language: ?lang= (remembered in a
// cookie), then the cookie, then Accept-Language, else Vietnamese.
func (s *Kit) NegotiateLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		explicit := c.QueryParam("lang")
		cookie := ""
		if ck, err := c.Cookie(langCookie); err == nil {
			cookie = ck.Value
		}
		lang := i18n.Negotiate(explicit, cookie, c.Request().Header.Get("Accept-Language"))
		// An embed sets no cookie: it is read on other sites' pages, where
		// its ?lang= is the host's choice, not the reader's.
		if l, ok := i18n.Parse(explicit); ok && l != i18n.Lang(cookie) && !IsEmbed(c.Request().URL.Path) {
			c.SetCookie(&http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.IsHTTPS(c.Request())})
		}
		c.Set(ctxLang, lang)
		c.Response().Header().Add("Vary", "Accept-Language, Cookie")
		return next(c)
	}
}

const ctxLang = "lang"

// Lang is the page language NegotiateLanguage chose.
func Lang(c echo.Context) i18n.Lang {
	lang, _ := c.Get(ctxLang).(i18n.Lang)
	return lang
}

func (s *Kit) printer(c echo.Context) *i18n.Printer { return s.catalog.Printer(Lang(c)) }
