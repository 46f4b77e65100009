package chart

// Plot is what a bar chart draws, in plain terms, for renderers other than
// ECharts: internal/chartimg draws it to PNG for social previews and
// e-mail. It is filled by the same code that builds the ECharts options,
// so that the image has the same bars, labels and lower bounds as the
// live chart. A chart that is not drawn as bars (a Sankey of moves is one
// bar per direction here, a ring one bar per part) says so in Plot.From.
type Plot struct {
	Categories []string // one per bar, top-down; "\n" breaks a label
	Series     []PlotSeries
	Stacked    bool   // the series share one bar per category
	From       string // the live chart's kind when it is not bars: "sankey", "pie"
}

// PlotSeries is one series of a Plot: a value (nil: no bar), the text
// printed on it and whether it is only a lower bound, per category.
type PlotSeries struct {
	Name   string
	Color  string // "#rrggbb"
	Values []*float64
	Labels []string
	Lower  []bool
}

// Bars reports whether the plot has a bar to draw.
func (p *Plot) Bars() bool {
	if p == nil {
		return false
	}
	for _, s := range p.Series {
		for _, v := range s.Values {
			if v != nil {
				return true
			}
		}
	}
	return false
}

// plotOf is the Plot of a horizontalBar's series.
func plotOf(labels []string, ss []namedSeries, p Printer) *Plot {
	pl := &Plot{Categories: labels}
	for _, s := range ss {
		color := s.color
		if color == "" {
			color = "#0b57d0"
		}
		ps := PlotSeries{Name: s.name, Color: color, Values: make([]*float64, len(s.data)),
			Labels: make([]string, len(s.data)), Lower: make([]bool, len(s.data))}
		for i, d := range s.data {
			v, ok := d.Value.(float64)
			if !ok {
				continue
			}
			ps.Values[i] = ptr(v)
			if s.noLabel {
				continue
			}
			ps.Labels[i] = p.Number(v)
			if i < len(s.texts) && s.texts[i] != "" {
				ps.Labels[i] = s.texts[i]
			}
		}
		if s.stack != "" && len(ss) > 1 {
			pl.Stacked = true
		}
		pl.Series = append(pl.Series, ps)
	}
	return pl
}
