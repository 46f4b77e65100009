package inbrowser_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// TestMapBrowser draws the map of a synthetic country in Chromium: the
// boundaries load from this server, Điện Biên, Quảng Bình and a synthetic
// province are coloured from the visualMap's range, a province without a
// value has none (it is drawn grey), and the page passes axe and the
// checks every page passes.
// mapFigures: the synthetic country drawn (as in the public package's map tests).
const mapFigures = 20_000

func TestMapBrowser(t *testing.T) {
	b := browsertest.New(t)
	pool := pgtest.NewSyntheticDB(t, mapFigures)
	srv := httptest.NewServer(servertest.NewServer(t, pool))
	t.Cleanup(srv.Close)
	best, want := servertest.MapComparison(t, stats.NewService(postgres.New(pool)))
	var synthetic, grey string
	for _, a := range want.Areas {
		switch {
		case a.Bar != nil && synthetic == "" && !slices.Contains([]string{"Điện Biên", "Quảng Bình", "Quảng Ninh", "Hải Phòng", "Vĩnh Phúc"}, a.Name):
			synthetic = a.Name
		case a.Bar == nil && grey == "":
			grey = a.Name
		}
	}
	if synthetic == "" || grey == "" {
		t.Fatalf("no synthetic province coloured (%q) or none grey (%q)", synthetic, grey)
	}

	// Vietnamese only: English texts are the Go tests' (a visit costs seconds).
	for _, lang := range []string{"vi"} {
		t.Run(lang, func(t *testing.T) {
			p := b.Visit(t, srv.URL+"/map?indicator="+best.Indicator.Key+"&per=reported&base=reported&lang="+lang)
			p.WaitVisible(`.map-canvas[data-chart-state="ready"]`)
			checkPage(t, p, srv)
			if !slices.ContainsFunc(p.Requests(), func(r string) bool { return strings.Contains(r, "vn63") && strings.HasSuffix(r, ".json") }) {
				t.Errorf("the boundaries were not loaded: %q", p.Requests())
			}
			// What ECharts drew: each province's value and fill.
			type region struct {
				Value float64 `json:"value"`
				Fill  string  `json:"fill"`
				Has   bool    `json:"has"`
			}
			drawn := browsertest.Eval[map[string]region](p, `(function () {
				var c = echarts.getInstanceByDom(document.querySelector('.map-canvas'));
				var data = c.getModel().getSeriesByIndex(0).getData();
				var out = {};
				for (var i = 0; i < data.count(); i++) {
					var v = data.get('value', i);
					var style = data.getItemVisual(i, 'style') || {};
					out[data.getName(i)] = {value: isNaN(v) ? -1 : v, has: !isNaN(v), fill: String(style.fill || '')};
				}
				return out;
			})()`)
			for _, name := range []string{"Điện Biên", "Quảng Bình", synthetic} {
				r, ok := drawn[name]
				i := slices.IndexFunc(want.Areas, func(a stats.MapArea) bool { return a.Name == name })
				if !ok || !r.Has || r.Value != want.Areas[i].Bar.Value || r.Fill == "" || strings.EqualFold(r.Fill, "#d0d0d0") {
					t.Errorf("%s drawn as %+v (%v), want value %v in the legend's colours", name, r, ok, want.Areas[i].Bar.Value)
				}
			}
			if r := drawn[grey]; r.Has {
				t.Errorf("%s has no value but is drawn as %+v", grey, r)
			}
			if got := browsertest.Eval[string](p, `echarts.getInstanceByDom(document.querySelector('.map-canvas')).getOption().series[0].itemStyle.areaColor`); got != "#d0d0d0" {
				t.Errorf("provinces without a value are drawn %q, want grey", got)
			}
			// The archipelagos' names, written on the map inside its canvas.
			labels := browsertest.Eval[[]string](p, `(function () {
				var c = echarts.getInstanceByDom(document.querySelector('.map-canvas'));
				var r = c.getDom().getBoundingClientRect();
				return (c.getOption().graphic[0].elements || []).filter(function (e) {
					return e.x > 0 && e.x < r.width && e.y > 0 && e.y < r.height;
				}).map(function (e) { return e.style.text; });
			})()`)
			if !slices.Equal(labels, []string{"Quần đảo Hoàng Sa", "Quần đảo Trường Sa"}) {
				t.Errorf("the map's labels inside the canvas are %q, want the two archipelagos", labels)
			}
			if lang == "vi" {
				p.Screenshot("map")
			}
		})
	}
	t.Run("phone", func(t *testing.T) {
		p := b.Visit(t, srv.URL+"/map?era=34&indicator="+best.Indicator.Key+"&lang=vi")
		p.SetViewport(375, 800)
		p.WaitVisible(`.map-canvas[data-chart-state="ready"]`)
		checkPage(t, p, srv)
		if w := browsertest.Eval[int](p, `document.documentElement.scrollWidth`); w > 375 {
			t.Errorf("the map page is %d px wide on a 375 px screen", w)
		}
		p.Screenshot("map-34-375")
	})
}
