package public_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Điện Biên's article gives four directions of rotation (19 + 4 + 85 +
// 13 = 121) and totals of 126 and 164 without saying which the directions
// make up: one notice names the sum and both totals with their sentences,
// and never calls the directions parts.
func TestLocalityNamesMovesThatMatchNoTotal(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	for _, tt := range []struct{ lang, sum string }{{"vi", "cộng lại là 121"}, {"en", "add up to 121"}} {
		_, body, _ := servertest.Get(t, srv, "/localities/dien-bien?lang="+tt.lang)
		var notice string
		for _, li := range regexp.MustCompile(`(?s)<li>(.*?)</li>`).FindAllStringSubmatch(body, -1) {
			if strings.Contains(li[1], tt.sum) {
				notice = li[1]
			}
		}
		if notice == "" {
			t.Fatalf("%s: no notice with %q", tt.lang, tt.sum)
		}
		for _, w := range []string{"19 (“cấp tỉnh luân chuyển về huyện 19 đồng chí”)", "85 (“Cấp huyện thực hiện luân chuyển 85 đồng chí từ huyện về xã”)",
			"126 (“Trong đó, luân chuyển dọc 126 đồng chí”)", "164 (“Từ năm 2010 đến nay, toàn tỉnh có 164 đồng chí được luân chuyển.”)"} {
			if !strings.Contains(notice, w) {
				t.Errorf("%s notice %q lacks %q", tt.lang, notice, w)
			}
		}
	}
	// Sông Lô's directions come with no total: nothing to name.
	if _, body, _ := servertest.Get(t, srv, "/localities/song-lo"); strings.Contains(body, "cộng lại là") {
		t.Errorf("/localities/song-lo names a gap it has no total for")
	}
}

func TestPagesSeeded(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	tests := []struct {
		path string
		want []string
		not  []string
	}{
		// One chart per indicator two localities share, never one per category.
		{"/", []string{"Sông Lô", "Móng Cái", "Tiên Lãng", "Quảng Bình", "Điện Biên", "không có số liệu", "164",
			"chart-coverage", "chart-compare-rotated-district-commune", "chart-compare-sent-senior-political-theory",
			"Số liệu không so sánh được", "ít nhất 15", "20 lượt", ">62%<",
			// One line names the categories nothing is compared in.
			"trong các nhóm: “Bổ nhiệm, đề bạt”, “Đưa ra khỏi quy hoạch”"},
			[]string{"chart-compare-rotation\"", "chart-compare-appointment", "Con số nổi bật", "% %"}},
		{"/?lang=en", []string{"no data", "Cadres rotated: district → commune", "lang=\"en\""}, []string{"không có số liệu"}},
		{"/localities/dien-bien", []string{"164", "126", "chart-flows-rotated", "phần của: 164"}, nil},
		{"/localities/tien-lang", []string{"hơn 7.200", "1.700", "318", "610", "161", "chart-workforce-share-22",
			"chart-evaluation-parts-32", "chart-series-higher-managed-rated-excellent", "Nay thuộc thành phố Hải Phòng",
			"bối cảnh"}, nil},
		{"/localities/tien-lang?lang=en", []string{"more than 7,200", "1,700", "context"}, []string{"7.200"}},
		{"/localities/song-lo", []string{"Nay thuộc tỉnh Phú Thọ", "chart-flows-transferred", "chart-flows-rotated", "4/17",
			"chart-series-non-local-secretaries"}, nil},
		{"/localities/mong-cai", []string{"ít nhất 84", "Cán bộ được cử đi học cao cấp lý luận chính trị"}, []string{"chart-planning"}},
		// Hải Phòng merged into a new Hải Phòng, not into itself.
		{"/localities/hai-phong", []string{"hợp nhất thành thành phố Hải Phòng mới"}, []string{"Nay thuộc thành phố Hải Phòng"}},
		{"/localities/trung-uong", []string{"Chưa có nguồn nào."}, []string{"Nguồn: không có số liệu", "sources-link"}},
		{"/localities/song-lo?lang=en", []string{`href="/sources?locality=song-lo">Sources about this locality`}, nil},
		{"/localities/quang-binh", []string{"Nay thuộc tỉnh Quảng Trị", "Tỷ lệ cán bộ trẻ", "chưa có đột phá lớn"}, nil},
		// The term filter offers only terms some figure is tagged with.
		{"/figures", []string{"51 số liệu", "aria-sort", `value="nk-2015-2020"`, "<h1>Tất cả số liệu</h1>"}, []string{`value="nk-2010-2015"`, "đang áp dụng"}},
		{"/figures?term=nk-2010-2015", []string{"0 số liệu", `value="nk-2010-2015" selected`}, nil},
		{"/figures?locality=dien-bien&sort=value&dir=desc", []string{"7 số liệu", "164", "phần của: 164"}, nil},
		// A search says so in the heading, and the folded form says how many filters are on.
		{"/figures?q=luan+chuyen", []string{"8 số liệu", "<h1>Kết quả tìm “luan chuyen”</h1>", "1 bộ lọc đang áp dụng"}, []string{"<h1>Tất cả số liệu"}},
		{"/figures?locality=dien-bien&category=rotation", []string{"<h1>Số liệu đã lọc</h1>", "2 bộ lọc đang áp dụng"}, nil},
		{"/figures?q=lu%C3%A2n+chuy%E1%BB%83n", []string{"8 số liệu"}, nil},
		{"/sources", []string{"Báo Quảng Ninh", "Mạnh Trường", "15/02/2020"}, nil},
		{"/about", []string{"Đưa ra khỏi quy hoạch", "2025", `id="scope"`, "tổng các đơn vị trực thuộc", "trên 100 cán bộ thuộc diện quản lý",
			"Gói dữ liệu mở", `href="/datapackage.json"`, "Creative Commons Ghi công 4.0"}, nil},
		{"/about?lang=en", []string{"Scope and denominators", "per sub-unit", "never drawn raw",
			"Open data package", `href="/datapackage.json"`, "Creative Commons Attribution 4.0"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body, _ := servertest.Get(t, srv, tt.path)
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
	srv := servertest.NewServer(t, pgtest.NewDB(t))
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
		{"/localities/dien-bien", http.StatusNotFound, "Không tìm thấy trang"},
		{"/sources/1", http.StatusNotFound, "Không tìm thấy trang"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body, _ := servertest.Get(t, srv, tt.path)
			if code != tt.code || !strings.Contains(body, tt.want) {
				t.Errorf("GET %s = %d, want %d with %q\n%s", tt.path, code, tt.code, tt.want, body)
			}
		})
	}
}

func TestPageErrors(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
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
		{"/figures?after=not-a-cursor", http.StatusBadRequest, "Liên kết phân trang không hợp lệ"},
		{"/figures?sort=value&after=" + stats.CursorOf(stats.Figure{ID: 3}, "", false).String(), http.StatusBadRequest, "cách sắp xếp khác"},
		{"/figures?sort=quote", http.StatusBadRequest, "sort"},
		// A malformed date shows the form again, the error beside its field, in the page's language.
		{"/?from=20x9", http.StatusBadRequest, "Không đọc được ngày “20x9”"},
		{"/?from=20x9", http.StatusBadRequest, `id="f-from" name="from" inputmode="numeric" placeholder="2015 hoặc 28/10/2020" value="20x9"`},
		{"/figures?to=abc&lang=en", http.StatusBadRequest, "Cannot read the date “abc”"},
		{"/figures?to=abc&q=x", http.StatusBadRequest, `name="q" type="search" maxlength="200" value="x"`},
		{"/figures?from=28/10/2020", http.StatusOK, "số liệu"}, // dates as Vietnamese pages write them
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body, _ := servertest.Get(t, srv, tt.path)
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
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	rows := func(path string) [][]string {
		t.Helper()
		code, body, h := servertest.Get(t, srv, path)
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

	// By default Điện Biên's 85, a sum over its ten district committees
	// over 8.8 years, is set beside Sông Lô's own 4 over its five-year term per
	// district and per year, naming the figure that counts the districts.
	recs := rows("/charts/compare-rotated-district-commune.csv")
	if got := find(recs, "Điện Biên"); got[3] != "0.97" || got[4] != "85" || got[5] != "8.8" || got[14] != "sub_units" ||
		got[15] != "10" || got[18] != "51" || got[8] != "2010-01-01" || got[9] != "2018-10-03" || got[12] != "province" {
		t.Errorf("Điện Biên row = %q, want 85 ÷ 10 districts ÷ 8.8 years = 0.97 over 2010-01-01–2018-10-03, a province", got)
	}
	if got := find(recs, "Sông Lô"); got[3] != "0.8" || got[14] != "own" || got[15] != "" {
		t.Errorf("Sông Lô row = %q, want its own 4 ÷ 5 years of the term = 0.8", got)
	}
	recs = rows("/charts/compare-rotated-district-commune.csv?per=reported&base=reported")
	if got := find(recs, "Điện Biên"); got[3] != "85" || got[4] != "" || got[14] != "sub_units" {
		t.Errorf("as reported: Điện Biên row = %q, want 85, a sum over sub-units", got)
	}
	if got := find(recs, "Quảng Bình"); got[3] != "" {
		t.Errorf("Quảng Bình row = %q, want an empty value (no data, not 0)", got)
	}
	for _, r := range recs[1:] {
		if r[3] != "" && r[6] != "persons" {
			t.Errorf("row %q: a comparison's CSV carries its unit", r)
		}
	}
	recs = rows("/charts/compare-rotated-district-commune.csv?per=year&base=reported")
	if got := find(recs, "Điện Biên"); got[3] != "9.7" || got[4] != "85" || got[5] != "8.8" {
		t.Errorf("per year: Điện Biên row = %q, want 9.7 = 85 / 8.8", got)
	}
	recs = rows("/charts/compare-sent-senior-political-theory.csv")
	if got := find(recs, "Móng Cái"); got[3] != "15" || got[13] != "lower_bound" {
		t.Errorf("Móng Cái row = %q, want 15 marked as a lower bound", got)
	}
	// From 2016, Tiên Lãng's 2011–2015 training leaves the comparison: no chart.
	if code, _, _ := servertest.Get(t, srv, "/charts/compare-sent-senior-political-theory.csv?from=2016"); code != http.StatusNotFound {
		t.Errorf("from=2016: the comparison still has two localities (%d)", code)
	}
	recs = rows("/localities/dien-bien/charts/flows-rotated.csv")
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
	srv := servertest.NewServer(t, pool)
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
	_, body, _ := servertest.Get(t, srv, "/localities/dien-bien")
	if !strings.Contains(body, evil) {
		t.Errorf("the hostile subject is not shown as text")
	}
	_, csvBody, _ := servertest.Get(t, srv, "/localities/dien-bien/charts/flows-rotated.csv")
	if !strings.Contains(csvBody, `'=1+2`) {
		t.Errorf("chart CSV: formula not neutralised:\n%s", csvBody)
	}
}

func BenchmarkOverview(b *testing.B) { benchmarkPage(b, "/") }

func BenchmarkLocalityPage(b *testing.B) { benchmarkPage(b, "/localities/tien-lang") }

// BenchmarkHeavyLocalityPage renders the largest locality of 100.000
// synthetic figures (Điện Biên, a tenth of them): the page whose render
// cost the national benchmark found above its SQL (issue 20).
func BenchmarkHeavyLocalityPage(b *testing.B) {
	benchmarkPageOn(b, pgtest.NewSyntheticDB(b, 100_000), "/localities/dien-bien")
}

func benchmarkPage(b *testing.B, path string) { benchmarkPageOn(b, pgtest.NewSeededDB(b), path) }

func benchmarkPageOn(b *testing.B, pool *pgxpool.Pool, path string) {
	srv := servertest.NewServer(b, pool)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Cache-Control", "no-cache") // rendered every time, not the page cache's copy
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", path, rec.Code)
		}
	}
}

// TestConflictingSources: two articles give Móng Cái's 2019 senior-course
// Count differently. Both stay; the comparison uses the preferred value
// (else the latest source's) and says another exists; the locality page
// lists both with their sources.
func TestConflictingSources(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	for _, sql := range []string{
		`INSERT INTO sources (key, title, outlet, published_on) VALUES ('mong-cai-2020-06-01', 'Móng Cái tổng kết', 'Báo Thử', '2020-06-01')`,
		`INSERT INTO figures (locality_id, category, indicator_id, subject, value, unit, period_start, period_end, source_id, quote, completeness)
		 SELECT l.id, 'training', i.id, 'lớp cao cấp lý luận chính trị', 16, 'persons', '2019-01-01', '2019-12-31', s.id,
		        'năm 2019 có 16 đồng chí học cao cấp lý luận chính trị', 'complete'
		 FROM localities l, indicators i, sources s
		 WHERE l.slug = 'mong-cai' AND i.key = 'sent-senior-political-theory' AND s.key = 'mong-cai-2020-06-01'`,
	} {
		if _, err := pool.Exec(t.Context(), sql); err != nil {
			t.Fatal(err)
		}
	}
	srv := servertest.NewServer(t, pool)
	const csvPath = "/charts/compare-sent-senior-political-theory.csv"
	value := func() string {
		_, body, _ := servertest.Get(t, srv, csvPath)
		for _, line := range strings.Split(body, "\n") {
			if strings.Contains(line, "Móng Cái") {
				return strings.Split(line, ",")[3]
			}
		}
		return ""
	}
	_, page, _ := servertest.Get(t, srv, "/")
	if v := value(); v != "16" || !strings.Contains(page, "Móng Cái: các nguồn cho số khác nhau") {
		t.Errorf("without a preferred value the comparison uses %q (want 16, the latest source) and must say another exists", v)
	}
	_, loc, _ := servertest.Get(t, srv, "/localities/mong-cai")
	if !strings.Contains(loc, "Báo Thử") || !strings.Contains(loc, "Các nguồn cho số khác nhau") {
		t.Error("the locality page does not show both values with their sources")
	}
	if _, err := pool.Exec(t.Context(), `UPDATE figures SET rank = 'preferred', rank_reason = 'bài gốc của Thành ủy'
		WHERE id = 12`); err != nil {
		t.Fatal(err)
	}
	_, page, _ = servertest.Get(t, srv, "/")
	if v := value(); v != "15" || !strings.Contains(page, "giá trị ưu tiên") {
		t.Errorf("with figure 12 preferred the comparison uses %q, want 15 and to say it is preferred", v)
	}
}

// TestEveryComparisonKeepsToOneIndicator reads every chart of the overview
// and of every locality page, in both languages and every mode, as served:
// a comparison or a series draws figures of one indicator in one unit, and
// every drawn bar of a comparison says its unit (the one its subtitle
// names), its locality's level and period, and, when it is a sum over
// sub-units drawn as reported, its scope; a flow compared over periods of
// unequal length is drawn per year unless the reader asked otherwise.
func TestEveryComparisonKeepsToOneIndicator(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	srv := servertest.NewServer(t, pool)
	indicatorOf := map[string]string{} // figure id → indicator key
	unitOf := map[string]string{}
	flow := map[string]bool{} // indicator key → a flow
	rows, err := pool.Query(t.Context(), `SELECT f.id::text, coalesce(i.key, ''), f.unit, coalesce(i.measure, '') = 'flow'
		FROM figures f LEFT JOIN indicators i ON i.id = f.indicator_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, ind, unit string
		var isFlow bool
		if err := rows.Scan(&id, &ind, &unit, &isFlow); err != nil {
			t.Fatal(err)
		}
		indicatorOf[id], unitOf[id], flow[ind] = ind, unit, isFlow
	}
	var slugs []string
	srows, _ := pool.Query(t.Context(), `SELECT slug FROM localities`)
	for srows.Next() {
		var s string
		_ = srows.Scan(&s)
		slugs = append(slugs, s)
	}
	pages := []string{"/"}
	for _, s := range slugs {
		pages = append(pages, "/localities/"+s)
	}
	chartRe := regexp.MustCompile(`id="chart-([a-z0-9-]+)" role="img" aria-label="[^"]*" data-kind="(\w+)" data-indicator="([a-z0-9-]*)"`)
	optsRe := func(id string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)<script type="application/json" id="chart-` + regexp.QuoteMeta(id) + `-options">(.*?)</script>`)
	}
	checked := 0
	for _, base := range pages {
		for _, q := range []string{"?lang=vi", "?lang=en", "?lang=vi&per=year", "?lang=en&per=year",
			"?lang=vi&per=reported&base=reported", "?lang=en&base=unit", "?lang=vi&base=cadres"} {
			code, body, _ := servertest.Get(t, srv, base+q)
			if code != http.StatusOK {
				t.Errorf("GET %s%s = %d", base, q, code)
				continue
			}
			for _, m := range chartRe.FindAllStringSubmatch(body, -1) {
				id, kind, ind := m[1], m[2], m[3]
				if kind != "compare" && kind != "series" && kind != "flows" {
					continue
				}
				checked++
				csvPath := "/charts/" + id + ".csv" + q
				if base != "/" {
					csvPath = base + "/charts/" + id + ".csv" + q
				}
				_, csvBody, _ := servertest.Get(t, srv, csvPath)
				recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\uFEFF"))).ReadAll()
				if err != nil || len(recs) < 2 {
					t.Errorf("%s: chart CSV %v %d rows", csvPath, err, len(recs))
					continue
				}
				units := map[string]bool{}
				for _, r := range recs[1:] {
					for _, fid := range strings.Fields(r[10]) {
						if indicatorOf[fid] != ind {
							t.Errorf("%s%s: chart %s (%s, %s) draws figure %s of indicator %q", base, q, id, kind, ind, fid, indicatorOf[fid])
						}
						units[unitOf[fid]] = true
					}
					if kind == "compare" && r[3] != "" && r[12] == "" {
						t.Errorf("%s%s: chart %s: bar %q has no level", base, q, id, r[1])
					}
				}
				if len(units) > 1 {
					t.Errorf("%s%s: chart %s mixes units %v", base, q, id, units)
				}
				if kind != "compare" {
					continue
				}
				om := optsRe(id).FindStringSubmatch(body)
				if om == nil {
					t.Errorf("%s: no options of chart %s", base, id)
					continue
				}
				var opts struct {
					Title struct {
						Subtext string `json:"subtext"`
					} `json:"title"`
					Series []struct {
						Data []map[string]any `json:"data"`
					} `json:"series"`
					YAxis []struct {
						Data []string `json:"data"`
					} `json:"yAxis"`
				}
				if err := json.Unmarshal([]byte(om[1]), &opts); err != nil {
					t.Fatal(err)
				}
				lang := i18n.VI
				if strings.Contains(q, "lang=en") {
					lang = i18n.EN
				}
				p := catalogFor(t).Printer(lang)
				// "Đơn vị: người/năm · bình quân mỗi năm (…)": the unit every bar says.
				sub := strings.SplitN(opts.Title.Subtext, "\n", 2)[0]
				unit, _, _ := strings.Cut(strings.TrimPrefix(sub, p.T("chart.unit", "")), " · ")
				if unit == "" {
					t.Errorf("%s%s: chart %s names no unit: %q", base, q, id, sub)
				}
				years := map[string]bool{}
				perYear := true
				for _, s := range opts.Series {
					for j, d := range s.Data {
						if _, ok := d["value"].(float64); !ok {
							continue
						}
						rec := recs[1+j]
						label, _ := d["label"].(string)
						if !strings.Contains(label, unit) && !strings.HasSuffix(label, "%") {
							t.Errorf("%s%s: chart %s: bar label %q lacks its unit %q (%q)", base, q, id, label, unit, sub)
						}
						axis := opts.YAxis[0].Data[j]
						if !strings.Contains(axis, "(") || !strings.Contains(axis, "\n") {
							t.Errorf("%s%s: chart %s: axis label %q names no level or no period", base, q, id, axis)
						}
						// A sum over sub-units drawn without dividing by them
						// says so on its bar.
						if scope := rec[14]; scope != "own" && rec[15] == "" && !strings.Contains(axis, p.T("scope."+scope)) {
							t.Errorf("%s%s: chart %s: bar %q is a sum (%s) and does not say so", base, q, id, axis, scope)
						}
						years[rec[9][:4]+rec[8]] = true
						if rec[5] == "" {
							perYear = false
						}
					}
				}
				if kind == "compare" && flow[ind] && len(years) > 1 && !perYear && !strings.Contains(q, "per=reported") &&
					!strings.Contains(sub, p.T("chart.per_year")) {
					t.Errorf("%s%s: chart %s compares a flow over unequal periods as reported (%q)", base, q, id, sub)
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d charts checked: the pages should hold comparisons, series and flows", checked)
	}
}

func catalogFor(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
