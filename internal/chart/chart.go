// Package chart turns figures into ECharts options (built with go-echarts)
// together with the plain table and the CSV records of the same numbers, so
// that a chart, its table and its download never disagree. It knows nothing
// of HTTP or SQL: callers hand it figures and a printer for the page's
// language.
package chart

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Printer is the part of i18n.Printer the charts need; declaring it here
// keeps this package a leaf.
type Printer interface {
	T(key string, args ...any) string
	Number(v float64) string
	Date(t time.Time) string
}

// Settings are the reader's choices that change every chart of a page.
type Settings struct {
	P       Printer
	English bool // names of categories and terms in English
	PerYear bool // show flows divided by the years of their period (locality pages)
	// View is how comparisons are made comparable (the overview): per
	// year, per sub-unit or per 100 cadres, or chosen by the rules.
	View stats.View
	// MaxCharts, when set, is how many charts a page builds (ForLocality):
	// the others are counted, not built.
	MaxCharts int
}

// Chart is one chart of a page: the ECharts options, and the same numbers
// as a table (for the toggle and for screen readers) and as CSV records.
type Chart struct {
	ID         string // unique within the page; HTML ids derive from it
	Kind       Kind
	Indicator  string // the indicator every bar of a compare or series chart measures
	Definition string // the indicator's definition, shown under the chart
	Title      string
	Subtitle   string // unit and period, as drawn under the title
	Sources    []string
	AriaLabel  string // a sentence naming every number, for screen readers
	Unit       string // unit for tooltips; "" when the chart mixes units
	Options    map[string]any
	Plot       *Plot // the bars as other renderers draw them (nil: none, e.g. coverage)
	Table      Table
	Records    []Record
	Notes      []string // how to read the chart (lower bounds, per year)
	Conflicts  []string // values that sources give otherwise: pages group them with others
	Empty      bool
}

// Table is the chart's data as text in the page's language.
type Table struct {
	Head []string
	Rows [][]Cell
}

// Cell is one table cell; Num cells are right-aligned, NoData ones grey.
type Cell struct {
	Text   string
	Num    bool
	NoData bool
}

// Record is one number of a chart as a machine reads it (CSV): plain
// decimals, ISO dates, codes rather than translated names.
type Record struct {
	Label        string
	Series       string
	Level        string   // the locality's level, in comparisons
	Completeness string   // complete, lower_bound or part
	Value        *float64 // nil: no data
	Reported     *float64 // the number as printed (differs when per year)
	Years        float64  // the period's length when Value is per year
	Unit         string
	Qualifier    string
	PeriodStart  time.Time
	PeriodEnd    time.Time
	FigureIDs    []int64
	Sources      []string
	Scope        string  // own, sub_units or all_levels (comparisons)
	OverUnits    float64 // > 0: divided by this many sub-units
	OverCadres   float64 // > 0: per 100 of this many cadres
	LeftOut      string  // why a comparison does not draw it (stats.Lack*)
	// DenominatorIDs are the figures (of other indicators) Value is divided by.
	DenominatorIDs []int64
}

// CSVHeader names the columns of Record.CSV.
var CSVHeader = []string{"chart", "label", "series", "value", "value_as_reported", "per_year_over_years",
	"unit", "qualifier", "period_start", "period_end", "figure_ids", "sources", "level", "completeness",
	"scope", "per_unit_over_units", "per_100_of_cadres", "left_out", "denominator_figure_ids"}

// CSVTextColumns are the columns a person typed (subjects, names, titles):
// the only ones a CSV writer must guard against spreadsheet formulas.
var CSVTextColumns = []int{1, 2, 11}

// CSV returns the record as cells in CSVHeader order.
func (r Record) CSV(chartID string) []string {
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return stats.FormatValue(*v)
	}
	years := ""
	if r.Years > 0 {
		years = stats.FormatValue(r.Years)
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	opt := func(v float64) string {
		if v == 0 {
			return ""
		}
		return stats.FormatValue(v)
	}

	return []string{chartID, r.Label, r.Series, num(r.Value), num(r.Reported), years, r.Unit, r.Qualifier,
		date(r.PeriodStart), date(r.PeriodEnd), joinIDs(r.FigureIDs), strings.Join(r.Sources, "; "), r.Level, r.Completeness,
		r.Scope, opt(r.OverUnits), opt(r.OverCadres), r.LeftOut, joinIDs(r.DenominatorIDs)}
}

// header is what every chart draws above its plot: title, a subtitle of
// unit and period, and the source line, so that a downloaded PNG carries
// them too.
type header struct {
	title    string
	subtitle string
	sources  []string
	legend   bool
}

// lines is the subtitle as drawn: unit and period, then one line per source.
func (h header) lines() []string {
	var out []string
	if h.subtitle != "" {
		out = append(out, strings.Split(h.subtitle, "\n")...)
	}
	return append(out, h.sources...)
}

// top is where the plot starts below the header, in pixels: ECharts lays
// out title, subtitle and legend independently and would overlap them.
func (h header) top() int {
	top := h.legendTop()
	if h.legend {
		top += 26
	}
	return top + 8
}

// legendTop is below the title (15 px text, 10 px gap) and the subtitle's
// lines of subtitleLineHeight.
func (h header) legendTop() int { return 34 + subtitleLineHeight*len(h.lines()) + 4 }

// Line heights ECharts does not derive from the font size: without them
// the lines of a subtitle or of a two-line axis label overlap.
const (
	subtitleLineHeight = 16
	axisLineHeight     = 14
)

// globals are the options every chart shares.
func (h header) globals(p Printer) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{
			Title:         h.title,
			Subtitle:      strings.Join(h.lines(), "\n"),
			TitleStyle:    &opts.TextStyle{FontSize: 15},
			SubtitleStyle: &opts.TextStyle{FontSize: 12, Color: "#4a4a4a"},
		}),
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true)}),
		charts.WithToolboxOpts(opts.Toolbox{
			Show:  opts.Bool(true),
			Right: "8",
			Top:   "0",
			Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{
				Show: opts.Bool(true), Type: "png", Title: p.T("chart.save_image"),
			}},
		}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(h.legend), Top: fmt.Sprint(h.legendTop()), Left: "left"}),
	}
}

// toMap turns a go-echarts chart into the plain map templates embed, so
// that fields go-echarts has no type for (string labels, axis label widths)
// can be added. Validate must have run: without it axis labels are missing.
func toMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		// go-echarts options are plain structs: this is a programming error.
		panic(fmt.Sprintf("chart: marshal options: %v", err))
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("chart: unmarshal options: %v", err))
	}
	for _, t := range asList(m["title"]) {
		sub, _ := t["subtextStyle"].(map[string]any)
		if sub == nil {
			sub = map[string]any{}
		}
		sub["lineHeight"] = subtitleLineHeight
		t["subtextStyle"] = sub
	}
	return m
}

// asList reads an option that ECharts takes as one object or a list.
func asList(v any) []map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var out []map[string]any
		for _, x := range v {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// series returns the option's series as maps (nil when there are none).
func series(m map[string]any) []map[string]any {
	raw, _ := m["series"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, s := range raw {
		if sm, ok := s.(map[string]any); ok {
			out = append(out, sm)
		}
	}
	return out
}

// grid places the plot below the header, leaving room for bar labels on
// the right.
func grid(h header, right int) map[string]any {
	// ECharts measures two-line axis labels a little short: 20 px keeps
	// their first letters inside the canvas.
	return map[string]any{"top": h.top(), "left": 20, "right": right, "bottom": 8, "containLabel": true}
}

// categoryLabels keeps long Vietnamese subjects from pushing the plot off
// a phone screen; the table and tooltip show them whole.
func categoryLabels(width int) map[string]any {
	return map[string]any{"width": width, "overflow": "truncate", "interval": 0, "lineHeight": axisLineHeight}
}

// sourceLine is "Nguồn: Báo Quảng Ninh, 15/02/2020".
func sourceLine(p Printer, s stats.Source) string {
	return p.T("chart.source", s.Outlet+", "+p.Date(s.PublishedOn))
}

// sourceLines lists the distinct sources of figs, newest first.
func sourceLines(p Printer, figs []stats.Figure) []string {
	var srcs []stats.Source
	for _, f := range figs {
		if !slices.ContainsFunc(srcs, func(s stats.Source) bool { return s.ID == f.Source.ID }) {
			srcs = append(srcs, f.Source)
		}
	}
	slices.SortStableFunc(srcs, func(a, b stats.Source) int { return b.PublishedOn.Compare(a.PublishedOn) })
	// "Nguồn:" once, then one source per line.
	out := make([]string, len(srcs))
	for i, s := range srcs {
		out[i] = s.Outlet + ", " + p.Date(s.PublishedOn)
		if i == 0 {
			out[i] = sourceLine(p, s)
		}
	}
	return out
}

func sourceTitles(figs []stats.Figure) []string {
	var out []string
	for _, f := range figs {
		t := f.Source.Outlet + ", " + f.Source.PublishedOn.Format(time.DateOnly) + ": " + f.Source.Title
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// Period is the figure's period in the page's language: "2019",
// "2011–2015", "28/09/2016" (a date) or "01/01/2010–03/10/2018".
func Period(p Printer, f stats.Figure) string {
	return periodOf(p, f.PeriodStart, f.PeriodEnd)
}

func periodOf(p Printer, s, e time.Time) string { return stats.PeriodText(s, e, p.Date) }

// Value prints a figure's value with its qualifier: "hơn 7.200", "4/17".
func Value(p Printer, f stats.Figure) string {
	s := p.Number(f.Value)
	if f.Denominator != nil {
		s += "/" + p.Number(*f.Denominator)
	}
	if f.Unit == "percent" {
		s += "%"
	}
	switch {
	case f.Qualifier == "at_least":
		return p.T("value.at_least", s)
	case f.Completeness == stats.LowerBound:
		return p.T("value.lower_bound", s)
	case f.Qualifier == "approximate":
		return p.T("value.approximate", s)
	}
	return s
}

// UnitName is the unit in the page's language ("người").
func UnitName(p Printer, unit string) string { return p.T("unit." + unit) }

// CategoryName picks the category's name in the page's language.
func CategoryName(c stats.Category, english bool) string {
	if english {
		return c.NameEN
	}
	return c.NameVI
}

// drawn is the number a chart draws for f: per year where asked for and
// meaningful, else as reported. years is 0 when the value is as reported.
func drawn(f stats.Figure, perYear bool) (v, years float64) {
	if perYear {
		if py, ok := f.PerYear(); ok {
			return round1(py), f.Years()
		}
	}
	return f.Value, 0
}

func round1(v float64) float64 {
	r := float64(int64(v*10+0.5)) / 10
	if v < 0 {
		r = -float64(int64(-v*10+0.5)) / 10
	}
	return r
}

func ptr(v float64) *float64 { return &v }

// noData is the cell of a number that was not reported: never a 0.
func noData(p Printer) Cell { return Cell{Text: p.T("chart.no_data"), NoData: true} }

func text(s string) Cell { return Cell{Text: s} }

func num(s string) Cell { return Cell{Text: s, Num: true} }

// ids lists the figures' ids.
func ids(figs []stats.Figure) []int64 {
	out := make([]int64, len(figs))
	for i, f := range figs {
		out[i] = f.ID
	}
	return out
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

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, " ")
}
