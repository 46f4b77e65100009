package inbrowser_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// quangTriArticle is a provincial report as the press writes them: counts
// of several kinds, a "trong đó" part, a term, a year, dates, document
// numbers, a duration and an age, none of it from the seed.
const quangTriArticle = `Quảng Trị nâng cao chất lượng đội ngũ cán bộ các cấp

Thực hiện Nghị quyết số 26-NQ/TW ngày 19/5/2018 của Ban Chấp hành Trung ương về tập trung xây dựng đội ngũ cán bộ các cấp, Ban Thường vụ Tỉnh ủy Quảng Trị đã ban hành Kế hoạch số 45-KH/TU và chỉ đạo triển khai đồng bộ trong toàn Đảng bộ.

Nhiệm kỳ 2015 - 2020, Ban Thường vụ Tỉnh ủy đã luân chuyển 86 cán bộ, trong đó 32 đồng chí từ tỉnh về huyện. Cũng trong nhiệm kỳ, tỉnh đã điều động 54 cán bộ và bổ nhiệm 120 cán bộ lãnh đạo, quản lý.

Năm 2020, toàn tỉnh cử 215 cán bộ đi đào tạo trung cấp lý luận chính trị và 48 đồng chí đi học cao cấp lý luận chính trị. Thời gian luân chuyển mỗi cán bộ từ 3 năm trở lên; cán bộ được luân chuyển lần đầu phải dưới 45 tuổi.

Theo đồng chí Trưởng Ban Tổ chức Tỉnh ủy, đến ngày 30/6/2021, tỉnh sẽ tiếp tục rà soát quy hoạch cán bộ nhiệm kỳ 2020 - 2025.`

// extractedRow is a row of the extraction page as the editor sees it.
type extractedRow struct {
	N         int    `json:"n"`
	Kind      string `json:"kind"`
	Picked    bool   `json:"picked"`
	Value     string `json:"value"`
	Indicator string `json:"indicator"`
	ParentRef string `json:"parentRef"`
	Number    string `json:"number"` // the number marked in the sentence
}

func extractedRows(t *testing.T, p *browsertest.Page) []extractedRow {
	t.Helper()
	return browsertest.Eval[[]extractedRow](p, `Array.from(document.querySelectorAll('article.extract-row')).map(function (a) {
		var n = +a.id.replace('row-', ''), f = function (k) { var el = document.getElementById('r' + n + '_' + k); return el ? el.value : ''; };
		var m = a.querySelector('mark.quote strong');
		return {n: n, kind: a.querySelector('[name="r' + n + '_kind"]').value, picked: a.querySelector('[name="r' + n + '_pick"]').checked,
			value: f('value'), indicator: f('indicator'), parentRef: f('parent_ref'), number: m ? m.textContent : ''};
	})`)
}

func TestExtractionInBrowser(t *testing.T) {
	t.Parallel()
	site := servertest.NewAdminSite(t)
	b := browsertest.New(t)
	signIn(t, b, site, "editor1")
	msg := servertest.VI(t)
	const title, outlet = "Quảng Trị nâng cao chất lượng đội ngũ cán bộ các cấp", "Báo Quảng Trị (thử nghiệm)"

	p := b.Visit(t, site.URL+"/admin/extract?lang=vi")
	pageIsClean(t, p, "/admin/extract")
	accessible(t, p, "/admin/extract")
	p.SetValue("#text", quangTriArticle)
	p.Click(newSourceRadio)
	fillFigure(t, p, map[string]string{"#new_source_title": title, "#new_source_outlet": outlet,
		"#new_source_author": "Minh Anh", "#new_source_published": "2021-03-15", "#locality_slug": "quang-tri"})
	p.Screenshot("article")
	onPhone(t, p, "article")
	p.Submit("form.extract-form .form-actions button[type=submit]")
	pageIsClean(t, p, "proposed rows")
	accessible(t, p, "proposed rows")
	p.Screenshot("rows")
	onPhone(t, p, "rows")

	rows := extractedRows(t, p)
	byValue := map[string]extractedRow{}
	var proposed []string
	for _, r := range rows {
		if r.Kind == "figure" {
			proposed = append(proposed, r.Value)
			byValue[r.Value] = r
			if !r.Picked {
				t.Errorf("proposed row %d (%s) is not ticked", r.N, r.Value)
			}
		} else if r.Picked {
			t.Errorf("row %d (%s, listed apart) is ticked", r.N, r.Number)
		}
	}
	if got := strings.Join(proposed, " "); got != "86 32 54 120 215 48" {
		t.Fatalf("proposed figures %q, want 86 32 54 120 215 48 (rows %+v)", got, rows)
	}
	total, part := byValue["86"], byValue["32"]
	if part.ParentRef != strconv.Itoa(total.N) {
		t.Errorf("the part 32 names row %q as its total, want %d", part.ParentRef, total.N)
	}
	apart := map[string]bool{}
	for _, r := range rows {
		if r.Kind == "other" {
			apart[r.Number] = true
		}
	}
	// The document numbers 26 and 45, the dates' parts, the duration of 3
	// years, the age of 45.
	for _, want := range []string{"26", "45", "19", "2018", "3", "30", "2021"} {
		if !apart[want] {
			t.Errorf("%s is not listed apart: %v", want, apart)
		}
	}

	// The editor corrects a row, unticks another and, first, types a value
	// the form refuses: nothing is saved and the row says why.
	appointed, senior := byValue["120"], byValue["48"]
	const subject = "cán bộ lãnh đạo, quản lý được bổ nhiệm (sửa tay)"
	p.SetValue(fmt.Sprintf("#r%d_subject", appointed.N), subject)
	p.SetValue(fmt.Sprintf("#r%d_indicator", appointed.N), "appointed-leaders")
	p.Click(fmt.Sprintf(`input[name="r%d_pick"]`, senior.N))
	before := site.State(t)
	p.SetValue(fmt.Sprintf("#r%d_value", total.N), "2,5")
	p.Submit("form.extract-form .form-actions button[type=submit]")
	if st := p.Status(); st != 422 {
		t.Errorf("a save with 2,5 persons answered %d, want 422", st)
	}
	// The browser logs the 422 itself, once: the tab's only expected error.
	logged := p.ConsoleErrors()
	if csp := p.CSPViolations(); len(csp) > 0 || len(logged) != 1 || !strings.Contains(logged[0], "422") {
		t.Errorf("refused save: console %q, CSP %q", logged, csp)
	}
	accessible(t, p, "refused save")
	if got := p.Text(".form-errors[role=alert]"); got != msg.T("admin.extract.failed") {
		t.Errorf("refused save says %q, want %q", got, msg.T("admin.extract.failed"))
	}
	row := fmt.Sprintf("#row-%d", total.N)
	if got := p.Text(row + " .field-error"); got == "" {
		t.Errorf("row %d shows no error", total.N)
	}
	if got := p.Text(row); !strings.Contains(got, msg.T("error.value.whole", msg.T("unit.persons"))) {
		t.Errorf("row %d does not say the count must be whole: %q", total.N, got)
	}
	if n := browsertest.Eval[int](p, `document.querySelectorAll('article.extract-row.has-errors').length`); n != 1 {
		t.Errorf("%d rows marked wrong, want only row %d", n, total.N)
	}
	if site.State(t) != before {
		t.Error("the refused save wrote something")
	}
	p.Screenshot("refused")
	// The page kept the corrections and the unticked row.
	if got := browsertest.Eval[string](p, fmt.Sprintf(`document.getElementById('r%d_subject').value`, appointed.N)); got != subject {
		t.Errorf("after the refusal row %d's subject is %q, want the correction %q", appointed.N, got, subject)
	}
	if browsertest.Eval[bool](p, fmt.Sprintf(`document.querySelector('input[name="r%d_pick"]').checked`, senior.N)) {
		t.Errorf("after the refusal row %d is ticked again", senior.N)
	}

	p.SetValue(fmt.Sprintf("#r%d_value", total.N), "86")
	p.Submit("form.extract-form .form-actions button[type=submit]")
	if st := p.Status(); st != 200 {
		t.Errorf("after saving: status %d", st)
	}
	if errs, csp := p.ConsoleErrors()[len(logged):], p.CSPViolations(); len(errs) > 0 || len(csp) > 0 {
		t.Errorf("after saving: console %q, CSP %q", errs, csp)
	}
	if got := pagePath(t, p); got != "/admin/figures" {
		t.Fatalf("after saving at %s (%s), want /admin/figures", got, errorsOnPage(t, p))
	}
	wantFlash(t, p, msg.T("admin.flash.extract_saved"))
	var sourceID int64
	if err := site.Pool.QueryRow(t.Context(), `SELECT id FROM sources WHERE title = $1 AND outlet = $2`, title, outlet).Scan(&sourceID); err != nil {
		t.Fatalf("the new source: %v", err)
	}
	if got := browsertest.Eval[string](p, `new URLSearchParams(location.search).get('source')`); got != fmt.Sprint(sourceID) {
		t.Errorf("the list shows source %q, want the new source %d", got, sourceID)
	}
	listed := listedIDs(t, p)
	if len(listed) != 5 {
		t.Errorf("the list of the source's figures has %d rows, want the 5 saved", len(listed))
	}
	if n := browsertest.Eval[int](p, `document.querySelectorAll('table.admin-figures tbody .badge-unverified').length`); n != len(listed) {
		t.Errorf("%d of %d saved figures marked unverified", n, len(listed))
	}

	type saved struct {
		id, parent int64
		value      float64
		indicator  string
		subject    string
		part       bool
	}
	figs := map[float64]saved{}
	rs, err := site.Pool.Query(t.Context(), `SELECT f.id, coalesce(f.parent_id, 0), f.value, coalesce(i.key, ''), f.subject, f.completeness = 'part'
		FROM figures f LEFT JOIN indicators i ON i.id = f.indicator_id
		WHERE f.source_id = $1 AND f.verified_at IS NULL AND f.deleted_at IS NULL
		AND f.created_by = (SELECT id FROM users WHERE username = 'editor1')`, sourceID)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var s saved
		if err := rs.Scan(&s.id, &s.parent, &s.value, &s.indicator, &s.subject, &s.part); err != nil {
			t.Fatal(err)
		}
		figs[s.value] = s
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	if len(figs) != 5 || figs[48].id != 0 {
		t.Errorf("saved unverified figures of editor1 %v, want 86, 32, 54, 120, 215 (48 unticked)", figs)
	}
	if figs[120].subject != subject || figs[120].indicator != "appointed-leaders" {
		t.Errorf("120 saved as %q, %q; want the correction %q, appointed-leaders", figs[120].subject, figs[120].indicator, subject)
	}
	if !figs[32].part || figs[32].parent == 0 || figs[32].parent != figs[86].id {
		t.Errorf("32 saved as %+v, want a part of 86 (figure %d)", figs[32], figs[86].id)
	}

	t.Run("on the locality page", func(t *testing.T) {
		lp := b.Visit(t, site.URL+"/localities/quang-tri?lang=vi")
		pageIsClean(t, lp, "/localities/quang-tri")
		for v, f := range figs {
			row := fmt.Sprintf("#fig-%d", f.id)
			if n := browsertest.Eval[int](lp, `document.querySelectorAll(`+jsString(row)+`).length`); n == 0 {
				t.Errorf("figure %v (%d) is not on the locality page", v, f.id)
				continue
			}
			if !browsertest.Eval[bool](lp, `document.querySelector(`+jsString(row+" .badge-unverified")+`) !== null`) {
				t.Errorf("figure %v is not marked unverified", v)
			}
			if got := lp.Text(row + ` a[href^="/sources/"]`); !strings.Contains(got, outlet) && !strings.Contains(got, title) {
				t.Errorf("figure %v cites %q, want the new source", v, got)
			}
		}
		if got := lp.Text(fmt.Sprintf("#fig-%d .part-of-total", figs[32].id)); !strings.Contains(got, "86") {
			t.Errorf("the part 32 says %q, want a part of 86", got)
		}
	})
}
