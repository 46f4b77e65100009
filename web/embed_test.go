package web_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/web"
)

// TestStatic guards the vendored files that pages depend on: the ECharts
// 5.6.0 bundle of scripts/echarts (ECharts 6 lays charts out differently)
// with the chart types the pages draw and its Vietnamese locale.
func TestStatic(t *testing.T) {
	tests := []struct {
		path string
		want []string // substrings the file must contain
	}{
		{"static/vendor/echarts/echarts.custom.min.js", []string{`"5.6.0"`, `"sankey"`, `"pie"`, `"line"`, `"bar"`,
			`withName:"d\u1EEF li\u1EC7u cho {name}`}}, // the VI locale
		// The map page's bundle (scripts/echarts/map-entry.js): the same, plus the map series and visualMap.
		{"static/vendor/echarts/echarts.map.min.js", []string{`"5.6.0"`, `"map"`, `"visualMap"`, `"sankey"`,
			`withName:"d\u1EEF li\u1EC7u cho {name}`}},
		{"static/js/map.js", []string{"renderMode: 'richText'", "registerMap"}},
		{"static/map/vn63.json", []string{`"Điện Biên"`, `"Quảng Bình"`, `"MultiPolygon"`}},
		{"static/map/vn34.json", []string{`"Quảng Trị"`, `"members"`}},
		{"static/vendor/echarts/LICENSE", []string{"Apache License"}},
		{"static/vendor/echarts/NOTICE", []string{"Apache ECharts"}},
		{"static/js/charts.js", []string{"renderMode = 'richText'"}},
		{"static/css/app.css", []string{"@media print"}},
		{"static/img/favicon.svg", []string{"<svg"}},
	}
	for _, tt := range tests {
		b, err := fs.ReadFile(web.Static, tt.path)
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s does not contain %q", tt.path, w)
			}
		}
	}
}
