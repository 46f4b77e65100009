// Package servertest starts the real server over a real PostgreSQL for
// the tests of internal/server and its parts: the public site, a site
// with the admin area and a browser-like client, and the robustness site
// with its log.
package servertest

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/fetch"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
)

const TestPassword = "mật khẩu đủ dài"

// AdminSite is a real server over a fresh seeded database, with an admin
// and two editors.
type AdminSite struct {
	URL  string
	Pool *pgxpool.Pool
	// Other is a second instance over the same database, as a load
	// balancer would send requests to.
	Other string
	// Press is a local web server whose pages the extraction may fetch
	// (the only loopback address its fetcher is allowed): tests put pages
	// on it with Publish.
	Press *httptest.Server
	press *sync.Map // path → pressPage
	// Clock is the sign-in throttle's time (both instances): it moves only
	// when a test moves it.
	Clock *Clock
}

type pressPage struct {
	contentType string
	body        []byte
}

// Publish serves body at path on the site's press server and returns its address.
func (s *AdminSite) Publish(path, contentType string, body []byte) string {
	s.press.Store(path, pressPage{contentType, body})
	return s.Press.URL + path
}

func NewAdminSite(t *testing.T) *AdminSite {
	t.Helper()
	return NewAdminSiteOn(t, pgtest.NewSeededDB(t))
}

// NewAdminSiteOn is NewAdminSite over a database of the test's choosing.
func NewAdminSiteOn(t *testing.T, pool *pgxpool.Pool) *AdminSite {
	t.Helper()
	db := postgres.New(pool)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	clock := NewClock()
	accounts := stats.NewAccounts(db).WithClock(clock.Now)
	for name, role := range map[string]stats.Role{"admin": stats.RoleAdmin, "editor1": stats.RoleEditor, "editor2": stats.RoleEditor} {
		if _, err := accounts.Create(t.Context(), nil, name, role, TestPassword); err != nil {
			t.Fatal(err)
		}
	}
	pages := &sync.Map{}
	press := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := pages.Load(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		pg := v.(pressPage)
		w.Header().Set("Content-Type", pg.contentType)
		w.Write(pg.body)
	}))
	t.Cleanup(press.Close)
	// A generous limit: no test here is about the fetch's time, and a
	// local page must be read however loaded the machine.
	fetcher := fetch.New(fetch.Config{Timeout: 30 * time.Second, Allow: []string{press.Listener.Addr().String()}})
	instance := func() string {
		srv, err := server.New(server.Config{Stats: stats.NewService(db), Editor: stats.NewEditor(db), Accounts: accounts,
			Sessions: pgxstore.NewWithCleanupInterval(pool, 0), Catalog: catalog, Versions: db, Fetcher: fetcher})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		return ts.URL
	}
	return &AdminSite{URL: instance(), Other: instance(), Pool: pool, Press: press, press: pages, Clock: clock}
}

// Browser is one user agent: its own cookies and the CSRF token of the
// last page it read.
type Browser struct {
	t      *testing.T
	Site   *AdminSite
	Client *http.Client
	CSRF   string
}

func (s *AdminSite) Browser(t *testing.T) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{t: t, Site: s, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var CSRFField = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

func (b *Browser) Do(req *http.Request) (int, string, http.Header) {
	b.t.Helper()
	req.Header.Set("Accept", "text/html")
	resp, err := b.Client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := CSRFField.FindSubmatch(body); m != nil {
		b.CSRF = string(m[1])
	}
	return resp.StatusCode, string(body), resp.Header
}

func (b *Browser) Get(path string) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.Site.URL+path, nil)
	code, body, _ := b.Do(req)
	return code, body
}

// Post sends a form with the current CSRF token (unless it sets _csrf).
func (b *Browser) Post(path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	form = CloneValues(form)
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", b.CSRF)
	}
	req, _ := http.NewRequest(http.MethodPost, b.Site.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

func CloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func (b *Browser) Login(user string) {
	b.t.Helper()
	b.Get("/login")
	code, body, h := b.Post("/login", url.Values{"username": {user}, "password": {TestPassword}})
	if code != http.StatusSeeOther || h.Get("Location") != "/admin" {
		b.t.Fatalf("login %s: %d %s\n%.300s", user, code, h.Get("Location"), body)
	}
	b.Get("/admin")
}

// Count reads one number from the database.
func (s *AdminSite) Count(t *testing.T, sql string) int {
	t.Helper()
	var n int
	if err := s.Pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// State is what must not change when a request is refused.
func (s *AdminSite) State(t *testing.T) string {
	return fmt.Sprint(s.Count(t, "SELECT count(*) FROM figures"), s.Count(t, "SELECT count(*) FROM revisions"),
		s.Count(t, "SELECT count(*) FROM users"), s.Count(t, "SELECT coalesce(sum(version), 0) FROM figures"),
		s.Count(t, "SELECT count(*) FROM sources"))
}

func ValidFigure() url.Values {
	return url.Values{
		"locality_slug": {"song-lo"}, "category": {"training"}, "subject": {"lớp trung cấp lý luận chính trị"},
		"value": {"12"}, "unit": {"persons"}, "qualifier": {"exact"},
		"period_start": {"2019-01-01"}, "period_end": {"2019-12-31"}, "source_key": {"song-lo-2020-10-28"},
		"quote": {"12 đồng chí được cử đi học lớp trung cấp"}, "submission_key": {"k-" + fmt.Sprint(keyCounter.next())},
	}
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) next() int { c.mu.Lock(); defer c.mu.Unlock(); c.n++; return c.n }

var keyCounter counter

var FigureLocation = regexp.MustCompile(`^/admin/figures/(\d+)$`)

func (b *Browser) CreateFigure(form url.Values) string {
	b.t.Helper()
	code, body, h := b.Post("/admin/figures", form)
	if code != http.StatusSeeOther || !FigureLocation.MatchString(h.Get("Location")) {
		b.t.Fatalf("create: %d %q\n%.500s", code, h.Get("Location"), body)
	}
	return h.Get("Location")
}

// CreateAt posts a new record to path and returns its edit page.
func (b *Browser) CreateAt(path string, form url.Values) string {
	b.t.Helper()
	code, body, h := b.Post(path, form)
	loc := h.Get("Location")
	if code != http.StatusSeeOther || !regexp.MustCompile("^"+path+`/\d+$`).MatchString(loc) {
		b.t.Fatalf("create at %s: %d %q\n%.800s", path, code, loc, body)
	}
	return loc
}

// Version reads the version an edit page offers.
func (b *Browser) Version(path string) string {
	b.t.Helper()
	code, body := b.Get(path)
	m := VersionField.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s: %d, no version\n%.500s", path, code, body)
	}
	return m[1]
}

// EntityState is what must not change when a request is refused.
func (s *AdminSite) EntityState(t *testing.T) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"sources", "findings", "localities", "terms"} {
		parts = append(parts, fmt.Sprint(table, s.Count(t, "SELECT count(*) FROM "+table),
			"/", s.Count(t, "SELECT coalesce(sum(version), 0) FROM "+table),
			"/", s.Count(t, "SELECT count(deleted_at) FROM "+table)))
	}
	parts = append(parts, fmt.Sprint("revisions", s.Count(t, "SELECT count(*) FROM revisions")),
		fmt.Sprint("figures", s.Count(t, "SELECT count(*) FROM figures WHERE deleted_at IS NULL")))
	return strings.Join(parts, " ")
}

func (s *AdminSite) ID(t *testing.T, sql string) string {
	t.Helper()
	return fmt.Sprint(s.Count(t, sql))
}

// ImportUpload posts a file to the import as a browser does, streaming
// it through a pipe; the CSRF token goes in the query.
func (b *Browser) ImportUpload(name string, body io.Reader) (int, string, http.Header) {
	b.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(fw, body)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, b.Site.URL+"/admin/import?_csrf="+url.QueryEscape(b.CSRF), pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(req)
}

// PostFiles posts a form with files (name → content) under field "file",
// as a browser's multipart upload, with the current CSRF token.
func (b *Browser) PostFiles(path string, form url.Values, files [][2]string) (int, string, http.Header) {
	b.t.Helper()
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	form = CloneValues(form)
	form.Set("_csrf", b.CSRF)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile("file", f[0])
		if err != nil {
			b.t.Fatal(err)
		}
		io.WriteString(fw, f[1])
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.Site.URL+path, strings.NewReader(buf.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(req)
}

// ImportPreview uploads a file and returns the preview page.
func (b *Browser) ImportPreview(name string, body io.Reader) string {
	b.t.Helper()
	b.Get("/admin/import")
	code, page, h := b.ImportUpload(name, body)
	if code != http.StatusSeeOther || h.Get("Location") != "/admin/import/preview" {
		b.t.Fatalf("upload: %d %q\n%.500s", code, h.Get("Location"), page)
	}
	code, page = b.Get("/admin/import/preview")
	if code != http.StatusOK {
		b.t.Fatalf("preview: %d\n%.500s", code, page)
	}
	return html.UnescapeString(page)
}

// ImportCommit posts the commit form of a preview page.
func (b *Browser) ImportCommit(page string) (int, string, http.Header) {
	b.t.Helper()
	tok, dig := ImportToken.FindStringSubmatch(page), ImportDigest.FindStringSubmatch(page)
	if tok == nil || dig == nil {
		b.t.Fatalf("the preview has no commit form\n%.2000s", page)
	}
	return b.Post("/admin/import/commit", url.Values{"token": {tok[1]}, "digest": {dig[1]}})
}

// Exported returns the site's CSV export as records, header first.
func (b *Browser) Exported(query string) [][]string {
	b.t.Helper()
	code, body := b.Get("/export.csv" + query)
	if code != http.StatusOK {
		b.t.Fatalf("export: %d", code)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		b.t.Fatal(err)
	}
	return recs
}

// Pinned reports whether the browser holds the position of a write the
// replica has not been seen to replay.
func (b *Browser) Pinned() bool {
	u, _ := url.Parse(b.Site.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "cadrestats_lsn" {
			return true
		}
	}
	return false
}

// figure is one added through the admin form.
type figure struct{ Loc, Subject string }

func (b *Browser) AddFigure(subject string) figure {
	b.t.Helper()
	f := ValidFigure()
	f.Set("subject", subject)
	return figure{Loc: b.CreateFigure(f), Subject: subject}
}

// Sees reports whether the public figures page, searched for its
// Subject, lists the figure (the search box repeats the subject: look
// for the row).
func (b *Browser) Sees(fig figure) bool {
	b.t.Helper()
	code, body := b.Get("/figures?q=" + url.QueryEscape(fig.Subject))
	if code != http.StatusOK {
		b.t.Fatalf("figures page: %d", code)
	}
	return strings.Contains(body, `id="fig-`+strings.TrimPrefix(fig.Loc, "/admin/figures/")+`"`)
}

var (
	ImportToken  = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)
	ImportDigest = regexp.MustCompile(`name="digest" value="([0-9a-f]+)"`)
)

var VersionField = regexp.MustCompile(`name="version" value="(\d+)"`)
