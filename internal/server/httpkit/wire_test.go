package httpkit_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/web"
)

// Page weight of the performance targets, in bytes as they cross
// the network: status lines, headers, chunk framing and bodies.
const (
	firstVisitLimit  = 250_000
	repeatVisitLimit = 20_000
)

// browserHeaders are what Chromium sends with a navigation.
var browserHeaders = map[string]string{
	"Accept":          "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	"Accept-Encoding": "gzip, deflate, br, zstd",
	"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.8",
	"User-Agent":      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
}

// wire is an HTTP client that counts the bytes it reads from the network
// and, like a browser's cache, keeps what it was given.
type wire struct {
	t      *testing.T
	client *http.Client
	read   atomic.Int64
	cache  map[string]cached
}

type cached struct {
	etag, cacheControl string
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.n.Add(int64(n))
	return n, err
}

func newWire(t *testing.T) *wire {
	w := &wire{t: t, cache: map[string]cached{}}
	var d net.Dialer
	w.client = &http.Client{Transport: &http.Transport{
		// The body is read as sent: gzip stays gzip.
		DisableCompression: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countingConn{c, &w.read}, nil
		},
	}}
	return w
}

// Get fetches url as a browser would, conditionally when the cache holds
// a validator. It returns the response and its body, decoded.
func (w *wire) get(url string) (*http.Response, []byte) {
	w.t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	for k, v := range browserHeaders {
		req.Header.Set(k, v)
	}
	if c, ok := w.cache[url]; ok && c.etag != "" {
		req.Header.Set("If-None-Match", c.etag)
	}
	before := w.read.Load()
	res, err := w.client.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		w.t.Fatal(err)
	}
	body := raw
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			w.t.Fatalf("GET %s: %v", url, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			w.t.Fatalf("GET %s: %v", url, err)
		}
	}
	if res.StatusCode == http.StatusOK {
		w.cache[url] = cached{etag: res.Header.Get("ETag"), cacheControl: res.Header.Get("Cache-Control")}
	}
	w.t.Logf("  %-72s %d %-4s %7d bytes on the wire (body %d, decoded %d)", strings.TrimPrefix(url, "http://"),
		res.StatusCode, res.Header.Get("Content-Encoding"), w.read.Load()-before, len(raw), len(body))
	return res, body
}

// fresh tells whether a browser would use its copy without asking.
func (c cached) fresh() bool {
	return strings.Contains(c.cacheControl, "immutable") && strings.Contains(c.cacheControl, "max-age=")
}

// subresources are the addresses a page makes the browser load: scripts,
// stylesheets and icons, images.
var subresource = regexp.MustCompile(`<(?:script|img)\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\bhref="([^"]+)"`)

func subresources(page []byte) []string {
	var out []string
	for _, m := range subresource.FindAllSubmatch(page, -1) {
		u := string(m[1]) + string(m[2])
		out = append(out, html.UnescapeString(u))
	}
	return out
}

// TestPageWeight visits / as a first-time browser would, then again with
// its cache, and holds both visits to the limits.
//
//	go test -run TestPageWeight -v ./internal/server/
func TestPageWeight(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(servertest.NewServer(t, pgtest.NewSeededDB(t)))
	t.Cleanup(ts.Close)
	w := newWire(t)

	t.Log("first visit:")
	res, page := w.get(ts.URL + "/")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET / = %d, Content-Encoding %q; want 200, gzip", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	assets := subresources(page)
	if len(assets) < 3 {
		t.Fatalf("the page loads %q; want at least the stylesheet, the icon and the scripts", assets)
	}
	for _, a := range assets {
		if !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") {
			t.Errorf("%s is not on this server", a)
			continue
		}
		if res, _ := w.get(ts.URL + a); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", a, res.StatusCode)
		}
	}
	first := w.read.Load()
	t.Logf("first visit: %d requests, %.1f KB on the wire (limit %.0f KB)", 1+len(assets), kb(first), kb(firstVisitLimit))
	if first > firstVisitLimit {
		t.Errorf("first visit of / weighs %d bytes, limit %d", first, firstVisitLimit)
	}

	t.Log("repeat visit:")
	w.read.Store(0)
	res, _ = w.get(ts.URL + "/")
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("repeat GET / = %d, want 304", res.StatusCode)
	}
	asked := 1
	for _, a := range assets {
		if w.cache[ts.URL+a].fresh() {
			continue // immutable and fresh: the browser does not ask
		}
		asked++
		if res, _ := w.get(ts.URL + a); res.StatusCode != http.StatusNotModified {
			t.Errorf("repeat GET %s = %d, want 304", a, res.StatusCode)
		}
	}
	repeat := w.read.Load()
	t.Logf("repeat visit: %d requests (%d assets fresh in the cache), %.1f KB on the wire (limit %.0f KB)",
		asked, 1+len(assets)-asked, kb(repeat), kb(repeatVisitLimit))
	if repeat > repeatVisitLimit {
		t.Errorf("repeat visit of / weighs %d bytes, limit %d", repeat, repeatVisitLimit)
	}
}

func kb(n int64) float64 { return float64(n) / 1000 }

// fixedDay keeps ETags from changing at midnight during a test.
func fixedDay() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }

// instance is one server process of several sharing a database: its own
// pool, the same build.
func instance(t *testing.T, pool *pgxpool.Pool) *httptest.Server {
	t.Helper()
	own, err := postgres.Connect(t.Context(), pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(own.Close)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.New(own)
	srv, err := server.New(server.Config{Stats: stats.NewService(db), Catalog: catalog, Versions: db,
		Build: "test", Now: fixedDay})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// conditionalGet answers path with If-None-Match set to etag (none if "").
func conditionalGet(t *testing.T, base, path, etag string, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// TestETagFollowsWrites runs two instances on one database: a write made
// through either changes the ETag both answer at once.
func TestETagFollowsWrites(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	one, two := instance(t, pool), instance(t, pool)

	paths := []string{"/", "/?lang=en", "/localities/dien-bien", "/figures?category=rotation", "/sources/1",
		"/api/figures?limit=5", "/export.csv?locality=tien-lang", "/charts/compare-rotated-district-commune.csv"}
	etags := map[string]string{}
	for _, p := range paths {
		res := conditionalGet(t, one.URL, p, "")
		et := res.Header.Get("ETag")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(et, `W/"`) {
			t.Fatalf("GET %s = %d, ETag %q; want 200 and a weak ETag", p, res.StatusCode, et)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", p, cc)
		}
		for q, other := range etags {
			if other == et {
				t.Errorf("%s and %s share the ETag %s", p, q, et)
			}
		}
		etags[p] = et
		// Same build, same data: the other instance agrees.
		if res := conditionalGet(t, two.URL, p, et); res.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s on the second instance with its ETag = %d, want 304", p, res.StatusCode)
		}
	}
	// The language comes from the cookie or Accept-Language too, not only ?lang.
	if res := conditionalGet(t, one.URL, "/", etags["/"], "Accept-Language", "en"); res.StatusCode != http.StatusOK ||
		res.Header.Get("ETag") == etags["/"] {
		t.Errorf("GET / in English with the Vietnamese ETag = %d, ETag %s; want 200 and another", res.StatusCode, res.Header.Get("ETag"))
	}

	if _, err := pool.Exec(t.Context(), `UPDATE figures SET subject = subject || ' (sửa)' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	for _, srv := range []*httptest.Server{one, two} {
		for _, p := range paths {
			res := conditionalGet(t, srv.URL, p, etags[p])
			if res.StatusCode != http.StatusOK || res.Header.Get("ETag") == etags[p] {
				t.Errorf("after a write, GET %s with the old ETag = %d, ETag %s; want 200 and a new ETag",
					p, res.StatusCode, res.Header.Get("ETag"))
			}
		}
	}

	t.Run("errors carry none", func(t *testing.T) {
		for _, p := range []string{"/localities/nowhere", "/api/figures?limit=0", "/export.csv?category=nope", "/healthz"} {
			if res := conditionalGet(t, one.URL, p, ""); res.Header.Get("ETag") != "" {
				t.Errorf("GET %s = %d with ETag %s", p, res.StatusCode, res.Header.Get("ETag"))
			}
		}
	})
}

// fixedVersion is a data version that never changes.
type fixedVersion int64

func (v fixedVersion) DataVersion(context.Context) (int64, error) { return int64(v), nil }

// TestNotModifiedWithoutRendering shows the 304 is answered before the
// handler runs: the second server's database is closed, so rendering
// would fail, yet it answers the current ETag with 304.
func TestNotModifiedWithoutRendering(t *testing.T) {
	t.Parallel()
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	open := pgtest.NewSeededDB(t)
	closed := pgtest.NewSeededDB(t)
	closed.Close()
	mk := func(pool *pgxpool.Pool) *httptest.Server {
		srv, err := server.New(server.Config{Stats: stats.NewService(postgres.New(pool)), Catalog: catalog,
			Versions: fixedVersion(7), Build: "test", Now: fixedDay})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		return ts
	}
	up, down := mk(open), mk(closed)
	et := conditionalGet(t, up.URL, "/localities/dien-bien", "").Header.Get("ETag")
	if et == "" {
		t.Fatal("no ETag")
	}
	if res := conditionalGet(t, down.URL, "/localities/dien-bien", et); res.StatusCode != http.StatusNotModified {
		t.Errorf("GET with the current ETag, database closed = %d, want 304", res.StatusCode)
	}
	if res := conditionalGet(t, down.URL, "/localities/dien-bien", `W/"6-0"`); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET with an old ETag, database closed = %d, want 503 (the handler ran)", res.StatusCode)
	}
}

// recorder is an http.ResponseWriter that keeps what the server writes.
// With keep, it keeps the very slices, to see whether two answers are the
// same bytes; otherwise copies (a gzip writer reuses its buffer).
type recorder struct {
	header http.Header
	code   int
	keep   bool
	writes [][]byte
}

func (r *recorder) Header() http.Header  { return r.header }
func (r *recorder) WriteHeader(code int) { r.code = code }
func (r *recorder) Write(b []byte) (int, error) {
	if !r.keep {
		b = bytes.Clone(b)
	}
	r.writes = append(r.writes, b)
	return len(b), nil
}

func serve(h http.Handler, path string, hdr ...string) *recorder {
	return serveTo(&recorder{header: http.Header{}}, h, path, hdr...)
}

func serveTo(r *recorder, h http.Handler, path string, hdr ...string) *recorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	h.ServeHTTP(r, req)
	return r
}

// bundleURL is the hashed address of the ECharts bundle, from a page.
func bundleURL(t testing.TB, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/about", nil))
	m := regexp.MustCompile(`src="(/static/[0-9a-f]+/vendor/echarts/[^"]+)"`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		// /about draws no chart; every page with charts loads the bundle.
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		m = regexp.MustCompile(`src="(/static/[0-9a-f]+/vendor/echarts/[^"]+)"`).FindStringSubmatch(rec.Body.String())
	}
	if m == nil {
		t.Fatal("no ECharts script on /")
	}
	return m[1]
}

// TestStaticAssets: compressed once at start (every answer is the same
// slice), chosen by Accept-Encoding, cached for a year.
func TestStaticAssets(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	url := bundleURL(t, srv)
	raw, err := fs.ReadFile(web.Static, "static/vendor/echarts/echarts.custom.min.js")
	if err != nil {
		t.Fatal(err)
	}

	keep := func() *recorder { return &recorder{header: http.Header{}, keep: true} }
	one, two := serveTo(keep(), srv, url, "Accept-Encoding", "gzip"), serveTo(keep(), srv, url, "Accept-Encoding", "gzip")
	if len(one.writes) != 1 || len(two.writes) != 1 || &one.writes[0][0] != &two.writes[0][0] {
		t.Errorf("two answers are not the same bytes: compressed per request (%d and %d writes)", len(one.writes), len(two.writes))
	}
	zr, err := gzip.NewReader(bytes.NewReader(one.writes[0]))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, raw) {
		t.Errorf("the gzip answer decodes to %d bytes, not the %d of the file", len(got), len(raw))
	}
	t.Logf("ECharts bundle: %d bytes, %d gzipped", len(raw), len(one.writes[0]))

	tests := []struct {
		accept string
		gzip   bool
	}{
		{"gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"*", true},
		{"", false},
		{"identity", false},
		{"br", false},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"GZIP", true},
	}
	for _, tt := range tests {
		t.Run("Accept-Encoding "+tt.accept, func(t *testing.T) {
			r := serve(srv, url, "Accept-Encoding", tt.accept)
			if r.code != http.StatusOK {
				t.Fatalf("status %d", r.code)
			}
			h := r.header
			if got := h.Get("Content-Encoding") == "gzip"; got != tt.gzip {
				t.Errorf("gzip = %v, want %v", got, tt.gzip)
			}
			want := len(raw)
			if tt.gzip {
				want = len(one.writes[0])
			}
			if h.Get("Content-Length") != fmt.Sprint(want) || len(r.writes) != 1 || len(r.writes[0]) != want {
				t.Errorf("Content-Length %s, %d writes; want one of %d bytes", h.Get("Content-Length"), len(r.writes), want)
			}
			if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", h.Values("Vary"))
			}
			if cc := h.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q", cc)
			}
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
				t.Errorf("Content-Type %q", ct)
			}
			// The ETag it gave is current.
			if r := serve(srv, url, "Accept-Encoding", tt.accept, "If-None-Match", h.Get("ETag")); r.code != http.StatusNotModified {
				t.Errorf("with If-None-Match %s: %d, want 304", h.Get("ETag"), r.code)
			}
		})
	}

	t.Run("small files stay plain", func(t *testing.T) {
		// The icon is 181 bytes: gzip would not save a tenth.
		page := serve(srv, "/about")
		m := regexp.MustCompile(`href="(/static/[0-9a-f]+/img/favicon.svg)"`).FindSubmatch(bytes.Join(page.writes, nil))
		if m == nil {
			t.Fatal("no icon on /about")
		}
		if r := serve(srv, string(m[1]), "Accept-Encoding", "gzip"); r.code != 200 || r.header.Get("Content-Encoding") != "" {
			t.Errorf("icon: %d, Content-Encoding %q", r.code, r.header.Get("Content-Encoding"))
		}
	})
}

// TestCompression: pages, API answers and CSV exports are gzipped for
// clients that accept it, the same bytes once decoded; small answers, XLSX
// and clients that refuse gzip get them plain.
func TestCompression(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	tests := []struct {
		path, accept string
		gzip         bool
	}{
		{"/", "gzip", true},
		{"/", "gzip;q=0, identity", false},
		{"/", "br", false},
		{"/", "*", true},
		{"/localities/tien-lang?lang=en", "gzip, br", true},
		{"/figures", "gzip", true},
		{"/api/figures", "gzip", true},
		{"/export.csv", "gzip", true},
		{"/charts/coverage.csv", "gzip", false},                         // counts per period, 750 bytes: under one packet
		{"/charts/compare-rotated-district-commune.csv", "gzip", false}, // 789 bytes: under one packet
		{"/export.xlsx", "gzip", false},                                 // a zip already
		{"/healthz", "gzip", false},                                     // two bytes
		{"/localities/nowhere", "gzip", false},                          // a short error page
		{"/api/figures?limit=0", "gzip", false},                         // a short JSON error
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			plain := serve(srv, tt.path)
			r := serve(srv, tt.path, "Accept-Encoding", tt.accept)
			if r.code != plain.code {
				t.Fatalf("status %d, plain %d", r.code, plain.code)
			}
			body := bytes.Join(r.writes, nil)
			if got := r.header.Get("Content-Encoding") == "gzip"; got != tt.gzip {
				t.Fatalf("gzip = %v, want %v (%d bytes, %s)", got, tt.gzip, len(body), r.header.Get("Content-Type"))
			}
			if !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", r.header.Values("Vary"))
			}
			if tt.gzip {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatalf("gzip stream: %v", err)
				}
				if r.header.Get("Content-Length") != "" {
					t.Errorf("Content-Length %s on a gzip stream", r.header.Get("Content-Length"))
				}
			}
			if want := bytes.Join(plain.writes, nil); !bytes.Equal(body, want) && !strings.HasSuffix(tt.path, ".xlsx") {
				t.Errorf("decoded answer differs from the plain one (%d and %d bytes)", len(body), len(want))
			}
		})
	}
}

// BenchmarkStatic serves the ECharts bundle gzipped as the server does it
// (compressed once at start) and as middleware.Gzip did before (on every
// request): requests per second are 1e9 / ns/op.
func BenchmarkStatic(b *testing.B) {
	srv := servertest.NewServer(b, pgtest.NewSeededDB(b))
	url := bundleURL(b, srv)
	b.Run("compressed once", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if r := serveTo(&recorder{header: http.Header{}, keep: true}, srv, url, "Accept-Encoding", "gzip"); r.code != http.StatusOK {
				b.Fatal(r.code)
			}
		}
	})
	b.Run("compressed per request", func(b *testing.B) {
		raw, err := fs.ReadFile(web.Static, "static/vendor/echarts/echarts.custom.min.js")
		if err != nil {
			b.Fatal(err)
		}
		e := echo.New()
		e.GET("/*", func(c echo.Context) error { return c.Blob(http.StatusOK, "text/javascript", raw) }, middleware.Gzip())
		b.ReportAllocs()
		for b.Loop() {
			if r := serveTo(&recorder{header: http.Header{}, keep: true}, e, "/x.js", "Accept-Encoding", "gzip"); r.code != http.StatusOK {
				b.Fatal(r.code)
			}
		}
	})
}

// BenchmarkRevisit is a repeat visit of the overview: the version query
// and a 304, against BenchmarkOverview's full render.
func BenchmarkRevisit(b *testing.B) {
	srv := servertest.NewServer(b, pgtest.NewSeededDB(b))
	et := serve(srv, "/").header.Get("ETag")
	b.ReportAllocs()
	for b.Loop() {
		if r := serve(srv, "/", "If-None-Match", et); r.code != http.StatusNotModified {
			b.Fatal(r.code)
		}
	}
}

// BenchmarkExportCSVGzip is BenchmarkExportCSV for a client that accepts
// gzip: BestSpeed as the rows stream, memory as flat as without it.
func BenchmarkExportCSVGzip(b *testing.B) {
	for _, enc := range []string{"identity", "gzip"} {
		b.Run("rows=20000/"+enc, func(b *testing.B) {
			const n = 20_000
			pool := pgtest.NewSeededDB(b)
			_, err := pool.Exec(b.Context(), `INSERT INTO figures (locality_id, category, subject, value, unit,
					qualifier, denominator, period_start, period_end, term_id, from_level, to_level, source_id, quote)
				SELECT f.locality_id, f.category, f.subject || ' #' || g, f.value, f.unit, f.qualifier, f.denominator,
					f.period_start, f.period_end, f.term_id, f.from_level, f.to_level, f.source_id, f.quote
				FROM generate_series(1, $1::int) g JOIN figures f ON f.id = 1 + g % 50`, n-50)
			if err != nil {
				b.Fatal(err)
			}
			srv := servertest.NewServer(b, pool)
			get := func() int64 {
				w := &servertest.Discard{}
				req := httptest.NewRequest(http.MethodGet, "/export.csv", nil)
				req.Header.Set("Accept-Encoding", enc)
				srv.ServeHTTP(w, req)
				if w.N == 0 || (w.Header().Get("Content-Encoding") == "gzip") != (enc == "gzip") {
					b.Fatalf("%d bytes, Content-Encoding %q", w.N, w.Header().Get("Content-Encoding"))
				}
				return w.N
			}
			get()
			peakLive, _ := servertest.PeakMemory(func() { get() })
			var size int64
			for b.Loop() {
				size = get()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(peakLive), "peak-live-B")
			b.ReportMetric(float64(size), "resp-B")
		})
	}
}
