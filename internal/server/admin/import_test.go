package admin_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// newImportSite is NewAdminSite with the uploads in the test's own
// temporary directory, removed after it.
func newImportSite(t *testing.T) *servertest.AdminSite {
	t.Helper()
	return servertest.NewAdminSite(t)
}

// TestImportAcrossInstances: the upload is staged in the database, so a
// preview made on one instance is committed on another (cookies are the
// host's, not the port's: the browser is signed in on both).
func TestImportAcrossInstances(t *testing.T) {
	site := newImportSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	recs := b.Exported("?locality=song-lo")
	row := slices.Clone(recs[1])
	setCol(row, "id", "")
	setCol(row, "subject", "nhập trên một máy, ghi trên máy kia")
	page := b.ImportPreview("hai-may.csv", csvFile(t, [][]string{recs[0], row}))
	if got := importCounts(t, page); got["new"] != 1 {
		t.Fatalf("preview on the first instance: %v", got)
	}
	other := *b
	otherSite := *site
	otherSite.URL = site.Other
	other.Site = &otherSite
	code, _, h := other.ImportCommit(page)
	if code != http.StatusSeeOther || h.Get("Location") != "/admin/import" {
		t.Fatalf("commit on the second instance: %d %q", code, h.Get("Location"))
	}
	if n := site.Count(t, "SELECT count(*) FROM figures WHERE subject = 'nhập trên một máy, ghi trên máy kia'"); n != 1 {
		t.Errorf("%d figures imported through the second instance, want 1", n)
	}
	if n := site.Count(t, "SELECT count(*) FROM ingest_batches"); n != 0 {
		t.Errorf("%d staged uploads left after the commit, want 0", n)
	}
}

// importCounts reads the preview's count per status.
func importCounts(t *testing.T, page string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, s := range []string{"new", "changed", "unchanged", "invalid"} {
		m := regexp.MustCompile(`id="count-` + s + `">([0-9.]+)<`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no count of %s rows in the preview", s)
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", "")) // Vietnamese thousands separator
		out[s] = n
	}
	return out
}

func csvFile(t *testing.T, recs [][]string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// setCol sets a column of an export record by name.
func setCol(rec []string, col, v string) { rec[slices.Index(export.Columns, col)] = v }

func getCol(rec []string, col string) string { return rec[slices.Index(export.Columns, col)] }

func TestImportExportRoundTrip(t *testing.T) {
	site := newImportSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	recs := b.Exported("")

	t.Run("ExportImportsUnchanged", func(t *testing.T) {
		before := site.State(t)
		page := b.ImportPreview("cadrestats.csv", csvFile(t, recs))
		if got := importCounts(t, page); got["unchanged"] != len(recs)-1 || got["new"]+got["changed"]+got["invalid"] != 0 {
			t.Errorf("an export previews as %v, want all %d unchanged", got, len(recs)-1)
		}
		if !strings.Contains(page, "Không có gì để ghi") || servertest.ImportToken.MatchString(page) {
			t.Error("the preview of an unchanged file offers to write")
		}
		if after := site.State(t); after != before {
			t.Errorf("a preview wrote: %s → %s", before, after)
		}
	})

	// Change one figure, add one, and commit.
	edited := slices.Clone(recs)
	for i, r := range edited {
		edited[i] = slices.Clone(r)
	}
	row := edited[2]
	id := getCol(row, "id")
	setCol(row, "value", "1234")
	setCol(row, "quote", getCol(row, "quote")+" (sửa: 1234)")
	added := slices.Clone(edited[1])
	setCol(added, "id", "")
	setCol(added, "subject", "=HYPERLINK(\"http://x\") cán bộ nhập từ tệp")
	setCol(added, "subject", export.Neutralize(getCol(added, "subject")))
	edited = append(edited, added)
	file := csvFile(t, edited).String()

	page := b.ImportPreview("sửa.csv", strings.NewReader(file))
	if got := importCounts(t, page); got["changed"] != 1 || got["new"] != 1 || got["unchanged"] != len(recs)-2 || got["invalid"] != 0 {
		t.Fatalf("preview counts %v", got)
	}
	if !strings.Contains(page, "sửa.csv") || !strings.Contains(page, "Xác nhận nhập (2 số liệu sẽ được ghi)") || !strings.Contains(page, "<div>value</div>") {
		t.Errorf("the preview does not name the file, the writes or the changed field\n%.3000s", page)
	}
	code, _, h := b.ImportCommit(page)
	if code != http.StatusSeeOther || h.Get("Location") != "/admin/import" {
		t.Fatalf("commit: %d %q", code, h.Get("Location"))
	}
	_, done := b.Get("/admin/import")
	if !strings.Contains(done, "thêm 1 số liệu, sửa 1, giữ nguyên "+strconv.Itoa(len(recs)-2)) {
		t.Errorf("the import page does not report the result\n%.2000s", done)
	}
	if n := site.Count(t, "SELECT count(*) FROM revisions WHERE action = 'import'"); n != 2 {
		t.Errorf("%d import revisions, want 2", n)
	}
	if n := site.Count(t, "SELECT count(*) FROM figures WHERE verified_at IS NULL AND (id = "+id+
		" OR subject = '=HYPERLINK(\"http://x\") cán bộ nhập từ tệp')"); n != 2 {
		t.Errorf("%d imported figures are unverified, want 2 (formula guard undone on import)", n)
	}

	t.Run("VisibleAtOnce", func(t *testing.T) {
		now := b.Exported("")
		if len(now) != len(recs)+1 {
			t.Errorf("export has %d rows after the import, want %d", len(now)-1, len(recs))
		}
		var found bool
		for _, r := range now {
			found = found || (getCol(r, "id") == id && getCol(r, "value") == "1234")
		}
		if !found {
			t.Error("the changed value is not in the export")
		}
		slug := getCol(row, "locality_slug")
		if _, body := b.Get("/localities/" + slug); !strings.Contains(body, "1.234") {
			t.Errorf("the changed value is not on /localities/%s", slug)
		}
	})

	t.Run("SameFileTwice", func(t *testing.T) {
		before := site.State(t)
		page := b.ImportPreview("sửa.csv", strings.NewReader(file))
		if got := importCounts(t, page); got["unchanged"] != len(edited)-1 || got["new"]+got["changed"] != 0 {
			t.Errorf("the same file again previews as %v, want all unchanged", got)
		}
		if servertest.ImportToken.MatchString(page) {
			t.Error("the same file again offers to write")
		}
		b.Post("/admin/import/cancel", nil)
		if after := site.State(t); after != before {
			t.Errorf("the same file again wrote: %s → %s", before, after)
		}
		if code, _ := b.Get("/admin/import/preview"); code != http.StatusSeeOther {
			t.Errorf("preview after cancel = %d, want a redirect", code)
		}
	})
}

func TestImportPreviewShowsReasons(t *testing.T) {
	site := newImportSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	recs := b.Exported("?locality=song-lo")
	h := recs[0]
	good := recs[1]
	bad := func(col, v string) []string {
		r := slices.Clone(good)
		setCol(r, "id", "")
		setCol(r, "subject", "dòng lỗi "+col)
		setCol(r, col, v)
		return r
	}
	file := [][]string{h, good,
		bad("locality_slug", "atlantis"),
		bad("value", "-5"),
		bad("value", "1.005"),
		bad("period_end", "2000-01-01"),
		bad("quote", ""),
		bad("id", "99999"),
	}
	before := site.State(t)
	page := b.ImportPreview("lỗi.csv", csvFile(t, file))
	if got := importCounts(t, page); got["invalid"] != 6 || got["unchanged"] != 1 {
		t.Errorf("counts %v, want 6 invalid and 1 unchanged", got)
	}
	for _, reason := range []string{"locality_slug: Không có địa phương này", "value: Không được là số âm.",
		"value: Tối đa hai chữ số thập phân.", "period_end: Ngày kết thúc không được trước ngày bắt đầu.",
		"quote: Bắt buộc nhập.", "id: Không có số liệu mang mã số này"} {
		if !strings.Contains(page, reason) {
			t.Errorf("the preview does not say %q", reason)
		}
	}
	if servertest.ImportToken.MatchString(page) || !strings.Contains(page, "Có dòng không hợp lệ") {
		t.Error("a file with invalid rows can be committed")
	}
	if after := site.State(t); after != before {
		t.Errorf("a preview wrote: %s → %s", before, after)
	}
}

func TestImportCommitIsAllOrNothing(t *testing.T) {
	site := newImportSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	recs := b.Exported("?locality=song-lo") // figures 1 to 3, no parts
	// Each row alone is valid; together they make two figures parts of
	// each other, which only the commit sees. A new row comes first so
	// that something would be written before the failure.
	a, c := slices.Clone(recs[1]), slices.Clone(recs[2])
	setCol(a, "parent_id", getCol(c, "id"))
	setCol(c, "parent_id", getCol(a, "id"))
	added := slices.Clone(recs[3])
	setCol(added, "id", "")
	setCol(added, "subject", "một số liệu mới")
	page := b.ImportPreview("vòng.csv", csvFile(t, [][]string{recs[0], added, a, c}))
	before := site.State(t)
	code, body, _ := b.ImportCommit(page)
	if code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "Chưa ghi gì: dòng") {
		t.Errorf("commit of a cycle: %d, want 422 saying nothing was written\n%.1500s", code, body)
	}
	if after := site.State(t); after != before {
		t.Errorf("a refused import wrote: %s → %s", before, after)
	}

	t.Run("ChangedSincePreview", func(t *testing.T) {
		row := slices.Clone(recs[1])
		setCol(row, "value", "77")
		setCol(row, "quote", "77 đồng chí")
		page := b.ImportPreview("đổi.csv", csvFile(t, [][]string{recs[0], row}))
		// Someone changes the figure between preview and commit.
		if _, err := site.Pool.Exec(t.Context(), "UPDATE figures SET value = 78, version = version + 1 WHERE id = "+getCol(row, "id")); err != nil {
			t.Fatal(err)
		}
		before := site.State(t)
		code, body, _ := b.ImportCommit(page)
		if code != http.StatusConflict || !strings.Contains(html.UnescapeString(body), "đã thay đổi kể từ khi xem trước") {
			t.Errorf("commit after a change: %d, want 409 with a new preview", code)
		}
		if after := site.State(t); after != before {
			t.Errorf("a refused import wrote: %s → %s", before, after)
		}
	})
}

func TestImportNeedsSessionAndCSRF(t *testing.T) {
	site := newImportSite(t)
	b := site.Browser(t)
	recs := b.Exported("")
	row := slices.Clone(recs[1])
	setCol(row, "id", "")
	setCol(row, "subject", "không được nhập")
	file := csvFile(t, [][]string{recs[0], row}).String()
	before := site.State(t)

	b.Get("/login")
	if code, _, h := b.ImportUpload("x.csv", strings.NewReader(file)); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("upload without a session: %d %q, want a redirect to /login", code, h.Get("Location"))
	}
	if code, _, h := b.Post("/admin/import/commit", url.Values{"token": {strings.Repeat("a", 32)}}); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("commit without a session: %d %q, want a redirect to /login", code, h.Get("Location"))
	}

	b.Login("editor1")
	page := b.ImportPreview("x.csv", strings.NewReader(file))
	good := b.CSRF
	for name, token := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		b.CSRF = token
		if code, _, _ := b.ImportUpload("x.csv", strings.NewReader(file)); code != http.StatusBadRequest && code != http.StatusForbidden {
			t.Errorf("upload with %s CSRF token: %d, want 400 or 403", name, code)
		}
		f := url.Values{"_csrf": {token}, "token": {servertest.ImportToken.FindStringSubmatch(page)[1]},
			"digest": {servertest.ImportDigest.FindStringSubmatch(page)[1]}}
		if code, _, _ := b.Post("/admin/import/commit", f); code != http.StatusBadRequest && code != http.StatusForbidden {
			t.Errorf("commit with %s CSRF token: %d, want 400 or 403", name, code)
		}
	}
	b.CSRF = good
	// Another user's browser cannot commit this session's upload.
	other := site.Browser(t)
	other.Login("editor2")
	if code, _, h := other.ImportCommit(page); code != http.StatusSeeOther || h.Get("Location") != "/admin/import" {
		t.Errorf("commit of another session's upload: %d %q, want a redirect to the upload form", code, h.Get("Location"))
	}
	if after := site.State(t); after != before {
		t.Errorf("refused imports wrote: %s → %s", before, after)
	}
}

// The 2 MB body limit still holds everywhere but the upload.
func TestImportBodyLimits(t *testing.T) {
	site := newImportSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	big := servertest.ValidFigure()
	big.Set("quote", strings.Repeat("x", 3<<20))
	if code, _, _ := b.Post("/admin/figures", big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 3 MB form: %d, want 413", code)
	}
	b.Get("/admin/import")
	header := b.Exported("?locality=song-lo")[0]
	if code, _, h := b.ImportUpload("big.csv", largeImport(header, 20_000)); code != http.StatusSeeOther {
		t.Errorf("a 4 MB upload: %d %q, want 303 to the preview", code, h.Get("Location"))
	}
}

// largeImport writes n new figures in the export format, one at a time.
func largeImport(header []string, n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := csv.NewWriter(pw)
		_ = w.Write(header)
		rec := make([]string, len(header))
		for i := range n {
			clear(rec)
			setCol(rec, "locality_slug", []string{"song-lo", "dien-bien", "tien-lang", "mong-cai", "quang-binh"}[i%5])
			setCol(rec, "category", "training")
			setCol(rec, "subject", fmt.Sprintf("lớp bồi dưỡng số %d", i))
			setCol(rec, "value", strconv.Itoa(i%1000))
			setCol(rec, "unit", "persons")
			setCol(rec, "qualifier", "exact")
			setCol(rec, "period_start", fmt.Sprintf("%d-01-01", 2000+i%20))
			setCol(rec, "period_end", fmt.Sprintf("%d-12-31", 2000+i%20))
			setCol(rec, "source_key", "song-lo-2020-10-28")
			setCol(rec, "quote", fmt.Sprintf("Trong năm, toàn huyện đã cử %d lượt cán bộ, công chức tham gia các lớp bồi dưỡng kiến thức quản lý nhà nước (dòng %d).", i%1000, i))
			if err := w.Write(rec); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		w.Flush()
		pw.CloseWithError(w.Error())
	}()
	return pr
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// peakHeap samples the heap until stop is called, and returns the peak.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return peak.Load() }
}

// TestImportLarge uploads, previews and commits 100,000 new figures and
// logs time and peak heap of each step (server and client share the
// process, so the heap includes the test's own buffers).
func TestImportLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 rows take about 20 s")
	}
	const n = 100_000
	site := newImportSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	header := b.Exported("?locality=song-lo")[0]
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	step := func(name string, fn func()) {
		t.Helper()
		stop := peakHeap()
		start := time.Now()
		fn()
		d, peak := time.Since(start), stop()
		t.Logf("%-22s %6.2f s  %8.0f rows/s  peak heap %4d MB (%+d MB over the start)", name, d.Seconds(),
			n/d.Seconds(), peak>>20, (int64(peak)-int64(base.HeapAlloc))>>20)
		runtime.GC()
	}
	var page string
	size := &countingReader{r: largeImport(header, n)}
	step("upload", func() {
		b.Get("/admin/import")
		code, body, h := b.ImportUpload("lớn.csv", size)
		if code != http.StatusSeeOther {
			t.Fatalf("upload: %d %q %.300s", code, h.Get("Location"), body)
		}
	})
	t.Logf("file: %d rows, %d MB", n, size.n>>20)
	step("preview", func() {
		var code int
		code, page = b.Get("/admin/import/preview")
		if code != http.StatusOK {
			t.Fatalf("preview: %d", code)
		}
	})
	if got := importCounts(t, page); got["new"] != n || got["invalid"] != 0 {
		t.Fatalf("preview counts %v, want %d new", got, n)
	}
	step("commit", func() {
		if code, body, _ := b.ImportCommit(html.UnescapeString(page)); code != http.StatusSeeOther {
			t.Fatalf("commit: %d %.500s", code, body)
		}
	})
	if got := site.Count(t, "SELECT count(*) FROM revisions WHERE action = 'import'"); got != n {
		t.Errorf("%d import revisions, want %d", got, n)
	}
	step("preview again", func() {
		page = b.ImportPreview("lớn.csv", largeImport(header, n))
	})
	if got := importCounts(t, page); got["unchanged"] != n {
		t.Errorf("the same file again previews as %v, want all unchanged", got)
	}
}
