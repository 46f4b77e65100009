// Package web holds the browser-side files of cadrestats: static assets
// (CSS, the chart script, vendored ECharts) and, in templates.go, the HTML
// templates. They are embedded so that the binary needs no files beside it.
package web

import "embed"

// Static holds the folder static/ (css/, js/, img/, and vendor/ with
// ECharts 5.6.0 from npm, bundled by scripts/echarts, and its licence). Serve fs.Sub(Static, "static")
// under /static/.
//
//go:embed static
var Static embed.FS

// ChartFont is DejaVu Sans (fonts/LICENSE-DejaVu), the font of the chart
// images drawn on the server (internal/chartimg): it has every Vietnamese
// letter and the arrows of rotation titles ("huyện → xã"), which the font
// go-analyze/charts embeds lacks.
//
//go:embed fonts/DejaVuSans.ttf
var ChartFont []byte
