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
// one segment per distinct period on a time axis (a point for a count at a
// single date). It is the first thing to look at before comparing: bars of
// 2019 and of 2010–2018 are not the same kind of number.
func Coverage(id string, locs []stats.Locality, figs []stats.Figure, s Settings) Chart {
	p := s.P
	type span struct {
		start, end time.Time
		figs       []stats.Figure
	}
	h := header{title: p.T("coverage.title"), subtitle: p.T("coverage.subtitle"), sources: sourceLines(p, figs)}
	var symbols []string
	c := Chart{ID: id, Kind: KindCoverage, Title: h.title, Subtitle: h.subtitle, Sources: h.sources, Empty: len(figs) == 0}
	c.Table.Head = []string{p.T("col.locality"), p.T("col.period"), p.T("col.categories"), p.T("col.count")}

	// Each locality gets as many lanes as it has overlapping periods, so
	// that 2011–2015 and the year 2011 stay two segments.
	var names []string
	lc := charts.NewLine()
	lc.SetGlobalOptions(h.globals(p)...)
	var aria []string
	minYear, maxYear := 0, 0
	for _, l := range locs {
		var spans []span
		for _, f := range figs {
			if f.Locality.Slug != l.Slug {
				continue
			}
			j := slices.IndexFunc(spans, func(sp span) bool { return sp.start.Equal(f.PeriodStart) && sp.end.Equal(f.PeriodEnd) })
			if j < 0 {
				spans = append(spans, span{start: f.PeriodStart, end: f.PeriodEnd})
				j = len(spans) - 1
			}
			spans[j].figs = append(spans[j].figs, f)
		}
		if len(spans) == 0 {
			names = append(names, l.Name+"\n("+p.T("chart.no_data")+")")
			aria = append(aria, l.Name+": "+p.T("chart.no_data"))
			c.Table.Rows = append(c.Table.Rows, []Cell{text(l.Name), noData(p), text(""), num("0")})
			c.Records = append(c.Records, Record{Label: l.Name, Series: "coverage"})
			continue
		}
		slices.SortFunc(spans, func(a, b span) int {
			if d := a.start.Compare(b.start); d != 0 {
				return d
			}
			return a.end.Compare(b.end)
		})
		var laneEnds []time.Time
		first := len(names)
		var periods []string
		color := localityColor(l.Slug)
		for _, sp := range spans {
			lane := slices.IndexFunc(laneEnds, func(end time.Time) bool { return end.Before(sp.start) })
			if lane < 0 {
				lane = len(laneEnds)
				laneEnds = append(laneEnds, sp.end)
				label := l.Name
				if lane > 0 {
					label = "" // further lanes of the same locality
				}
				names = append(names, label)
			}
			laneEnds[lane] = sp.end
			row := first + lane
			period := periodOf(p, sp.start, sp.end)
			periods = append(periods, period)
			if minYear == 0 || sp.start.Year() < minYear {
				minYear = sp.start.Year()
			}
			maxYear = max(maxYear, sp.end.Year())
			var cats []string
			for _, f := range sp.figs {
				if n := CategoryName(f.Category, s.English); !slices.Contains(cats, n) {
					cats = append(cats, n)
				}
			}
			name := l.Name + ": " + period + " (" + p.T("coverage.figures", p.Number(float64(len(sp.figs)))) + ")"
			// The end is inclusive: a figure for 2019 covers up to the
			// first instant of 2020. A count at one date is a diamond; a
			// period is a bar without end marks.
			end := sp.end.AddDate(0, 0, 1)
			data := []opts.LineData{{Value: []any{sp.start.UnixMilli(), row}}}
			symbol := "diamond"
			if !sp.start.Equal(sp.end) {
				data = append(data, opts.LineData{Value: []any{end.UnixMilli(), row}})
				symbol = "none"
			}
			lc.AddSeries(name, data,
				charts.WithLineStyleOpts(opts.LineStyle{Width: 10, Color: color}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: color}))
			symbols = append(symbols, symbol)
			c.Table.Rows = append(c.Table.Rows, []Cell{text(l.Name), text(period), text(strings.Join(cats, ", ")),
				num(p.Number(float64(len(sp.figs))))})
			n := float64(len(sp.figs))
			c.Records = append(c.Records, Record{Label: l.Name, Series: "coverage", Value: &n, Unit: "figures",
				PeriodStart: sp.start, PeriodEnd: sp.end, FigureIDs: ids(sp.figs), Sources: sourceTitles(sp.figs)})
		}
		aria = append(aria, l.Name+": "+strings.Join(periods, ", "))
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
