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

// Rotation draws rotations between levels (province, district, commune) as
// a Sankey. Origins and destinations are separate nodes ("from province",
// "to district"): moves in both directions would otherwise form a cycle,
// which a Sankey cannot draw. Figures without levels are left out; the
// table beside the chart lists them.
func Rotation(id string, figs []stats.Figure, s Settings) Chart {
	p := s.P
	var moves []stats.Figure
	for _, f := range figs {
		if f.FromLevel != "" && f.ToLevel != "" && f.Unit != "percent" {
			moves = append(moves, f)
		}
	}
	unit, period := "", ""
	if len(moves) > 0 {
		unit, period = UnitName(p, moves[0].Unit), Period(p, moves[0])
	}
	sub := p.T("chart.unit", unit) + " · " + period
	h := header{title: p.T("rotation.title"), subtitle: sub, sources: sourceLines(p, moves)}
	c := Chart{ID: id, Title: h.title, Subtitle: sub, Sources: h.sources, Unit: unit, Empty: len(moves) == 0}
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
	for _, f := range moves {
		from := p.T("rotation.from." + string(f.FromLevel.Tier()))
		to := p.T("rotation.to." + string(f.ToLevel.Tier()))
		node(from)
		node(to)
		k := pair{from, to}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
		}
		sums[k] += f.Value
		aria = append(aria, from+" → "+to+": "+Value(p, f))
		c.Table.Rows = append(c.Table.Rows, []Cell{text(p.T("level." + string(f.FromLevel))), text(p.T("level." + string(f.ToLevel))),
			num(Value(p, f)), text(f.Subject), text(Period(p, f))})
		c.Records = append(c.Records, Record{Label: string(f.FromLevel) + "→" + string(f.ToLevel), Series: f.Subject,
			Value: ptr(f.Value), Unit: f.Unit, Qualifier: f.Qualifier, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd,
			FigureIDs: []int64{f.ID}, Sources: sourceTitles([]stats.Figure{f})})
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
	return c
}
