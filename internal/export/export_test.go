package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// The contract of the foundation issue: these names in this order.
func TestColumns(t *testing.T) {
	want := []string{
		"id", "locality", "locality_level", "province", "category", "subject", "value", "unit", "qualifier",
		"period_start", "period_end", "term", "source_title", "source_outlet", "source_published", "quote",
		"locality_slug", "source_key", "denominator", "from_level", "to_level", "parent_id", "measure",
		"indicator", "completeness", "rank", "rank_reason", "target", "scope", "sub_units_id", "base_id",
	}
	if !slices.Equal(export.Columns, want) {
		t.Errorf("Columns = %v, want %v", export.Columns, want)
	}
}

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"trưởng phòng", "trưởng phòng"},
		{"=1+1", "'=1+1"},
		{"+84", "'+84"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"|cmd", "'|cmd"},
		{"%x", "'%x"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{`  "=1`, `'  "=1`},
		{"'=1", "''=1"},
		{"", ""},
		{"  ", "  "},
		{"a=1", "a=1"},
	}
	for _, tt := range tests {
		if got := export.Neutralize(tt.in); got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func figure(subject string) stats.Figure {
	den := 17.0
	parent, units := int64(3), int64(51)
	return stats.Figure{
		ID:          7,
		Locality:    stats.Locality{Slug: "song-lo", Name: "Sông Lô", Level: stats.LevelDistrict, ProvinceName: "Vĩnh Phúc"},
		Category:    stats.Category{Code: "rotation", Measure: stats.Flow},
		Subject:     subject,
		Value:       62.5,
		Unit:        "percent",
		Qualifier:   "exact",
		Denominator: &den,
		PeriodStart: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC),
		PeriodEnd:   time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC),
		Term:        &stats.Term{Key: "nk-2015-2020", Kind: "congress", StartYear: 2015, EndYear: 2020},
		FromLevel:   stats.LevelProvince,
		ToLevel:     stats.LevelCommune,
		ParentID:    &parent,
		Source: stats.Source{ID: 2, Key: "song-lo-2020-10-28", Title: "=Tiêu đề", Outlet: "Báo Vĩnh Phúc",
			PublishedOn: time.Date(2020, 10, 28, 0, 0, 0, 0, time.UTC), URL: "https://example.org/a"},
		Quote:        "câu \"gốc\"\nhai dòng",
		Indicator:    &stats.Indicator{Key: "women-leaders-share", Unit: "percent", Measure: stats.Stock},
		Completeness: stats.Part,
		Rank:         stats.RankPreferred,
		RankReason:   "=bài sau sửa số",
		Scope:        stats.ScopeSubUnits,
		SubUnitsID:   &units,
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	w, err := export.NewCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(figure("@x")); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"7", "Sông Lô", "district", "Vĩnh Phúc", "rotation", "'@x", "62.5", "percent", "exact",
		"2015-01-01", "2020-12-31", "nk-2015-2020", "'=Tiêu đề", "Báo Vĩnh Phúc", "2020-10-28", "câu \"gốc\"\nhai dòng",
		"song-lo", "song-lo-2020-10-28", "17", "province", "commune", "3", "stock",
		"women-leaders-share", "part", "preferred", "'=bài sau sửa số", "false", "sub_units", "51", ""}
	if len(recs) != 2 || !slices.Equal(recs[1], want) {
		t.Errorf("rows %q, want header and %q", recs, want)
	}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	w, err := export.NewXLSX(&buf, export.XLSXOptions{FiguresSheet: "Số liệu", SourcesSheet: "Nguồn", DateFormat: "dd/mm/yyyy"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"=1+1", "b"} {
		if err := w.Write(figure(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Số liệu", "Nguồn"}) {
		t.Errorf("sheets %q", got)
	}
	rows, err := f.GetRows("Số liệu")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !slices.Equal(rows[0], export.Columns) || rows[1][5] != "=1+1" || rows[1][9] != "01/01/2015" ||
		rows[2][6] != "62.5" || rows[1][15] != "câu \"gốc\"\nhai dòng" {
		t.Errorf("rows %q", rows)
	}
	if formula, _ := f.GetCellFormula("Số liệu", "F2"); formula != "" {
		t.Errorf("F2 has formula %q, want text", formula)
	}
	// Numbers are numbers and dates dates, not text that looks like them.
	// (A cell without a type is a number.)
	for cell, want := range map[string]excelize.CellType{"A2": excelize.CellTypeUnset, "G2": excelize.CellTypeUnset,
		"J2": excelize.CellTypeUnset, "F2": excelize.CellTypeInlineString, "AB2": excelize.CellTypeBool} {
		if got, err := f.GetCellType("Số liệu", cell); err != nil || got != want {
			t.Errorf("%s is of type %v (%v), want %v", cell, got, err, want)
		}
	}
	if v, _ := f.GetCellValue("Số liệu", "J2", excelize.Options{RawCellValue: true}); v != "42005" {
		t.Errorf("1 January 2015 is stored as %q, want Excel's day 42005", v)
	}
	if panes, err := f.GetPanes("Số liệu"); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("the header row is not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth("Số liệu", "P"); w != 80 {
		t.Errorf("the quote column is %g wide, want 80", w)
	}
	src, err := f.GetRows("Nguồn")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"song-lo-2020-10-28", "=Tiêu đề", "Báo Vĩnh Phúc", "", "28/10/2020", "https://example.org/a", "2"}
	if len(src) != 2 || !slices.Equal(src[1], want) {
		t.Errorf("sources %q, want header and %q", src, want)
	}
	if err := w.Flush(); err == nil {
		t.Error("second Flush succeeded")
	}
}

// workbook writes figs as a workbook, checks that every part is XML and
// opens it as a spreadsheet would.
func workbook(t *testing.T, opts export.XLSXOptions, figs []stats.Figure) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	w, err := export.NewXLSX(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if err := w.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("%d figures: %v", len(figs), err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// wellFormed parses every XML part of a workbook.
func wellFormed(t *testing.T, file []byte) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range z.File {
		r, err := part.Open()
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(r)
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s is not well-formed XML: %v", part.Name, err)
				break
			}
		}
		r.Close()
	}
}

// Whatever a person typed comes back from the workbook as typed:
// characters XML cannot hold, what looks like Excel's own escapes,
// markup, line ends.
func TestXLSXTextAsTyped(t *testing.T) {
	texts := []string{"<b>Tô & Lê</b>", "_x0041_ không phải A", "tab\tCR\r\nLF", "điều khiển \x01\x1f", "  hai đầu có dấu cách ", "Ð và Đ", "không phải ký tự \uFFFE\uFFFF", "'\"quote\"'"}
	var figs []stats.Figure
	for _, s := range texts {
		figs = append(figs, figure(s))
	}
	f := workbook(t, export.XLSXOptions{FiguresSheet: "Figures", SourcesSheet: "Sources"}, figs)
	rows, err := f.GetRows("Figures")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range texts {
		if got := rows[i+1][5]; got != s {
			t.Errorf("subject %q reads back as %q", s, got)
		}
	}
}

// A sheet holds what Excel can; the rest continues on the next sheet,
// each with its header, and an export without figures still opens.
func TestXLSXSheetsContinue(t *testing.T) {
	for _, n := range []int{0, 1, 5} {
		var figs []stats.Figure
		for i := range n {
			fig := figure("s" + strconv.Itoa(i))
			fig.ID = int64(i + 1)
			figs = append(figs, fig)
		}
		f := workbook(t, export.XLSXOptions{FiguresSheet: "Số liệu", SourcesSheet: "Nguồn", RowsPerSheet: 2}, figs)
		want := map[int][]string{0: {"Số liệu", "Nguồn"}, 1: {"Số liệu", "Nguồn"}, 5: {"Số liệu", "Số liệu (2)", "Số liệu (3)", "Nguồn"}}[n]
		if got := f.GetSheetList(); !slices.Equal(got, want) {
			t.Errorf("%d figures: sheets %q, want %q", n, got, want)
		}
		var ids []string
		for _, sheet := range want[:len(want)-1] {
			rows, err := f.GetRows(sheet)
			if err != nil || len(rows) == 0 || rows[0][0] != "id" {
				t.Errorf("%d figures: sheet %q has no header: %q %v", n, sheet, rows, err)
				continue
			}
			for _, r := range rows[1:] {
				ids = append(ids, r[0])
			}
		}
		if got, wantIDs := strings.Join(ids, ","), map[int]string{0: "", 1: "1", 5: "1,2,3,4,5"}[n]; got != wantIDs {
			t.Errorf("%d figures: ids %q, want %q", n, got, wantIDs)
		}
		src, _ := f.GetRows("Nguồn")
		if wantRows := min(n, 1) + 1; len(src) != wantRows {
			t.Errorf("%d figures: %d rows of sources, want %d", n, len(src), wantRows)
		}
	}
	if _, err := export.NewXLSX(io.Discard, export.XLSXOptions{FiguresSheet: "a/b", SourcesSheet: "c"}); err == nil {
		t.Error("a sheet named a/b was accepted")
	}
}

// jsonSubject writes a figure with the given subject through the JSON
// writer and reads the subject back.
func jsonSubject(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := export.NewJSON(&buf, export.Page{Total: 1, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(figure(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Figures []struct {
			Subject string `json:"subject"`
		} `json:"figures"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("subject %q gives invalid JSON: %v\n%s", s, err, buf.Bytes())
	}
	if strings.ContainsAny(buf.String(), "<>&\u2028\u2029") {
		t.Errorf("subject %q: HTML-sensitive characters left unescaped: %s", s, buf.Bytes())
	}
	return got.Figures[0].Subject
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	w, err := export.NewJSON(&buf, export.Page{Total: 9, Limit: 2, Offset: 4})
	if err != nil {
		t.Fatal(err)
	}
	f := figure("x")
	f.Term, f.Denominator, f.ParentID, f.FromLevel, f.ToLevel, f.Source.URL = nil, nil, nil, "", "", ""
	for range 2 {
		if err := w.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Total, Limit, Offset int
		Figures              []map[string]any
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.Bytes())
	}
	if got.Total != 9 || got.Limit != 2 || got.Offset != 4 || len(got.Figures) != 2 {
		t.Fatalf("page %+v", got)
	}
	fig := got.Figures[0]
	for _, k := range []string{"term", "denominator", "parent_id", "from_level", "to_level"} {
		if v, ok := fig[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	if fig["value"] != 62.5 || fig["id"] != 7.0 || fig["period_start"] != "2015-01-01" {
		t.Errorf("value %v, id %v, period_start %v", fig["value"], fig["id"], fig["period_start"])
	}
	period := fig["period"].(map[string]any)
	if period["years"] != 6.0 || period["label"] != "2015–2020" {
		t.Errorf("period %v: without a term, 2015–2020 is six calendar years", period)
	}
	if src := fig["source"].(map[string]any); src["url"] != nil || src["author"] != nil || src["title"] != "=Tiêu đề" {
		t.Errorf("source %v", src)
	}

	for _, s := range []string{"plain", `"quoted" \ back`, "tab\tnew\nline\r\x00\x1f", "<script>&amp;</script>",
		"Điện Biên", "line\u2028sep\u2029", "bad \xff utf8 \xe2\x82", "emoji 😀"} {
		want := s
		if b, err := json.Marshal(s); err == nil {
			_ = json.Unmarshal(b, &want) // encoding/json's reading of invalid UTF-8
		}
		if got := jsonSubject(t, s); got != want {
			t.Errorf("subject %q reads back as %q, want %q", s, got, want)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "a", "\"\\", "<>&", "\u2028", "\xff", "Sông Lô"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want string
		b, _ := json.Marshal(s)
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if got := jsonSubject(t, s); got != want {
			t.Errorf("%q reads back as %q, want %q", s, got, want)
		}
	})
}

// TestOneNamePerField: every field of a figure input is an export column
// of the same name (forms, imports, errors and history use these names).
func TestOneNamePerField(t *testing.T) {
	for _, f := range stats.FigureFields {
		if !slices.Contains(export.Columns, f.Name) {
			t.Errorf("field %q is not an export column", f.Name)
		}
	}
}

// failAfter is a client that goes away after n bytes.
type failAfter struct{ n int }

func (w *failAfter) Write(b []byte) (int, error) {
	if w.n -= len(b); w.n < 0 {
		return 0, errors.New("connection reset")
	}
	return len(b), nil
}

// A client that leaves mid-download stops the workbook: the writer says
// so instead of compressing the rest for nobody.
func TestXLSXStopsWhenTheClientLeaves(t *testing.T) {
	w, err := export.NewXLSX(&failAfter{n: 64 << 10}, export.XLSXOptions{FiguresSheet: "Số liệu", SourcesSheet: "Nguồn"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	f := figure("một số liệu")
	for i := range 200_000 {
		f.ID = int64(i)
		if err = w.Write(f); err != nil {
			break
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("writing to a client that left: %v, want its error", err)
	}
}
