package httpkit_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// TestPageCache: a public answer is kept under its ETag and sent again as
// it was (compressed alike); a write changes the ETag, so the next visit
// Sees the new data; answers that set a cookie are never kept.
func TestPageCache(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	srv := servertest.NewServer(t, pool)
	fetch := func(path string, header ...string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		return rec
	}
	a, b := fetch("/figures", "Accept-Encoding", "gzip"), fetch("/figures", "Accept-Encoding", "gzip")
	if a.Body.String() != b.Body.String() || a.Header().Get("ETag") != b.Header().Get("ETag") ||
		b.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("a repeated visit differs: ETag %q / %q, encoding %q", a.Header().Get("ETag"), b.Header().Get("ETag"),
			b.Header().Get("Content-Encoding"))
	}
	if plain := fetch("/figures"); plain.Header().Get("Content-Encoding") != "" || !strings.Contains(plain.Body.String(), "<html") {
		t.Error("a client without gzip got the gzipped answer")
	}
	if _, err := pool.Exec(t.Context(), `UPDATE figures SET subject = 'một tiêu đề vừa sửa' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if c := fetch("/figures"); !strings.Contains(c.Body.String(), "một tiêu đề vừa sửa") {
		t.Error("after a write, the cached page was served")
	}
	for range 2 {
		if c := fetch("/?lang=en"); c.Header().Get("Set-Cookie") == "" {
			t.Error("an answer that sets the language cookie was served from the cache without it")
		}
	}
}
