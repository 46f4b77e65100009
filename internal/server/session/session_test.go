package session_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewSeededDB(t), nil)
	a, b := site.Client(t), site.Client(t)
	a.Login("editor1", servertest.RobustPassword, "")
	b.Login("admin", servertest.RobustPassword, "")
	a.Do(http.MethodGet, "/admin/password", nil)
	b.Do(http.MethodGet, "/admin/password", nil)
	if a.CSRF == "" || a.CSRF == b.CSRF {
		t.Fatalf("tokens %q and %q: want one per session", a.CSRF, b.CSRF)
	}
	change := func(cl *servertest.Client, token string) int {
		resp, _ := cl.Do(http.MethodPost, "/admin/password", url.Values{"_csrf": {token},
			"current_password": {"không phải mật khẩu"}, "new_password": {"mật khẩu mới rất dài"}})
		return resp.StatusCode
	}
	if got := change(b, a.CSRF); got != http.StatusForbidden {
		t.Errorf("another session's token: %d, want 403", got)
	}
	if got := change(b, b.CSRF); got != http.StatusUnprocessableEntity {
		t.Errorf("the session's own token: %d, want 422 (the form's wrong password)", got)
	}
	// A token seen before signing in is not good after.
	c := site.Client(t)
	c.Do(http.MethodGet, "/login", nil)
	before := c.CSRF
	c.Login("editor1", servertest.RobustPassword, "")
	if got := change(c, before); got != http.StatusForbidden {
		t.Errorf("the token from before login: %d, want 403", got)
	}
}

func TestAdminNeedsASession(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	before := site.State(t)
	code, _ := b.Get("/admin")
	if code != http.StatusSeeOther {
		t.Errorf("GET /admin without a session = %d, want 303 to /login", code)
	}
	req, _ := http.NewRequest(http.MethodGet, site.URL+"/admin/figures/new", nil)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API client without a session = %d, want 401", resp.StatusCode)
	}
	b.Get("/login")
	code, _, _ = b.Post("/admin/figures", servertest.ValidFigure())
	if code != http.StatusSeeOther {
		t.Errorf("POST without a session = %d, want a redirect to the login", code)
	}
	if after := site.State(t); after != before {
		t.Errorf("database changed by a refused request: %s → %s", before, after)
	}
}

func TestCSRFIsRequired(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	before := site.State(t)
	for name, token := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		f := servertest.ValidFigure()
		f.Set("_csrf", token)
		code, _, _ := b.Post("/admin/figures", f)
		if code != http.StatusBadRequest && code != http.StatusForbidden {
			t.Errorf("%s CSRF token: %d, want 400 or 403", name, code)
		}
	}
	if after := site.State(t); after != before {
		t.Errorf("database changed by a refused request: %s → %s", before, after)
	}
}
