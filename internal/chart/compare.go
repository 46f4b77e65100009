package chart

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Kind says what a chart sets side by side, so that tests (and readers)
// know which rules it must keep.
type Kind string

const (
	KindCompare   Kind = "compare"   // one indicator across localities: one unit, levels and periods on every bar
	KindSeries    Kind = "series"    // one indicator of one locality over its periods
	KindBreakdown Kind = "breakdown" // a total and its declared parts
	KindFlows     Kind = "flows"     // moves between levels, one indicator
	KindCoverage  Kind = "coverage"  // which periods the figures describe
)

// levelColors give each administrative level one colour on every chart,
// whatever the filter: a province's bar never looks like a district's.
var levelColors = map[stats.Level]string{
	stats.LevelNational:       "#7a1f2b",
	stats.LevelProvince:       "#1f4e9c",
	stats.LevelProvincialCity: "#00796b",
	stats.LevelDistrict:       "#b25e00",
	stats.LevelCommune:        "#6a3d9a",
}

// lowerBoundDecal hatches a bar that is only a lower bound ("ít nhất 15"),
// in colour and in print alike.
var lowerBoundDecal = map[string]any{"symbol": "rect", "symbolSize": 1, "dashArrayX": []any{1, 0},
	"dashArrayY": []any{3, 4}, "rotation": -0.785, "color": "rgba(255,255,255,0.55)"}

// MaxBars is how many localities a comparison draws; its table lists
// them all. Thirty-four provinces fit, sixty-three do not.
const MaxBars = 40

// IndicatorTitle is the indicator's name, with the direction of a
// rotation between levels: "Cán bộ được luân chuyển: huyện → xã".
func IndicatorTitle(p Printer, ind stats.Indicator, from, to stats.Level, english bool) string {
	t := ind.Label(english)
	if from != "" {
		t += ": " + p.T("level.short."+string(from)) + " → " + p.T("level.short."+string(to))
	}
	return t
}

// Compare draws one comparison as its view makes it comparable: a bar
// per locality the view can draw, coloured by the locality's level (with a
// legend), labelled with its value and unit, its period and scope beside
// the locality's name; a lower bound is hatched and says "ít nhất"; a
// locality without a value says so and gets no bar; one the view cannot
// draw (no number of sub-units, no cadres to divide by) is listed under
// the chart, never drawn raw. The subtitle says what the bars show and,
// when the view was chosen for the reader, why.
func Compare(id string, cv stats.ComparisonView, s Settings) Chart {
	p := s.P
	ind := cv.Indicator
	unit := ViewUnit(p, ind.Unit, cv)
	mode := ViewMode(p, cv)
	title := IndicatorTitle(p, ind, cv.FromLevel, cv.ToLevel, s.English)
	var used []stats.Figure
	for _, b := range cv.Bars {
		used = append(used, b.Entry.Figure)
		if b.Units != nil {
			used = append(used, *b.Units)
		}
		if b.Base != nil {
			used = append(used, *b.Base)
		}
	}
	sub := p.T("chart.unit", unit) + " · " + mode
	h := header{title: title, subtitle: sub, sources: sourceLines(p, used), legend: true}
	c := Chart{ID: id, Kind: KindCompare, Title: title, Subtitle: sub, Sources: h.sources, Unit: unit,
		Indicator: ind.Key, Definition: definition(ind, s.English)}
	transformed := cv.PerYear || cv.Base != stats.BaseReported
	c.Table.Head = []string{p.T("col.locality"), p.T("col.level"), p.T("col.value"), p.T("col.unit"),
		p.T("col.period"), p.T("col.scope"), p.T("col.source")}
	if transformed {
		c.Table.Head = slices.Insert(c.Table.Head, 4, p.T("col.value_reported"))
	}

	type bar struct {
		label string
		level stats.Level
		value *float64
		text  string
		lower bool
	}
	var bars []bar
	var aria []string
	levels := []stats.Level{}
	addLevel := func(l stats.Level) {
		if !slices.Contains(levels, l) {
			levels = append(levels, l)
		}
	}
	for _, b := range cv.Bars {
		e := b.Entry
		f, l := e.Figure, e.Locality
		period := Period(p, f)
		level := p.T("level." + string(l.Level))
		scope := BarScope(p, b)
		// "4/17", "hơn 7.200", "ít nhất 15": the qualifier and denominator
		// stay with the number (a computed value keeps only the qualifier).
		shown := Value(p, stats.Figure{Value: b.Value, Qualifier: f.Qualifier, Completeness: f.Completeness,
			Denominator: f.Denominator, Unit: f.Unit})
		if transformed {
			shown = Value(p, stats.Figure{Value: b.Value, Qualifier: f.Qualifier, Completeness: f.Completeness})
		}
		label := ValueUnit(shown, unit, f.Unit)
		axis := l.Name + " (" + level + ")\n" + period
		if scope != "" {
			axis += " · " + scope
		}
		bars = append(bars, bar{label: axis, level: l.Level, value: ptr(b.Value), text: label, lower: f.IsLowerBound()})
		addLevel(l.Level)
		note := ""
		if e.Conflict() {
			note = " · " + p.T("compare.other_values", p.Number(float64(e.OtherCount)))
		}
		aria = append(aria, l.Name+" ("+level+", "+period+scopeAria(scope)+"): "+label+note)
		row := []Cell{text(l.Name), text(level), num(shown), text(unit), text(period), text(ScopeText(p, f)),
			text(f.Source.Outlet + ", " + p.Date(f.Source.PublishedOn))}
		if transformed {
			row = slices.Insert(row, 4, num(ValueWithUnit(p, f)))
		}
		c.Table.Rows = append(c.Table.Rows, row)
		r := Record{Label: l.Name, Series: ind.Key, Level: string(l.Level), Value: ptr(b.Value), Unit: f.Unit,
			Qualifier: f.Qualifier, Completeness: f.Completeness, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd,
			FigureIDs: []int64{f.ID}, Sources: sourceTitles([]stats.Figure{f}), Scope: f.Scope}
		if transformed {
			r.Reported, r.Years = ptr(f.Value), b.Years
		}
		if b.Units != nil {
			r.OverUnits = b.Units.Value
			r.DenominatorIDs = append(r.DenominatorIDs, b.Units.ID)
		}
		if b.Base != nil {
			r.OverCadres = b.Base.Value
			r.DenominatorIDs = append(r.DenominatorIDs, b.Base.ID)
		}
		c.Records = append(c.Records, r)
		if e.Conflict() {
			var vals []string
			for _, o := range e.Others {
				vals = append(vals, Value(p, o)+" ("+o.Source.Outlet+", "+p.Date(o.Source.PublishedOn)+")")
			}
			if more := e.OtherCount - len(e.Others); more > 0 {
				vals = append(vals, p.T("compare.more_values", p.Number(float64(more))))
			}
			key := "compare.conflict"
			if f.Rank == stats.RankPreferred {
				key = "compare.conflict_preferred"
			}
			c.Conflicts = append(c.Conflicts, p.T(key, l.Name, Value(p, f), strings.Join(vals, "; ")))
		}
	}
	var leftOut []string
	for _, lo := range cv.LeftOut {
		f, l := lo.Entry.Figure, lo.Entry.Locality
		level := p.T("level." + string(l.Level))
		why := p.T("view.left_out." + lo.Reason)
		leftOut = append(leftOut, l.Name+" ("+ValueWithUnit(p, f)+", "+Period(p, f)+"): "+why)
		row := []Cell{text(l.Name), text(level), {Text: p.T("view.not_drawn"), NoData: true}, text(""), text(Period(p, f)),
			text(ScopeText(p, f) + " — " + why), text(f.Source.Outlet + ", " + p.Date(f.Source.PublishedOn))}
		if transformed {
			row = slices.Insert(row, 4, num(ValueWithUnit(p, f)))
		}
		c.Table.Rows = append(c.Table.Rows, row)
		c.Records = append(c.Records, Record{Label: l.Name, Series: ind.Key, Level: string(l.Level), Unit: f.Unit,
			Reported: ptr(f.Value), Qualifier: f.Qualifier, Completeness: f.Completeness, PeriodStart: f.PeriodStart,
			PeriodEnd: f.PeriodEnd, FigureIDs: []int64{f.ID}, Sources: sourceTitles([]stats.Figure{f}), Scope: f.Scope,
			LeftOut: lo.Reason})
	}
	for _, l := range cv.Missing {
		level := p.T("level." + string(l.Level))
		// No bar, so no legend entry: the label names the level.
		bars = append(bars, bar{label: l.Name + " (" + level + ")\n" + p.T("chart.no_data"), level: l.Level})
		aria = append(aria, l.Name+": "+p.T("chart.no_data"))
		row := []Cell{text(l.Name), text(level), noData(p), text(""), text(""), text(""), text("")}
		if transformed {
			row = slices.Insert(row, 4, text(""))
		}
		c.Table.Rows = append(c.Table.Rows, row)
		c.Records = append(c.Records, Record{Label: l.Name, Series: ind.Key, Level: string(l.Level)})
	}
	if n := len(bars); n > MaxBars {
		// Localities with a value come first: those without lose their
		// label rows first, then the last ones in the reader's order.
		bars = bars[:MaxBars]
		c.Notes = append(c.Notes, p.T("chart.bars_capped", MaxBars, n))
	}
	if slices.ContainsFunc(bars, func(b bar) bool { return b.lower }) {
		c.Notes = append(c.Notes, p.T("compare.lower_bound_key"))
	}
	if cv.MixedScope {
		c.Notes = append(c.Notes, p.T("view.mixed_scope"))
	}
	if len(leftOut) > 0 {
		c.Notes = append(c.Notes, p.T("view.left_out", strings.Join(leftOut, "; ")))
	}
	if s.View.Per == stats.PerYear && !cv.PerYear {
		c.Notes = append(c.Notes, p.T("compare.no_per_year"))
	}
	c.AriaLabel = title + " (" + unit + ", " + mode + "): " + strings.Join(aria, "; ")

	// One series per level, stacked so that each locality has one bar in
	// its level's colour and the legend names the levels.
	labels := make([]string, len(bars))
	for i, b := range bars {
		labels[i] = b.label
	}
	bc := charts.NewBar()
	bc.SetGlobalOptions(h.globals(p)...)
	bc.SetXAxis(labels)
	for _, lv := range levels {
		data := make([]opts.BarData, len(bars))
		for i, b := range bars {
			data[i] = opts.BarData{Value: nil}
			if b.level == lv && b.value != nil {
				data[i] = opts.BarData{Value: *b.value}
			}
		}
		bc.AddSeries(p.T("level."+string(lv)), data,
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: levelColors[lv]}),
			charts.WithBarChartOpts(opts.BarChart{Stack: "levels"}))
	}
	bc.XYReversal()
	bc.Validate()
	m := toMap(bc.JSON())
	m["grid"] = grid(h, 110)
	if y, ok := firstAxis(m, "yAxis"); ok {
		y["inverse"] = true
		// Long names and scopes wrap instead of being cut ("Móng Cái
		// (thành phố t…"): the label is at most 170 px wide, on more lines.
		y["axisLabel"] = map[string]any{"interval": 0, "lineHeight": axisLineHeight, "width": 170, "overflow": "break"}
	}
	if x, ok := firstAxis(m, "xAxis"); ok {
		x["type"] = "value"
		x["splitNumber"] = 4 // "8.000" is wider than ECharts assumes
		if ind.Unit == "percent" && cv.Base == stats.BaseReported {
			x["max"] = 100
		}
	}
	for si, sm := range series(m) {
		sm["barMaxWidth"] = 28
		data, _ := sm["data"].([]any)
		for i, b := range bars {
			if b.level != levels[si] || b.value == nil || i >= len(data) {
				continue
			}
			d, ok := data[i].(map[string]any)
			if !ok {
				continue
			}
			d["label"] = b.text
			if b.lower {
				d["itemStyle"] = map[string]any{"decal": lowerBoundDecal, "opacity": 0.75}
			}
		}
	}
	c.Options = m
	c.Plot = &Plot{Categories: labels, Stacked: true}
	for _, lv := range levels {
		ps := PlotSeries{Name: p.T("level." + string(lv)), Color: levelColors[lv], Values: make([]*float64, len(bars)),
			Labels: make([]string, len(bars)), Lower: make([]bool, len(bars))}
		for i, b := range bars {
			if b.level == lv && b.value != nil {
				ps.Values[i], ps.Labels[i], ps.Lower[i] = b.value, b.text, b.lower
			}
		}
		c.Plot.Series = append(c.Plot.Series, ps)
	}
	return c
}

// ViewUnit is the unit of what a view draws: "người", "người/năm",
// "người/đơn vị/năm", "người/100 cán bộ".
func ViewUnit(p Printer, unit string, cv stats.ComparisonView) string {
	u := UnitName(p, unit)
	switch cv.Base {
	case stats.BaseUnit:
		u = p.T("unit.per_unit", u)
	case stats.BaseCadres:
		u = p.T("unit.per_100_cadres", u)
	}
	if cv.PerYear {
		u = p.T("unit.per_year", u)
	}
	return u
}

// ViewMode says what the bars show and, when the view was chosen for the
// reader, why: "bình quân mỗi năm (tự chọn vì kỳ báo cáo dài ngắn khác nhau)".
func ViewMode(p Printer, cv stats.ComparisonView) string {
	var parts []string
	if cv.PerYear {
		parts = append(parts, p.T("chart.per_year"))
	}
	switch cv.Base {
	case stats.BaseUnit:
		parts = append(parts, p.T("view.base.unit"))
	case stats.BaseCadres:
		parts = append(parts, p.T("view.base.cadres"))
	}
	if len(parts) == 0 {
		parts = append(parts, p.T("chart.as_reported"))
	}
	mode := strings.Join(parts, ", ")
	if len(cv.Auto) > 0 {
		var why []string
		for _, a := range cv.Auto {
			why = append(why, p.T("view.auto."+a))
		}
		mode += " (" + p.T("view.auto", strings.Join(why, "; ")) + ")"
	}
	return mode
}

// BarScope is what a bar says of its scope and divisor: "" for a unit's
// own count as reported, "tổng các đơn vị trực thuộc", "÷ 10 đơn vị
// (04/09/2024)", "÷ 417 cán bộ × 100 (28/09/2016)".
func BarScope(p Printer, b stats.ViewBar) string {
	var parts []string
	if f := b.Entry.Figure; f.IsSum() && b.Units == nil {
		parts = append(parts, p.T("scope."+f.Scope))
	}
	if u := b.Units; u != nil {
		parts = append(parts, p.T("view.over_units", p.Number(u.Value), Period(p, *u)))
	}
	if c := b.Base; c != nil {
		parts = append(parts, p.T("view.over_cadres", p.Number(c.Value), Period(p, *c)))
	}
	return strings.Join(parts, " · ")
}

func scopeAria(scope string) string {
	if scope == "" {
		return ""
	}
	return ", " + scope
}

// ScopeText names a figure's scope in the page's language.
func ScopeText(p Printer, f stats.Figure) string {
	sc := f.Scope
	if sc == "" {
		sc = stats.ScopeOwn
	}
	return p.T("scope." + sc)
}

// ValueUnit joins a printed value and its unit: "62%" stays "62%", never
// "62% %".
func ValueUnit(value, unit, rawUnit string) string {
	if rawUnit == "percent" && (unit == "%" || unit == "") {
		return value
	}
	return value + " " + unit
}

// ValueWithUnit is a figure's value and unit as a table cell shows them:
// "37 người", "62%" (never "62% %").
func ValueWithUnit(p Printer, f stats.Figure) string {
	return ValueUnit(Value(p, f), UnitName(p, f.Unit), f.Unit)
}

// Unfair is the row of a comparison the view cannot draw fairly, saying
// why ("phạm vi khác nhau", "không có mẫu số").
func Unfair(p Printer, cv stats.ComparisonView, english bool) (title, why string) {
	return IndicatorTitle(p, cv.Indicator, cv.FromLevel, cv.ToLevel, english), p.T("view.not_drawn." + cv.Reason)
}

// Uncomparable is the table of a category's figures that no comparison
// holds, each with its indicator (or none), level and period: the reader
// sees what was reported without a chart suggesting it compares.
func Uncomparable(p Printer, u stats.Uncompared, english bool) Table {
	t := Table{Head: []string{p.T("col.locality"), p.T("col.indicator"), p.T("col.subject"), p.T("col.value"),
		p.T("col.period")}}
	for _, f := range u.Figures {
		ind := p.T("indicator.none")
		if f.Indicator != nil {
			ind = f.Indicator.Label(english)
		}
		t.Rows = append(t.Rows, []Cell{text(f.Locality.Name + " (" + p.T("level."+string(f.Locality.Level)) + ")"),
			text(ind), text(f.Subject), num(ValueWithUnit(p, f)), text(Period(p, f))})
	}
	return t
}

func definition(ind stats.Indicator, english bool) string {
	if english {
		return ind.DefinitionEN
	}
	return ind.Definition
}

// CompareID is the stable id of a comparison's chart.
func CompareID(cmp stats.Comparison) string {
	id := "compare-" + cmp.Indicator.Key
	if cmp.FromLevel != "" {
		id += fmt.Sprintf("-%s-%s", cmp.FromLevel, cmp.ToLevel)
	}
	return id
}
