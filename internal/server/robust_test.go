package server_test

import (
	"bytes"
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
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Helpers of the robustness tests (robust_*_test.go): a server with the
// admin area, its log captured, built only through public functions.

const robustPassword = "mật khẩu thật là dài"

// robustSite is a real HTTP server over pool with accounts "admin" and
// "editor1", and its JSON log.
type robustSite struct {
	URL  string
	Pool *pgxpool.Pool
	Logs *logBuffer
	srv  *server.Server
}

// newRobustSite starts a server; tune changes its configuration first.
func newRobustSite(t *testing.T, pool *pgxpool.Pool, tune func(*server.Config)) *robustSite {
	t.Helper()
	db := postgres.New(pool)
	accounts := stats.NewAccounts(db)
	for name, role := range map[string]stats.Role{"admin": stats.RoleAdmin, "editor1": stats.RoleEditor} {
		if _, err := accounts.Create(t.Context(), nil, name, role, robustPassword); err != nil && !strings.Contains(err.Error(), "exists") {
			t.Fatal(err)
		}
	}
	return startRobustSite(t, pool, accounts, tune)
}

func startRobustSite(t *testing.T, pool *pgxpool.Pool, accounts *stats.Accounts, tune func(*server.Config)) *robustSite {
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
	return &robustSite{URL: ts.URL, Pool: pool, Logs: logs, srv: srv}
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

// requests returns the request lines for path.
func (l *logBuffer) requests(path string) []map[string]any {
	var out []map[string]any
	for _, r := range l.Lines("request") {
		if r["path"] == path {
			out = append(out, r)
		}
	}
	return out
}

// client is one user agent: a cookie jar, the CSRF token of the last form
// it read, and the address a trusted proxy would say it comes from.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
	xff  string
}

func (s *robustSite) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: s.URL, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// on makes the client send its requests to another instance, cookies kept.
func (cl *client) on(s *robustSite) *client {
	c := *cl
	c.base = s.URL
	// Cookies are kept per host: copy them over to the other instance.
	from, _ := url.Parse(cl.base)
	to, _ := url.Parse(s.URL)
	c.c.Jar.SetCookies(to, cl.c.Jar.Cookies(from))
	return &c
}

func (cl *client) do(method, path string, form url.Values) (*http.Response, string) {
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
	if cl.xff != "" {
		req.Header.Set("X-Forwarded-For", cl.xff)
	}
	resp, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		cl.csrf = string(m[1])
	}
	return resp, string(b)
}

// login posts the login form (read first for its token) and returns the
// response.
func (cl *client) login(user, password, next string) (*http.Response, string) {
	cl.t.Helper()
	cl.do(http.MethodGet, "/login", nil)
	f := url.Values{"username": {user}, "password": {password}, "_csrf": {cl.csrf}}
	if next != "" {
		f.Set("next", next)
	}
	return cl.do(http.MethodPost, "/login", f)
}

// inflateFigures adds copies of every figure, each with its own id and
// subject, so that an export is long enough to keep a slow reader busy.
// It names only the columns id, subject and submission_key, so that it
// holds whatever else a figure has.
func inflateFigures(t testing.TB, pool *pgxpool.Pool, copies int) int {
	t.Helper()
	ctx := t.Context()
	var n int
	cols := figureColumns(t, pool)
	err := pool.QueryRow(ctx, `WITH m AS (SELECT coalesce(max(id), 0) AS top FROM figures),
		ins AS (INSERT INTO figures (`+cols+`)
			SELECT `+prefixed(cols, "r.")+` FROM figures f, m, generate_series(1, $1::int) g,
				LATERAL jsonb_populate_record(f, jsonb_build_object('id', f.id + g * m.top,
				'subject', f.subject || ' · bản sao ' || g, 'submission_key', NULL)) r RETURNING 1)
		SELECT count(*) FROM ins`, copies).Scan(&n)
	if err != nil {
		t.Fatalf("inflate figures: %v", err)
	}
	if _, err := pool.Exec(ctx, `SELECT setval(pg_get_serial_sequence('figures', 'id'), (SELECT max(id) FROM figures))`); err != nil {
		t.Fatal(err)
	}
	return n
}

// someLocality returns the slug of a locality that has figures, from the
// API, so that no test depends on which localities are seeded.
func someLocality(t testing.TB, base string) string {
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

// figureColumns lists the figures table's stored columns (not the
// generated ones, which an INSERT may not name), comma-separated.
func figureColumns(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	var cols string
	if err := pool.QueryRow(t.Context(), `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
		FROM information_schema.columns WHERE table_name = 'figures' AND is_generated = 'NEVER'`).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	return cols
}

func prefixed(cols, prefix string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = prefix + parts[i]
	}
	return strings.Join(parts, ", ")
}
