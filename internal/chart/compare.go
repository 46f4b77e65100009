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

// Compare draws one comparison: a bar per locality that reports the
// indicator, coloured by the locality's level (with a legend), labelled
// with its value and unit, its period beside the locality's name; a
// lower bound is hatched and says "ít nhất"; a locality without a value
// says so and gets no bar. Flows may be shown per year; stocks and
// percentages never are, and the subtitle says which the chart shows.
func Compare(id string, cmp stats.Comparison, s Settings) Chart {
	p := s.P
	ind := cmp.Indicator
	perYear := s.PerYear && ind.Measure == stats.Flow && ind.Unit != "percent"
	unit := UnitName(p, ind.Unit)
	mode := p.T("chart.as_reported")
	switch {
	case perYear:
		mode = p.T("chart.per_year")
		unit = p.T("unit.per_year", unit)
	case s.PerYear:
		mode = p.T("chart.as_reported_stock")
	}
	title := IndicatorTitle(p, ind, cmp.FromLevel, cmp.ToLevel, s.English)
	var used []stats.Figure
	for _, e := range cmp.Entries {
		used = append(used, e.Figure)
	}
	sub := p.T("chart.unit", unit) + " · " + mode
	h := header{title: title, subtitle: sub, sources: sourceLines(p, used), legend: true}
	c := Chart{ID: id, Kind: KindCompare, Title: title, Subtitle: sub, Sources: h.sources, Unit: unit,
		Indicator: ind.Key, Definition: definition(ind, s.English)}
	c.Table.Head = []string{p.T("col.locality"), p.T("col.level"), p.T("col.value"), p.T("col.unit"),
		p.T("col.period"), p.T("col.source")}
	if perYear {
		c.Table.Head = slices.Insert(c.Table.Head, 3, p.T("col.value_reported"))
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
	for _, e := range cmp.Entries {
		f, l := e.Figure, e.Locality
		v, years := drawn(f, perYear)
		period := Period(p, f)
		level := p.T("level." + string(l.Level))
		// "4/17", "hơn 7.200", "ít nhất 15": the qualifier and denominator
		// stay with the number (a per-year value keeps only the qualifier).
		shown := Value(p, stats.Figure{Value: v, Qualifier: f.Qualifier, Completeness: f.Completeness,
			Denominator: f.Denominator, Unit: f.Unit})
		if years > 0 {
			shown = Value(p, stats.Figure{Value: v, Qualifier: f.Qualifier, Completeness: f.Completeness})
		}
		lower := f.IsLowerBound()
		label := shown
		if f.Unit != "percent" {
			label += " " + unit
		}
		bars = append(bars, bar{label: l.Name + " (" + level + ")\n" + period, level: l.Level, value: ptr(v), text: label, lower: lower})
		addLevel(l.Level)
		note := ""
		if e.Conflict() {
			note = " · " + p.T("compare.other_values", len(e.Others))
		}
		aria = append(aria, l.Name+" ("+level+", "+period+"): "+label+note)
		row := []Cell{text(l.Name), text(level), num(shown), text(UnitName(p, f.Unit)), text(period),
			text(f.Source.Outlet + ", " + p.Date(f.Source.PublishedOn))}
		if perYear {
			row = slices.Insert(row, 3, num(Value(p, f)))
		}
		c.Table.Rows = append(c.Table.Rows, row)
		r := Record{Label: l.Name, Series: ind.Key, Level: string(l.Level), Value: ptr(v), Unit: f.Unit,
			Qualifier: f.Qualifier, Completeness: f.Completeness, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd,
			FigureIDs: []int64{f.ID}, Sources: sourceTitles([]stats.Figure{f})}
		if years > 0 {
			r.Reported, r.Years = ptr(f.Value), years
		}
		c.Records = append(c.Records, r)
		if e.Conflict() {
			var vals []string
			for _, o := range e.Others {
				vals = append(vals, Value(p, o)+" ("+o.Source.Outlet+", "+p.Date(o.Source.PublishedOn)+")")
			}
			key := "compare.conflict"
			if f.Rank == stats.RankPreferred {
				key = "compare.conflict_preferred"
			}
			c.Conflicts = append(c.Conflicts, p.T(key, l.Name, Value(p, f), strings.Join(vals, "; ")))
		}
	}
	for _, l := range cmp.Missing {
		level := p.T("level." + string(l.Level))
		// No bar, so no legend entry: the label names the level.
		bars = append(bars, bar{label: l.Name + " (" + level + ")\n" + p.T("chart.no_data"), level: l.Level})
		aria = append(aria, l.Name+": "+p.T("chart.no_data"))
		row := []Cell{text(l.Name), text(level), noData(p), text(""), text(""), text("")}
		if perYear {
			row = slices.Insert(row, 3, text(""))
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
	if s.PerYear && !perYear {
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
		y["axisLabel"] = map[string]any{"interval": 0, "lineHeight": axisLineHeight, "width": 150, "overflow": "truncate"}
	}
	if x, ok := firstAxis(m, "xAxis"); ok {
		x["type"] = "value"
		x["splitNumber"] = 4 // "8.000" is wider than ECharts assumes
		if ind.Unit == "percent" {
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
	return c
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
			text(ind), text(f.Subject), num(Value(p, f) + " " + UnitName(p, f.Unit)), text(Period(p, f))})
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
