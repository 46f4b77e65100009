package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

func TestHeadWorksWhereGetDoes(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewSeededDB(t), nil)
	slug := servertest.SomeLocality(t, site.URL)
	for _, path := range []string{"/", "/localities/" + slug, "/figures", "/sources", "/about", "/export.csv",
		"/export.xlsx", "/api/figures", "/healthz", "/readyz", "/login", "/no-such-page", "/localities/no-such-place"} {
		get, _ := http.Get(site.URL + path)
		io.Copy(io.Discard, get.Body)
		get.Body.Close()
		head, err := http.Head(site.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(head.Body)
		head.Body.Close()
		if head.StatusCode != get.StatusCode || len(body) != 0 {
			t.Errorf("HEAD %s = %d with %d bytes, GET = %d: want the same status and no body", path, head.StatusCode, len(body), get.StatusCode)
		}
		if ct := head.Header.Get("Content-Type"); ct != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q, GET %q", path, ct, get.Header.Get("Content-Type"))
		}
	}
	if lines := site.Logs.Requests("/about"); len(lines) != 2 || lines[1]["method"] != "HEAD" {
		t.Errorf("log of GET then HEAD /about: %v", lines)
	}
}

func TestWrongMethodIs405WithAllow(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewDB(t), nil)
	for _, tt := range []struct{ method, path, allow string }{
		{http.MethodPost, "/", "GET"},
		{http.MethodPost, "/figures", "GET"},
		{http.MethodPut, "/export.csv", "GET"},
		{http.MethodDelete, "/login", "POST"},
	} {
		req, _ := http.NewRequest(tt.method, site.URL+tt.path+"?lang=en", strings.NewReader("x=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		allow := resp.Header.Get("Allow")
		if resp.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(allow, tt.allow) {
			t.Errorf("%s %s = %d, Allow %q; want 405 allowing %s", tt.method, tt.path, resp.StatusCode, allow, tt.allow)
		}
		if strings.Contains(allow, "GET") && !strings.Contains(allow, "HEAD") {
			t.Errorf("%s %s: Allow %q lacks HEAD", tt.method, tt.path, allow)
		}
		if !strings.Contains(string(body), "Method not allowed") {
			t.Errorf("%s %s: the answer does not say so in English:\n%.300s", tt.method, tt.path, body)
		}
		for _, c := range resp.Cookies() {
			if c.Name != "lang" { // ?lang=en is remembered
				t.Errorf("%s %s set cookie %s", tt.method, tt.path, c.Name)
			}
		}
	}
}

func TestInvalidPathOrQueryIs400(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewSeededDB(t), nil)
	for _, target := range []string{
		"/localities/a%00b", "/localities/a%ffb", "/localities/%c3%28", "/sources/1%00",
		"/figures?q=%00", "/figures?q=%ff%fe", "/export.csv?locality=%00", "/api/figures?term=%c3",
		"/figures?q=100%", "/figures?%ff=1", "/?lang=en%00",
	} {
		for lang, want := range map[string]string{"vi": "Yêu cầu không hợp lệ", "en": "Bad request"} {
			req, _ := http.NewRequest(http.MethodGet, site.URL+target, nil)
			req.Header.Set("Accept-Language", lang)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), want) {
				t.Errorf("GET %s (%s) = %d, want 400 saying %q:\n%.200s", target, lang, resp.StatusCode, want, body)
			}
		}
	}
	for _, r := range site.Logs.Lines("request") {
		if r["level"] == "ERROR" {
			t.Errorf("a bad request logged as an error: %v", r)
		}
	}
}

func TestUnknownPathsSetNoCookie(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewDB(t), nil)
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/no-such-page"}, {http.MethodPost, "/no-such-page"}, {http.MethodGet, "/admin/no-such-page"},
		{http.MethodGet, "/"}, {http.MethodGet, "/figures"}, {http.MethodGet, "/admin"},
	} {
		req, _ := http.NewRequest(tt.method, site.URL+tt.path, nil)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s %s (%d) set cookies %v", tt.method, tt.path, resp.StatusCode, c)
		}
	}
}

func TestAdminPagesAreNotStored(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewDB(t), nil)
	cl := site.Client(t)
	for _, path := range []string{"/login", "/admin", "/admin/figures/new"} {
		resp, _ := cl.Do(http.MethodGet, path, nil)
		if !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("GET %s (signed out, %d): Cache-Control %q, want no-store", path, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
	if resp, _ := cl.Login("editor1", servertest.RobustPassword, ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	for _, path := range []string{"/admin", "/admin/figures/new", "/admin/changes"} {
		resp, _ := cl.Do(http.MethodGet, path, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s signed in = %d, Cache-Control %q; want 200, no-store", path, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
	if resp, _ := cl.Do(http.MethodGet, "/figures", nil); strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
		t.Error("a public page is marked no-store")
	}
}

func TestSecureCookiesAndHSTS(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t)
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	public, _ := url.Parse("https://cadrestats.example.vn")
	direct := servertest.NewRobustSite(t, pool, nil)
	proxied := servertest.NewRobustSite(t, pool, func(c *server.Config) { c.TrustedProxies = loopback })
	behindURL := servertest.NewRobustSite(t, pool, func(c *server.Config) { c.PublicURL = public })
	for _, tt := range []struct {
		name   string
		site   *servertest.RobustSite
		proto  string
		secure bool
	}{
		{"no proxy trusted: X-Forwarded-Proto ignored", direct, "https", false},
		{"trusted proxy, https", proxied, "https", true},
		{"trusted proxy, http", proxied, "http", false},
		{"public URL https", behindURL, "", true},
	} {
		req, _ := http.NewRequest(http.MethodGet, tt.site.URL+"/login?lang=en", nil)
		if tt.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if len(resp.Cookies()) == 0 {
			t.Fatalf("%s: no cookies", tt.name)
		}
		for _, c := range resp.Cookies() {
			if c.Secure != tt.secure {
				t.Errorf("%s: cookie %s Secure=%v, want %v", tt.name, c.Name, c.Secure, tt.secure)
			}
		}
		if hsts := resp.Header.Get("Strict-Transport-Security"); (hsts != "") != tt.secure {
			t.Errorf("%s: HSTS %q", tt.name, hsts)
		}
	}
}

func TestDatabaseDownIsLoggedOncePerRequest(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	site := servertest.NewRobustSite(t, pool, nil)
	pool.Close()
	for range 3 {
		resp, err := http.Get(site.URL + "/figures")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/figures with the database down = %d, want 503", resp.StatusCode)
		}
	}
	if all, reqs := site.Logs.Lines(""), site.Logs.Requests("/figures"); len(all) != 3 || len(reqs) != 3 {
		t.Errorf("%d log lines (%d requests) for 3 requests, want one each:\n%v", len(all), len(reqs), all)
	}
	for _, r := range site.Logs.Requests("/figures") {
		if r["level"] != "WARN" || r["status"] != float64(503) || !strings.Contains(r["err"].(string), "unavailable") {
			t.Errorf("log line %v: want a warning with status 503 and why", r)
		}
	}
}

func TestClientDisconnectIsNotAnError(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	site := servertest.NewRobustSite(t, pool, nil)
	lock := servertest.LockFigures(t, pool) // the page waits: the client gives up first
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	answered := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, site.URL+"/figures?q=x", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("the request was answered %d before the client left", resp.StatusCode)
		}
		answered <- err
	}()
	servertest.WaitForLockWaiters(t, pool, 1) // the page is in its query
	cancel()
	if err := <-answered; !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	servertest.WaitFor(t, "the request's log line", func() bool { return len(site.Logs.Requests("/figures")) > 0 })
	lock.Rollback(t.Context())
	lines := site.Logs.Requests("/figures")
	if len(lines) != 1 || lines[0]["status"] != float64(499) || lines[0]["level"] != "INFO" {
		t.Errorf("log of a request whose client left: %v, want one line, status 499, level INFO", lines)
	}
}
