package public_test

import (
	"bytes"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// An embed is one chart that other sites may frame: frame-ancestors *
// there and only there, no cookie, the page's chart options, its
// definition, sources and a link back, in the language asked for.
func TestEmbedPages(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	tests := []struct {
		path string
		want []string
	}{
		{"/embed/charts/compare-rotated-district-commune?lang=vi", []string{"Cán bộ được luân chuyển", "Nguồn:",
			`target="_blank"`, `href="/?lang=vi&locality=`, "#chart-compare-rotated-district-commune", `id="chart-compare-rotated-district-commune-options"`,
			"Định nghĩa:", `og:image" content="http://example.com/embed/charts/compare-rotated-district-commune.png?`}},
		{"/embed/charts/compare-rotated-district-commune?lang=en", []string{"Cadres rotated: district → commune", "Sources:", `lang="en"`,
			"See it all on"}},
		{"/embed/localities/dien-bien/charts/flows-rotated?lang=vi", []string{`href="/localities/dien-bien?lang=vi#chart-flows-rotated"`,
			`href="/sources/`, "Nguồn:"}},
		{"/embed/charts/coverage", []string{`id="chart-coverage"`}},
	}
	for _, tt := range tests {
		code, body, h := servertest.Get(t, srv, tt.path)
		if code != http.StatusOK {
			t.Errorf("%s: status %d, want 200", tt.path, code)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tt.path, w)
			}
		}
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors *") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "'none'; frame") {
			t.Errorf("%s: CSP %q, want frame-ancestors * and the rest strict", tt.path, csp)
		}
		if xfo := h.Get("X-Frame-Options"); xfo != "" {
			t.Errorf("%s: X-Frame-Options %q: browsers would refuse the frame", tt.path, xfo)
		}
		if ck := h.Values("Set-Cookie"); len(ck) > 0 {
			t.Errorf("%s sets cookies %q", tt.path, ck)
		}
		if strings.Contains(body, "site-nav") {
			t.Errorf("%s draws the site's navigation", tt.path)
		}
	}
	// Every other page keeps refusing frames.
	for _, path := range []string{"/", "/localities/dien-bien", "/charts/coverage.csv", "/embedx", "/figures"} {
		_, _, h := servertest.Get(t, srv, path)
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: CSP %q, X-Frame-Options %q: want frames refused", path, csp, h.Get("X-Frame-Options"))
		}
	}
}

// The pages offer each chart's embed code: an iframe of the embed with
// the page's query and language, and the listener that sets its height.
func TestEmbedCodeOnPages(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	for _, tt := range []struct{ path, src, image string }{
		{"/?lang=en&per=year", `<iframe src="http://example.com/embed/charts/compare-rotated-district-commune?lang=en&amp;locality=`,
			`<meta property="og:image" content="http://example.com/embed/charts/compare-`},
		{"/localities/dien-bien", `<iframe src="http://example.com/embed/localities/dien-bien/charts/flows-rotated?lang=vi"`,
			`<meta property="og:image" content="http://example.com/embed/localities/dien-bien/charts/`},
	} {
		_, body, _ := servertest.Get(t, srv, tt.path)
		// The textarea holds the code as text: unescaped once, it is the code.
		if !strings.Contains(body, tt.src) {
			t.Errorf("%s: no embed code with %q", tt.path, tt.src)
		}
		if !strings.Contains(body, `"cadrestats:resize"`) || !regexp.MustCompile(`e\.origin!=="http://example\.com"`).MatchString(body) {
			t.Errorf("%s: the embed code lacks the resize listener checking the origin", tt.path)
		}
		if !strings.Contains(body, tt.image) || !strings.Contains(body, `<meta name="twitter:card" content="summary_large_image">`) {
			t.Errorf("%s: no preview image %q", tt.path, tt.image)
		}
	}
}

// An embed is cached like a public page: an ETag from the data's version,
// and 304 for a client that has it.
func TestEmbedRevalidates(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	path := "/embed/charts/compare-rotated-district-commune?lang=vi"
	_, _, h := servertest.Get(t, srv, path)
	etag := h.Get("ETag")
	if etag == "" || h.Get("Cache-Control") != "no-cache" {
		t.Fatalf("%s: ETag %q, Cache-Control %q", path, etag, h.Get("Cache-Control"))
	}
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("%s with its ETag: status %d, want 304", path, rec.Code)
	}
	if ck := rec.Result().Header.Values("Set-Cookie"); len(ck) > 0 {
		t.Errorf("304 sets cookies %q", ck)
	}
}

// A chart that does not exist is 404 in the reader's language; a bad
// parameter is 400, as on the pages.
func TestEmbedErrors(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	for _, tt := range []struct {
		path string
		code int
		want string
	}{
		{"/embed/charts/compare-nothing?lang=vi", http.StatusNotFound, "Không tìm thấy"},
		{"/embed/charts/compare-nothing.png?lang=en", http.StatusNotFound, "not found"},
		{"/embed/localities/dien-bien/charts/nothing?lang=en", http.StatusNotFound, "not found"},
		{"/embed/localities/no-such-place/charts/flows-rotated", http.StatusNotFound, "Không tìm thấy"},
		{"/embed/charts/coverage?per=weekly", http.StatusBadRequest, ""},
		{"/embed/charts/coverage?from=31/02/2020", http.StatusBadRequest, ""},
	} {
		code, body, h := servertest.Get(t, srv, tt.path)
		if code != tt.code {
			t.Errorf("%s: status %d, want %d", tt.path, code, tt.code)
		}
		if tt.want != "" && !strings.Contains(strings.ToLower(body), strings.ToLower(tt.want)) {
			t.Errorf("%s: page lacks %q", tt.path, tt.want)
		}
		if ck := h.Values("Set-Cookie"); len(ck) > 0 {
			t.Errorf("%s sets cookies %q", tt.path, ck)
		}
	}
}

// The image of a chart is a PNG of sensible size, drawn on the server.
func TestEmbedPNG(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	for _, path := range []string{"/embed/charts/compare-rotated-district-commune.png?lang=vi",
		"/embed/charts/compare-sent-senior-political-theory.png?lang=en",
		"/embed/localities/dien-bien/charts/flows-rotated.png", "/embed/localities/tien-lang/charts/evaluation-parts-32.png",
		"/embed/localities/tien-lang/charts/workforce-share-22.png", "/embed/localities/song-lo/charts/series-non-local-secretaries.png"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
			t.Errorf("%s: status %d, %q", path, rec.Code, rec.Header().Get("Content-Type"))
			continue
		}
		img, err := png.Decode(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != 1200 || b.Dy() < 630 || b.Dy() > 4000 {
			t.Errorf("%s: %d×%d, want 1200 wide and 630 to 4000 high", path, b.Dx(), b.Dy())
		}
		if dir := os.Getenv("CHARTIMG_OUT"); dir != "" {
			os.WriteFile(filepath.Join(dir, strings.NewReplacer("/", "_", "?", "_").Replace(path)), rec.Body.Bytes(), 0o644)
		}
		if ck := rec.Result().Header.Values("Set-Cookie"); len(ck) > 0 {
			t.Errorf("%s sets cookies %q", path, ck)
		}
	}
	// The coverage chart draws lanes, not bars: it has no image.
	if code, _, _ := servertest.Get(t, srv, "/embed/charts/coverage.png"); code != http.StatusNotFound {
		t.Errorf("/embed/charts/coverage.png: status %d, want 404", code)
	}
}

// A request naming another Host gets embed codes for that host, but that
// answer is never served, from the page cache, to a request for ours.
func TestEmbedCodeNotPoisonedByHost(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	// "/" without ?lang=, which sets a cookie and is not cached.
	for _, path := range []string{"/", "/embed/charts/compare-rotated-district-commune?lang=vi"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = "evil.example"
		srv.ServeHTTP(httptest.NewRecorder(), req)
		_, body, _ := servertest.Get(t, srv, path)
		if strings.Contains(body, "evil.example") {
			t.Errorf("%s names the host of an earlier request", path)
		}
		if !strings.Contains(body, "http://example.com/embed/charts/compare-rotated-district-commune") {
			t.Errorf("%s lacks the embed's address on our host", path)
		}
	}
}
