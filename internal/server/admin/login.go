package admin

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

type loginPage struct {
	Username string
	Next     string
	Error    string
}

func (s *Handler) loginForm(c echo.Context) error {
	return s.renderLogin(c, http.StatusOK, loginPage{Next: safeNext(c.QueryParam("next"))})
}

func (s *Handler) renderLogin(c echo.Context, status int, pg loginPage) error {
	p := s.Printer(c)
	return s.Render(c, status, "login", render.View{Title: p.T("login.title"), Nav: "admin", Data: pg})
}

// Login signs a user in. Wrong user names, wrong passwords and disabled
// accounts get the same message; repeated failures are throttled (see
// stats.Accounts.Login), in the database, so that every instance agrees.
func (s *Handler) login(c echo.Context) error {
	p := s.Printer(c)
	username := stats.NormalizeUsername(c.FormValue("username"))
	password := c.FormValue("password")
	pg := loginPage{Username: username, Next: safeNext(c.FormValue("next"))}
	client := c.RealIP()
	ctx := c.Request().Context()
	u, err := s.accounts.Login(ctx, username, password, client, func(d time.Duration) error {
		httpkit.LogAttrs(c, slog.Duration("slowed", d)) // an account under attack, in the request's line
		return httpkit.Pause(c, d)
	})
	var te *stats.ThrottledError
	switch {
	case errors.As(err, &te):
		secs := int(math.Ceil(te.RetryAfter.Seconds()))
		c.Response().Header().Set("Retry-After", fmt.Sprint(secs))
		if secs < 120 {
			pg.Error = p.T("login.throttled.seconds", secs)
		} else {
			pg.Error = p.T("login.throttled", int(math.Ceil(te.RetryAfter.Minutes())))
		}
		httpkit.LogAttrs(c, slog.String("username", username), slog.String("login", "throttled"))
		return s.renderLogin(c, http.StatusTooManyRequests, pg)
	case errors.Is(err, stats.ErrBadCredentials):
		httpkit.LogAttrs(c, slog.String("username", username), slog.String("login", "failed"))
		pg.Error = p.T("login.failed")
		return s.renderLogin(c, http.StatusUnauthorized, pg)
	case err != nil:
		return err
	}
	m := s.sessions.Manager(c.Request())
	// A new session id at login: an id planted before cannot be ridden;
	// and a new CSRF token, so that none seen before signing in is good.
	if err := m.RenewToken(ctx); err != nil {
		return fmt.Errorf("renew session: %w", err)
	}
	m.Put(ctx, session.CSRFSessionKey, session.NewCSRFToken())
	m.Put(ctx, "user_id", u.ID)
	m.Put(ctx, "auth_at", s.now().Unix())
	httpkit.LogAttrs(c, slog.Int64("user_id", u.ID), slog.String("username", u.Username), slog.String("login", "ok"))
	next := pg.Next
	if next == "" {
		next = "/admin"
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Handler) logout(c echo.Context) error {
	if err := s.sessions.Manager(c.Request()).Destroy(c.Request().Context()); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return c.Redirect(http.StatusSeeOther, "/")
}

// safeNext keeps redirects after login on this site: an absolute path
// of it, never another origin. Browsers drop tabs and newlines from a URL
// and read a backslash as a slash, so "/\t/evil.example" and
// "/\\evil.example" name another host to them, as "//evil.example" does:
// anything holding a control, space or format character or a backslash,
// or that does not parse as a plain path, is refused.
func safeNext(next string) string {
	if len(next) > 2048 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || !utf8.ValidString(next) {
		return ""
	}
	for _, r := range next {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return ""
	}
	return next
}
