package chart

import (
	"slices"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Compare is the bar chart of one flow category across localities: one bar
// per locality, labelled with the period it covers. A locality reporting
// nothing in the category gets no bar and says so ("không có số liệu"):
// a missing number drawn as 0 would read as "none happened".
//
// A locality's bar is the sum of its top-level figures in the category
// (parts of a total are not added again) that share one unit and one
// period; figures of other periods are never added in, since a sum across
// periods means nothing. Percentages are never summed.
func Compare(id string, cat stats.Category, locs []stats.Locality, figs []stats.Figure, s Settings) Chart {
	p := s.P
	perYear := s.PerYear && cat.Measure == stats.Flow
	type bar struct {
		loc   stats.Locality
		figs  []stats.Figure
		value float64
		years float64
	}
	bars := make([]bar, len(locs))
	var used []stats.Figure
	units := map[string]bool{}
	for i, l := range locs {
		b := bar{loc: l, figs: comparable(l, cat, figs)}
		for _, f := range b.figs {
			v, y := drawn(f, perYear)
			b.value += v
			b.years = y
			units[f.Unit] = true
		}
		b.value = round1(b.value)
		used = append(used, b.figs...)
		bars[i] = b
	}

	mode := p.T("chart.as_reported")
	if perYear {
		mode = p.T("chart.per_year")
	}
	unit := ""
	if len(units) == 1 {
		for u := range units {
			unit = UnitName(p, u)
		}
	}
	sub := mode
	if unit != "" {
		sub = p.T("chart.unit", unit) + " · " + mode
	}
	h := header{title: CategoryName(cat, s.English), subtitle: sub, sources: sourceLines(p, used)}

	labels := make([]string, len(bars))
	data := make([]opts.BarData, len(bars))
	texts := make([]string, len(bars))
	var aria []string
	c := Chart{ID: id, Title: h.title, Subtitle: sub, Sources: h.sources, Unit: unit, Empty: len(used) == 0}
	c.Table.Head = []string{p.T("col.locality"), p.T("col.value"), p.T("col.unit"), p.T("col.period"), p.T("col.figures")}
	for i, b := range bars {
		if len(b.figs) == 0 {
			labels[i] = b.loc.Name + "\n(" + p.T("chart.no_data") + ")"
			data[i] = opts.BarData{Value: nil}
			aria = append(aria, b.loc.Name+": "+p.T("chart.no_data"))
			c.Table.Rows = append(c.Table.Rows, []Cell{text(b.loc.Name), noData(p), text(""), text(""), text("")})
			c.Records = append(c.Records, Record{Label: b.loc.Name, Series: cat.Code})
			continue
		}
		f := b.figs[0]
		period := Period(p, f)
		labels[i] = b.loc.Name + "\n" + period
		data[i] = opts.BarData{Value: b.value}
		shown := p.Number(b.value)
		if atLeast(b.figs) {
			shown = p.T("value.at_least", shown)
			texts[i] = shown
		}
		aria = append(aria, b.loc.Name+": "+shown+" "+UnitName(p, f.Unit)+" ("+period+")")
		var subjects []string
		for _, x := range b.figs {
			subjects = append(subjects, x.Subject+": "+Value(p, x))
		}
		c.Table.Rows = append(c.Table.Rows, []Cell{text(b.loc.Name), num(shown), text(UnitName(p, f.Unit)),
			text(period), text(strings.Join(subjects, "; "))})
		r := Record{Label: b.loc.Name, Series: cat.Code, Value: ptr(b.value), Unit: f.Unit,
			Qualifier: qualifier(b.figs), PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd,
			FigureIDs: ids(b.figs), Sources: sourceTitles(b.figs)}
		if b.years > 0 {
			var sum float64
			for _, x := range b.figs {
				sum += x.Value
			}
			r.Reported, r.Years = ptr(sum), b.years
		}
		c.Records = append(c.Records, r)
	}
	c.AriaLabel = h.title + " (" + mode + "): " + strings.Join(aria, "; ")

	bc := charts.NewBar()
	bc.SetGlobalOptions(h.globals(p)...)
	bc.SetXAxis(labels).AddSeries(h.title, data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#0b57d0"}))
	bc.XYReversal()
	bc.Validate()
	m := toMap(bc.JSON())
	m["grid"] = grid(h, 56)
	// Localities top-down in the order given, as in the table.
	if y, ok := firstAxis(m, "yAxis"); ok {
		y["inverse"] = true
		y["axisLabel"] = map[string]any{"interval": 0, "lineHeight": axisLineHeight}
	}
	if x, ok := firstAxis(m, "xAxis"); ok {
		x["type"] = "value"
		x["splitNumber"] = 4 // "8.000" is wider than ECharts assumes
	}
	for _, sm := range series(m) {
		sm["barMaxWidth"] = 28
		setTexts(sm, texts)
	}
	c.Options = m
	return c
}

// comparable picks the figures of locality l that its bar adds up: the
// top-level figures of the category in the unit and period that most of
// them share (the latest such period on a tie).
func comparable(l stats.Locality, cat stats.Category, figs []stats.Figure) []stats.Figure {
	type key struct {
		unit       string
		start, end time.Time
	}
	groups := map[key][]stats.Figure{}
	var keys []key
	for _, f := range figs {
		if f.Locality.Slug != l.Slug || f.Category.Code != cat.Code || f.Unit == "percent" {
			continue
		}
		if f.ParentID != nil && slices.ContainsFunc(figs, func(x stats.Figure) bool { return x.ID == *f.ParentID }) {
			continue // a part of a total that is counted already
		}
		k := key{f.Unit, f.PeriodStart, f.PeriodEnd}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	var best []stats.Figure
	for _, k := range keys {
		g := groups[k]
		if len(g) > len(best) || (len(g) == len(best) && g[0].PeriodEnd.After(best[0].PeriodEnd)) {
			best = g
		}
	}
	return best
}

func atLeast(figs []stats.Figure) bool {
	return slices.ContainsFunc(figs, func(f stats.Figure) bool { return f.Qualifier == "at_least" })
}

// qualifier of a sum: "at_least" if any part is, approximate if any is.
func qualifier(figs []stats.Figure) string {
	q := "exact"
	for _, f := range figs {
		switch f.Qualifier {
		case "at_least":
			return "at_least"
		case "approximate":
			q = "approximate"
		}
	}
	return q
}

func firstAxis(m map[string]any, key string) (map[string]any, bool) {
	switch v := m[key].(type) {
	case []any:
		if len(v) > 0 {
			a, ok := v[0].(map[string]any)
			return a, ok
		}
	case map[string]any:
		return v, true
	}
	return nil, false
}
