package chart

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Section is one category of a locality's page: its figures grouped by
// indicator, the charts that fit them and notices about totals and
// sources that disagree.
type Section struct {
	Category   stats.Category
	Charts     []Chart
	Omitted    int      // charts not built (Settings.MaxCharts)
	Mismatches []string // totals whose parts do not add up
	Unmatched  []string // moves between levels that add up to none of the totals given
	Conflicts  []string // values sources disagree on
	Groups     []Group
}

// Group is the figures of one indicator (Indicator nil: those that fit
// none), parts after their totals.
type Group struct {
	Indicator *stats.Indicator
	Figures   []stats.Figure
}

// Figures lists every figure of the section.
func (s Section) Figures() []stats.Figure {
	var out []stats.Figure
	for _, g := range s.Groups {
		out = append(out, g.Figures...)
	}
	return out
}

// ForLocality chooses the charts for one locality's figures. Every chart
// keeps to one indicator, except a breakdown of a total into its declared
// parts. The rules, in order:
//   - moves between levels: a Sankey per indicator;
//   - a total with two or more parts: its distribution; a count at a date
//     with one part: that part against the rest;
//   - an indicator reported for two or more periods, or as a share ("4/17"):
//     a bar per period, a share drawn against its denominator.
//
// A lone number gets no chart: the table shows it better. Context
// categories (party membership) come last. Chart ids are stable, so that
// /localities/{slug}/charts/{id}.csv finds the same chart.
func ForLocality(cats []stats.Category, figs []stats.Figure, s Settings) []Section {
	ordered := slices.Clone(cats)
	slices.SortStableFunc(ordered, func(a, b stats.Category) int {
		if a.Context != b.Context {
			if a.Context {
				return 1
			}
			return -1
		}
		return a.Order - b.Order
	})
	var out []Section
	built := 0
	// add builds a chart unless the page has enough.
	add := func(sec *Section, build func() Chart) {
		if s.MaxCharts > 0 && built >= s.MaxCharts {
			sec.Omitted++
			return
		}
		built++
		sec.Charts = append(sec.Charts, build())
	}
	for _, cat := range ordered {
		var cf []stats.Figure
		for _, f := range figs {
			if f.Category.Code == cat.Code {
				cf = append(cf, f)
			}
		}
		if len(cf) == 0 {
			continue
		}
		sec := Section{Category: cat, Groups: groupByIndicator(cf)}
		for _, m := range Mismatches(cf) {
			sec.Mismatches = append(sec.Mismatches, m.Notice(s.P))
		}
		for _, u := range stats.FindUnmatchedMoves(cf) {
			sec.Unmatched = append(sec.Unmatched, unmatchedNotice(s.P, u, s.English))
		}
		for _, g := range stats.Conflicts(cf) {
			sec.Conflicts = append(sec.Conflicts, conflictNotice(s.P, g, s.English))
		}
		for _, g := range sec.Groups {
			if g.Indicator == nil {
				continue
			}
			var moves, series []stats.Figure
			for _, f := range g.Figures {
				switch {
				case f.FromLevel != "" && f.ToLevel != "":
					moves = append(moves, f)
				case f.Completeness != stats.Part:
					series = append(series, f)
				}
			}
			ind := *g.Indicator
			if len(moves) > 0 {
				add(&sec, func() Chart { return Rotation("flows-"+ind.Key, ind, moves, s) })
			}
			if len(series) >= 2 || slices.ContainsFunc(series, func(f stats.Figure) bool { return f.Denominator != nil }) {
				add(&sec, func() Chart { return Series("series-"+ind.Key, ind, series, s) })
			}
		}
		for _, t := range cf {
			if t.Unit == "percent" {
				continue
			}
			parts := partsOf(cf, t)
			switch {
			case len(parts) >= 2:
				add(&sec, func() Chart { return Distribution(fmt.Sprintf("%s-parts-%d", cat.Code, t.ID), t, parts, s) })
			case len(parts) == 1 && t.IsStock() && parts[0].Value <= t.Value:
				add(&sec, func() Chart { return Composition(fmt.Sprintf("%s-share-%d", cat.Code, t.ID), t, parts[0], s) })
			}
		}
		out = append(out, sec)
	}
	return out
}

// groupByIndicator groups figures by indicator in the order they come,
// those without one last; a part follows its total when both are there.
func groupByIndicator(figs []stats.Figure) []Group {
	var out []Group
	var none []stats.Figure
	for _, f := range figs {
		if f.Indicator == nil {
			none = append(none, f)
			continue
		}
		i := slices.IndexFunc(out, func(g Group) bool { return g.Indicator.Key == f.Indicator.Key })
		if i < 0 {
			ind := *f.Indicator
			out = append(out, Group{Indicator: &ind})
			i = len(out) - 1
		}
		out[i].Figures = append(out[i].Figures, f)
	}
	if len(none) > 0 {
		out = append(out, Group{Figures: none})
	}
	return out
}

func conflictNotice(p Printer, g []stats.Figure, english bool) string {
	var vals []string
	for _, f := range g {
		v := Value(p, f) + " (" + f.Source.Outlet + ", " + p.Date(f.Source.PublishedOn)
		if f.Rank == stats.RankPreferred {
			v += ", " + p.T("rank.preferred")
		}
		vals = append(vals, v+")")
	}
	return p.T("notice.conflict", g[0].Indicator.Label(english), Period(p, g[0]), strings.Join(vals, "; "))
}

// unmatchedNotice names the moves with their sentences, their sum and
// each total with its sentence, and says that the page does not take the
// moves for parts of a total.
func unmatchedNotice(p Printer, u stats.UnmatchedMoves, english bool) string {
	cite := func(f stats.Figure) string { return p.Number(f.Value) + " (“" + f.Quote + "”)" }
	moves := make([]string, len(u.Moves))
	for i, f := range u.Moves {
		moves[i] = cite(f)
	}
	totals := make([]string, len(u.Totals))
	for i, f := range u.Totals {
		totals[i] = cite(f)
	}
	f := u.Moves[0]
	return p.T("notice.unmatched_moves", f.Locality.Name, f.Indicator.Label(english), Period(p, f),
		strings.Join(moves, " + "), p.Number(u.Sum), strings.Join(totals, "; "))
}

// FindChart returns the chart with id among the sections.
func FindChart(secs []Section, id string) (Chart, bool) {
	for _, s := range secs {
		if i := slices.IndexFunc(s.Charts, func(c Chart) bool { return c.ID == id }); i >= 0 {
			return s.Charts[i], true
		}
	}
	return Chart{}, false
}

func partsOf(figs []stats.Figure, t stats.Figure) []stats.Figure {
	var out []stats.Figure
	for _, f := range figs {
		if f.ParentID != nil && *f.ParentID == t.ID && f.Unit == t.Unit {
			out = append(out, f)
		}
	}
	return out
}

// Series is one indicator of one locality over the periods it was
// reported for: a bar per figure, oldest first. A share ("4/17 xã") is
// drawn against its denominator, the rest in grey, so that 4 of 17 never
// looks like a full bar. Flows may be shown per year; stocks never are.
func Series(id string, ind stats.Indicator, figs []stats.Figure, s Settings) Chart {
	p := s.P
	figs = slices.Clone(figs)
	slices.SortStableFunc(figs, func(a, b stats.Figure) int { return a.PeriodEnd.Compare(b.PeriodEnd) })
	shares := slices.ContainsFunc(figs, func(f stats.Figure) bool { return f.Denominator != nil })
	perYear := s.PerYear && ind.Measure == stats.Flow && ind.Unit != "percent" && !shares
	unit := UnitName(p, ind.Unit)
	mode := p.T("chart.as_reported")
	switch {
	case perYear:
		mode = p.T("chart.per_year")
		unit = p.T("unit.per_year", unit)
	case s.PerYear:
		mode = p.T("chart.as_reported_stock")
	}
	title := ind.Label(s.English)
	sub := p.T("chart.unit", unit) + " · " + mode
	h := header{title: title, subtitle: sub, sources: sourceLines(p, figs), legend: shares}
	c := Chart{ID: id, Kind: KindSeries, Indicator: ind.Key, Definition: definition(ind, s.English), Title: title,
		Subtitle: sub, Sources: h.sources, Unit: unit, Empty: len(figs) == 0}
	c.Table.Head = []string{p.T("col.period"), p.T("col.value"), p.T("col.unit"), p.T("col.subject"), p.T("col.source")}
	labels := make([]string, len(figs))
	values := make([]opts.BarData, len(figs))
	rest := make([]opts.BarData, len(figs))
	texts := make([]string, len(figs))
	var aria []string
	for i, f := range figs {
		v, years := drawn(f, perYear)
		labels[i] = Period(p, f)
		values[i] = opts.BarData{Value: v}
		rest[i] = opts.BarData{Value: nil}
		if f.Denominator != nil {
			rest[i] = opts.BarData{Value: *f.Denominator - f.Value}
		}
		shown := Value(p, stats.Figure{Value: v, Qualifier: f.Qualifier, Completeness: f.Completeness,
			Denominator: f.Denominator, Unit: f.Unit})
		if years > 0 {
			shown = Value(p, stats.Figure{Value: v, Qualifier: f.Qualifier, Completeness: f.Completeness})
		}
		texts[i] = shown
		aria = append(aria, labels[i]+": "+shown)
		c.Table.Rows = append(c.Table.Rows, []Cell{text(labels[i]), num(shown), text(UnitName(p, f.Unit)), text(f.Subject),
			text(f.Source.Outlet + ", " + p.Date(f.Source.PublishedOn))})
		r := Record{Label: labels[i], Series: ind.Key, Value: ptr(v), Unit: f.Unit, Qualifier: f.Qualifier,
			Completeness: f.Completeness, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd, FigureIDs: []int64{f.ID},
			Sources: sourceTitles([]stats.Figure{f})}
		if years > 0 {
			r.Reported, r.Years = ptr(f.Value), years
		}
		c.Records = append(c.Records, r)
	}
	c.AriaLabel = title + " (" + unit + "): " + strings.Join(aria, "; ")
	ss := []namedSeries{{name: title, data: values, texts: texts, color: "#1f4e9c", stack: "share"}}
	if shares {
		ss[0].name = p.T("share.counted")
		ss = append(ss, namedSeries{name: p.T("share.rest"), data: rest, color: "#c9ced6", stack: "share", noLabel: true})
	}
	c.Options = horizontalBar(h, labels, ss, p)
	c.Plot = plotOf(labels, ss, p)
	if shares {
		// Several series share an axis: the periods are its labels.
		if y, ok := firstAxis(c.Options, "yAxis"); ok {
			y["axisLabel"] = categoryLabels(130)
		}
	}
	return c
}
