// Package session is who is signed in: the session cookie (scs over a
// store), the CSRF token bound to it, and the middleware that requires a
// user or an admin, or lets a public page know a signed-in editor.
package session

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Context keys set by the admin middleware.
const (
	userKey = "user"
	csrfKey = "csrf"
)

// CookieName names the session cookie.
const CookieName = "cadrestats_session"

// Session timeouts: an unattended admin tab signs out after an hour, and
// no session lives longer than a working day.
const (
	sessionIdle     = time.Hour
	sessionLifetime = 12 * time.Hour
)

// Sessions keeps two managers over one store: scs sets the cookie's
// Secure flag per manager, and it must be set exactly when the user
// reached us over TLS (directly or through a trusted proxy).
type Sessions struct {
	plain, secure *scs.SessionManager
	isHTTPS       func(*http.Request) bool
	accounts      *stats.Accounts
}

func New(store scs.Store, accounts *stats.Accounts, isHTTPS func(*http.Request) bool) *Sessions {
	mk := func(secure bool) *scs.SessionManager {
		m := scs.New()
		m.Store = store
		m.IdleTimeout = sessionIdle
		m.Lifetime = sessionLifetime
		m.Cookie.Name = CookieName
		m.Cookie.HttpOnly = true
		m.Cookie.SameSite = http.SameSiteLaxMode
		m.Cookie.Secure = secure
		m.Cookie.Path = "/"
		return m
	}
	return &Sessions{plain: mk(false), secure: mk(true), isHTTPS: isHTTPS, accounts: accounts}
}

func (ss *Sessions) Manager(r *http.Request) *scs.SessionManager {
	if ss.isHTTPS(r) {
		return ss.secure
	}
	return ss.plain
}

// Load wraps the scs middleware for Echo.
func (ss *Sessions) Load(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var err error
		h := ss.Manager(c.Request()).LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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

func (ss *Sessions) PopFlash(c echo.Context) string {
	if ss == nil {
		return ""
	}
	return ss.Manager(c.Request()).PopString(c.Request().Context(), "flash")
}

func (ss *Sessions) Flash(c echo.Context, msg string) {
	ss.Manager(c.Request()).Put(c.Request().Context(), "flash", msg)
}

// CSRFSessionKey holds the user's CSRF token in the session: a token is
// good for that session only, so one planted from another session (or a
// cookie set by a neighbouring site) is worth nothing.
const CSRFSessionKey = "csrf_token"

// CSRF protects every state-changing request of the admin area with the
// session's token, sent in a hidden form field (form) or, for the import
// upload, in the query (query), because reading a form field of a
// multipart body would first buffer the whole file. Requests a browser
// marks as cross-site are refused even with a token.
func (ss *Sessions) CSRF(from string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			m := ss.Manager(r)
			tok := m.GetString(r.Context(), CSRFSessionKey)
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				if tok == "" {
					tok = NewCSRFToken()
					m.Put(r.Context(), CSRFSessionKey, tok)
				}
				c.Set(csrfKey, tok)
				return next(c)
			}
			if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
				return echo.NewHTTPError(http.StatusForbidden, "csrf: cross-site request")
			}
			var got string
			if from == "query" {
				got = c.QueryParam("_csrf")
			} else {
				got = c.FormValue("_csrf")
			}
			if tok == "" || subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
				return echo.NewHTTPError(http.StatusForbidden, "csrf: missing or wrong token")
			}
			c.Set(csrfKey, tok)
			return next(c)
		}
	}
}

func NewCSRFToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RequireUser lets signed-in, enabled users through. Others are sent to
// the login page (browsers) or answered 401 (scripts).
func (ss *Sessions) RequireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		m := ss.Manager(r)
		id := m.GetInt64(r.Context(), "user_id")
		if id != 0 {
			u, err := ss.accounts.User(r.Context(), id)
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

// MaybeUser shows public pages to a signed-in editor with edit links: with
// a session cookie, the session is loaded and its user, if still valid, is
// known to the page. Without one nothing is read or written, so that
// public answers stay cookie-free for everyone else.
func (ss *Sessions) MaybeUser(next echo.HandlerFunc) echo.HandlerFunc {
	if ss == nil {
		return next
	}
	withUser := func(c echo.Context) error {
		r := c.Request()
		m := ss.Manager(r)
		if id := m.GetInt64(r.Context(), "user_id"); id != 0 {
			u, err := ss.accounts.User(r.Context(), id)
			if err == nil && !u.Disabled && u.PasswordChangedAt.Unix() <= m.GetInt64(r.Context(), "auth_at") {
				c.Set(userKey, u)
			}
		}
		return next(c)
	}
	loaded := ss.Load(withUser)
	return func(c echo.Context) error {
		if ck, err := c.Request().Cookie(CookieName); err != nil || ck.Value == "" {
			return next(c)
		}
		return loaded(c)
	}
}

// RequireAdmin lets admins through; it runs after RequireUser.
func RequireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u, ok := c.Get(userKey).(stats.User); !ok || u.Role != stats.RoleAdmin {
			return stats.ErrForbidden
		}
		return next(c)
	}
}

func CurrentUser(c echo.Context) stats.User {
	u, _ := c.Get(userKey).(stats.User)
	return u
}

// User is the signed-in user of the request, if any.
func User(c echo.Context) (stats.User, bool) {
	u, ok := c.Get(userKey).(stats.User)
	return u, ok
}

// CSRFToken is the session's CSRF token, for the forms of the page; "" on
// pages without a session.
func CSRFToken(c echo.Context) string {
	tok, _ := c.Get(csrfKey).(string)
	return tok
}

// acceptsHTML: browsers ask for text/html; curl (*/*) and API clients do
// not, and get a 401 they can act on instead of a login page.
func acceptsHTML(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return a == "" || strings.Contains(a, "text/html")
}
