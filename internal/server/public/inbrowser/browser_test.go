package inbrowser_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// TestBrowser opens every public page in headless Chromium, one browser for
// the whole binary (starting one costs about a second): pages must load
// without console errors or CSP violations, draw every chart, ask no other
// host for anything and pass axe's serious and critical checks.
// Screenshots go to .artifacts/screenshots.
func TestBrowser(t *testing.T) {
	b := browsertest.New(t)
	seeded := httptest.NewServer(servertest.NewServer(t, pgtest.NewSeededDB(t)))
	t.Cleanup(seeded.Close)
	empty := httptest.NewServer(servertest.NewServer(t, pgtest.NewDB(t)))
	t.Cleanup(empty.Close)

	// Headless Chromium sends Accept-Language: en-US, and the language
	// cookie is shared by the tabs: every address names its language.
	pages := []struct{ name, path string }{
		{"overview", "/?lang=vi"},
		{"overview-en", "/?lang=en"},
		{"dien-bien", "/localities/dien-bien?lang=vi"},
		{"song-lo", "/localities/song-lo?lang=vi"},
		{"mong-cai", "/localities/mong-cai?lang=vi"},
		{"tien-lang", "/localities/tien-lang?lang=vi"},
		{"tien-lang-en", "/localities/tien-lang?lang=en"},
		{"quang-binh", "/localities/quang-binh?lang=vi"},
		{"figures", "/figures?lang=vi"},
		{"sources", "/sources?lang=vi"},
		{"source", "/sources/1?lang=vi"},
		{"about", "/about?lang=vi"},
		// Embeds (embed.go): the chart alone, for other sites' iframes.
		{"embed-compare", "/embed/charts/compare-sent-senior-political-theory?lang=vi"},
		{"embed-flows-en", "/embed/localities/dien-bien/charts/flows-rotated?lang=en"},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			p := b.Visit(t, seeded.URL+pg.path)
			checkPage(t, p, seeded)
			p.Screenshot("desktop")
		})
	}

	t.Run("vietnamese locale", func(t *testing.T) {
		// The ECharts bundle (scripts/echarts) registers 'VI': ECharts' own
		// texts, such as its aria summary, are Vietnamese. An unknown locale
		// would fall back to English silently.
		p := b.Visit(t, seeded.URL+"/?lang=vi")
		got := browsertest.Eval[string](p, `(function () {
			var el = document.createElement('div');
			el.style.width = '300px'; el.style.height = '200px';
			document.body.appendChild(el);
			var c = echarts.init(el, null, {locale: 'VI'});
			c.setOption({aria: {enabled: true}, title: {text: 'T'}, xAxis: {data: ['a']}, yAxis: {},
				series: [{type: 'bar', data: [1]}]});
			var label = el.getAttribute('aria-label');
			c.dispose(); el.remove();
			return label;
		})()`)
		if !strings.HasPrefix(got, `Đây là biểu đồ "T"`) {
			t.Errorf("aria label with locale VI = %q, want ECharts' Vietnamese text", got)
		}
	})

	t.Run("phone", func(t *testing.T) {
		for _, path := range []string{"/?lang=vi", "/localities/tien-lang?lang=vi", "/sources/5?lang=vi"} {
			p := b.Visit(t, seeded.URL+path)
			p.SetViewport(375, 800)
			if w := browsertest.Eval[int](p, `document.documentElement.scrollWidth`); w > 375 {
				t.Errorf("%s is %d px wide on a 375 px screen", path, w)
			}
			name, _, _ := strings.Cut(path, "?")
			p.Screenshot(strings.Trim(strings.ReplaceAll(name, "/", "-"), "-") + "-375")
		}
	})

	t.Run("filter changes chart and export", func(t *testing.T) {
		// As reported, so that Tiên Lãng's count is drawn as the article gives it.
		p := b.Visit(t, seeded.URL+"/?lang=vi&per=reported&base=reported")
		const id = "chart-compare-sent-senior-political-theory"
		before := chartData(t, p, id)
		exportBefore := browsertest.Eval[string](p, `document.querySelector('a.export-csv').getAttribute('href')`)
		p.SetValue("#f-from", "2016")
		p.Submit("#f-from")
		checkPage(t, p, seeded)
		// Tiên Lãng's 20 of 2011–2015 leave the comparison: one locality
		// is left, so no chart suggests a comparison any more.
		if !strings.Contains(before, "20") {
			t.Errorf("before: %s lacks Tiên Lãng's 20", before)
		}
		if n := browsertest.Eval[int](p, `document.querySelectorAll('#`+id+`').length`); n != 0 {
			t.Errorf("from=2016 still draws the comparison")
		}
		exportAfter := browsertest.Eval[string](p, `document.querySelector('a.export-csv').getAttribute('href')`)
		if exportAfter == exportBefore || !strings.Contains(exportAfter, "from=2016") {
			t.Errorf("export link %q → %q, want from=2016", exportBefore, exportAfter)
		}
		if got := browsertest.Eval[string](p, `location.search`); !strings.Contains(got, "from=2016") || !strings.Contains(got, "per=reported") {
			t.Errorf("filter or view not in the address: %q", got)
		}
	})

	t.Run("table toggle", func(t *testing.T) {
		p := b.Visit(t, seeded.URL+"/localities/dien-bien?lang=vi")
		p.Click(`.chart-toggle-table[data-target="chart-flows-rotated"]`)
		p.WaitVisible("#chart-flows-rotated-table")
		if got := p.Text("#chart-flows-rotated-table tbody"); !strings.Contains(got, "85") {
			t.Errorf("rotation table: %q lacks 85", got)
		}
		checkPage(t, p, seeded)
	})

	t.Run("english switch", func(t *testing.T) {
		p := b.Visit(t, seeded.URL+"/localities/tien-lang?lang=vi")
		p.ClickAndWait("a.lang-switch")
		if got := browsertest.Eval[string](p, `document.documentElement.lang`); got != "en" {
			t.Fatalf("lang after switch = %q", got)
		}
		if got := p.Text("main"); !strings.Contains(got, "more than 7,200") {
			t.Errorf("English page lacks \"more than 7,200\"")
		}
		// The choice is remembered: the next page is English without ?lang.
		p.ClickAndWait(`.site-nav a[href="/figures"]`)
		if got := browsertest.Eval[string](p, `document.documentElement.lang`); got != "en" {
			t.Errorf("lang on the next page = %q", got)
		}
		checkPage(t, p, seeded)
	})

	for _, path := range []string{"/?lang=vi", "/figures?lang=vi", "/sources?lang=vi", "/about?lang=vi", "/?per=year&lang=en"} {
		t.Run("empty database "+path, func(t *testing.T) {
			p := b.Visit(t, empty.URL+path)
			checkPage(t, p, empty)
			if path == "/?lang=vi" {
				p.Screenshot("empty")
			}
		})
	}
}

// checkPage fails on what no page may do.
func checkPage(t *testing.T, p *browsertest.Page, srv *httptest.Server) {
	t.Helper()
	if st := p.Status(); st != 200 {
		t.Errorf("status %d", st)
	}
	if errs := p.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	if v := p.CSPViolations(); len(v) > 0 {
		t.Errorf("CSP violations:\n%s", strings.Join(v, "\n"))
	}
	if r := p.ForeignRequests(srv.URL); len(r) > 0 {
		t.Errorf("requests to other hosts:\n%s", strings.Join(r, "\n"))
	}
	if d := p.DialogsOpened(); len(d) > 0 {
		t.Errorf("dialogs opened: %q", d)
	}
	if missing := browsertest.Eval[[]string](p, `Array.from(document.querySelectorAll('.chart-canvas'))
		.filter(function (el) { return !el.hasAttribute('_echarts_instance_'); }).map(function (el) { return el.id; })`); len(missing) > 0 {
		t.Errorf("charts not drawn: %q", missing)
	}
	for _, v := range browsertest.SeriousViolations(p.Axe()) {
		t.Errorf("axe: %s", v)
	}
}

// chartData is the drawn chart's series data, as JSON.
func chartData(t *testing.T, p *browsertest.Page, id string) string {
	t.Helper()
	v := browsertest.Eval[json.RawMessage](p, `echarts.getInstanceByDom(document.getElementById('`+id+`')).getOption().series.map(function (s) { return s.data; })`)
	return string(v)
}
