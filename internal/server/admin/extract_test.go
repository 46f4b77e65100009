package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

const extractArticle = `Huyện Sông Lô đẩy mạnh luân chuyển cán bộ

Năm 2019, Ban Thường vụ Huyện ủy đã luân chuyển 12 cán bộ, trong đó 5 đồng chí từ huyện về xã. Cũng trong năm 2019, huyện cử 7 đồng chí đi học lớp cao cấp lý luận chính trị theo Kế hoạch số 11-KH/HU ngày 3/7/2019.`

// extractForm posts the article and returns the proposed rows as the page
// would submit them back.
func extractRows(t *testing.T, b *servertest.Browser) (url.Values, string) {
	t.Helper()
	code, body, _ := b.Post("/admin/extract", url.Values{"text": {extractArticle}, "source_key": {"new"},
		"new_source_title": {"Huyện Sông Lô đẩy mạnh luân chuyển cán bộ"}, "new_source_outlet": {"Báo Thử"},
		"new_source_published": {"2020-01-15"}, "locality_slug": {"song-lo"}})
	if code != http.StatusOK {
		t.Fatalf("extract: %d\n%.800s", code, body)
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="(r\d+_\w+|rows|source_key|locality_slug|new_source_\w+)"(?: type="\w+")? value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		form.Set(m[1], htmlUnescape(m[2]))
	}
	// Selects and text areas: read their chosen values.
	for _, m := range regexp.MustCompile(`(?s)<select id="((?:r\d+_)?\w+)" name="[^"]*"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); sel != nil {
			form.Set(m[1], htmlUnescape(sel[1]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea id="(r\d+_\w+)" name="[^"]*"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(body, -1) {
		form.Set(m[1], htmlUnescape(m[2]))
	}
	for _, m := range regexp.MustCompile(`name="(r\d+_pick)" checked`).FindAllStringSubmatch(body, -1) {
		form.Set(m[1], "on")
	}
	return form, body
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#43;", "+").Replace(s)
}

func TestExtractAndSave(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	form, page := extractRows(t, b)
	for _, want := range []string{"12", "5", "7", "luân chuyển", "11-KH/HU", "3/7/2019"} {
		if !strings.Contains(page, want) {
			t.Errorf("the extraction page lacks %q", want)
		}
	}
	picked := 0
	for k := range form {
		if strings.HasSuffix(k, "_pick") {
			picked++
		}
	}
	if picked < 3 {
		t.Fatalf("%d rows picked, want the three counts (12, its part 5, and 7)", picked)
	}
	before := site.State(t)

	t.Run("a wrong row saves nothing", func(t *testing.T) {
		bad := servertest.CloneValues(form)
		bad.Set("r1_value", "2,5")
		code, body, _ := b.Post("/admin/extract/save", bad)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Chưa lưu gì") ||
			!strings.Contains(body, "Số đếm (người) phải là số nguyên.") {
			t.Errorf("a batch with 2,5 persons: %d, want 422 naming the row's error", code)
		}
		if site.State(t) != before {
			t.Error("a refused batch wrote something")
		}
	})

	code, body, h := b.Post("/admin/extract/save", form)
	if code != http.StatusSeeOther {
		errs := regexp.MustCompile(`class="field-error"[^>]*>([^<]*)<`).FindAllStringSubmatch(body, -1)
		t.Fatalf("save: %d: %v", code, errs)
	}
	if n := site.Count(t, `SELECT count(*) FROM figures f JOIN sources s ON s.id = f.source_id
		WHERE s.outlet = 'Báo Thử' AND f.verified_at IS NULL`); n != picked {
		t.Errorf("%d unverified figures of the new source, want %d", n, picked)
	}
	if n := site.Count(t, `SELECT count(*) FROM figures f JOIN sources s ON s.id = f.source_id
		WHERE s.outlet = 'Báo Thử' AND f.value = 5 AND f.completeness = 'part'
		AND f.parent_id = (SELECT id FROM figures WHERE source_id = s.id AND value = 12)`); n != 1 {
		t.Error("the part (5 of the 12) is not saved as a part of its total")
	}
	if n := site.Count(t, `SELECT count(*) FROM sources WHERE outlet = 'Báo Thử'`); n != 1 {
		t.Errorf("%d new sources, want one for the whole batch", n)
	}
	_, list := b.Get(h.Get("Location"))
	if !strings.Contains(list, "chưa kiểm tra") {
		t.Error("the saved figures are not listed as unverified")
	}
	_, loc := b.Get("/localities/song-lo")
	if !strings.Contains(loc, "Báo Thử") || !strings.Contains(loc, "Chưa kiểm tra") {
		t.Error("the locality page does not show the new figures, marked unverified")
	}
}
