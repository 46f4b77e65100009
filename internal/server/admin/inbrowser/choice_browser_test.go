package inbrowser_test

import (
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// TestFigureChoicesInBrowser: the figure form's locality and source are
// found by typing part of their names without diacritics, picked from the
// matches, kept when the form comes back with an error, and saved; the
// matches fit a phone's screen.
func TestFigureChoicesInBrowser(t *testing.T) {
	t.Parallel()
	site := servertest.NewAdminSite(t)
	b := browsertest.New(t)
	signIn(t, b, site, "editor1")
	msg := servertest.VI(t)
	const subject = "Cán bộ được cử đi học (chọn bằng tìm kiếm)"

	p := b.Visit(t, site.URL+"/admin/figures/new?lang=vi")
	pageIsClean(t, p, "new figure form")
	p.SendKeys("#locality_slug", "song lo")
	match := `#f-locality_slug-results input[value="song-lo"]`
	p.WaitVisible(match)
	onPhone(t, p, "locality-matches")
	p.Click(match)
	p.WaitVisible(`.picker-chosen input[name="locality_slug"][value="song-lo"]:checked`)
	if got := browsertest.Eval[string](p, `document.getElementById('locality_slug').value`); got != "" {
		t.Errorf("after the pick the search box holds %q, want it empty", got)
	}
	if got := p.Text(`fieldset[data-name="locality_slug"] .picker-chosen`); !strings.Contains(got, "Sông Lô") {
		t.Errorf("the chosen locality reads %q, want Sông Lô", got)
	}

	p.SendKeys("#source_key", "xay dung doi ngu")
	match = `#f-source_key-results input[value="song-lo-2020-10-28"]`
	p.WaitVisible(match)
	p.Screenshot("source-matches")
	onPhone(t, p, "source-matches")
	p.Click(match)
	chosen := `.picker-chosen input[name="source_key"][value="song-lo-2020-10-28"]:checked`
	p.WaitVisible(chosen)
	const label = "Báo Vĩnh Phúc, 28/10/2020: Sông Lô xây dựng đội ngũ cán bộ đáp ứng yêu cầu nhiệm vụ"
	if got := p.Text(`fieldset[data-name="source_key"] .picker-chosen`); strings.TrimSpace(got) != label {
		t.Errorf("the chosen source reads %q, want %q", got, label)
	}
	if browsertest.Eval[bool](p, `document.querySelector('input[name="source_key"][value="new"]').checked`) {
		t.Error("a new source is still chosen beside the picked one")
	}

	// First without a quote: the form comes back with both choices kept.
	fillFigure(t, p, map[string]string{"#category": "training", "#subject": subject, "#value": "37",
		"#period_start": "2019-01-01", "#period_end": "2019-12-31"})
	p.Submit("form.figure-form button[type=submit]")
	if st := p.Status(); st != 422 {
		t.Fatalf("a figure without its quote answered %d, want 422", st)
	}
	// The browser logs the 422 itself, once: the tab's only expected error.
	logged := p.ConsoleErrors()
	if csp := p.CSPViolations(); len(csp) > 0 || len(logged) != 1 || !strings.Contains(logged[0], "422") {
		t.Errorf("refused figure: console %q, CSP %q", logged, csp)
	}
	accessible(t, p, "refused figure")
	p.WaitVisible(chosen)
	p.WaitVisible(`.picker-chosen input[name="locality_slug"][value="song-lo"]:checked`)
	if got := p.Text("#quote-error"); got != msg.T("error.required") {
		t.Errorf("the quote's error reads %q", got)
	}
	p.Screenshot("refused")
	onPhone(t, p, "refused")

	p.SetValue("#quote", "Năm 2019, 37 đồng chí được cử đi học lớp trung cấp lý luận chính trị.")
	p.Submit("form.figure-form button[type=submit]")
	figure := pagePath(t, p)
	m := adminFigurePath.FindStringSubmatch(figure)
	if m == nil {
		t.Fatalf("after saving at %s (%s), want /admin/figures/{id}", figure, errorsOnPage(t, p))
	}
	if errs, csp := p.ConsoleErrors()[len(logged):], p.CSPViolations(); p.Status() != 200 || len(errs) > 0 || len(csp) > 0 {
		t.Errorf("saved figure: status %d, console %q, CSP %q", p.Status(), errs, csp)
	}
	wantFlash(t, p, msg.T("admin.flash.figure_created"))
	if n := site.Count(t, `SELECT count(*) FROM figures f JOIN localities l ON l.id = f.locality_id JOIN sources s ON s.id = f.source_id
		WHERE f.id = `+m[1]+` AND l.slug = 'song-lo' AND s.key = 'song-lo-2020-10-28' AND f.value = 37`); n != 1 {
		t.Errorf("figure %s is not stored with Sông Lô and its source", m[1])
	}
	// Its edit page shows them chosen, by name.
	p.WaitVisible(chosen)
	if got := p.Text(`fieldset[data-name="source_key"] .picker-chosen`); strings.TrimSpace(got) != label {
		t.Errorf("the edit page's source reads %q, want %q", got, label)
	}
	p.Screenshot("saved")
}
