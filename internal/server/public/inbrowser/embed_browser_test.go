package inbrowser_test

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// TestEmbedOnAnotherSite pastes a chart's embed code, as the overview
// gives it, into a plain page served from another port (another origin):
// the chart draws inside the iframe, the iframe takes the embed's height
// and follows it when the screen narrows, and the link back opens the
// app's page.
func TestEmbedOnAnotherSite(t *testing.T) {
	b := browsertest.New(t)
	app := httptest.NewServer(servertest.NewServer(t, pgtest.NewSeededDB(t)))
	t.Cleanup(app.Close)

	const id = "compare-rotated-district-commune"
	resp, err := http.Get(app.URL + "/?lang=vi")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`(?s)<textarea class="chart-embed-code" id="chart-` + id + `-embed"[^>]*>(.*?)</textarea>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("the overview offers no embed code for %s", id)
	}
	code := html.UnescapeString(string(m[1]))
	src := app.URL + "/embed/charts/" + id
	if !strings.Contains(code, `src="`+html.EscapeString(src)) {
		t.Fatalf("embed code %q does not frame %s", code, src)
	}

	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Báo địa phương</title></head>
<body><h1>Luân chuyển cán bộ ở các địa phương</h1><p>Bài viết của báo.</p>
`+code+`
<p>Hết bài.</p></body></html>`)
	}))
	t.Cleanup(host.Close)
	if host.URL == app.URL {
		t.Fatal("the host page must be another origin")
	}

	p := b.Visit(t, host.URL)
	// The chart draws in the frame (ECharts owns the canvas).
	drawn := browsertest.EvalInFrame[bool](p, src, `new Promise(function (done) {
		(function check() {
			var el = document.querySelector('.chart-canvas');
			if (el && el.hasAttribute('_echarts_instance_') && el.getAttribute('data-chart-state') === 'ready' && el.querySelector('canvas')) done(true);
			else setTimeout(check, 50);
		})();
	})`)
	if !drawn {
		t.Fatal("the chart is not drawn in the frame")
	}
	title := browsertest.EvalInFrame[string](p, src, `document.querySelector('figcaption').textContent`)
	if !strings.Contains(title, "Cán bộ được luân chuyển") {
		t.Errorf("frame's caption %q lacks the chart's title", title)
	}

	// The host's listener sets the iframe's height from the embed's message.
	heightAfter := func(old string) int {
		t.Helper()
		h := browsertest.Eval[string](p, `new Promise(function (done) {
			(function check() {
				var h = document.querySelector('iframe').style.height;
				if (h && h !== `+strconv.Quote(old)+`) done(h); else setTimeout(check, 50);
			})();
		})`)
		n, err := strconv.Atoi(strings.TrimSuffix(h, "px"))
		if err != nil {
			t.Fatalf("iframe height %q", h)
		}
		return n
	}
	wide := heightAfter("")
	doc := browsertest.EvalInFrame[float64](p, src, `document.documentElement.getBoundingClientRect().height`)
	if d := float64(wide) - doc; d < -1 || d > 1 {
		t.Errorf("iframe is %d px high, its document %.0f px", wide, doc)
	}
	attr := browsertest.Eval[string](p, `document.querySelector('iframe').getAttribute('height')`)
	if strconv.Itoa(wide) == attr {
		t.Logf("the embed's height equals the code's default (%s px)", attr)
	}
	// A phone: the text wraps, the embed grows, the iframe follows.
	p.SetViewport(375, 800)
	narrow := heightAfter(strconv.Itoa(wide) + "px")
	if narrow <= wide {
		t.Errorf("iframe height %d px on a phone, %d px on a desktop: want taller", narrow, wide)
	}
	if w := browsertest.Eval[int](p, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the host page is %d px wide on a 375 px screen", w)
	}

	// The link back opens the app's page of the same view, in a new tab.
	link := browsertest.EvalInFrame[map[string]string](p, src, `(function () {
		var a = document.querySelector('a.embed-full');
		return {href: a.href, target: a.target};
	})()`)
	if !strings.HasPrefix(link["href"], app.URL+"/?") || !strings.HasSuffix(link["href"], "#chart-"+id) || link["target"] != "_blank" {
		t.Errorf("link back %q (target %q), want %s/?…#chart-%s in a new tab", link["href"], link["target"], app.URL, id)
	}
	sources := browsertest.EvalInFrame[[]string](p, src, `Array.from(document.querySelectorAll('.chart-source a[href*="/sources/"]')).map(function (a) { return a.href; })`)
	if len(sources) == 0 || !strings.HasPrefix(sources[0], app.URL+"/sources/") {
		t.Errorf("source links %q, want the app's /sources/{id}", sources)
	}
	if errs := p.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	if v := p.CSPViolations(); len(v) > 0 {
		t.Errorf("CSP violations:\n%s", strings.Join(v, "\n"))
	}
	p.Screenshot("embed-host-375")

	// The app's other pages stay out of frames: the browser shows its
	// error page instead.
	framer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Khung</title></head><body>
<iframe src="`+app.URL+`/?lang=vi" title="Tổng quan"></iframe></body></html>`)
	}))
	t.Cleanup(framer.Close)
	if urls := browsertest.FrameURLs(b.Visit(t, framer.URL)); len(urls) != 1 || strings.HasPrefix(urls[0], app.URL) {
		t.Errorf("frames of a page framing the overview: %q, want the browser's error page", urls)
	}

	// On the app's page, "Nhúng" unfolds the code and copies it.
	pg := b.Visit(t, app.URL+"/?lang=vi")
	pg.Click(`#chart-` + id + `-embed-details summary`)
	pg.WaitVisible(`#chart-` + id + `-embed`)
	pg.Click(`.chart-embed-copy[data-target="chart-` + id + `-embed"]`)
	got := browsertest.Eval[string](pg, `new Promise(function (done) {
		(function check() {
			var b = document.querySelector('.chart-embed-copy[data-target="chart-`+id+`-embed"]');
			if (b.textContent === b.getAttribute('data-label-copied')) done(b.textContent); else setTimeout(check, 50);
		})();
	})`)
	if got != "Đã sao chép" {
		t.Errorf("copy button says %q after a click", got)
	}
	if sel := browsertest.Eval[string](pg, `(function () { var a = document.activeElement; return a.value.substring(a.selectionStart, a.selectionEnd); })()`); sel != code {
		t.Errorf("the selected text is not the embed code: %q", sel)
	}
}
