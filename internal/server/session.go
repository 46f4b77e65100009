package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Context keys set by the admin middleware.
const (
	userKey        = "user"
	csrfKey        = "csrf"
	reviewCountKey = "review_count"
)

// sessionCookie names the session cookie.
const sessionCookie = "cadrestats_session"

// Session timeouts: an unattended admin tab signs out after an hour, and
// no session lives longer than a working day.
const (
	sessionIdle     = time.Hour
	sessionLifetime = 12 * time.Hour
)

// sessions keeps two managers over one store: scs sets the cookie's
// Secure flag per manager, and it must be set exactly when the request
// came over TLS.
type sessions struct {
	plain, secure *scs.SessionManager
}

func newSessions(store scs.Store) *sessions {
	mk := func(secure bool) *scs.SessionManager {
		m := scs.New()
		m.Store = store
		m.IdleTimeout = sessionIdle
		m.Lifetime = sessionLifetime
		m.Cookie.Name = sessionCookie
		m.Cookie.HttpOnly = true
		m.Cookie.SameSite = http.SameSiteLaxMode
		m.Cookie.Secure = secure
		m.Cookie.Path = "/"
		return m
	}
	return &sessions{plain: mk(false), secure: mk(true)}
}

func (ss *sessions) manager(r *http.Request) *scs.SessionManager {
	if r.TLS != nil {
		return ss.secure
	}
	return ss.plain
}

// load wraps the scs middleware for Echo.
func (ss *sessions) load(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var err error
		h := ss.manager(c.Request()).LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c.SetRequest(r)
			c.Response().Writer = w
			err = next(c)
			if err != nil {
				c.Error(err) // written inside, so the session is saved with the response
				err = nil
			}
		}))
		h.ServeHTTP(c.Response().Writer, c.Request())
		return err
	}
}

func (ss *sessions) popFlash(c echo.Context) string {
	if ss == nil {
		return ""
	}
	return ss.manager(c.Request()).PopString(c.Request().Context(), "flash")
}

func (ss *sessions) flash(c echo.Context, msg string) {
	ss.manager(c.Request()).Put(c.Request().Context(), "flash", msg)
}

// csrf protects every state-changing request of the admin area with a
// token in a hidden form field (and Echo also checks Sec-Fetch-Site).
func csrf() echo.MiddlewareFunc { return csrfFrom("form:_csrf") }

// csrfFrom is csrf with the token looked up elsewhere: the import upload
// carries it in the query, because reading a form field of a multipart
// body would first buffer the whole file.
func csrfFrom(lookup string) echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    lookup,
		ContextKey:     csrfKey,
		CookieName:     "cadrestats_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteStrictMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, "csrf").SetInternal(err)
		},
	})
}

// requireUser lets signed-in, enabled users through. Others are sent to
// the login page (browsers) or answered 401 (scripts).
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		m := s.sessions.manager(r)
		id := m.GetInt64(r.Context(), "user_id")
		if id != 0 {
			u, err := s.accounts.User(r.Context(), id)
			switch {
			case err == nil && !u.Disabled && u.PasswordChangedAt.Unix() <= m.GetInt64(r.Context(), "auth_at"):
				c.Set(userKey, u)
				return next(c)
			case err != nil && !errors.Is(err, stats.ErrNotFound):
				return err
			}
			// Disabled, deleted, or the password changed since: sign out.
			_ = m.Destroy(r.Context())
		}
		if !acceptsHTML(r) {
			c.Response().Header().Set("WWW-Authenticate", `Cookie realm="cadrestats"`)
			return echo.NewHTTPError(http.StatusUnauthorized)
		}
		next := r.URL.Path
		if r.Method == http.MethodGet && r.URL.RawQuery != "" {
			next += "?" + r.URL.RawQuery
		}
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
	}
}

// maybeUser shows public pages to a signed-in editor with edit links: with
// a session cookie, the session is loaded and its user, if still valid, is
// known to the page. Without one nothing is read or written, so that
// public answers stay cookie-free for everyone else.
func (s *Server) maybeUser(next echo.HandlerFunc) echo.HandlerFunc {
	if s.sessions == nil {
		return next
	}
	withUser := func(c echo.Context) error {
		r := c.Request()
		m := s.sessions.manager(r)
		if id := m.GetInt64(r.Context(), "user_id"); id != 0 {
			u, err := s.accounts.User(r.Context(), id)
			if err == nil && !u.Disabled && u.PasswordChangedAt.Unix() <= m.GetInt64(r.Context(), "auth_at") {
				c.Set(userKey, u)
			}
		}
		return next(c)
	}
	loaded := s.sessions.load(withUser)
	return func(c echo.Context) error {
		if ck, err := c.Request().Cookie(sessionCookie); err != nil || ck.Value == "" {
			return next(c)
		}
		return loaded(c)
	}
}

// countReview tells admin pages how many figures wait for this editor's
// review, for the count in the navigation. It runs after requireUser.
func (s *Server) countReview(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodGet {
			n, err := s.editor.ReviewCount(c.Request().Context(), currentUser(c))
			if err != nil {
				return err
			}
			c.Set(reviewCountKey, n)
		}
		return next(c)
	}
}

// requireAdmin lets admins through; it runs after requireUser.
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u, ok := c.Get(userKey).(stats.User); !ok || u.Role != stats.RoleAdmin {
			return stats.ErrForbidden
		}
		return next(c)
	}
}

func currentUser(c echo.Context) stats.User {
	u, _ := c.Get(userKey).(stats.User)
	return u
}

// acceptsHTML: browsers ask for text/html; curl (*/*) and API clients do
// not, and get a 401 they can act on instead of a login page.
func acceptsHTML(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return a == "" || strings.Contains(a, "text/html")
}
