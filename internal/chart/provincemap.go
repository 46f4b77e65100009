package chart

import (
	"strconv"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// MapChart is a province map as the page draws it: the ECharts options of
// a map series coloured by a visualMap, and beside it a table of every
// province (the same numbers, with period, level and source).
type MapChart struct {
	ID        string
	Title     string
	Subtitle  string // unit and how the values are made comparable
	Unit      string
	MapName   string // the name the boundaries are registered under: "vn63"
	GeoFile   string // the boundaries, under /static/: "map/vn63.json"
	AriaLabel string
	Options   map[string]any
	Rows      []MapRow
	Drawn     int // provinces coloured
}

// MapRow is one province of the map's table.
type MapRow struct {
	Name      string
	Members   string // a province of the 34: the old ones it unites
	Slug      string // the locality's page, when the app holds the province
	Level     string
	Value     string // with unit: "12 người/năm"; "" without a value drawn
	Reported  string // the number as the article gives it, when Value is computed
	Period    string
	Scope     string // what the value is divided by, a sum's scope
	Source    string
	SourceID  int64
	Note      string // why it is not coloured: no data, or why the view leaves it out
	Coloured  bool
	Qualifier string // "ít nhất" for a lower bound
	Record    MapRecord
}

// MapRecord is a row of the map's table as a machine reads it (CSV):
// plain decimals, ISO dates, codes.
type MapRecord struct {
	Value       *float64 // as coloured; nil: grey
	Reported    *float64 // the number as the article gives it
	Unit        string   // the figure's unit code
	Qualifier   string
	PeriodStart time.Time
	PeriodEnd   time.Time
	FigureID    int64
	Source      string
	SourceID    int64
	LeftOut     string // why it is grey: "no_data", or the view's reason (stats.NotDrawn*, stats.Lack*)
}

// MapCSVHeader names the columns of MapChart.CSV.
var MapCSVHeader = []string{"map", "province", "members", "value", "value_unit", "value_as_reported", "unit", "qualifier",
	"period_start", "period_end", "level", "figure_id", "source_id", "source", "left_out", "note"}

// MapCSVTextColumns are the columns a person typed (names, sources): the
// only ones a CSV writer must guard against spreadsheet formulas.
var MapCSVTextColumns = []int{1, 2, 13}

// CSV is the map's table in MapCSVHeader order, a row a province.
func (c MapChart) CSV() [][]string {
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return stats.FormatValue(*v)
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	var out [][]string
	for _, r := range c.Rows {
		rec := r.Record
		unit := ""
		if rec.Value != nil {
			unit = c.Unit
		}
		out = append(out, []string{c.MapName, r.Name, r.Members, num(rec.Value), unit, num(rec.Reported), rec.Unit, rec.Qualifier,
			date(rec.PeriodStart), date(rec.PeriodEnd), string(stats.LevelProvince), id(rec.FigureID), id(rec.SourceID),
			rec.Source, rec.LeftOut, r.Note})
	}
	return out
}

// Colours of the legend, pale to dark; provinces without a comparable
// value are grey (noDataColour), never the colour of zero.
var (
	// islandLabels name the Hoàng Sa and Trường Sa archipelagos on the
	// map, at a point (longitude, latitude) just north of each; map.js
	// draws them as graphic texts (the map series has no label of its
	// own for a part of a province).
	islandLabels = []struct {
		Key      string
		Lon, Lat float64
	}{{"map.islands.hoangsa", 112.0, 17.25}, {"map.islands.truongsa", 113.2, 11.75}}
	mapColours   = []string{"#deebf7", "#9ecae1", "#4292c6", "#08519c"}
	noDataColour = "#d0d0d0"
)

// figureRecord is the machine-readable part of a figure for the CSV.
func figureRecord(f stats.Figure) MapRecord {
	return MapRecord{Unit: f.Unit, Qualifier: f.Qualifier, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd,
		FigureID: f.ID, SourceID: f.Source.ID,
		Source: f.Source.Outlet + ", " + f.Source.PublishedOn.Format(time.DateOnly) + ": " + f.Source.Title}
}

// ProvinceMap builds the map of m. The view's rules decide what is
// coloured (m.View.Bars); nothing here compares or divides.
func ProvinceMap(m stats.ProvinceMap, s Settings) MapChart {
	p := s.P
	cv := m.View
	c := MapChart{ID: "map-" + m.Era, MapName: "vn" + m.Era, GeoFile: "map/vn" + m.Era + ".json", Drawn: m.Drawn()}
	if cv != nil {
		c.ID = "map-" + m.Era + "-" + strings.TrimPrefix(CompareID(cv.Comparison), "compare-")
		c.Title = IndicatorTitle(p, cv.Indicator, cv.FromLevel, cv.ToLevel, s.English)
		c.Unit = ViewUnit(p, cv.Indicator.Unit, *cv)
		c.Subtitle = p.T("chart.unit", c.Unit) + " · " + ViewMode(p, *cv)
	}
	transformed := cv != nil && (cv.PerYear || cv.Base != stats.BaseReported)
	var data []map[string]any
	var aria []string
	lo, hi := 0.0, 0.0
	for _, a := range m.Areas {
		r := MapRow{Name: a.Name, Level: p.T("level." + string(stats.LevelProvince))}
		if len(a.Members) > 1 {
			r.Members = p.T("map.members", strings.Join(a.Members, ", "))
		}
		if a.Locality != nil {
			r.Slug = a.Locality.Slug
		}
		switch {
		case a.Bar != nil:
			b := *a.Bar
			f := b.Entry.Figure
			shown := Value(p, stats.Figure{Value: b.Value, Qualifier: f.Qualifier, Completeness: f.Completeness,
				Denominator: f.Denominator, Unit: f.Unit})
			if transformed {
				shown = Value(p, stats.Figure{Value: b.Value, Qualifier: f.Qualifier, Completeness: f.Completeness})
				r.Reported = ValueWithUnit(p, f)
			}
			r.Value = ValueUnit(shown, c.Unit, f.Unit)
			r.Period, r.Scope, r.Coloured = Period(p, f), BarScope(p, b), true
			value, reported := b.Value, f.Value
			r.Record = figureRecord(f)
			r.Record.Value, r.Record.Reported = &value, &reported
			r.Source, r.SourceID = f.Source.Outlet+", "+p.Date(f.Source.PublishedOn), f.Source.ID
			v := round1(b.Value)
			if len(data) == 0 || v < lo {
				lo = v
			}
			if len(data) == 0 || v > hi {
				hi = v
			}
			data = append(data, map[string]any{"name": a.Name, "value": v, "text": r.Value + " (" + r.Period + ")"})
			aria = append(aria, a.Name+": "+r.Value+" ("+r.Period+")")
		case a.LeftOut != nil:
			f := a.LeftOut.Entry.Figure
			r.Reported, r.Period = ValueWithUnit(p, f), Period(p, f)
			reported := f.Value
			r.Record = figureRecord(f)
			r.Record.Reported, r.Record.LeftOut = &reported, a.LeftOut.Reason
			r.Source, r.SourceID = f.Source.Outlet+", "+p.Date(f.Source.PublishedOn), f.Source.ID
			switch why := a.LeftOut.Reason; why {
			case stats.NotDrawnScope, stats.NotDrawnBase: // the whole comparison is not drawn
				r.Note = p.T("view.not_drawn." + why)
			default:
				r.Note = p.T("view.not_drawn") + ": " + p.T("view.left_out."+why)
			}
		default:
			r.Note = p.T("chart.no_data")
			r.Record.LeftOut = "no_data"
		}
		c.Rows = append(c.Rows, r)
	}
	if cv != nil {
		c.AriaLabel = p.T("map.aria", c.Title, c.Subtitle, len(data), len(m.Areas))
		if len(aria) > 0 {
			c.AriaLabel += " " + strings.Join(aria, "; ") + "."
		}
	}
	if hi == lo {
		hi = lo + 1 // one value, or all equal: a scale still has two ends
	}
	c.Options = map[string]any{
		"title": map[string]any{"text": c.Title, "subtext": c.Subtitle, "left": 0, "top": 0,
			"textStyle": map[string]any{"fontSize": 15}, "subtextStyle": map[string]any{"fontSize": 12, "color": "#444"}},
		"tooltip": map[string]any{"trigger": "item"},
		"visualMap": map[string]any{"type": "continuous", "min": lo, "max": hi, "left": 0, "bottom": 8,
			"calculable": false, "realtime": false, "seriesIndex": 0, "itemHeight": 120,
			"text": []string{p.Number(hi), p.Number(lo)}, "inRange": map[string]any{"color": mapColours},
			"textStyle": map[string]any{"color": "#222"}},
		"series": []map[string]any{{
			"type": "map", "map": c.MapName, "name": c.Title, "roam": false, "selectedMode": false,
			"top": 56, "bottom": 8,
			"itemStyle": map[string]any{"areaColor": noDataColour, "borderColor": "#ffffff", "borderWidth": 0.6},
			"emphasis":  map[string]any{"label": map[string]any{"show": false}, "itemStyle": map[string]any{"areaColor": "#fdd49e"}},
			"label":     map[string]any{"show": false},
			"data":      data,
		}},
	}
	var labels []map[string]any
	for _, l := range islandLabels {
		labels = append(labels, map[string]any{"text": p.T(l.Key), "coord": []float64{l.Lon, l.Lat}})
	}
	c.Options["islandLabels"] = labels
	return c
}
