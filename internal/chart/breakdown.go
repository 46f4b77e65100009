package chart

import (
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Distribution shows how a total splits into its parts, each with its
// share (Tiên Lãng 2011: 318, 276, 14 and 2 of 610 cadres evaluated). The
// shares are of the printed total, so that parts that do not add up show.
func Distribution(id string, total stats.Figure, parts []stats.Figure, s Settings) Chart {
	p := s.P
	unit := UnitName(p, total.Unit)
	sub := p.T("distribution.subtitle", total.Subject, Value(p, total), unit, Period(p, total))
	h := header{title: CategoryName(total.Category, s.English), subtitle: sub, sources: sourceLines(p, append([]stats.Figure{total}, parts...))}
	c := Chart{ID: id, Kind: KindBreakdown, Title: h.title, Subtitle: sub, Sources: h.sources, Unit: unit}
	if s.PerYear {
		c.Notes = append(c.Notes, p.T("chart.breakdown_as_reported"))
	}
	c.Table.Head = []string{p.T("col.subject"), p.T("col.value"), p.T("col.share"), p.T("col.period")}
	labels := make([]string, len(parts))
	data := make([]opts.BarData, len(parts))
	texts := make([]string, len(parts))
	var aria []string
	for i, f := range parts {
		labels[i] = shortSubject(total, f)
		share := p.Number(round1(f.Value/total.Value*100)) + "%"
		data[i] = opts.BarData{Value: f.Value}
		texts[i] = Value(p, f) + " (" + share + ")"
		aria = append(aria, labels[i]+": "+Value(p, f)+" ("+share+")")
		c.Table.Rows = append(c.Table.Rows, []Cell{text(f.Subject), num(Value(p, f)), num(share), text(Period(p, f))})
		c.Records = append(c.Records, Record{Label: f.Subject, Series: total.Subject, Value: ptr(f.Value), Unit: f.Unit,
			Qualifier: f.Qualifier, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd, FigureIDs: []int64{f.ID},
			Sources: sourceTitles([]stats.Figure{f})})
	}
	c.Table.Rows = append(c.Table.Rows, []Cell{text(total.Subject), num(Value(p, total)), num("100%"), text(Period(p, total))})
	c.Records = append(c.Records, Record{Label: total.Subject, Series: "total", Value: ptr(total.Value), Unit: total.Unit,
		Qualifier: total.Qualifier, PeriodStart: total.PeriodStart, PeriodEnd: total.PeriodEnd, FigureIDs: []int64{total.ID},
		Sources: sourceTitles([]stats.Figure{total})})
	c.AriaLabel = sub + ": " + strings.Join(aria, "; ")
	ss := []namedSeries{{name: total.Subject, data: data, texts: texts, color: "#146c2e"}}
	c.Options = horizontalBar(h, labels, ss, p)
	c.Plot = plotOf(labels, ss, p)
	return c
}

// Composition shows one part of a total against the rest as a ring (the
// 161 women among 417 cadres). The rest is computed, and named so.
func Composition(id string, total, part stats.Figure, s Settings) Chart {
	p := s.P
	unit := UnitName(p, total.Unit)
	sub := p.T("composition.subtitle", total.Subject, Value(p, total), unit, Period(p, total))
	h := header{title: CategoryName(total.Category, s.English), subtitle: sub, sources: sourceLines(p, []stats.Figure{total, part})}
	c := Chart{ID: id, Kind: KindBreakdown, Title: h.title, Subtitle: sub, Sources: h.sources, Unit: unit}
	if s.PerYear {
		c.Notes = append(c.Notes, p.T("chart.breakdown_as_reported"))
	}
	rest := total.Value - part.Value
	share := func(v float64) string { return p.Number(round1(v/total.Value*100)) + "%" }
	partName := shortSubject(total, part)
	restName := p.T("composition.rest")
	c.Table.Head = []string{p.T("col.subject"), p.T("col.value"), p.T("col.share")}
	c.Table.Rows = [][]Cell{
		{text(partName), num(Value(p, part)), num(share(part.Value))},
		{text(restName), num(p.Number(rest)), num(share(rest))},
		{text(total.Subject), num(Value(p, total)), num("100%")},
	}
	c.Records = []Record{
		{Label: part.Subject, Series: total.Subject, Value: ptr(part.Value), Unit: part.Unit, Qualifier: part.Qualifier,
			PeriodStart: part.PeriodStart, PeriodEnd: part.PeriodEnd, FigureIDs: []int64{part.ID}, Sources: sourceTitles([]stats.Figure{part})},
		{Label: "rest (computed)", Series: total.Subject, Value: ptr(rest), Unit: total.Unit, Qualifier: total.Qualifier,
			PeriodStart: total.PeriodStart, PeriodEnd: total.PeriodEnd, FigureIDs: []int64{total.ID, part.ID}},
		{Label: total.Subject, Series: "total", Value: ptr(total.Value), Unit: total.Unit, Qualifier: total.Qualifier,
			PeriodStart: total.PeriodStart, PeriodEnd: total.PeriodEnd, FigureIDs: []int64{total.ID}, Sources: sourceTitles([]stats.Figure{total})},
	}
	c.AriaLabel = sub + ": " + partName + " " + Value(p, part) + " (" + share(part.Value) + "), " +
		restName + " " + p.Number(rest) + " (" + share(rest) + ")"

	pie := charts.NewPie()
	pie.SetGlobalOptions(h.globals(p)...)
	pie.AddSeries(total.Subject, []opts.PieData{
		{Name: partName + ": " + Value(p, part) + " (" + share(part.Value) + ")", Value: part.Value, ItemStyle: &opts.ItemStyle{Color: "#6d28d9"}},
		{Name: restName + ": " + p.Number(rest) + " (" + share(rest) + ")", Value: rest, ItemStyle: &opts.ItemStyle{Color: "#9aa0a6"}},
	})
	pie.Validate()
	m := toMap(pie.JSON())
	for _, sm := range series(m) {
		sm["radius"] = []string{"28%", "48%"}
		sm["center"] = []any{"50%", h.top() + 90}
		// Names carry the numbers; they wrap rather than run off a phone.
		sm["label"] = map[string]any{"show": true, "formatter": "{b}", "width": 110, "overflow": "break"}
	}
	c.Options = m
	c.Plot = &Plot{From: "pie", Categories: []string{partName, restName}, Series: []PlotSeries{{
		Name: total.Subject, Color: "#6d28d9", Values: []*float64{ptr(part.Value), ptr(rest)},
		Labels: []string{Value(p, part) + " (" + share(part.Value) + ")", p.Number(rest) + " (" + share(rest) + ")"},
		Lower:  []bool{false, false}}}}
	return c
}

// shortSubject drops the total's subject from a part's when the part
// repeats it ("cán bộ diện BTV huyện uỷ quản lý: nữ" → "nữ").
func shortSubject(total, part stats.Figure) string {
	if rest, ok := strings.CutPrefix(part.Subject, total.Subject+":"); ok {
		return strings.TrimSpace(rest)
	}
	return part.Subject
}

type namedSeries struct {
	name    string
	data    []opts.BarData
	texts   []string // per bar: text printed instead of the number ("" keeps it)
	color   string
	stack   string // series with one stack share a bar
	noLabel bool
}

// horizontalBar draws one bar per category, top-down. With one series the
// category is written above its bar ("33 · đào tạo trình độ thạc sỹ")
// rather than beside the axis: long Vietnamese subjects then leave the
// chart's whole width to the bars, on a phone too. Several series share an
// axis label instead, cut short (the table has the whole text).
func horizontalBar(h header, labels []string, ss []namedSeries, p Printer) map[string]any {
	bc := charts.NewBar()
	bc.SetGlobalOptions(h.globals(p)...)
	bc.SetXAxis(labels)
	above := len(ss) == 1
	for _, s := range ss {
		color := s.color
		if color == "" {
			color = "#0b57d0"
		}
		bc.AddSeries(s.name, s.data,
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(!s.noLabel), Position: "right"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
			charts.WithBarChartOpts(opts.BarChart{Stack: s.stack}))
	}
	bc.XYReversal()
	bc.Validate()
	m := toMap(bc.JSON())
	m["grid"] = grid(h, 72)
	if y, ok := firstAxis(m, "yAxis"); ok {
		y["inverse"] = true
		y["axisLabel"] = categoryLabels(130)
		if above {
			y["axisLabel"] = map[string]any{"show": false}
			y["axisTick"] = map[string]any{"show": false}
		}
	}
	if x, ok := firstAxis(m, "xAxis"); ok {
		x["type"] = "value"
		x["splitNumber"] = 4 // "8.000" is wider than ECharts assumes
	}
	for i, sm := range series(m) {
		sm["barMaxWidth"] = 24
		texts := ss[i].texts
		if above {
			sm["barMaxWidth"] = 14
			texts = make([]string, len(labels))
			for j, l := range labels {
				v := ""
				if j < len(ss[i].texts) {
					v = ss[i].texts[j]
				}
				if v == "" {
					if f, ok := ss[i].data[j].Value.(float64); ok {
						v = p.Number(f)
					}
				}
				// The number first: a long subject is cut, never its number.
				texts[j] = v + " · " + l
			}
			// Above the bar, from its start; cut at the canvas's edge.
			sm["label"] = map[string]any{"show": true, "position": []any{0, -15}, "align": "left",
				"color": "#1a1a1a", "width": 280, "overflow": "truncate"}
		}
		setTexts(sm, texts)
	}
	return m
}

// setTexts makes bars print text instead of their number: charts.js
// draws a data item's string "label" in place of the value.
func setTexts(sm map[string]any, texts []string) {
	data, _ := sm["data"].([]any)
	for j, t := range texts {
		if t == "" || j >= len(data) {
			continue
		}
		if d, ok := data[j].(map[string]any); ok {
			d["label"] = t
		}
	}
}
