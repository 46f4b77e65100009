package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/stats"
)

type loginPage struct {
	Username string
	Next     string
	Error    string
}

func (s *Server) loginForm(c echo.Context) error {
	return s.renderLogin(c, http.StatusOK, loginPage{Next: safeNext(c.QueryParam("next"))})
}

func (s *Server) renderLogin(c echo.Context, status int, pg loginPage) error {
	p := s.printer(c)
	return s.render(c, status, "login", view{Title: p.T("login.title"), Nav: "admin", Data: pg})
}

// login signs a user in. Wrong user names, wrong passwords and disabled
// accounts get the same message; repeated failures per account and per
// address are throttled.
func (s *Server) login(c echo.Context) error {
	p := s.printer(c)
	username := stats.NormalizeUsername(c.FormValue("username"))
	password := c.FormValue("password")
	pg := loginPage{Username: username, Next: safeNext(c.FormValue("next"))}
	client := c.RealIP()
	if ok, wait := s.throttle.Allowed(username, client); !ok {
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		pg.Error = p.T("login.throttled", int(math.Ceil(wait.Minutes())))
		return s.renderLogin(c, http.StatusTooManyRequests, pg)
	}
	u, err := s.accounts.Authenticate(c.Request().Context(), username, password)
	if errors.Is(err, stats.ErrBadCredentials) {
		s.throttle.Fail(username, client)
		s.log.Warn("login failed", "username", username, "client", client)
		pg.Error = p.T("login.failed")
		return s.renderLogin(c, http.StatusUnauthorized, pg)
	}
	if err != nil {
		return err
	}
	s.throttle.Succeed(username)
	m := s.sessions.manager(c.Request())
	ctx := c.Request().Context()
	// A new session id at login: an id planted before cannot be ridden.
	if err := m.RenewToken(ctx); err != nil {
		return fmt.Errorf("renew session: %w", err)
	}
	m.Put(ctx, "user_id", u.ID)
	m.Put(ctx, "auth_at", s.now().Unix())
	s.log.Info("login", "user_id", u.ID, "username", u.Username)
	next := pg.Next
	if next == "" {
		next = "/admin"
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c echo.Context) error {
	if err := s.sessions.manager(c.Request()).Destroy(c.Request().Context()); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return c.Redirect(http.StatusSeeOther, "/")
}

// safeNext keeps redirects after login on this site: a path, never
// another host ("//evil.example", "/\\evil").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	return next
}
