package chart

import (
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// palette colours the localities of the coverage chart; a locality keeps
// its colour whatever else is selected (localityColor).
var palette = []string{"#0b57d0", "#b3261e", "#146c2e", "#8e4e00", "#6d28d9", "#006a6a", "#7a1212", "#5f6368"}

func localityColor(slug string) string {
	h := fnv.New32a()
	h.Write([]byte(slug))
	return palette[h.Sum32()%uint32(len(palette))]
}

// Coverage shows which stretch of time each locality's figures describe:
// one segment per period on a time axis (a point for a count at a single
// date), for the periods with the most figures (stats.MaxSpans); the
// table says how many periods and figures are left out. It is the first
// thing to look at before comparing: bars of 2019 and of 2010–2018 are
// not the same kind of number. cats names the categories.
func Coverage(id string, cov stats.Coverage, cats []stats.Category, s Settings) Chart {
	p := s.P
	empty := true
	for _, lc := range cov.Localities {
		empty = empty && lc.Figures == 0
	}
	h := header{title: p.T("coverage.title"), subtitle: p.T("coverage.subtitle"), sources: coverageSources(p, cov)}
	var symbols []string
	c := Chart{ID: id, Kind: KindCoverage, Title: h.title, Subtitle: h.subtitle, Sources: h.sources, Empty: empty}
	c.Table.Head = []string{p.T("col.locality"), p.T("col.period"), p.T("col.categories"), p.T("col.count")}
	catName := func(code string) string {
		if i := slices.IndexFunc(cats, func(c stats.Category) bool { return c.Code == code }); i >= 0 {
			return CategoryName(cats[i], s.English)
		}
		return code
	}

	// Each locality gets as many lanes as it has overlapping periods, so
	// that 2011–2015 and the year 2011 stay two segments.
	var names []string
	lc := charts.NewLine()
	lc.SetGlobalOptions(h.globals(p)...)
	var aria []string
	minYear, maxYear := 0, 0
	for _, loc := range cov.Localities {
		l := loc.Locality
		if len(loc.Spans) == 0 {
			names = append(names, l.Name+"\n("+p.T("chart.no_data")+")")
			aria = append(aria, l.Name+": "+p.T("chart.no_data"))
			c.Table.Rows = append(c.Table.Rows, []Cell{text(l.Name), noData(p), text(""), num("0")})
			c.Records = append(c.Records, Record{Label: l.Name, Series: "coverage"})
			continue
		}
		spans := slices.Clone(loc.Spans)
		slices.SortFunc(spans, func(a, b stats.Span) int {
			if d := a.Start.Compare(b.Start); d != 0 {
				return d
			}
			return a.End.Compare(b.End)
		})
		var laneEnds []time.Time
		first := len(names)
		var periods []string
		color := localityColor(l.Slug)
		for _, sp := range spans {
			lane := slices.IndexFunc(laneEnds, func(end time.Time) bool { return end.Before(sp.Start) })
			if lane < 0 {
				lane = len(laneEnds)
				laneEnds = append(laneEnds, sp.End)
				label := l.Name
				if lane > 0 {
					label = "" // further lanes of the same locality
				}
				names = append(names, label)
			}
			laneEnds[lane] = sp.End
			row := first + lane
			period := periodOf(p, sp.Start, sp.End)
			periods = append(periods, period)
			if minYear == 0 || sp.Start.Year() < minYear {
				minYear = sp.Start.Year()
			}
			maxYear = max(maxYear, sp.End.Year())
			var catNames []string
			for _, code := range sp.Categories {
				catNames = append(catNames, catName(code))
			}
			count := p.Number(float64(sp.Figures))
			name := l.Name + ": " + period + " (" + p.T("coverage.figures", count) + ")"
			// The end is inclusive: a figure for 2019 covers up to the
			// first instant of 2020. A count at one date is a diamond; a
			// period is a bar without end marks.
			end := sp.End.AddDate(0, 0, 1)
			data := []opts.LineData{{Value: []any{sp.Start.UnixMilli(), row}}}
			symbol := "diamond"
			if !sp.Start.Equal(sp.End) {
				data = append(data, opts.LineData{Value: []any{end.UnixMilli(), row}})
				symbol = "none"
			}
			lc.AddSeries(name, data,
				charts.WithLineStyleOpts(opts.LineStyle{Width: 10, Color: color}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: color}))
			symbols = append(symbols, symbol)
			c.Table.Rows = append(c.Table.Rows, []Cell{text(l.Name), text(period), text(strings.Join(catNames, ", ")), num(count)})
			n := float64(sp.Figures)
			c.Records = append(c.Records, Record{Label: l.Name, Series: "coverage", Value: &n, Unit: "figures",
				PeriodStart: sp.Start, PeriodEnd: sp.End})
		}
		if loc.OtherSpans > 0 {
			// The periods not drawn, in one row: a locality with thousands
			// of reports would otherwise draw thousands of segments.
			more := p.T("coverage.other_periods", p.Number(float64(loc.OtherSpans)))
			c.Table.Rows = append(c.Table.Rows, []Cell{text(l.Name), text(more), text(""), num(p.Number(float64(loc.OtherFigures)))})
			n := float64(loc.OtherFigures)
			c.Records = append(c.Records, Record{Label: l.Name, Series: "coverage_other", Value: &n, Unit: "figures"})
			periods = append(periods, more)
		}
		aria = append(aria, l.Name+": "+strings.Join(periods, ", "))
	}
	if slices.ContainsFunc(cov.Localities, func(l stats.LocalityCoverage) bool { return l.OtherSpans > 0 }) {
		c.Notes = append(c.Notes, p.T("coverage.capped", stats.MaxSpans))
	}
	c.AriaLabel = h.title + ": " + strings.Join(aria, "; ")
	lc.Validate()
	m := toMap(lc.JSON())
	m["grid"] = grid(h, 24)
	m["xAxis"] = map[string]any{"type": "time",
		"min": time.Date(max(minYear, 1), 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(),
		"max": time.Date(max(maxYear+1, 2), 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()}
	m["yAxis"] = map[string]any{"type": "category", "data": names, "inverse": true, "axisLabel": map[string]any{"interval": 0, "lineHeight": axisLineHeight}}
	// A time and a category index are not numbers to print: the tooltip
	// names the series ("Sông Lô: 2015–2020 (7 số liệu)") instead.
	m["tooltip"] = map[string]any{"show": true, "trigger": "item", "formatter": "{a}"}
	for i, sm := range series(m) {
		sm["symbol"] = symbols[i]
		sm["symbolSize"] = 14
		sm["label"] = map[string]any{"show": false}
	}
	c.Options = m
	return c
}

// coverageSources names the sources under the chart when they are few,
// and counts them when not.
func coverageSources(p Printer, cov stats.Coverage) []string {
	if len(cov.Sources) > 0 || cov.SourceCount == 0 {
		out := make([]string, len(cov.Sources))
		for i, s := range cov.Sources {
			out[i] = sourceLine(p, s)
		}
		return out
	}
	return []string{p.T("coverage.sources_counted", p.Number(float64(cov.SourceCount)))}
}
