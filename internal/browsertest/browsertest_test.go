package browsertest_test

import (
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/web"
)

// csp is the policy the app will send: no inline script or style anywhere.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"

// pageHTML follows the contract of web/static/js/charts.js.
var pageHTML = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/app.css">
<script src="/static/vendor/echarts/echarts.custom.min.js" defer></script>
<script src="/static/js/charts.js" defer></script>
{{- range .Extra}}
{{.}}
{{- end}}
</head>
<body>
<header class="site-header">
<a class="brand" href="/">cadrestats</a>
<nav class="site-nav" aria-label="Menu"><ul><li><a href="/" aria-current="page">Tổng quan</a></li><li><a href="/sources">Nguồn</a></li></ul></nav>
</header>
<main>
<h1>{{.Title}}</h1>
{{- if .Form}}
<form class="filters" action="/search" method="get">
<div class="field"><label for="q">Tìm</label><input id="q" name="q"></div>
<button type="submit" id="go" name="go" value="1">Tìm</button>
</form>
{{- end}}
<p class="notice">Số liệu các tỉnh không cộng lại bằng tổng cả nước. <span class="badge badge-unverified">Chưa kiểm tra</span></p>
<div class="grid">
{{- range $c := .Charts}}
<section class="card">
<figure class="chart" data-chart-id="{{$c.ID}}">
<figcaption>{{$c.Caption}}</figcaption>
<div class="chart-canvas" id="chart-{{$c.ID}}" role="img" aria-label="{{$c.Caption}}"
  {{- with $c.Unit}} data-unit="{{.}}"{{end}}{{with $c.EmptyText}} data-empty-text="{{.}}"{{end}}></div>
<script type="application/json" id="chart-{{$c.ID}}-options">{{$c.Options}}</script>
{{- with $c.Rows}}
<div class="chart-table" id="chart-{{$c.ID}}-table" hidden>
<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">Tỉnh</th><th scope="col" class="num">Số người</th></tr></thead>
<tbody>{{range .}}<tr><th scope="row">{{index . 0}}</th><td class="num">{{index . 1}}</td></tr>{{end}}</tbody>
</table></div>
</div>
{{- end}}
<div class="chart-actions">
{{- if $c.Rows}}
<button type="button" class="chart-toggle-table" data-target="chart-{{$c.ID}}" data-label-table="Xem bảng số liệu" data-label-chart="Xem biểu đồ">Xem bảng số liệu</button>
{{- end}}
<button type="button" class="chart-png" data-target="chart-{{$c.ID}}" data-filename="{{$c.ID}}.png">Tải ảnh PNG</button>
<a href="/export/{{$c.ID}}.csv">CSV</a>
</div>
</figure>
</section>
{{- end}}
</div>
</main>
</body>
</html>
`))

type testPage struct {
	Lang, Title string
	Form        bool // a search form, answered by /search
	Extra       []template.HTML
	Charts      []testChart
}

type testChart struct {
	ID, Caption, Unit, EmptyText string
	Options                      any // a JSON object; template.JS for raw text
	Rows                         [][2]string
}

// server serves web.Static under /static/ and the pages by path, all with
// the app's CSP.
func server(t *testing.T, pages map[string]testPage, files map[string]string) *httptest.Server {
	t.Helper()
	static, err := fs.Sub(web.Static, "static")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if body, ok := files[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(body))
			return
		}
		p, ok := pages[r.URL.Path]
		if r.URL.Path == "/search" {
			p, ok = testPage{Lang: "vi", Title: "Kết quả: " + r.FormValue("q") + " go=" + r.FormValue("go")}, true
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := pageHTML.Execute(w, p); err != nil {
			t.Errorf("render %s: %v", r.URL.Path, err)
		}
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// asMap turns a go-echarts option into the plain map the chart package will
// hand to templates, where fields that go-echarts has no type for can be
// added.
func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// barOptions has 1700 and 62.5, a value not reported (nil) and a bar whose
// label is a period rather than its number.
func barOptions(t *testing.T, title string) map[string]any {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
	)
	bar.SetXAxis([]string{"Hà Nội", "Đà Nẵng", "Cần Thơ", "Điện Biên"}).
		AddSeries("Năm 2024", []opts.BarData{{Value: 1700}, {Value: 62.5}, {Value: nil}, {Value: 164}},
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"}))
	bar.Validate() // fills in the axis labels JSON() would lack
	m := asMap(t, bar.JSON())
	data := m["series"].([]any)[0].(map[string]any)["data"].([]any)
	data[3].(map[string]any)["label"] = "2010–2018"
	return m
}

func sankeyOptions(t *testing.T) map[string]any {
	s := charts.NewSankey()
	s.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: "Luân chuyển cán bộ"}),
		charts.WithAnimation(false),
	)
	s.AddSeries("Luân chuyển",
		[]opts.SankeyNode{{Name: "Quy hoạch"}, {Name: "Bổ nhiệm"}, {Name: "Luân chuyển"}, {Name: "Nghỉ hưu"}},
		[]opts.SankeyLink{
			{Source: "Quy hoạch", Target: "Bổ nhiệm", Value: 120},
			{Source: "Quy hoạch", Target: "Luân chuyển", Value: 45},
			{Source: "Bổ nhiệm", Target: "Nghỉ hưu", Value: 30},
		})
	s.Validate() // fills in the axis labels JSON() would lack
	return asMap(t, s.JSON())
}

func emptyOptions(t *testing.T) map[string]any {
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "Chưa có"}))
	bar.Validate() // fills in the axis labels JSON() would lack
	return asMap(t, bar.JSON())
}

// drawnTexts returns every text ECharts has drawn on the chart's canvas:
// titles, axis and bar labels, and a richText tooltip when one is shown.
func drawnTexts(t *testing.T, p *browsertest.Page, id string) []string {
	t.Helper()
	return browsertest.Eval[[]string](p, `echarts.getInstanceByDom(document.getElementById(`+jsString(id)+`))
		.getZr().storage.getDisplayList(true)
		.map(function (e) { return e.style && e.style.text; })
		.filter(function (s) { return typeof s === 'string' && s !== ''; })`)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// checkClean fails on what a reader of any page must never get.
func checkClean(t *testing.T, p *browsertest.Page, srv *httptest.Server) {
	t.Helper()
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
}

func TestPages(t *testing.T) {
	b := browsertest.New(t)

	hostile := `</script><script>alert(1)</script>`
	srv := server(t, map[string]testPage{
		"/charts": {Lang: "vi", Title: "Cán bộ theo tỉnh", Charts: []testChart{
			{ID: "bar", Caption: "Số cán bộ được đào tạo, năm 2024", Unit: "người", Options: barOptions(t, "Số cán bộ được đào tạo"),
				Rows: [][2]string{{"Hà Nội", "1.700"}, {"Đà Nẵng", "62,5"}, {"Cần Thơ", "không có số liệu"}, {"Điện Biên", "164"}}},
			{ID: "flow", Caption: "Luân chuyển cán bộ, 2020–2024", Options: sankeyOptions(t)},
		}},
		"/hostile": {Lang: "vi", Title: hostile, Charts: []testChart{
			{ID: "x", Caption: hostile, Unit: hostile, Options: barOptions(t, hostile)},
		}},
		"/edge": {Lang: "en", Title: "Edge cases", Charts: []testChart{
			{ID: "en", Caption: "Cadres trained", Options: barOptions(t, "Cadres trained")},
			{ID: "empty", Caption: "Nothing reported", Options: emptyOptions(t)},
			{ID: "nulls", Caption: "All null", EmptyText: "Not reported yet", Options: map[string]any{
				"xAxis": map[string]any{"data": []string{"a"}}, "yAxis": map[string]any{},
				"series": []any{map[string]any{"type": "bar", "data": []any{nil, map[string]any{}}}}}},
			{ID: "broken", Caption: "Broken", Options: template.JS(`{"series": [`)},
		}},
		"/form": {Lang: "vi", Title: "Tìm kiếm", Form: true},
		"/keys": {Lang: "vi", Title: "Phím tắt", Form: true, Extra: []template.HTML{`<script src="/keys.js" defer></script>`}},
		"/controls": {Lang: "en", Title: "Controls", Extra: []template.HTML{
			`<script>document.title = 'inline ran'</script>`,
			`<script src="/controls.js" defer></script>`,
		}},
	}, map[string]string{
		"/controls.js": `console.error('boom'); alert('hi'); throw new Error('kaput');`,
		"/keys.js":     `document.addEventListener('keydown', function (e) { if (e.key === 'x') e.preventDefault(); });`,
	})

	t.Run("charts", func(t *testing.T) {
		p := b.Visit(t, srv.URL+"/charts")
		for _, id := range []string{"chart-bar", "chart-flow"} {
			if !browsertest.Eval[bool](p, `document.getElementById(`+jsString(id)+`).hasAttribute('_echarts_instance_')`) {
				t.Errorf("%s: no ECharts instance", id)
			}
		}

		texts := drawnTexts(t, p, "chart-bar")
		for _, want := range []string{"1.700", "62,5", "2010–2018"} {
			if !slices.Contains(texts, want) {
				t.Errorf("bar chart: no label %q drawn; drawn: %q", want, texts)
			}
		}
		// The value axis starts at "0"; a second "0" would be the bar
		// that was not reported.
		if n := strings.Count("\x00"+strings.Join(texts, "\x00")+"\x00", "\x000\x00"); n != 1 {
			t.Errorf("bar chart: %d texts \"0\", want 1 (the axis); drawn: %q", n, texts)
		}
		browsertest.Eval[struct{}](p, `echarts.getInstanceByDom(document.getElementById('chart-bar')).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})`)
		tip := strings.Join(drawnTexts(t, p, "chart-bar"), "\n")
		if !strings.Contains(tip, "1.700\u00a0người") {
			t.Errorf("tooltip does not show 1.700 người; drawn: %q", tip)
		}
		if got := browsertest.Eval[string](p, `document.getElementById('chart-bar').getAttribute('aria-label')`); got != "Số cán bộ được đào tạo, năm 2024" {
			t.Errorf("aria-label = %q, want the server's", got)
		}
		if !slices.Contains(drawnTexts(t, p, "chart-flow"), "Bổ nhiệm") {
			t.Errorf("sankey: node label not drawn")
		}

		toggle := `.chart-toggle-table[data-target="chart-bar"]`
		p.Click(toggle)
		p.WaitVisible("#chart-bar-table")
		state := func() string {
			return browsertest.Eval[string](p, `[document.getElementById('chart-bar').hidden, document.getElementById('chart-bar-table').hidden,
				document.querySelector('`+toggle+`').getAttribute('aria-pressed'), document.querySelector('`+toggle+`').textContent].join('|')`)
		}
		if got, want := state(), "true|false|true|Xem biểu đồ"; got != want {
			t.Errorf("after showing the table: canvas hidden|table hidden|pressed|text = %q, want %q", got, want)
		}
		if got := p.Text("#chart-bar-table tbody tr:first-child td"); got != "1.700" {
			t.Errorf("table cell = %q", got)
		}
		p.Click(toggle)
		p.WaitVisible("#chart-bar")
		if got, want := state(), "false|true|false|Xem bảng số liệu"; got != want {
			t.Errorf("after showing the chart again: %q, want %q", got, want)
		}

		p.Click(`.chart-png[data-target="chart-bar"]`) // a download: no error, no request elsewhere

		if v := browsertest.SeriousViolations(p.Axe()); len(v) > 0 {
			for _, v := range v {
				t.Errorf("axe: %s", v)
			}
		}
		checkClean(t, p, srv) // after axe too: it runs through CDP, outside the CSP

		path := p.Screenshot("desktop")
		if fi, err := os.Stat(path); err != nil || fi.Size() < 10_000 {
			t.Errorf("screenshot %s: %v, %d bytes", path, err, fi.Size())
		}
	})

	t.Run("phone", func(t *testing.T) {
		p := b.Visit(t, srv.URL+"/charts")
		p.SetViewport(375, 800)
		if w := browsertest.Eval[int](p, `document.documentElement.scrollWidth`); w > 375 {
			t.Errorf("page is %d px wide on a 375 px screen", w)
		}
		p.Click(`.chart-toggle-table[data-target="chart-bar"]`)
		p.Screenshot("375")
		checkClean(t, p, srv)
	})

	t.Run("print", func(t *testing.T) {
		p := b.Visit(t, srv.URL+"/charts")
		p.EmulatePrint(true)
		if got := browsertest.Eval[string](p, `getComputedStyle(document.querySelector('.site-nav')).display`); got != "none" {
			t.Errorf("print: nav display = %q", got)
		}
		// The print media query changed: charts.js has measured again.
		got := browsertest.Eval[[]int](p, `(function () { var el = document.getElementById('chart-bar');
			return [el.clientWidth, echarts.getInstanceByDom(el).getWidth()]; })()`)
		if got[0] != got[1] {
			t.Errorf("print: chart %d px wide in a %d px container", got[1], got[0])
		}
		checkClean(t, p, srv)
	})

	t.Run("hostile title", func(t *testing.T) {
		p := b.Visit(t, srv.URL+"/hostile")
		checkClean(t, p, srv)
		if got := p.Text("figcaption"); got != hostile {
			t.Errorf("caption = %q, want %q", got, hostile)
		}
		if texts := drawnTexts(t, p, "chart-x"); !slices.Contains(texts, hostile) {
			t.Errorf("chart title not drawn literally; drawn: %q", texts)
		}
		// Two script files and the options: nothing broke out.
		if n := browsertest.Eval[int](p, `document.scripts.length`); n != 3 {
			t.Errorf("%d script elements, want 3", n)
		}
	})

	t.Run("edge cases", func(t *testing.T) {
		p := b.Visit(t, srv.URL+"/edge")
		checkClean(t, p, srv)
		if texts := drawnTexts(t, p, "chart-en"); !slices.Contains(texts, "1,700") {
			t.Errorf("English page: no label 1,700; drawn: %q", texts)
		}
		if texts := drawnTexts(t, p, "chart-empty"); !slices.Contains(texts, "No data") {
			t.Errorf("chart without series: drawn %q, want No data", texts)
		}
		if texts := drawnTexts(t, p, "chart-nulls"); !slices.Contains(texts, "Not reported yet") || slices.Contains(texts, "0") {
			t.Errorf("chart of nulls: drawn %q, want only its data-empty-text", texts)
		}
		if got := p.Text(".chart-error"); got != "The chart could not be drawn." {
			t.Errorf("malformed options: message %q", got)
		}
		p.Screenshot("edge")
	})

	t.Run("forms", func(t *testing.T) {
		p := b.Visit(t, srv.URL+"/form")
		p.SendKeys("#q", "Đà Nẵng")
		p.Submit("#go") // the button: its name and value are sent
		if got, want := p.Text("h1"), "Kết quả: Đà Nẵng go=1"; got != want {
			t.Errorf("after Submit(button): h1 %q, want %q", got, want)
		}
		p.ClickAndWait("a.brand")
		if p.Status() != http.StatusNotFound {
			t.Errorf("status %d, want 404", p.Status())
		}
		p = b.Visit(t, srv.URL+"/form")
		p.SetValue("#q", "Huế")
		p.Submit("#q") // a field: the form is submitted without a button
		if got, want := p.Text("h1"), "Kết quả: Huế go="; got != want {
			t.Errorf("after Submit(field): h1 %q, want %q", got, want)
		}
		if v := browsertest.SeriousViolations(p.Axe()); len(v) > 0 {
			t.Errorf("axe: %v", v)
		}
		// Keys go to the focused element; Enter on the button submits.
		p = b.Visit(t, srv.URL+"/form")
		browsertest.Eval[bool](p, `document.getElementById('q').focus(), true`)
		p.Press("Hà Tĩnh")
		browsertest.Eval[bool](p, `document.getElementById('go').focus(), true`)
		p.PressAndWait(kb.Enter)
		if got, want := p.Text("h1"), "Kết quả: Hà Tĩnh go=1"; got != want {
			t.Errorf("after Press and Enter: h1 %q, want %q", got, want)
		}
		// A key whose key down the page cancels types nothing, as on a
		// keyboard.
		p = b.Visit(t, srv.URL+"/keys")
		browsertest.Eval[bool](p, `document.getElementById('q').focus(), true`)
		p.Press("axb")
		if got := browsertest.Eval[string](p, `document.getElementById('q').value`); got != "ab" {
			t.Errorf("x cancelled on key down: the field holds %q, want ab", got)
		}
	})

	// The recorders must see what they are there to catch, or the checks
	// above prove nothing.
	t.Run("controls", func(t *testing.T) {
		p := b.Visit(t, srv.URL+"/controls")
		v := p.CSPViolations()
		for _, kind := range []string{"event: script-src", "log: "} {
			if !slices.ContainsFunc(v, func(s string) bool { return strings.HasPrefix(s, kind) }) {
				t.Errorf("inline script: CSP violations %q lack %q", v, kind)
			}
		}
		if got := browsertest.Eval[string](p, `document.title`); got != "Controls" {
			t.Errorf("inline script ran: title %q", got)
		}
		if d := p.DialogsOpened(); !slices.Equal(d, []string{"alert: hi"}) {
			t.Errorf("dialogs %q, want the alert", d)
		}
		errs := strings.Join(p.ConsoleErrors(), "\n")
		for _, want := range []string{"console.error: boom", "kaput"} {
			if !strings.Contains(errs, want) {
				t.Errorf("console errors do not contain %q:\n%s", want, errs)
			}
		}
		if !slices.ContainsFunc(p.Requests(), func(u string) bool { return strings.HasSuffix(u, "/controls.js") }) {
			t.Errorf("requests %q lack /controls.js", p.Requests())
		}
		browsertest.Eval[struct{}](p, `document.querySelector('main').append(document.createElement('img'))`)
		if v := browsertest.SeriousViolations(p.Axe()); !slices.ContainsFunc(v, func(v browsertest.Violation) bool { return v.ID == "image-alt" }) {
			t.Errorf("axe missed an image without alt: %v", v)
		}
	})
}
