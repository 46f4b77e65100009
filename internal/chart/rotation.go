package chart

import (
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// HasFlows reports whether any figure says between which levels cadres
// moved: only those can be drawn as a Sankey.
func HasFlows(figs []stats.Figure) bool {
	for _, f := range figs {
		if f.FromLevel != "" && f.ToLevel != "" {
			return true
		}
	}
	return false
}

// Rotation draws one indicator's moves between levels (national,
// province, district, commune) as a Sankey. Origins and destinations are
// separate nodes ("from province", "to district"): moves in both
// directions would otherwise form a cycle, which a Sankey cannot draw.
// Only moves of one period are drawn (the period most of them share), and
// each direction once: the chart never adds what the article did not.
// Per year, flows are divided by the years of their period. Figures left
// out are in the table beside the chart.
func Rotation(id string, ind stats.Indicator, figs []stats.Figure, s Settings) Chart {
	p := s.P
	perYear := s.PerYear && ind.Measure == stats.Flow
	var moves []stats.Figure
	for _, f := range samePeriod(figs) {
		if f.FromLevel != "" && f.ToLevel != "" && f.Unit != "percent" {
			moves = append(moves, f)
		}
	}
	unit, period := UnitName(p, ind.Unit), ""
	if len(moves) > 0 {
		period = Period(p, moves[0])
	}
	mode := p.T("chart.as_reported")
	if perYear {
		mode = p.T("chart.per_year")
		unit = p.T("unit.per_year", unit)
	}
	sub := p.T("chart.unit", unit) + " · " + period + " · " + mode
	title := ind.Label(s.English)
	h := header{title: title, subtitle: sub, sources: sourceLines(p, moves)}
	c := Chart{ID: id, Kind: KindFlows, Indicator: ind.Key, Definition: definition(ind, s.English), Title: h.title,
		Subtitle: sub, Sources: h.sources, Unit: unit, Empty: len(moves) == 0}
	c.Table.Head = []string{p.T("col.from"), p.T("col.to"), p.T("col.value"), p.T("col.subject"), p.T("col.period")}

	var nodes []opts.SankeyNode
	seen := map[string]bool{}
	node := func(name string) {
		if !seen[name] {
			seen[name] = true
			nodes = append(nodes, opts.SankeyNode{Name: name})
		}
	}
	type pair struct{ from, to string }
	sums := map[pair]float64{}
	var order []pair
	var aria []string
	plot := &Plot{From: "sankey"}
	ps := PlotSeries{Name: ind.Label(s.English), Color: "#1f4e9c"}
	for _, f := range moves {
		from := p.T("rotation.from." + string(f.FromLevel.Tier()))
		to := p.T("rotation.to." + string(f.ToLevel.Tier()))
		k := pair{from, to}
		if _, ok := sums[k]; ok {
			continue // one value per direction: the table lists the others
		}
		node(from)
		node(to)
		v, years := drawn(f, perYear)
		order = append(order, k)
		sums[k] = v
		shown := Value(p, stats.Figure{Value: v, Qualifier: f.Qualifier, Completeness: f.Completeness})
		aria = append(aria, from+" → "+to+": "+shown)
		plot.Categories = append(plot.Categories, from+" → "+to)
		ps.Values, ps.Labels = append(ps.Values, ptr(v)), append(ps.Labels, shown)
		ps.Lower = append(ps.Lower, false)
		c.Table.Rows = append(c.Table.Rows, []Cell{text(p.T("level." + string(f.FromLevel))), text(p.T("level." + string(f.ToLevel))),
			num(shown), text(f.Subject), text(Period(p, f))})
		r := Record{Label: string(f.FromLevel) + "→" + string(f.ToLevel), Series: ind.Key,
			Value: ptr(v), Unit: f.Unit, Qualifier: f.Qualifier, Completeness: f.Completeness, PeriodStart: f.PeriodStart,
			PeriodEnd: f.PeriodEnd, FigureIDs: []int64{f.ID}, Sources: sourceTitles([]stats.Figure{f})}
		if years > 0 {
			r.Reported, r.Years = ptr(f.Value), years
		}
		c.Records = append(c.Records, r)
	}
	links := make([]opts.SankeyLink, len(order))
	for i, k := range order {
		links[i] = opts.SankeyLink{Source: k.from, Target: k.to, Value: float32(sums[k])}
	}
	c.AriaLabel = h.title + ": " + strings.Join(aria, "; ")

	sk := charts.NewSankey()
	sk.SetGlobalOptions(h.globals(p)...)
	if len(links) > 0 {
		sk.AddSeries(h.title, nodes, links, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	}
	sk.Validate()
	m := toMap(sk.JSON())
	for _, sm := range series(m) {
		sm["top"] = h.top()
		sm["left"] = 8
		sm["nodeGap"] = 14
		sm["lineStyle"] = map[string]any{"color": "gradient", "opacity": 0.45}
		// Edge labels: the numbers, so the chart reads without hovering.
		sm["edgeLabel"] = map[string]any{"show": true, "color": "#1a1a1a", "fontWeight": "bold", "fontSize": 13}
	}
	c.Options = m
	plot.Series = []PlotSeries{ps}
	c.Plot = plot
	return c
}

// samePeriod keeps the figures of the period most of them share (the
// latest on a tie).
func samePeriod(figs []stats.Figure) []stats.Figure {
	type key struct{ start, end int64 }
	count := map[key]int{}
	var best key
	for _, f := range figs {
		k := key{f.PeriodStart.Unix(), f.PeriodEnd.Unix()}
		count[k]++
		if count[k] > count[best] || (count[k] == count[best] && k.end > best.end) {
			best = k
		}
	}
	var out []stats.Figure
	for _, f := range figs {
		if (key{f.PeriodStart.Unix(), f.PeriodEnd.Unix()}) == best {
			out = append(out, f)
		}
	}
	return out
}
