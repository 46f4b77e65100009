// entry.js lists what cadrestats draws with ECharts 5; build.sh bundles only
// that (and what it depends on) into web/static/vendor/echarts/.
//
// Adding a chart type or component the Go code (internal/chart) or
// web/static/js/charts.js starts to use is one name in one list below, then
// ./build.sh. A page that uses something missing here logs
// "[ECharts] Component X is used but not imported" and the chart does not
// draw: the browser tests (internal/server/browser_test.go) catch it.
//
// The bundle is an IIFE that sets window.echarts, as dist/echarts.min.js
// does, so charts.js calls echarts.init, echarts.getInstanceByDom and
// echarts.format the same way.
import { use, registerLocale } from 'echarts/core';
import { BarChart, LineChart, PieChart, SankeyChart } from 'echarts/charts';
import {
  AriaComponent, // aria.enabled on every chart; includes decal patterns (aria.decal)
  GraphicComponent, // charts.js draws "no data" as a graphic text
  GridComponent, // cartesian axes: value, category and time (coverage chart)
  LegendPlainComponent, // legend.type "plain"; "scroll" needs LegendScrollComponent
  TitleComponent,
  ToolboxComponent, // saveAsImage
  TooltipComponent, // renderMode "richText" (CSP forbids the HTML tooltip's inline styles)
  // Not used today, each one line away: DatasetComponent, MarkLineComponent,
  // MarkAreaComponent, MarkPointComponent, DataZoomComponent, VisualMapComponent,
  // LegendScrollComponent; features LabelLayout, UniversalTransition.
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
// The ES module form of i18n/langVI.js: toolbox, aria and date texts in
// Vietnamese for echarts.init(el, null, {locale: 'VI'}). EN is built in.
import langVI from 'echarts/lib/i18n/langVI.js';

use([
  BarChart, LineChart, PieChart, SankeyChart,
  AriaComponent, GraphicComponent, GridComponent, LegendPlainComponent,
  TitleComponent, ToolboxComponent, TooltipComponent,
  CanvasRenderer,
]);
registerLocale('VI', langVI);

export * from 'echarts/core';
