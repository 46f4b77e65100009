// Package chartimg draws a chart of internal/chart as a PNG on the server,
// with github.com/go-analyze/charts: for social previews (og:image), for
// e-mail and wherever script cannot run. It draws the chart's Plot, which
// the same code that builds the ECharts options fills, so that the image
// has the live chart's bars and labels (value with unit, period, level),
// its title, unit and period, and its source line; a lower bound is drawn
// in a paler shade of its colour, in a series of its own named "ít nhất",
// and hatched like the page's, and its label says "ít nhất 15" as on
// the page.
package chartimg

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"slices"
	"strings"

	charts "github.com/go-analyze/charts"
	"github.com/golang/freetype/truetype"

	"github.com/cadrestats/cadrestats/internal/chart"
)

// ErrNoBars is returned for a chart without a bar to draw (a coverage
// chart, a chart without data): it has no image.
var ErrNoBars = errors.New("chartimg: the chart has no bars to draw")

// Labels are the texts the image adds in the page's language.
type Labels struct {
	LowerBound string // "ít nhất": the name of a lower bound's series
	Site       string // "Thống kê công tác cán bộ", and the address, at the foot
	// Number prints an axis value in the page's language ("1.700").
	Number func(float64) string
}

// Drawer draws charts with one font.
type Drawer struct {
	font *truetype.Font
}

// New returns a drawer with the TrueType font ttf, which must have every
// Vietnamese letter (web.ChartFont); nil takes go-analyze's default,
// Roboto, which lacks "→".
func New(ttf []byte) (*Drawer, error) {
	if ttf == nil {
		return &Drawer{}, nil
	}
	f, err := truetype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	return &Drawer{font: f}, nil
}

// Font is the font the drawer writes with.
func (d *Drawer) Font() *truetype.Font {
	if d.font == nil {
		return charts.GetDefaultFont()
	}
	return d.font
}

// Image sizes: 1200 wide, as social networks show previews, and at least
// 630 high (their 1.91:1), taller when bars need it.
const (
	width     = 1200
	minHeight = 630
	barRow    = 46 // pixels per bar: a two-line label
	margin    = 28
)

// PNG draws c.
func (d *Drawer) PNG(c chart.Chart, l Labels) ([]byte, error) {
	if !c.Plot.Bars() {
		return nil, ErrNoBars
	}
	pl := c.Plot
	font := d.Font()
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: width, Height: 10, Font: font})
	dark := charts.ColorFromHex("1a1a1a")
	grey := charts.ColorFromHex("4a4a4a")
	titleStyle := charts.FontStyle{FontSize: 22, FontColor: dark, Font: font}
	headStyle := charts.FontStyle{FontSize: 15, FontColor: grey, Font: font}
	footStyle := charts.FontStyle{FontSize: 13, FontColor: grey, Font: font}
	title := wrap(p, c.Title, width-2*margin, titleStyle)
	var head, foot []string
	for _, line := range headLines(c) {
		head = append(head, wrap(p, line, width-2*margin, headStyle)...)
	}
	for _, line := range append(append([]string{}, c.Notes...), l.Site) {
		foot = append(foot, wrap(p, line, width-2*margin, footStyle)...)
	}
	headH := 20 + 28*len(title) + 22*len(head) + 10
	footH := 12 + 20*len(foot)
	series, colors := d.seriesOf(pl, l)
	legend := len(series) > 1
	legendH := 0
	if legend {
		legendH = 34
	}
	plotH := barRow*len(pl.Categories) + 40
	height := max(minHeight, headH+legendH+plotH+footH+margin)
	plotH = height - headH - legendH - footH - margin

	p = charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: width, Height: height, Font: font})
	p.FilledRect(0, 0, width, height, charts.ColorWhite, charts.ColorWhite, 0)
	y := 20
	for _, line := range title {
		y += 28
		p.Text(line, margin, y, 0, titleStyle)
	}
	y += 4
	for _, line := range head {
		y += 22
		p.Text(line, margin, y, 0, headStyle)
	}

	theme := charts.MakeTheme(charts.ThemeOption{SeriesColors: colors, BackgroundColor: charts.ColorWhite,
		TextColor: dark, AxisStrokeColor: charts.ColorFromHex("6e7079"), AxisSplitLineColor: charts.ColorFromHex("e0e6f1")})
	opt := charts.NewBarChartOptionWithSeries(series)
	opt.Horizontal = true
	opt.Theme = theme
	stacked := pl.Stacked || len(series) > 1 && stackable(pl)
	opt.StackSeries = charts.Ptr(stacked)
	opt.SeriesLabelPosition = charts.PositionRight
	opt.BarSize = 0.6
	// The labels right of the bars get the room the longest needs.
	labelStyle := charts.FontStyle{FontSize: 13, FontColor: dark, Font: font}
	right := 40
	for _, s := range pl.Series {
		for _, t := range s.Labels {
			right = max(right, p.MeasureText(t, 0, labelStyle).Width()+24)
		}
	}
	opt.Padding = charts.Box{Top: 8, Left: margin, Right: min(right, width/3), Bottom: 8, IsSet: true}
	cats := axisLabels(pl.Categories)
	slices.Reverse(cats)
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: cats,
		LabelFontStyle: charts.FontStyle{FontSize: 13, FontColor: dark, Font: font}}
	top, step := niceAxis(maxValue(pl))
	top, step = top*scale, step*scale
	opt.StackSeries = charts.Ptr(pl.Stacked || len(series) > 1 && stackable(pl))
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(top), Unit: step, LabelCount: int(math.Round(top/step)) + 1,
		RangeValuePaddingScale: charts.Ptr(0.0), LabelFontStyle: charts.FontStyle{FontSize: 12, FontColor: grey, Font: font}}}
	number := trimNumber
	if l.Number != nil {
		number = l.Number
	}
	opt.ValueFormatter = func(v float64) string { return number(v / scale) }
	opt.Legend = charts.LegendOption{Show: charts.Ptr(false)}
	if legend {
		opt.Legend = charts.LegendOption{Show: charts.Ptr(true), Offset: charts.OffsetLeft,
			FontStyle: charts.FontStyle{FontSize: 13, FontColor: dark, Font: font}}
	}
	plot := p.Child(charts.PainterBoxOption(charts.Box{Top: headH, Left: 0, Right: width, Bottom: headH + legendH + plotH, IsSet: true}))
	if err := plot.BarChart(opt); err != nil {
		return nil, fmt.Errorf("draw chart %s: %w", c.ID, err)
	}
	for i, line := range foot {
		p.Text(line, margin, height-footH+14+20*i, 0, footStyle)
	}
	b, err := p.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encode chart %s: %w", c.ID, err)
	}
	var lower []charts.Color
	for i, s := range series {
		if strings.HasSuffix(s.Name, lowerSuffix(l)) {
			lower = append(lower, colors[i])
		}
	}
	if len(lower) == 0 {
		return b, nil
	}
	if b, err = hatch(b, lower); err != nil {
		return nil, fmt.Errorf("hatch chart %s: %w", c.ID, err)
	}
	return b, nil
}

func lowerSuffix(l Labels) string { return " — " + l.LowerBound }

// hatch draws the live chart's diagonal stripes on the lower bounds' bars
// and legend swatches: go-analyze fills a bar with one colour, and a
// lower bound's shade is used by nothing else, so its pixels are the
// bars.
func hatch(b []byte, shades []charts.Color) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	rgba := image.NewNRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, image.Point{}, draw.Src)
	want := map[color.NRGBA]bool{}
	for _, c := range shades {
		want[color.NRGBA{R: c.R, G: c.G, B: c.B, A: 255}] = true
	}
	stripe := color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	r := rgba.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			// Stripes 3 px wide every 9 px, rising to the right, as the
			// page's decal (chart.lowerBoundDecal) draws them.
			if (x+y)%9 < 3 && want[rgba.NRGBAAt(x, y)] {
				rgba.SetNRGBA(x, y, stripe)
			}
		}
	}
	var out bytes.Buffer
	if err := png.Encode(&out, rgba); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// headLines are the subtitle's lines (unit, period, view) and the
// sources, as the live chart writes them under its title.
func headLines(c chart.Chart) []string {
	var out []string
	if c.Subtitle != "" {
		out = append(out, strings.Split(c.Subtitle, "\n")...)
	}
	return append(out, c.Sources...)
}

// scale: the bars are drawn in thousandths and the axis prints them
// back. A stacked axis starts one unit below the smallest bar
// (go-analyze's rule, so that every part shows), which for 0,8 person a
// year would be below zero.
const scale = 1000.0

// seriesOf turns the plot's series into go-analyze's, the lower bounds of
// each in a series of its own (a paler colour, named "… — ít nhất"), and
// returns the colour of each.
func (d *Drawer) seriesOf(pl *chart.Plot, l Labels) (charts.BarSeriesList, []charts.Color) {
	var out charts.BarSeriesList
	var colors []charts.Color
	add := func(name string, color charts.Color, s chart.PlotSeries, lower bool) {
		vals := make([]float64, len(pl.Categories))
		labels := make([]string, len(pl.Categories))
		any := false
		for i := range vals {
			vals[i] = charts.GetNullValue()
			if i >= len(s.Values) || s.Values[i] == nil || (i < len(s.Lower) && s.Lower[i]) != lower {
				continue
			}
			vals[i], any = *s.Values[i]*scale, true
			if i < len(s.Labels) {
				labels[i] = s.Labels[i]
			}
		}
		if !any {
			return
		}
		// go-analyze draws the first category at the bottom; the page reads top-down.
		slices.Reverse(vals)
		slices.Reverse(labels)
		out = append(out, charts.BarSeries{Values: vals, Name: name, Label: charts.SeriesLabel{Show: charts.Ptr(true),
			FontStyle:      charts.FontStyle{FontSize: 13, FontColor: charts.ColorFromHex("1a1a1a"), Font: d.Font()},
			LabelFormatter: labelsByValue(vals, labels)}})
		colors = append(colors, color)
	}
	for _, s := range pl.Series {
		c := charts.ColorFromHex(strings.TrimPrefix(s.Color, "#"))
		add(s.Name, c, s, false)
		add(s.Name+lowerSuffix(l), pale(c), s, true)
	}
	return out, colors
}

// stackable: every category has at most one series with a value, so that
// stacking draws one bar each (series of levels, their lower bounds).
func stackable(pl *chart.Plot) bool {
	for i := range pl.Categories {
		n := 0
		for _, s := range pl.Series {
			if i < len(s.Values) && s.Values[i] != nil {
				n++
			}
		}
		if n > 1 {
			return false
		}
	}
	return true
}

// Pale is the shade of a lower bound's bar of colour "#rrggbb" (before
// its stripes).
func Pale(hex string) color.NRGBA {
	c := pale(charts.ColorFromHex(strings.TrimPrefix(hex, "#")))
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: 255}
}

// pale mixes a colour with white, as the live chart's hatching lightens a
// lower bound's bar.
func pale(c charts.Color) charts.Color {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + (255-float64(v))*0.55)) }
	return charts.Color{R: mix(c.R), G: mix(c.G), B: mix(c.B), A: 255}
}

// axisLabels keeps the first line of each label whole and the rest on one
// line after it: go-analyze writes a category label on one line.
func axisLabels(cats []string) []string {
	out := make([]string, len(cats))
	for i, c := range cats {
		out[i] = strings.ReplaceAll(c, "\n", " · ")
	}
	return out
}

// trimNumber prints an axis value without needless decimals; the bars'
// labels carry the page's number format.
func trimNumber(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// wrap breaks text into lines no wider than w.
func wrap(p *charts.Painter, text string, w int, style charts.FontStyle) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(text) {
		next := word
		if line != "" {
			next = line + " " + word
		}
		if line != "" && p.MeasureText(next, 0, style).Width() > w {
			out = append(out, line)
			next = word
		}
		line = next
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// maxValue is the longest bar: a stack's sum, or the largest value.
func maxValue(pl *chart.Plot) float64 {
	top := 0.0
	for i := range pl.Categories {
		sum := 0.0
		for _, s := range pl.Series {
			if i < len(s.Values) && s.Values[i] != nil {
				if pl.Stacked {
					sum += *s.Values[i]
				} else {
					sum = max(sum, *s.Values[i])
				}
			}
		}
		top = max(top, sum)
	}
	return top
}

// niceAxis is an axis end at or above v and its step, 1, 2 or 5 times a
// power of ten, four or five steps in all.
func niceAxis(v float64) (top, step float64) {
	if v <= 0 {
		return 1, 0.25
	}
	raw := v / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	return step * math.Ceil(v/step), step
}

// labelsByValue prints each bar's own label. go-analyze tells a label
// formatter the series and the value, not the bar, and asks for the bars
// in order: the labels of equal values are handed out in that order
// (round again should it draw twice).
func labelsByValue(vals []float64, labels []string) charts.SeriesLabelFormatter {
	byValue := map[float64][]string{}
	for i, v := range vals {
		if v != charts.GetNullValue() {
			byValue[v] = append(byValue[v], labels[i])
		}
	}
	next := map[float64]int{}
	return func(_ int, _ string, v float64) (string, *charts.LabelStyle) {
		ls := byValue[v]
		if len(ls) == 0 {
			return "", nil
		}
		i := next[v] % len(ls)
		next[v]++
		return ls[i], nil
	}
}
