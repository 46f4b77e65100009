package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/csvimport"
	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/extract"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// An article written for the test: the seed articles ship beside the
// repository, not in it.
const extractArticle = "Sông Lô: tiếp nhận 5 cán bộ từ tỉnh\n" +
	"Thứ Tư, 28/10/2020\n\n" +
	"Nhiệm kỳ 2015 - 2020, Ban Thường vụ Huyện ủy Sông Lô bổ nhiệm được 8 trưởng phòng, 9 phó trưởng phòng; " +
	"tiếp nhận 5 đồng chí từ cấp tỉnh về huyện theo Quy định số 02-QĐ/HU.\n" +
	"Hiện nay, huyện có 417 cán bộ diện Ban Thường vụ Huyện ủy quản lý, trong đó nữ có 161 đồng chí.\n" +
	"Lượt xem: 3762\n"

// extractRows runs the command and reads its CSV by column name.
func extractRows(t *testing.T, args []string, stdin string) []map[string]string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(t.Context(), append([]string{"extract"}, args...), env(nil), strings.NewReader(stdin), &out, &errOut); err != nil {
		t.Fatalf("extract %q: %v\n%s", args, err, errOut.String())
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("\uFEFFkind,note,")) {
		t.Fatalf("output does not start with the BOM and kind,note: %.60q", out.String())
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if !slices.Equal(recs[0][2:], export.Columns) {
		t.Errorf("header %q, want kind, note and the export's columns %q", recs[0], export.Columns)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func TestExtractCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "article.txt")
	if err := os.WriteFile(path, []byte(extractArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-source", "song-lo-2020-10-28", "-locality", "song-lo", path}
	rows := extractRows(t, args, "")

	var figures, others []map[string]string
	for _, r := range rows {
		switch r["kind"] {
		case "figure":
			figures = append(figures, r)
		case "other":
			others = append(others, r)
		default:
			t.Errorf("row of kind %q", r["kind"])
		}
	}
	want := []map[string]string{
		{"value": "8", "category": "appointment", "indicator": "appointed-division-heads", "unit": "persons",
			"period_start": "2015-01-01", "period_end": "2020-10-28", "term": "nk-2015-2020", "locality": "Sông Lô",
			"locality_level": "district", "province": "Vĩnh Phúc", "source_key": "song-lo-2020-10-28",
			"source_title": "Sông Lô xây dựng đội ngũ cán bộ đáp ứng yêu cầu nhiệm vụ", "source_published": "2020-10-28",
			"quote": "Nhiệm kỳ 2015 - 2020, Ban Thường vụ Huyện ủy Sông Lô bổ nhiệm được 8 trưởng phòng", "completeness": "complete",
			"measure": "flow", "qualifier": "exact", "parent_id": "", "id": ""},
		{"value": "9", "indicator": "appointed-division-deputies", "quote": "bổ nhiệm được 8 trưởng phòng, 9 phó trưởng phòng"},
		{"value": "5", "category": "rotation", "from_level": "province", "to_level": "district",
			"quote": "tiếp nhận 5 đồng chí từ cấp tỉnh về huyện theo Quy định số 02-QĐ/HU."},
		{"value": "417", "category": "workforce", "indicator": "managed-cadres", "period_start": "2020-10-28", "period_end": "2020-10-28", "term": ""},
		{"value": "161", "indicator": "managed-cadres-women", "completeness": "part", "parent_id": "", "note": "part of figure 4 (417)"},
	}
	if len(figures) != len(want) {
		var got []string
		for _, f := range figures {
			got = append(got, f["value"])
		}
		t.Fatalf("figures %q, want %d", got, len(want))
	}
	for i, w := range want {
		for col, v := range w {
			if col != "note" && !slices.Contains(export.Columns, col) {
				continue // a column the export does not have (yet): the command leaves it out too
			}
			if col == "note" {
				if !strings.Contains(figures[i]["note"], v) {
					t.Errorf("figure %d: note %q, want it to say %q", i+1, figures[i]["note"], v)
				}
				continue
			}
			if figures[i][col] != v {
				t.Errorf("figure %d: %s = %q, want %q", i+1, col, figures[i][col], v)
			}
		}
	}
	reasons := map[string]string{}
	for _, o := range others {
		reasons[o["value"]] = o["note"]
	}
	for value, reason := range map[string]string{"28": "date", "2015": "year", "2": "document", "3762": "views", "5": "repeated"} {
		if reasons[value] != reason {
			t.Errorf("number %s listed apart as %q, want %q", value, reasons[value], reason)
		}
	}

	// The figure rows import as they are.
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := append([]string{"kind", "note"}, export.Columns...)
	_ = w.Write(header)
	for _, f := range figures {
		rec := make([]string, len(header))
		for i, h := range header {
			rec[i] = f[h]
		}
		_ = w.Write(rec)
	}
	w.Flush()
	file, err := csvimport.NewFigureFile(&b)
	if err != nil {
		t.Fatal(err)
	}
	// A part names its total by row number in its note: the total has no
	// id until it is imported, so only that is missing from a part's row.
	for row := range file.Rows() {
		var v *stats.ValidationError
		if row.Input.Completeness == stats.Part && errors.As(row.Err, &v) && len(v.Fields) == 1 &&
			v.Fields[0].Key == "error.parent.required_for_part" {
			continue
		}
		if row.Err != nil {
			t.Errorf("figure row on line %d does not import: %v", row.Line, row.Err)
		}
	}

	// Standard input gives the same, and flags may follow the file.
	if fromStdin := extractRows(t, []string{"-", "-source", "song-lo-2020-10-28", "-locality", "song-lo"}, extractArticle); !slices.EqualFunc(fromStdin, rows, func(a, b map[string]string) bool {
		return len(a) == len(b) && a["value"] == b["value"] && a["quote"] == b["quote"] && a["category"] == b["category"]
	}) {
		t.Errorf("extract - gives %d rows, the file %d", len(fromStdin), len(rows))
	}

	// Without a source, the date is read from the article's header.
	rows = extractRows(t, []string{"-locality", "song-lo", path}, "")
	if rows[0]["source_published"] != "2020-10-28" || rows[0]["period_end"] != "2020-10-28" {
		t.Errorf("without -source: published %q, period end %q; want the header's 2020-10-28", rows[0]["source_published"], rows[0]["period_end"])
	}
}

func TestExtractCommandMistakes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte(extractArticle), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file", []string{"extract"}, 2, "needs a file"},
		{"one source for two files", []string{"extract", "-source", "k", dir, dir}, 2, "name one article"},
		{"stdin with a file", []string{"extract", "-", dir}, 2, "read alone"},
		{"empty folder", []string{"extract", t.TempDir()}, 2, "holds no .txt or .html"},
		{"bad date", []string{"extract", "-published", "28/10/2020", "-"}, 2, "YYYY-MM-DD"},
		{"missing file", []string{"extract", filepath.Join(t.TempDir(), "none.txt")}, 1, "read article"},
		{"help", []string{"extract", "-h"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(t.Context(), tt.args, env(nil), strings.NewReader(""), &out, &errOut)
			if exitCode(err) != tt.code {
				t.Fatalf("err = %v (exit %d), want exit %d", err, exitCode(err), tt.code)
			}
			if tt.want != "" && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if tt.code == 0 && !strings.Contains(errOut.String(), "Usage: cadrestats extract") {
				t.Errorf("help: %q", errOut.String())
			}
			if out.Len() != 0 {
				t.Errorf("wrote to stdout: %q", out.String())
			}
		})
	}
	// Not UTF-8.
	err := run(t.Context(), []string{"extract", "-"}, env(nil), strings.NewReader("\xff\xfe5 cán bộ"), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("latin-1 input: err = %v", err)
	}
}

// Columns the export gains later are filled when the command knows them,
// left empty when it does not.
func TestExtractFillsColumnsByName(t *testing.T) {
	res := extract.Extract(extract.Input{Locality: "x", Published: time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC),
		Text: "Phấn đấu đến năm 2025, huyện có 417 cán bộ diện Ban Thường vụ Huyện ủy quản lý, trong đó nữ có 161 đồng chí."})
	columns := append(slices.Clone(export.Columns), "indicator", "completeness", "rank", "rank_reason", "target", "unheard_of")
	var out bytes.Buffer
	w, err := newCandidateWriter(&out, columns)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.article(res, stats.Source{Key: "k"}, nil, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	part := recs[2]
	for name, want := range map[string]string{"kind": "figure", "value": "161", "indicator": "managed-cadres-women",
		"completeness": "part", "target": "true", "rank": "normal", "rank_reason": "", "unheard_of": "", "parent_id": ""} {
		if got := part[col[name]]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// articleFolder holds a saved page and a text file.
func articleFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	page, err := os.ReadFile("../../internal/fetch/testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"a.html": string(page), "b.txt": extractArticle, "notes.md": "5 cán bộ"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A folder: every article in it, each with its own source and file.
func TestExtractCommandFolder(t *testing.T) {
	dir := articleFolder(t)
	rows := extractRows(t, []string{"-locality", "song-lo", dir}, "")
	perFile := map[string]int{}
	for _, r := range rows {
		if r["kind"] != "figure" {
			continue
		}
		switch {
		case strings.Contains(r["note"], "file: "+filepath.Join(dir, "a.html")):
			perFile["a.html"]++
			if r["source_title"] != "Bình Giang nâng cao chất lượng đội ngũ cán bộ" || r["source_outlet"] != "Báo Tỉnh A" ||
				r["source_published"] != "2024-03-15" {
				t.Errorf("a.html row: source %q %q %q, want the page's", r["source_title"], r["source_outlet"], r["source_published"])
			}
		case strings.Contains(r["note"], "file: "+filepath.Join(dir, "b.txt")):
			perFile["b.txt"]++
			if r["source_published"] != "2020-10-28" {
				t.Errorf("b.txt row: published %q, want its header's 2020-10-28", r["source_published"])
			}
		default:
			t.Errorf("a figure of no file: %q", r["note"])
		}
	}
	if perFile["a.html"] < 10 || perFile["b.txt"] != 5 {
		t.Errorf("figures per file %v, want at least 10 of a.html and the 5 of b.txt", perFile)
	}
}

// -save: each article's candidates as a batch of unverified figures.
func TestExtractCommandSave(t *testing.T) {
	dsn := pgtest.DSN(t, "seeded")
	getenv := env(map[string]string{"DATABASE_URL": dsn})
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"user", "add", "ed"}, getenv, strings.NewReader(strings.Repeat("mật khẩu đủ dài\n", 2)), &out, &errOut); err != nil {
		t.Fatalf("user add: %v %s", err, errOut.String())
	}
	dir := articleFolder(t)
	out.Reset()
	err := run(t.Context(), []string{"extract", "-locality", "song-lo", "-save", "ed", dir}, getenv, nil, &out, &errOut)
	if err == nil || !strings.Contains(out.String(), "b.txt: not saved") {
		t.Fatalf("a text file without an outlet: err %v, output %q; want it refused", err, out.String())
	}
	if !strings.Contains(out.String(), "a.html: ") || !strings.Contains(out.String(), "figures saved for review") {
		t.Errorf("output %q, want a.html saved", out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"extract", "-locality", "song-lo", "-outlet", "Báo Thử", "-save", "ed", filepath.Join(dir, "b.txt")},
		getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("extract -save: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "5 figures saved for review") {
		t.Errorf("output %q, want the 5 figures saved", out.String())
	}
	pool, err := pgxpool.New(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM figures f JOIN sources s ON s.id = f.source_id JOIN users u ON u.id = f.created_by
		WHERE s.outlet IN ('Báo Thử', 'Báo Tỉnh A') AND f.verified_at IS NULL AND u.username = 'ed'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 15 {
		t.Errorf("%d unverified figures of ed saved, want the page's and the 5 of b.txt", n)
	}
}
