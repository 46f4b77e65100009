package chart

import (
	"strings"

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
			r.Source, r.SourceID = f.Source.Outlet+", "+p.Date(f.Source.PublishedOn), f.Source.ID
			switch why := a.LeftOut.Reason; why {
			case stats.NotDrawnScope, stats.NotDrawnBase: // the whole comparison is not drawn
				r.Note = p.T("view.not_drawn." + why)
			default:
				r.Note = p.T("view.not_drawn") + ": " + p.T("view.left_out."+why)
			}
		default:
			r.Note = p.T("chart.no_data")
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
