package inbrowser_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// The admin area in headless Chromium: what the HTTP tests of admin_test.go
// cannot see is whether the real form, as the browser fills and submits it,
// does what they post by hand, and whether editors' text stays text once a
// Browser parses the pages and draws the charts.
//
// Each test starts its own browser: the harness ties a browser to one test,
// and the tests' own cookie jars keep their sessions apart. They run in
// parallel, each over its own database.

// adminFigurePath is the edit page of a figure, where a save lands.
var adminFigurePath = regexp.MustCompile(`^/admin/figures/(\d+)$`)

func TestAdminInBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	site := servertest.NewAdminSite(t)
	msg := servertest.VI(t)
	const subject = "Điều động từ cơ sở lên huyện (thử nghiệm)"

	// ?lang=vi is remembered in a cookie for every later page of this browser.
	p := b.Visit(t, site.URL+"/login?lang=vi")
	pageIsClean(t, p, "login")
	p.SetValue("#username", "editor1")
	p.SetValue("#password", servertest.TestPassword)
	p.Screenshot("login")
	accessible(t, p, "login")
	p.Submit(`form[action="/login"] button[type=submit]`)
	if got := pagePath(t, p); got != "/admin" {
		t.Fatalf("after login at %s, want /admin", got)
	}
	pageIsClean(t, p, "/admin")

	p = b.Visit(t, site.URL+"/admin/figures/new")
	pageIsClean(t, p, "new figure form")
	// Choosing the indicator sets its category and unit (admin.js).
	p.SetValue("#indicator", "rotated")
	browsertest.Eval[bool](p, `document.getElementById('indicator').dispatchEvent(new Event('change')), true`)
	if got := browsertest.Eval[string](p, `document.getElementById('category').value + ' ' + document.getElementById('unit').value`); got != "rotation persons" {
		t.Errorf("after choosing the indicator, category and unit are %q, want rotation persons", got)
	}
	fillFigure(t, p, map[string]string{
		"#locality_slug": "song-lo", "#subject": subject, "#value": "37",
		"#period_start": "2015-01-01", "#period_end": "2020-10-28", "#term": "nk-2015-2020",
		"#from_level": "commune", "#to_level": "district",
		"#quote": "Nhiệm kỳ 2015 - 2020, 37 đồng chí được điều động từ cơ sở lên huyện.",
	})
	p.SetValue("#source_key", "song-lo-2020-10-28") // typed, as without script
	p.Screenshot("form")
	accessible(t, p, "form")
	p.Submit("form.figure-form button[type=submit]")
	figure := pagePath(t, p)
	m := adminFigurePath.FindStringSubmatch(figure)
	if m == nil {
		t.Fatalf("after saving the form at %s (%s), want /admin/figures/{id}", figure, errorsOnPage(t, p))
	}
	id := m[1]
	pageIsClean(t, p, "figure page")
	wantFlash(t, p, msg.T("admin.flash.figure_created"))
	if got := browsertest.Eval[string](p, `document.querySelector('#value').value`); got != "37" {
		t.Errorf("the figure page shows value %q, want 37", got)
	}
	p.Screenshot("figure")
	accessible(t, p, "figure")
	if n := site.Count(t, "SELECT count(*) FROM figures WHERE id = "+id+" AND subject = '"+subject+"' AND value = 37 AND verified_at IS NULL AND deleted_at IS NULL"); n != 1 {
		t.Errorf("figure %s is not stored as entered (unverified, 37, %q)", id, subject)
	}

	t.Run("on the public pages", func(t *testing.T) {
		// A rotation from commune to district joins the locality's Sankey of
		// rotations between levels, and makes a comparison of its own on
		// the overview beside Điện Biên's 13 (no sum with other figures).
		lp := b.Visit(t, site.URL+"/localities/song-lo")
		pageIsClean(t, lp, "/localities/song-lo")
		chartsDrawn(t, lp)
		var sankey bool
		for _, c := range drawnCharts(t, lp) {
			if c.ID == "chart-flows-rotated" {
				sankey = true
				if !strings.Contains(c.Data, `"value":37`) {
					t.Errorf("%s: drawn data %s, want a flow of 37", c.ID, c.Data)
				}
			}
		}
		if !sankey {
			t.Errorf("/localities/song-lo has no chart-flows-rotated")
		}
		// Its link labels are written the Vietnamese way: 1.700, not 1,700.
		if got := browsertest.Eval[string](lp, `echarts.getInstanceByDom(document.getElementById('chart-flows-rotated'))
			.getOption().series[0].edgeLabel.formatter({value: 1700})`); got != "1.700" {
			t.Errorf("Sankey link label for 1700 = %q, want 1.700", got)
		}
		row := "#fig-" + id
		if got := lp.Text(row); !strings.Contains(got, subject) || !strings.Contains(got, "37") {
			t.Errorf("figure table row %s = %q, want %q and 37", row, got, subject)
		}
		// Public pages mark a figure no second editor has checked.
		if !browsertest.Eval[bool](lp, `document.querySelector('`+row+` .badge-unverified') !== null`) {
			t.Errorf("/localities/song-lo: row %s is not marked unverified", row)
		}
		fp := b.Visit(t, site.URL+"/figures?q="+url.QueryEscape(subject))
		pageIsClean(t, fp, "/figures")
		if got := browsertest.Eval[string](fp, `Array.from(document.querySelectorAll('main tbody tr')).filter(function (tr) {
			return tr.innerText.indexOf(`+jsString(subject)+`) >= 0; }).map(function (tr) {
			return tr.querySelector('.badge-unverified') ? 'marked' : 'unmarked'; }).join()`); got != "marked" {
			t.Errorf("/figures?q=%s: the figure's rows are %q, want one marked unverified", subject, got)
		}

		if csv := fetchText(t, lp, "/export.csv"); !strings.Contains(csv, subject) {
			t.Errorf("/export.csv lacks %q", subject)
		}
		pageIsClean(t, lp, "/localities/song-lo after fetch")

		// As reported: the default divides flows over unequal periods by years.
		op := b.Visit(t, site.URL+"/?per=reported&base=reported")
		pageIsClean(t, op, "/")
		chartsDrawn(t, op)
		var found bool
		for _, c := range drawnCharts(t, op) {
			if c.ID != "chart-compare-rotated-commune-district" {
				continue
			}
			found = true
			var songLo []string
			for _, r := range c.Rows {
				if len(r) > 0 && r[0] == "Sông Lô" {
					songLo = r
				}
			}
			if !slices.Contains(songLo, "37") || !strings.Contains(c.Data, "37") || !strings.Contains(c.Data, "13") {
				t.Errorf("%s: Sông Lô's row %q, drawn data %s; want 37 beside Điện Biên's 13", c.ID, songLo, c.Data)
			}
		}
		if !found {
			t.Errorf("the overview has no chart-compare-rotated-commune-district")
		}
	})

	// Edit through the same form.
	p.SetValue("#value", "38")
	p.SetValue("#quote", "Nhiệm kỳ 2015 - 2020, 38 đồng chí được điều động từ cơ sở lên huyện.")
	p.Submit("form.figure-form button[type=submit]")
	if got := pagePath(t, p); got != figure {
		t.Fatalf("after editing at %s (%s), want %s", got, errorsOnPage(t, p), figure)
	}
	pageIsClean(t, p, "figure page after edit")
	wantFlash(t, p, msg.T("admin.flash.figure_saved"))
	if got := browsertest.Eval[string](p, `document.querySelector('#value').value`); got != "38" {
		t.Errorf("after the edit the form shows %q, want 38", got)
	}

	p.ClickAndWait(`.figure-status a[href="` + figure + `/history"]`)
	if got := pagePath(t, p); got != figure+"/history" {
		t.Fatalf("history link led to %s", got)
	}
	pageIsClean(t, p, "history")
	history := browsertest.Eval[[][]string](p, `Array.from(document.querySelectorAll('main table.data tbody tr')).map(function (tr) {
		return Array.from(tr.cells).map(function (c) { return c.innerText.trim(); });
	})`)
	var created, updated bool
	for _, r := range history {
		if len(r) < 4 || r[1] != "editor1" {
			continue
		}
		switch r[2] {
		case msg.T("admin.action.create"):
			created = true
		case msg.T("admin.action.update"):
			updated = updated || strings.Contains(r[3], "37") && strings.Contains(r[3], "38")
		}
	}
	if !created || !updated {
		t.Errorf("history lacks a create and an update 37 → 38 by editor1: %q", history)
	}
	p.Screenshot("history")
	accessible(t, p, "history")

	p = b.Visit(t, site.URL+figure)
	p.Submit("form[action$='/delete'] button.danger")
	if got := pagePath(t, p); got != figure {
		t.Fatalf("after delete at %s", got)
	}
	pageIsClean(t, p, "figure page after delete")
	wantFlash(t, p, msg.T("admin.flash.figure_deleted"))
	if csv := fetchText(t, p, "/export.csv"); strings.Contains(csv, subject) {
		t.Errorf("deleted figure still in /export.csv")
	}

	p.Submit("form[action$='/restore'] button[type=submit]")
	pageIsClean(t, p, "figure page after restore")
	wantFlash(t, p, msg.T("admin.flash.figure_restored"))
	if csv := fetchText(t, p, "/export.csv"); !strings.Contains(csv, subject) || !strings.Contains(csv, ",38,") {
		t.Errorf("restored figure (38) not back in /export.csv")
	}
}

// hostilePayloads must each reach the reader as the characters typed.
var hostilePayloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(2)>`,
	`"><svg onload=alert(3)>`,
	`</script><script>alert(4)</script>`,
	`{{.}}`,
	`javascript:alert(5)`,
}

func TestHostileTextIsInert(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	site := servertest.NewAdminSite(t)
	all := strings.Join(hostilePayloads, " ")
	subject := `=HYPERLINK("http://x","y") ` + all
	quote := "37 " + all + ` =HYPERLINK("http://x","y")`
	title := "Bài " + all
	outlet := "Báo " + hostilePayloads[1]

	p := b.Visit(t, site.URL+"/login?lang=vi")
	p.SetValue("#username", "editor1")
	p.SetValue("#password", servertest.TestPassword)
	p.Submit(`form[action="/login"] button[type=submit]`)
	figure := submitFigure(t, b, site.URL, map[string]string{
		"#locality_slug": "song-lo", "#category": "training", "#indicator": "trained-masters", "#subject": subject, "#value": "37",
		"#unit": "persons", "#period_start": "2021-01-01", "#period_end": "2021-05-31",
		newSourceRadio: "on", "#new_source_title": title, "#new_source_outlet": outlet,
		"#new_source_published": "2021-06-01", "#quote": quote,
	})
	var sourceID int
	var sourceKey string
	if err := site.Pool.QueryRow(t.Context(), `SELECT s.id, s.key FROM figures f JOIN sources s ON s.id = f.source_id WHERE f.id = $1`,
		strings.TrimPrefix(figure, "/admin/figures/")).Scan(&sourceID, &sourceKey); err != nil {
		t.Fatal(err)
	}
	// A second figure of the indicator, for another period, gives Sông Lô
	// a bar chart of it labelled with both periods; a third, of Tiên Lãng,
	// a comparison on the overview whose source line carries the outlet.
	subject2 := hostilePayloads[0] + " " + hostilePayloads[2]
	submitFigure(t, b, site.URL, map[string]string{
		"#locality_slug": "song-lo", "#category": "training", "#indicator": "trained-masters", "#subject": subject2, "#value": "12",
		"#unit": "persons", "#period_start": "2020-01-01", "#period_end": "2020-12-31",
		"#source_key": sourceKey, "#quote": "12 " + hostilePayloads[3],
	})

	pages := []struct {
		path string
		want []string // texts the page must show literally
		// chart draws want: its options (labels, title, sources) hold them
		// as plain strings.
		chart     string
		chartWant []string
	}{
		{"/", nil, "chart-compare-trained-masters", []string{outlet}},
		{"/localities/song-lo", []string{subject, subject2, title}, "chart-series-trained-masters", []string{outlet}},
		{"/figures?q=HYPERLINK", []string{subject}, "", nil},
		{"/sources", []string{title, outlet}, "", nil},
		{fmt.Sprintf("/sources/%d", sourceID), []string{title, outlet, subject, quote}, "", nil},
		{figure, []string{title}, "", nil},
		{figure + "/history", []string{subject, quote}, "", nil},
		{"/admin/changes", []string{subject, quote}, "", nil},
	}
	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) {
			p := b.Visit(t, site.URL+pg.path)
			pageIsInert(t, p, pg.path)
			chartsDrawn(t, p)
			showEveryTooltip(t, p)
			text := browsertest.Eval[string](p, `document.body.innerText`)
			for _, want := range pg.want {
				if !strings.Contains(text, want) {
					t.Errorf("page does not show %q literally", want)
				}
			}
			if pg.path == figure {
				// In the form the texts are field values, to be saved again as they are.
				for sel, want := range map[string]string{"#subject": subject, "#quote": quote} {
					if got := browsertest.Eval[string](p, `document.querySelector(`+jsString(sel)+`).value`); got != want {
						t.Errorf("%s = %q, want %q", sel, got, want)
					}
				}
			}
			if pg.chart != "" {
				texts := browsertest.Eval[[]string](p, `(function (el) {
					if (!el || !el.hasAttribute('_echarts_instance_')) return [];
					var out = [];
					(function walk(v) {
						if (typeof v === 'string') out.push(v);
						else if (v && typeof v === 'object') Object.keys(v).forEach(function (k) { walk(v[k]); });
					})(echarts.getInstanceByDom(el).getOption());
					return out;
				})(document.getElementById(`+jsString(pg.chart)+`))`)
				if len(texts) == 0 {
					t.Errorf("no chart %s drawn", pg.chart)
				}
				all := strings.Join(texts, "\n")
				for _, want := range pg.chartWant {
					if !strings.Contains(all, want) {
						t.Errorf("chart %s does not carry %q as text", pg.chart, want)
					}
				}
			}
			// No payload became an element or an attribute (the CSP would
			// stop most from running, so no dialog is not proof enough).
			if n := browsertest.Eval[[]string](p, `Array.from(document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:"]'))
				.map(function (el) { return el.outerHTML.slice(0, 120); })`); len(n) > 0 {
				t.Errorf("elements made of the payloads: %q", n)
			}
			// Nor a script: every script is a file of the site or JSON data.
			if s := browsertest.Eval[[]string](p, `Array.from(document.scripts).filter(function (s) {
				return s.type !== 'application/json' && !s.src; }).map(function (s) { return s.outerHTML.slice(0, 120); })`); len(s) > 0 {
				t.Errorf("inline scripts on the page: %q", s)
			}
			pageIsInert(t, p, pg.path+" after every tooltip")
		})
	}

	t.Run("export", func(t *testing.T) {
		p := b.Visit(t, site.URL+"/sources")
		csv := fetchText(t, p, "/export.csv?locality=song-lo")
		// The subject starts with = : a spreadsheet must read it as text.
		want := `"'=HYPERLINK(""http://x"",""y"") `
		if !strings.Contains(csv, want) {
			t.Errorf("/export.csv does not neutralise the formula: want %s in\n%s", want, csv)
		}
	})
}

// submitFigure fills the new figure form in a tab of its own, submits it
// and returns the new figure's path.
func submitFigure(t *testing.T, b *browsertest.Browser, site string, fields map[string]string) string {
	t.Helper()
	p := b.Visit(t, site+"/admin/figures/new")
	fillFigure(t, p, fields)
	p.Submit("form.figure-form button[type=submit]")
	figure := pagePath(t, p)
	if !adminFigurePath.MatchString(figure) {
		t.Fatalf("after saving the form at %s (%s), want /admin/figures/{id}", figure, errorsOnPage(t, p))
	}
	pageIsInert(t, p, figure)
	return figure
}

// pageIsClean fails on what no page may do: console errors, CSP violations,
// dialogs, an error status.
func pageIsClean(t *testing.T, p *browsertest.Page, what string) {
	t.Helper()
	if st := p.Status(); st != 200 {
		t.Errorf("%s: status %d", what, st)
	}
	if errs := p.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("%s: console errors:\n%s", what, strings.Join(errs, "\n"))
	}
	if v := p.CSPViolations(); len(v) > 0 {
		t.Errorf("%s: CSP violations:\n%s", what, strings.Join(v, "\n"))
	}
	if d := p.DialogsOpened(); len(d) > 0 {
		t.Errorf("%s: dialogs opened: %q", what, d)
	}
}

// accessible fails on serious or critical axe-core findings: the admin
// forms are used all day by the same people.
func accessible(t *testing.T, p *browsertest.Page, what string) {
	t.Helper()
	for _, v := range browsertest.SeriousViolations(p.Axe()) {
		t.Errorf("%s: accessibility: %s (%s): %s", what, v.ID, v.Impact, v.Help)
	}
}

// pageIsInert is pageIsClean where a dialog would mean editors' text ran as
// script: the test stops there.
func pageIsInert(t *testing.T, p *browsertest.Page, what string) {
	t.Helper()
	if d := p.DialogsOpened(); len(d) > 0 {
		t.Fatalf("%s: a payload ran, dialogs opened: %q", what, d)
	}
	pageIsClean(t, p, what)
}

func chartsDrawn(t *testing.T, p *browsertest.Page) {
	t.Helper()
	if missing := browsertest.Eval[[]string](p, `Array.from(document.querySelectorAll('.chart-canvas'))
		.filter(function (el) { return !el.hasAttribute('_echarts_instance_'); }).map(function (el) { return el.id; })`); len(missing) > 0 {
		t.Errorf("charts not drawn: %q", missing)
	}
}

// showEveryTooltip opens the tooltip of every data item of every chart, as
// hovering would: tooltips and labels carry editors' text.
func showEveryTooltip(t *testing.T, p *browsertest.Page) {
	t.Helper()
	browsertest.Eval[int](p, `(function () {
		var n = 0;
		document.querySelectorAll('.chart-canvas[_echarts_instance_]').forEach(function (el) {
			var chart = echarts.getInstanceByDom(el);
			(chart.getOption().series || []).forEach(function (s, si) {
				(s.data || []).forEach(function (d, di) {
					chart.dispatchAction({type: 'showTip', seriesIndex: si, dataIndex: di});
					n++;
				});
			});
			chart.dispatchAction({type: 'hideTip'});
		});
		return n;
	})()`)
}

// drawnChart is a drawn chart: its hidden table's rows and the series data
// ECharts holds.
type drawnChart struct {
	ID   string     `json:"id"`
	Rows [][]string `json:"rows"`
	Data string     `json:"data"`
}

func drawnCharts(t *testing.T, p *browsertest.Page) []drawnChart {
	t.Helper()
	return browsertest.Eval[[]drawnChart](p, `Array.from(document.querySelectorAll('.chart-canvas')).map(function (el) {
		var chart = echarts.getInstanceByDom(el);
		var table = document.getElementById(el.id + '-table');
		return {
			id: el.id,
			rows: table ? Array.from(table.querySelectorAll('tbody tr')).map(function (tr) {
				return Array.from(tr.children).map(function (c) { return c.textContent.trim(); });
			}) : [],
			// A Sankey's numbers are on its links, a bar's on its data.
			data: chart ? JSON.stringify(chart.getOption().series.map(function (s) { return [s.data, s.links || []]; })) : ''
		};
	})`)
}

// newSourceRadio is the source choice's alternative of a new source.
const newSourceRadio = `input[name="source_key"][value="new"]`

// fillFigure sets the figure form's fields by selector; a radio (a
// choice's alternative, such as a new source) is clicked.
func fillFigure(t *testing.T, p *browsertest.Page, fields map[string]string) {
	t.Helper()
	for sel, v := range fields {
		if browsertest.Eval[bool](p, `document.querySelector(`+jsString(sel)+`).type === 'radio'`) {
			p.Click(sel)
			if !browsertest.Eval[bool](p, `document.querySelector(`+jsString(sel)+`).checked`) {
				t.Fatalf("%s is not checked after a click", sel)
			}
			continue
		}
		p.SetValue(sel, v)
		if got := browsertest.Eval[string](p, `document.querySelector(`+jsString(sel)+`).value`); got != v {
			t.Fatalf("%s = %q after setting %q (no such option?)", sel, got, v)
		}
	}
}

func wantFlash(t *testing.T, p *browsertest.Page, want string) {
	t.Helper()
	got := browsertest.Eval[string](p, `(document.querySelector('.notice[role=status]') || {innerText: ''}).innerText`)
	if strings.TrimSpace(got) != want {
		t.Errorf("flash %q, want %q", got, want)
	}
}

// pagePath is the address bar's path.
func pagePath(t *testing.T, p *browsertest.Page) string {
	t.Helper()
	return browsertest.Eval[string](p, `location.pathname`)
}

// errorsOnPage says why a form was refused.
func errorsOnPage(t *testing.T, p *browsertest.Page) string {
	t.Helper()
	return browsertest.Eval[string](p, `Array.from(document.querySelectorAll('.form-errors, .field-error, .notice')).map(function (e) {
		return (e.id || e.className) + ': ' + e.innerText; }).join('; ')`)
}

// fetchText fetches path as the page's own script would, with its cookies.
func fetchText(t *testing.T, p *browsertest.Page, path string) string {
	t.Helper()
	type result struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	}
	r := browsertest.Eval[result](p, `fetch(`+jsString(path)+`).then(function (r) {
		return r.text().then(function (body) { return {status: r.status, body: body}; }); })`)
	if r.Status != 200 {
		t.Fatalf("fetch %s: status %d", path, r.Status)
	}
	return r.Body
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
