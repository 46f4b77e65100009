package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
)

const RobustPassword = "mật khẩu thật là dài"

// RobustSite is a real HTTP server over pool with accounts "admin" and
// "editor1", and its JSON log.
type RobustSite struct {
	URL   string
	Pool  *pgxpool.Pool
	Logs  *logBuffer
	Srv   *server.Server
	Clock *Clock // the sign-in throttle's time (NewRobustSite)
}

// Clock is a time that moves only when a test moves it: the throttle's
// waits of a second then hold however slowly the machine checks
// passwords (argon2id under the race detector on two cores).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at the wall time, which the database's defaults share.
func NewClock() *Clock { return &Clock{t: time.Now()} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// NewRobustSite starts a server; tune changes its configuration first.
func NewRobustSite(t *testing.T, pool *pgxpool.Pool, tune func(*server.Config)) *RobustSite {
	t.Helper()
	db := postgres.New(pool)
	clock := NewClock()
	accounts := stats.NewAccounts(db).WithClock(clock.Now)
	for name, role := range map[string]stats.Role{"admin": stats.RoleAdmin, "editor1": stats.RoleEditor} {
		if _, err := accounts.Create(t.Context(), nil, name, role, RobustPassword); err != nil && !strings.Contains(err.Error(), "exists") {
			t.Fatal(err)
		}
	}
	site := StartRobustSite(t, pool, accounts, tune)
	site.Clock = clock
	return site
}

func StartRobustSite(t *testing.T, pool *pgxpool.Pool, accounts *stats.Accounts, tune func(*server.Config)) *RobustSite {
	t.Helper()
	db := postgres.New(pool)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	cfg := server.Config{Stats: stats.NewService(db), Editor: stats.NewEditor(db), Accounts: accounts,
		Sessions: pgxstore.NewWithCleanupInterval(pool, 0), Catalog: catalog,
		Logger: slog.New(slog.NewJSONHandler(logs, nil))}
	if tune != nil {
		tune(&cfg)
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &RobustSite{URL: ts.URL, Pool: pool, Logs: logs, Srv: srv}
}

// logBuffer collects JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Lines returns the records whose message is msg ("" for all).
func (l *logBuffer) Lines(msg string) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(l.buf.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && (msg == "" || rec["msg"] == msg) {
			out = append(out, rec)
		}
	}
	return out
}

// Requests returns the request lines for path.
func (l *logBuffer) Requests(path string) []map[string]any {
	var out []map[string]any
	for _, r := range l.Lines("request") {
		if r["path"] == path {
			out = append(out, r)
		}
	}
	return out
}

// Client is one user agent: a cookie jar, the CSRF token of the last form
// it read, and the address a trusted proxy would say it comes from.
type Client struct {
	t    *testing.T
	base string
	c    *http.Client
	CSRF string
	XFF  string
}

func (s *RobustSite) Client(t *testing.T) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: s.URL, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// On makes the client send its requests to another instance, cookies kept.
func (cl *Client) On(s *RobustSite) *Client {
	c := *cl
	c.base = s.URL
	// Cookies are kept per host: copy them over to the other instance.
	from, _ := url.Parse(cl.base)
	to, _ := url.Parse(s.URL)
	c.c.Jar.SetCookies(to, cl.c.Jar.Cookies(from))
	return &c
}

func (cl *Client) Do(method, path string, form url.Values) (*http.Response, string) {
	cl.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, cl.base+path, body)
	if err != nil {
		cl.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cl.XFF != "" {
		req.Header.Set("X-Forwarded-For", cl.XFF)
	}
	resp, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := CSRFField.FindSubmatch(b); m != nil {
		cl.CSRF = string(m[1])
	}
	return resp, string(b)
}

// Login posts the login form (read first for its token) and returns the
// response.
func (cl *Client) Login(user, password, next string) (*http.Response, string) {
	cl.t.Helper()
	cl.Do(http.MethodGet, "/login", nil)
	f := url.Values{"username": {user}, "password": {password}, "_csrf": {cl.CSRF}}
	if next != "" {
		f.Set("next", next)
	}
	return cl.Do(http.MethodPost, "/login", f)
}

// SomeLocality returns the slug of a locality that has figures, from the
// API, so that no test depends on which localities are seeded.
func SomeLocality(t testing.TB, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/figures?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Figures []struct {
			Slug string `json:"locality_slug"`
		} `json:"figures"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || len(v.Figures) == 0 {
		t.Fatalf("no figure to find a locality by: %v", err)
	}
	return v.Figures[0].Slug
}

// LockFigures holds a lock that makes every read of figures wait.
func LockFigures(t *testing.T, pool interface {
	Begin(context.Context) (pgx.Tx, error)
}) pgx.Tx {
	t.Helper()
	tx, err := pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(t.Context(), "LOCK TABLE figures IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback(context.Background()) })
	return tx
}
