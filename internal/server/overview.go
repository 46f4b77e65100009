package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// overviewData is what the overview page and its chart CSVs are built
// from, so that a CSV holds exactly what its chart shows.
type overviewData struct {
	localities []stats.Locality // compared: the focus ones, or those chosen
	all        []stats.Locality
	figures    []stats.Figure
	findings   []stats.Finding
	charts     []chart.Chart
	mismatches []chart.Mismatch
}

// loadOverview reads the figures of the compared localities, limited by
// the filter's period and term, and builds the overview's charts.
func (s *Server) loadOverview(ctx context.Context, q url.Values, set chart.Settings) (overviewData, error) {
	var d overviewData
	f, err := figureFilter(q)
	if err != nil {
		return d, err
	}
	if err := s.stats.CheckFilter(ctx, f); err != nil {
		return d, err
	}
	st := s.stats.Store()
	if d.all, err = st.Localities(ctx); err != nil {
		return d, err
	}
	for _, l := range d.all {
		if (len(f.Localities) == 0 && l.Focus) || slices.Contains(f.Localities, l.Slug) {
			d.localities = append(d.localities, l)
		}
	}
	cats, err := st.Categories(ctx)
	if err != nil {
		return d, err
	}
	slugs := make([]string, len(d.localities))
	for i, l := range d.localities {
		slugs[i] = l.Slug
	}
	if len(slugs) > 0 {
		// Only the overview's own dimensions filter: a category or text
		// search would leave charts that look like "no data".
		if d.figures, err = st.Figures(ctx, stats.FigureFilter{Localities: slugs, Terms: f.Terms, From: f.From, To: f.To}); err != nil {
			return d, err
		}
		if d.findings, err = st.Findings(ctx, stats.FindingFilter{Localities: slugs}); err != nil {
			return d, err
		}
	}
	d.charts = append(d.charts, chart.Coverage("coverage", d.localities, d.figures, set))
	for _, c := range cats {
		if c.Measure != stats.Flow {
			continue
		}
		var figs []stats.Figure
		for _, f := range d.figures {
			if f.Category.Code == c.Code {
				figs = append(figs, f)
			}
		}
		ch := chart.Compare("compare-"+c.Code, c, d.localities, figs, set)
		for _, m := range chart.Mismatches(figs) {
			ch.Notes = append(ch.Notes, m.Notice(set.P))
		}
		d.charts = append(d.charts, ch)
	}
	return d, nil
}

type overviewPage struct {
	Filter      filterForm
	Coverage    chartView
	Compare     []chartView
	Headlines   []headline
	ExportCSV   string
	ExportXLSX  string
	PerYearURL  string
	ReportedURL string
	PerYear     bool
}

// headline is a locality's row in the overview's summary table.
type headline struct {
	Slug     string
	Name     string
	Level    string
	Status   string
	Figures  int
	Findings int
	Period   string // first to last day its figures cover
	Top      *figureView
}

func (s *Server) overview(c echo.Context) error {
	p := s.printer(c)
	q := c.QueryParams()
	set, err := chartSettings(p, q)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := s.loadOverview(ctx, q, set)
	if err != nil {
		return err
	}
	params := shareableParams(q)
	page := overviewPage{
		Filter:     s.filterForm(ctx, p, q, d.all, true),
		Headlines:  headlines(p, d),
		ExportCSV:  withParams("/export.csv", exportParams(params, d.localities)),
		ExportXLSX: withParams("/export.xlsx", exportParams(params, d.localities)),
		PerYear:    set.PerYear,
	}
	page.PerYearURL = withParams("/", with(params, "per", "year"))
	page.ReportedURL = withParams("/", with(params, "per", ""))
	for _, ch := range d.charts {
		v := viewChart(p, ch, "/charts/"+ch.ID+".csv", params)
		if ch.ID == "coverage" {
			page.Coverage = v
			continue
		}
		page.Compare = append(page.Compare, v)
	}
	return s.render(c, http.StatusOK, "overview", view{Title: p.T("overview.title"), Nav: "overview", Charts: true, Data: page})
}

// overviewChartCSV answers /charts/{id}.csv with the same query as the page.
func (s *Server) overviewChartCSV(c echo.Context) error {
	id, err := chartFile(c)
	if err != nil {
		return err
	}
	p := s.printer(c)
	set, err := chartSettings(p, c.QueryParams())
	if err != nil {
		return err
	}
	d, err := s.loadOverview(c.Request().Context(), c.QueryParams(), set)
	if err != nil {
		return err
	}
	ch, err := findChart(d.charts, id)
	if err != nil {
		return err
	}
	return s.writeChartCSV(c, ch.ID, ch)
}

func headlines(p *i18n.Printer, d overviewData) []headline {
	out := make([]headline, len(d.localities))
	for i, l := range d.localities {
		h := headline{Slug: l.Slug, Name: l.Name, Level: p.T("level." + string(l.Level))}
		var parent *stats.Locality
		if j := slices.IndexFunc(d.all, func(x stats.Locality) bool { return x.Slug == l.ParentSlug }); j >= 0 {
			parent = &d.all[j]
		}
		h.Status = localityStatus(p, l, parent)
		var top *stats.Figure
		var first, last stats.Figure
		for _, f := range d.figures {
			if f.Locality.Slug != l.Slug {
				continue
			}
			if h.Figures == 0 || f.PeriodStart.Before(first.PeriodStart) {
				first = f
			}
			if h.Figures == 0 || f.PeriodEnd.After(last.PeriodEnd) {
				last = f
			}
			h.Figures++
			// The headline is the largest count of people that is not a
			// part of another figure: the number the article leads with.
			if f.ParentID == nil && f.Unit == "persons" && (top == nil || f.Value > top.Value) {
				top = &f
			}
		}
		for _, x := range d.findings {
			if x.LocalitySlug == l.Slug {
				h.Findings++
			}
		}
		if h.Figures > 0 {
			h.Period = chart.Period(p, stats.Figure{PeriodStart: first.PeriodStart, PeriodEnd: last.PeriodEnd})
		}
		if top != nil {
			v := viewFigure(p, *top)
			h.Top = &v
		}
		out[i] = h
	}
	return out
}

// exportParams are the page's filters as the exports read them: the
// compared localities are named, so that the export holds what the page
// compares and not every locality.
func exportParams(params url.Values, locs []stats.Locality) url.Values {
	out := url.Values{}
	for k, v := range params {
		if k != "per" && k != "sort" && k != "dir" {
			out[k] = v
		}
	}
	if len(out["locality"]) == 0 {
		for _, l := range locs {
			out.Add("locality", l.Slug)
		}
	}
	return out
}

// with returns a copy of q with key set to value (removed when empty).
func with(q url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	if value == "" {
		out.Del(key)
	} else {
		out.Set(key, value)
	}
	return out
}
