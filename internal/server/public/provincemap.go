package public

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/provinces"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// mapPage is the province map: one era's provinces coloured by one
// comparison, the table beside it, and the comparisons to choose from.
type mapPage struct {
	Era         string
	EraLinks    []modeLink // the 63 and the 34
	Per, Base   []modeLink
	Choices     []mapChoice
	Map         *chart.MapChart
	NotMade     string // the chosen indicator makes no comparison on this map: why
	OverviewURL string
	CSVURL      string // the map's table as CSV (/map.csv, same query)
	Resolution  string
	Unmatched   []string // provinces the app holds that no map province names
}

// mapChoice is a comparison the map can draw.
type mapChoice struct {
	Title   string
	URL     string
	Current bool
}

// mapURL is the map of a comparison, keeping the page's view.
func mapURL(params url.Values, era, indicator string, from, to stats.Level) string {
	q := url.Values{}
	for _, k := range []string{"per", "base", "term", "from", "to", "verified"} {
		for _, v := range params[k] {
			q.Add(k, v)
		}
	}
	if era != "" && era != stats.Era63 {
		q.Set("era", era)
	}
	if indicator != "" {
		q.Set("indicator", indicator)
	}
	if from != "" {
		q.Set("levels", string(from)+"-"+string(to))
	}
	return render.WithParams("/map", q)
}

// loadMap reads the map's query and builds the map: what the page and
// its CSV share. Errors: *stats.ValidationError (400), ErrUnavailable.
func (s *Handler) loadMap(c echo.Context) (stats.ProvinceMap, chart.Settings, mapQuery, error) {
	p := s.Printer(c)
	q := c.QueryParams()
	v := &stats.ValidationError{}
	set, err := chartSettings(p, q)
	render.CollectFields(err, v)
	f, err := render.FigureFilter(q, p.Lang())
	render.CollectFields(err, v)
	era, err := stats.ParseEra(q.Get("era"))
	render.CollectFields(err, v)
	dir, err := stats.ParseLevels(q.Get("levels"))
	render.CollectFields(err, v)
	if len(f.Localities) > 0 || len(f.Categories) > 0 || f.Query != "" || f.SourceID != 0 {
		// The map draws every province: a choice of localities, categories,
		// text or source is not its to make.
		v.Add("locality", "error.map.filter", "")
	}
	mq := mapQuery{era: era, dir: dir}
	if len(f.Indicators) > 0 {
		mq.indicator = f.Indicators[0]
	}
	if err := v.Err(); err != nil {
		return stats.ProvinceMap{}, set, mq, err
	}
	m, err := s.stats.ProvinceMap(c.Request().Context(), f, era, dir, set.View)
	return m, set, mq, err // a *stats.ValidationError (an unknown indicator or term) answers 400
}

// mapQuery is what the map's query chose.
type mapQuery struct {
	era, indicator string
	dir            stats.CompareKey
}

// provinceMapCSV answers /map.csv: the map's table, a row a province,
// for the same query as the page; 404 when the page draws no map.
func (s *Handler) provinceMapCSV(c echo.Context) error {
	m, set, mq, err := s.loadMap(c)
	if err != nil {
		return err
	}
	if m.View == nil {
		return fmt.Errorf("map of %q: %w", mq.indicator, stats.ErrNotFound)
	}
	mc := chart.ProvinceMap(m, set)
	return s.writeCSV(c, "map-"+m.Era+"-"+mq.indicator, chart.MapCSVHeader, mc.CSV(), chart.MapCSVTextColumns)
}

func (s *Handler) provinceMap(c echo.Context) error {
	p := s.Printer(c)
	q := c.QueryParams()
	m, set, mq, err := s.loadMap(c)
	if err != nil {
		return err
	}
	era, dir, indicator := mq.era, mq.dir, mq.indicator
	params := render.ShareableParams(q)
	params.Del("era") // mapURL sets it
	page := mapPage{Era: era, Resolution: provinces.Resolution}
	for _, x := range []struct{ era, key string }{{stats.Era63, "map.era.63"}, {stats.Era34, "map.era.34"}} {
		page.EraLinks = append(page.EraLinks, modeLink{Label: p.T(x.key), URL: mapURL(params, x.era, indicator, dir.FromLevel, dir.ToLevel),
			Current: era == x.era})
	}
	here := mapURL(params, era, indicator, dir.FromLevel, dir.ToLevel)
	hu, _ := url.Parse(here)
	page.Per, page.Base = modeLinks(p, "/map", hu.Query(), set.View)
	page.CSVURL = render.WithParams("/map.csv", hu.Query())
	for _, cmp := range m.Comparisons {
		cur := m.View != nil && chart.CompareID(cmp) == chart.CompareID(m.View.Comparison)
		page.Choices = append(page.Choices, mapChoice{
			Title:   chart.IndicatorTitle(p, cmp.Indicator, cmp.FromLevel, cmp.ToLevel, set.English),
			URL:     mapURL(params, era, cmp.Indicator.Key, cmp.FromLevel, cmp.ToLevel),
			Current: cur})
	}
	if m.View != nil {
		mc := chart.ProvinceMap(m, set)
		page.Map = &mc
		if !m.View.Drawn {
			_, page.NotMade = chart.Unfair(p, *m.View, set.English)
		}
	} else if m.Indicator != "" {
		page.NotMade = p.T("map.not_compared")
	}
	ov := url.Values{}
	if indicator != "" {
		ov.Set("indicator", indicator)
	}
	page.OverviewURL = render.WithParams("/", ov)
	for _, l := range m.Unmatched {
		page.Unmatched = append(page.Unmatched, render.LocalityName(p, l))
	}
	return s.Render(c, http.StatusOK, "map", render.View{Title: p.T("map.title"), Nav: "overview", Map: page.Map != nil, Data: page})
}
