package server_test

import (
	"encoding/csv"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// newServer serves the public pages over pool, as cmd/cadrestats does.
func newServer(tb testing.TB, pool *pgxpool.Pool) *server.Server {
	tb.Helper()
	catalog, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	db := postgres.New(pool)
	srv, err := server.New(server.Config{Stats: stats.NewService(db), Catalog: catalog, Versions: db})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

// get answers path; lang, when set, is sent as ?lang= would remember it.
func get(tb testing.TB, h http.Handler, path string) (int, string, http.Header) {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	// Unescaped, so that tests read the text a person reads ("19 + 4",
	// which html/template writes as "19 &#43; 4").
	return rec.Code, html.UnescapeString(string(body)), rec.Header()
}

func TestPagesSeeded(t *testing.T) {
	t.Parallel()
	srv := newServer(t, pgtest.NewSeededDB(t))
	tests := []struct {
		path string
		want []string
		not  []string
	}{
		{"/", []string{"Sông Lô", "Móng Cái", "Tiên Lãng", "Quảng Bình", "Điện Biên", "không có số liệu", "164",
			"126", "121", "chart-coverage", "chart-compare-rotation"}, nil},
		{"/?lang=en", []string{"no data", "Rotations and transfers", "lang=\"en\""}, []string{"không có số liệu"}},
		{"/localities/dien-bien", []string{"164", "126", "121", "19 + 4 + 85 + 13", "chart-rotation-flows"}, nil},
		{"/localities/tien-lang", []string{"hơn 7.200", "1.700", "318", "610", "161", "chart-workforce-share-22", "chart-evaluation-parts-32", "Nay thuộc thành phố Hải Phòng"}, nil},
		{"/localities/tien-lang?lang=en", []string{"more than 7,200", "1,700"}, []string{"7.200"}},
		{"/localities/song-lo", []string{"Nay thuộc tỉnh Phú Thọ", "chart-rotation-flows", "4/17"}, nil},
		{"/localities/mong-cai", []string{"chart-planning", "chart-training-persons", "84"}, nil},
		{"/localities/quang-binh", []string{"Nay thuộc tỉnh Quảng Trị", "Tỷ lệ cán bộ trẻ"}, nil},
		{"/figures", []string{"50 số liệu", "aria-sort"}, nil},
		{"/figures?locality=dien-bien&sort=value&dir=desc", []string{"6 số liệu", "164"}, nil},
		{"/sources", []string{"Báo Quảng Ninh", "Mạnh Trường", "15/02/2020"}, nil},
		{"/about", []string{"Đưa ra khỏi quy hoạch", "2025"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body, _ := get(t, srv, tt.path)
			if code != http.StatusOK {
				t.Fatalf("GET %s = %d\n%s", tt.path, code, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: no %q", tt.path, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("GET %s: has %q", tt.path, w)
				}
			}
		})
	}
}

func TestPagesEmptyDatabase(t *testing.T) {
	t.Parallel()
	srv := newServer(t, pgtest.NewDB(t))
	tests := []struct {
		path string
		code int
		want string
	}{
		{"/", http.StatusOK, "Chưa có địa phương nào."},
		{"/?per=year&lang=en", http.StatusOK, "No localities yet."},
		{"/figures", http.StatusOK, "Không có số liệu nào khớp với bộ lọc."},
		{"/figures?q=x&sort=value&dir=desc&page=2", http.StatusOK, "0 số liệu"},
		{"/sources", http.StatusOK, "Chưa có nguồn nào."},
		{"/about", http.StatusOK, "Đưa ra khỏi quy hoạch"}, // categories are schema, not seed
		{"/charts/coverage.csv", http.StatusOK, "chart,label,series,value"},
		{"/charts/compare-rotation.csv", http.StatusOK, "chart,label"},
		{"/localities/dien-bien", http.StatusNotFound, "Không tìm thấy trang"},
		{"/sources/1", http.StatusNotFound, "Không tìm thấy trang"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body, _ := get(t, srv, tt.path)
			if code != tt.code || !strings.Contains(body, tt.want) {
				t.Errorf("GET %s = %d, want %d with %q\n%s", tt.path, code, tt.code, tt.want, body)
			}
		})
	}
}

func TestPageErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t, pgtest.NewSeededDB(t))
	tests := []struct {
		path string
		code int
		want string
	}{
		{"/localities/nope", http.StatusNotFound, "Không tìm thấy trang"},
		{"/localities/nope?lang=en", http.StatusNotFound, "Page not found"},
		{"/sources/999", http.StatusNotFound, "Không tìm thấy trang"},
		{"/sources/abc", http.StatusNotFound, "Không tìm thấy trang"},
		{"/charts/nope.csv", http.StatusNotFound, ""},
		{"/charts/coverage.txt", http.StatusNotFound, ""},
		{"/localities/dien-bien/charts/nope.csv", http.StatusNotFound, ""},
		{"/?locality=nope", http.StatusBadRequest, "Không có địa phương này."},
		{"/?per=week", http.StatusBadRequest, "per"},
		{"/figures?page=0", http.StatusBadRequest, "page"},
		{"/figures?sort=quote", http.StatusBadRequest, "sort"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body, _ := get(t, srv, tt.path)
			if code != tt.code || !strings.Contains(body, tt.want) {
				t.Errorf("GET %s = %d, want %d with %q\n%s", tt.path, code, tt.code, tt.want, body)
			}
		})
	}
}

// TestChartCSV checks that a chart's CSV holds the chart's numbers and
// follows the page's query.
func TestChartCSV(t *testing.T) {
	t.Parallel()
	srv := newServer(t, pgtest.NewSeededDB(t))
	rows := func(path string) [][]string {
		t.Helper()
		code, body, h := get(t, srv, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", path, code, body)
		}
		if ct := h.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", path, ct)
		}
		if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") {
			t.Errorf("GET %s: Content-Disposition %q", path, cd)
		}
		body, ok := strings.CutPrefix(body, "\uFEFF")
		if !ok {
			t.Errorf("GET %s: no byte-order mark", path)
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return recs
	}
	find := func(recs [][]string, label string) []string {
		for _, r := range recs {
			if r[1] == label {
				return r
			}
		}
		t.Fatalf("no row %q in %q", label, recs)
		return nil
	}

	recs := rows("/charts/compare-rotation.csv")
	if got := find(recs, "Điện Biên"); got[3] != "164" || got[8] != "2010-01-01" || got[9] != "2018-10-03" {
		t.Errorf("Điện Biên row = %q, want 164 over 2010-01-01–2018-10-03", got)
	}
	if got := find(recs, "Quảng Bình"); got[3] != "" {
		t.Errorf("Quảng Bình row = %q, want an empty value (no data, not 0)", got)
	}
	recs = rows("/charts/compare-rotation.csv?per=year")
	if got := find(recs, "Điện Biên"); got[3] != "18.6" || got[4] != "164" || got[5] != "8.8" {
		t.Errorf("per year: Điện Biên row = %q, want 18.6 = 164 / 8.8", got)
	}
	recs = rows("/charts/compare-appointment.csv?from=2016")
	if got := find(recs, "Tiên Lãng"); got[3] != "" {
		t.Errorf("from=2016: Tiên Lãng's 2011–2015 appointments still there: %q", got)
	}
	recs = rows("/localities/dien-bien/charts/rotation-flows.csv")
	if len(recs) != 5 || find(recs, "district→commune")[3] != "85" {
		t.Errorf("rotation flows = %q, want the header and 4 moves, 85 district→commune", recs)
	}
}

// TestHostileText puts markup and a formula where editors type text: the
// pages must show it as text, the chart JSON must not end its script
// element, and the chart CSV must not hand a spreadsheet a formula.
func TestHostileText(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	const evil = `=1+2</script><script>alert(1)</script><img src=x onerror=alert(2)>`
	for _, sql := range []string{
		`UPDATE figures SET subject = '` + evil + `', quote = '` + evil + `' WHERE id = 49`,
		`UPDATE sources SET title = '` + evil + `', outlet = '` + evil + `' WHERE key = 'dien-bien-2018-10-03'`,
	} {
		if _, err := pool.Exec(t.Context(), sql); err != nil {
			t.Fatal(err)
		}
	}
	srv := newServer(t, pool)
	for _, path := range []string{"/", "/localities/dien-bien", "/figures?locality=dien-bien", "/sources", "/sources/1", "/sources/2", "/sources/3", "/sources/4", "/sources/5"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", path, rec.Code)
		}
		for _, bad := range []string{"<script>alert", "<img src=x", "</script><script>"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: %q is live markup", path, bad)
			}
		}
	}
	_, body, _ := get(t, srv, "/localities/dien-bien")
	if !strings.Contains(body, evil) {
		t.Errorf("the hostile subject is not shown as text")
	}
	_, csvBody, _ := get(t, srv, "/localities/dien-bien/charts/rotation-flows.csv")
	if !strings.Contains(csvBody, `'=1+2`) {
		t.Errorf("chart CSV: formula not neutralised:\n%s", csvBody)
	}
}

func BenchmarkOverview(b *testing.B) { benchmarkPage(b, "/") }

func BenchmarkLocalityPage(b *testing.B) { benchmarkPage(b, "/localities/tien-lang") }

func benchmarkPage(b *testing.B, path string) {
	srv := newServer(b, pgtest.NewSeededDB(b))
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", path, rec.Code)
		}
	}
}
