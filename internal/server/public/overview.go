package public

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/provinces"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// overviewData is what the overview page and its chart CSVs are built
// from, so that a CSV holds exactly what its chart shows.
type overviewData struct {
	stats.OverviewReport
	set chart.Settings
}

// loadOverview reads what the filter compares.
func (s *Handler) loadOverview(ctx context.Context, f stats.FigureFilter, set chart.Settings) (overviewData, error) {
	r, err := s.stats.Overview(ctx, f)
	if err != nil {
		return overviewData{}, err
	}
	return overviewData{OverviewReport: r, set: set}, nil
}

// chart builds the chart with id (coverage, or a comparison's): only the
// charts a page draws are built.
func (d overviewData) chart(id string) (chart.Chart, bool) {
	if id == "coverage" {
		return chart.Coverage("coverage", d.Coverage, d.Categories, d.set), true
	}
	for _, cmp := range d.Comparisons {
		if chart.CompareID(cmp) == id {
			return chart.Compare(id, cmp.View(d.set.View), d.set), true
		}
	}
	return chart.Chart{}, false
}

// compareChartsShown is how many comparison charts the overview draws; the
// other comparisons are rows of one table, each linking to its charts.
// Fifty indicators compared at once would make a page of a megabyte.
const compareChartsShown = 12

// compareRow is a comparison not drawn: its values in one table row.
type compareRow struct {
	Title string
	Why   string // why it is not drawn (Unfair rows)
	URL   string // the overview drawing this indicator's charts
	Cells []chart.Cell
}

type overviewPage struct {
	Filter          render.FilterForm
	Coverage        chartView
	Compare         []chartView
	MoreHead        []string // the compared localities, heading the table of the other comparisons
	MoreCompare     []compareRow
	Unfair          []compareRow // comparisons no view makes fair: why, and the values
	Per             []modeLink   // as reported, per year, or chosen by the rules
	Base            []modeLink   // as reported, per sub-unit, per 100 cadres, or chosen
	OnlySome        string       // "the charts of one indicator": a link back to all
	Uncompared      []uncomparedView
	UncomparedNotes []string // one line naming the categories, not one per category
	Headlines       []headline
	Notices         []noticeGroup
	Default         bool // the localities compared are the default ones
	ExportCSV       string
	ExportXLSX      string
	View            stats.View
	Image           string // the first chart's image, for og:image
	Invalid         bool   // the filter is wrong: the form shows why, nothing else is drawn
}

// uncomparedView is a category whose figures no chart compares.
type uncomparedView struct {
	Title    string
	Table    chart.Table
	Compared bool   // some of the category's figures are compared above
	More     string // "và 1.234 số liệu khác"
	MoreURL  string // the list of figures with them
}

// headline is a locality's row in the overview's summary table: the
// indicators it reports, never one "largest number".
type headline struct {
	Slug       string
	Name       string
	Level      string
	Status     string
	Figures    string
	Findings   int
	Period     string // first to last day its figures cover
	Indicators []string
	More       string // "và 5 chỉ tiêu khác"
}

// headlineIndicators is how many indicators a row names before "and N more".
const headlineIndicators = 4

func (s *Handler) overview(c echo.Context) error {
	p := s.Printer(c)
	q := c.QueryParams()
	ctx := c.Request().Context()
	set, err := chartSettings(p, q)
	f, ferr := render.FigureFilter(q, p.Lang())
	if err == nil {
		err = ferr
	}
	var d overviewData
	if err == nil {
		d, err = s.loadOverview(ctx, f, set)
	}
	var ve *stats.ValidationError
	if err != nil && !errors.As(err, &ve) {
		return err
	}
	chosen := d.Compared
	if ve != nil {
		// Keep what the reader chose, as far as it names localities.
		if chosen, err = s.stats.LocalitiesBySlug(ctx, f.Localities); err != nil {
			return err
		}
	}
	params := render.ShareableParams(q)
	page := overviewPage{
		Filter:     s.FilterForm(c, p, chosen, true, ve),
		Headlines:  headlines(p, d),
		Default:    d.Default,
		ExportCSV:  render.WithParams("/export.csv", exportParams(params, d.Compared)),
		ExportXLSX: render.WithParams("/export.xlsx", exportParams(params, d.Compared)),
		View:       set.View,
		Invalid:    ve != nil,
	}
	page.Per, page.Base = modeLinks(p, "/", params, set.View)
	var conflicts []string
	if ve == nil {
		cov, _ := d.chart("coverage")
		page.Coverage = viewChart(p, cov, "/charts/coverage.csv", params)
	}
	tab, err := provinces.Load()
	if err != nil {
		return err
	}
	for _, cmp := range d.Comparisons {
		// ?indicator= and ?category= choose which comparisons to draw.
		if (len(f.Indicators) > 0 && !slices.Contains(f.Indicators, cmp.Indicator.Key)) ||
			(len(f.Categories) > 0 && !slices.Contains(f.Categories, cmp.Indicator.Category)) {
			continue
		}
		cv := cmp.View(set.View)
		if !cv.Drawn {
			title, why := chart.Unfair(p, cv, set.English)
			page.Unfair = append(page.Unfair, compareRow{Title: title, Why: why,
				URL:   render.WithParams("/", render.With(exportParams(params, d.Compared), "indicator", cmp.Indicator.Key)),
				Cells: compareCells(p, d.Compared, cmp)})
			continue
		}
		if len(page.Compare) < compareChartsShown {
			ch := chart.Compare(chart.CompareID(cmp), cv, set)
			for _, c := range ch.Conflicts {
				conflicts = append(conflicts, ch.Title+" — "+c)
			}
			v := viewChart(p, ch, "/charts/"+ch.ID+".csv", params)
			if era, ok := stats.MapEra(cmp, tab); ok {
				v.MapURL, v.MapLabel = mapURL(params, era, cmp.Indicator.Key, cmp.FromLevel, cmp.ToLevel), p.T("map.link")
			}
			v.Embed = s.embedFor(c, p, ch, "/embed/charts/"+ch.ID, embedParams(params, d.Compared))
			if page.Image == "" {
				page.Image = v.Embed.ImageURL
			}
			page.Compare = append(page.Compare, v)
			continue
		}
		title := chart.IndicatorTitle(p, cmp.Indicator, cmp.FromLevel, cmp.ToLevel, set.English)
		for _, e := range cmp.Entries {
			if e.Conflict() {
				conflicts = append(conflicts, title+" — "+p.T("compare.other_values_of", e.Locality.Name, p.Number(float64(e.OtherCount))))
			}
		}
		page.MoreCompare = append(page.MoreCompare, compareRow{Title: title,
			URL: render.WithParams("/", render.With(exportParams(params, d.Compared), "indicator", cmp.Indicator.Key)), Cells: compareCells(p, d.Compared, cmp)})
	}
	if len(page.MoreCompare) > 0 || len(page.Unfair) > 0 {
		for _, l := range d.Compared {
			page.MoreHead = append(page.MoreHead, l.Name)
		}
	}
	if len(f.Indicators) > 0 || len(f.Categories) > 0 {
		page.OnlySome = render.WithParams("/", render.With(render.With(params, "indicator", ""), "category", ""))
	}
	if g, ok := newNoticeGroup(p, "notice.group.conflicts", conflicts); ok {
		page.Notices = append(page.Notices, g)
	}
	page.Uncompared = uncompared(p, d, set.English)
	page.UncomparedNotes = uncomparedNotes(p, page.Uncompared)
	status := http.StatusOK
	if ve != nil {
		status = http.StatusBadRequest
	}
	return s.Render(c, status, "overview", render.View{Title: p.T("overview.title"), Nav: "overview", Charts: ve == nil, Picker: true,
		Image: page.Image, Data: page})
}

// compareCells are a comparison's values, one per compared locality:
// "ít nhất 15 người (2019)", or "không có số liệu".
func compareCells(p *i18n.Printer, locs []stats.Locality, cmp stats.Comparison) []chart.Cell {
	out := make([]chart.Cell, len(locs))
	for i, l := range locs {
		out[i] = chart.Cell{Text: p.T("chart.no_data"), NoData: true}
		for _, e := range cmp.Entries {
			if e.Locality.Slug == l.Slug {
				f := e.Figure
				t := chart.ValueWithUnit(p, f) + " (" + chart.Period(p, f)
				if f.IsSum() {
					t += " · " + chart.ScopeText(p, f)
				}
				out[i] = chart.Cell{Text: t + ")", Num: true}
			}
		}
	}
	return out
}

// uncomparedNotes say once, naming the categories, why their figures are
// not compared, instead of the same sentence above each of them.
func uncomparedNotes(p *i18n.Printer, us []uncomparedView) []string {
	var none, rest []string
	for _, u := range us {
		if u.Compared {
			rest = append(rest, "“"+u.Title+"”")
		} else {
			none = append(none, "“"+u.Title+"”")
		}
	}
	var out []string
	if len(none) > 0 {
		out = append(out, p.T("overview.uncompared", strings.Join(none, ", ")))
	}
	if len(rest) > 0 {
		out = append(out, p.T("overview.uncompared_rest", strings.Join(rest, ", ")))
	}
	return out
}

func uncompared(p *i18n.Printer, d overviewData, english bool) []uncomparedView {
	var out []uncomparedView
	for _, u := range d.Uncompared {
		v := uncomparedView{Title: chart.CategoryName(u.Category, english), Table: chart.Uncomparable(p, u, english)}
		v.Compared = slices.ContainsFunc(d.Comparisons, func(c stats.Comparison) bool {
			return c.Entries[0].Figure.Category.Code == u.Category.Code
		})
		if rest := u.Total - len(u.Figures); rest > 0 {
			v.More = p.T("overview.uncompared_more", p.Number(float64(rest)))
			q := url.Values{"category": {u.Category.Code}}
			for _, l := range d.Compared {
				q.Add("locality", l.Slug)
			}
			v.MoreURL = render.WithParams("/figures", q)
		}
		out = append(out, v)
	}
	return out
}

// overviewChartCSV answers /charts/{id}.csv with the same query as the page.
func (s *Handler) overviewChartCSV(c echo.Context) error {
	id, err := chartFile(c)
	if err != nil {
		return err
	}
	p := s.Printer(c)
	set, err := chartSettings(p, c.QueryParams())
	if err != nil {
		return err
	}
	f, err := render.FigureFilter(c.QueryParams(), p.Lang())
	if err != nil {
		return err
	}
	d, err := s.loadOverview(c.Request().Context(), f, set)
	if err != nil {
		return err
	}
	ch, ok := d.chart(id)
	if !ok {
		return fmt.Errorf("chart %q: %w", id, stats.ErrNotFound)
	}
	return s.writeChartCSV(c, ch.ID, ch)
}

func headlines(p *i18n.Printer, d overviewData) []headline {
	english := p.Lang() == i18n.EN
	out := make([]headline, len(d.Compared))
	for i, l := range d.Compared {
		h := headline{Slug: l.Slug, Name: l.Name, Level: p.T("level." + string(l.Level)), Figures: "0",
			Findings: d.Findings[l.Slug]}
		var parent *stats.Locality
		if j := slices.IndexFunc(d.Parents, func(x stats.Locality) bool { return x.Slug == l.ParentSlug }); j >= 0 {
			parent = &d.Parents[j]
		}
		h.Status = render.LocalityStatus(p, l, parent)
		if j := slices.IndexFunc(d.Coverage.Localities, func(c stats.LocalityCoverage) bool { return c.Locality.Slug == l.Slug }); j >= 0 {
			cov := d.Coverage.Localities[j]
			h.Figures = p.Number(float64(cov.Figures))
			if cov.Figures > 0 {
				h.Period = chart.Period(p, stats.Figure{PeriodStart: cov.First, PeriodEnd: cov.Last})
			}
		}
		var inds []string
		for _, f := range d.Latest {
			if f.Locality.Slug != l.Slug || f.Indicator == nil || f.Category.Context {
				continue
			}
			if name := f.Indicator.Label(english); !slices.Contains(inds, name) {
				inds = append(inds, name)
			}
		}
		if len(inds) > headlineIndicators {
			h.More = p.T("overview.more_indicators", len(inds)-headlineIndicators)
			inds = inds[:headlineIndicators]
		}
		h.Indicators = inds
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
		if k != "per" && k != "base" && k != "sort" && k != "dir" {
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

// modeLink is one choice of how comparisons are drawn.
type modeLink struct {
	Label   string
	URL     string
	Current bool
}

// modeLinks are the choices of per and base, each a link keeping the rest
// of the page's query; the current one is marked.
func modeLinks(p *i18n.Printer, path string, params url.Values, v stats.View) (per, base []modeLink) {
	for _, x := range []struct{ value, key string }{{stats.PerAuto, "view.per.auto"},
		{stats.PerReported, "chart.as_reported"}, {stats.PerYear, "chart.per_year"}} {
		per = append(per, modeLink{Label: p.T(x.key), URL: render.WithParams(path, render.With(params, "per", x.value)),
			Current: v.Per == x.value})
	}
	for _, x := range []struct{ value, key string }{{stats.BaseAuto, "view.base.auto"},
		{stats.BaseReported, "chart.as_reported"}, {stats.BaseUnit, "view.base.unit"}, {stats.BaseCadres, "view.base.cadres"}} {
		base = append(base, modeLink{Label: p.T(x.key), URL: render.WithParams(path, render.With(params, "base", x.value)),
			Current: v.Base == x.value})
	}
	return per, base
}
