package public

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// localityChartsShown is how many charts a locality page draws: one per
// indicator would be fifty for a province that reports everything. The
// others are a link away (/localities/{slug}/charts/{id}.csv still has
// each), and every figure is in the tables.
const localityChartsShown = 12

type localityPage struct {
	Locality     stats.Locality
	FullName     string
	Level        string
	Parent       *stats.Locality
	Status       string
	Note         string // the editors' note, in Vietnamese only
	Sections     []localitySection
	Findings     []findingView
	Sources      []stats.Source
	SourceItems  template.HTML // the list items of Sources (sourceItems)
	Children     []stats.Locality
	Partial      string // a large locality: what the page shows of its figures
	ChartsCapped string // the charts not drawn
	SourceCount  string // when the figures shown cite fewer sources than all
	SourcesURL   string // /sources?locality=…, always linked when there are sources
	ExportCSV    string
	ExportXLSX   string
	PerYear      bool
	PerYearURL   string
	ReportedURL  string
}

type localitySection struct {
	P       *i18n.Printer // the figure-table template prints its headers
	Title   string
	Measure string
	Context bool // shown apart: context, not cadre work
	Notices []noticeGroup
	Charts  []chartView
	Groups  []figureGroup
}

// figureGroup is the figures of one indicator on a locality's page.
type figureGroup struct {
	P          *i18n.Printer
	Edit       bool   // a signed-in editor sees an edit link on each figure
	Title      string // the indicator's name, or "not tied to an indicator"
	Definition string
	Measure    string
	Figures    []render.FigureView
	Rows       template.HTML // the table's rows (figureRows)
	Shown      string        // a large locality: "8 mới nhất trong 2.345 số liệu"
	MoreURL    string        // the list of all of them
	L          *tableLabels
}

// tableLabels are a figure table's texts, translated once per page
// rather than once per cell.
type tableLabels struct {
	Subject, Value, Unit, Period, Source, Unverified, Target, Edit string
}

func newTableLabels(p *i18n.Printer) *tableLabels {
	return &tableLabels{Subject: p.T("col.subject"), Value: p.T("col.value"), Unit: p.T("col.unit"), Period: p.T("col.period"),
		Source: p.T("col.source"), Unverified: p.T("figure.unverified"), Target: p.T("figure.target"),
		Edit: p.T("admin.figure.edit_link")}
}

type findingView struct {
	ID        int64
	Locality  string
	Category  string
	Statement string
	Quote     render.QuoteView
	SourceID  int64
	Source    string
}

func viewFindings(p *i18n.Printer, cats []stats.Category, xs []stats.Finding) []findingView {
	out := make([]findingView, len(xs))
	for i, x := range xs {
		v := findingView{ID: x.ID, Locality: x.LocalityName, Statement: x.Statement, Quote: render.QuoteView{Before: x.Quote},
			SourceID: x.Source.ID, Source: x.Source.Outlet + ", " + p.Date(x.Source.PublishedOn)}
		if p.Lang() == i18n.EN && x.StatementEN != "" {
			v.Statement = x.StatementEN
		}
		if j := slices.IndexFunc(cats, func(c stats.Category) bool { return c.Code == x.Category }); j >= 0 {
			v.Category = chart.CategoryName(cats[j], p.Lang() == i18n.EN)
		}
		out[i] = v
	}
	return out
}

// localityData is what a locality page and its chart CSVs are built from.
type localityData struct {
	stats.LocalityReport
	sections []chart.Section
}

func (s *Handler) loadLocality(c echo.Context, set chart.Settings) (localityData, error) {
	r, err := s.stats.LocalityReport(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return localityData{}, err
	}
	return localityData{LocalityReport: r, sections: chart.ForLocality(r.Categories, r.Figures, set)}, nil
}

func (s *Handler) locality(c echo.Context) error {
	p := s.Printer(c)
	set, err := chartSettings(p, c.QueryParams())
	if err != nil {
		return err
	}
	set.MaxCharts = localityChartsShown
	d, err := s.loadLocality(c, set)
	if err != nil {
		return err
	}
	l := d.Locality
	page := localityPage{
		Locality: l, FullName: capitalize(render.LocalityName(p, l)), Level: p.T("level." + string(l.Level)), Parent: d.Parent,
		Status: render.LocalityStatus(p, l, d.Parent), Findings: viewFindings(p, d.Categories, d.Findings), Children: d.Children,
		ExportCSV:  render.WithParams("/export.csv", url.Values{"locality": {l.Slug}}),
		ExportXLSX: render.WithParams("/export.xlsx", url.Values{"locality": {l.Slug}}),
		PerYear:    set.PerYear,
	}
	if p.Lang() == i18n.VI {
		page.Note = l.Note
	}
	params := render.ShareableParams(c.QueryParams())
	base := "/localities/" + url.PathEscape(l.Slug)
	page.PerYearURL = render.WithParams(base, render.With(params, "per", "year"))
	page.ReportedURL = render.WithParams(base, render.With(params, "per", ""))
	if d.Partial {
		page.Partial = p.T("locality.partial", p.Number(float64(d.Total)), stats.LatestPerIndicator)
	}
	labels := newTableLabels(p)
	image := "" // the first chart's, for og:image
	for _, sec := range d.sections {
		v := localitySection{P: p, Title: chart.CategoryName(sec.Category, set.English),
			Measure: p.T("measure." + string(sec.Category.Measure)), Context: sec.Category.Context}
		if g, ok := newNoticeGroup(p, "notice.group.parts", sec.Mismatches); ok {
			v.Notices = append(v.Notices, g)
		}
		if g, ok := newNoticeGroup(p, "notice.group.moves", sec.Unmatched); ok {
			v.Notices = append(v.Notices, g)
		}
		if g, ok := newNoticeGroup(p, "notice.group.sources", sec.Conflicts); ok {
			v.Notices = append(v.Notices, g)
		}
		for _, g := range sec.Groups {
			_, signedIn := session.User(c)
			fg := figureGroup{P: p, L: labels, Edit: signedIn, Title: p.T("indicator.none"), Figures: render.ViewFigures(p, g.Figures)}
			fg.Rows = figureRows(labels, signedIn, fg.Figures)
			if d.Partial {
				key := ""
				if g.Indicator != nil {
					key = g.Indicator.Key
				}
				total := 0
				for _, n := range d.Counts {
					if n.Category == sec.Category.Code && n.Indicator == key {
						total += n.Figures
					}
				}
				if total > len(g.Figures) {
					fg.Shown = p.T("locality.group_shown", p.Number(float64(total)))
					mq := url.Values{"locality": {l.Slug}, "category": {sec.Category.Code}}
					if key != "" {
						mq.Set("indicator", key)
					}
					fg.MoreURL = render.WithParams("/figures", mq)
				}
			}
			if g.Indicator != nil {
				fg.Title = g.Indicator.Label(set.English)
				fg.Definition = g.Indicator.Definition
				if set.English {
					fg.Definition = g.Indicator.DefinitionEN
				}
				fg.Measure = p.T("measure." + string(g.Indicator.Measure))
			}
			v.Groups = append(v.Groups, fg)
		}
		for _, ch := range sec.Charts {
			cv := viewChart(p, ch, base+"/charts/"+ch.ID+".csv", params)
			cv.Embed = s.embedFor(c, p, ch, "/embed"+base+"/charts/"+ch.ID, params)
			if image == "" {
				image = cv.Embed.ImageURL
			}
			v.Charts = append(v.Charts, cv)
		}
		if sec.Omitted > 0 {
			page.ChartsCapped = p.T("locality.charts_capped", localityChartsShown)
		}
		page.Sections = append(page.Sections, v)
	}
	page.Sources = citedSources(d.Figures, d.Findings)
	page.SourceItems = sourceItems(func(src stats.Source) string { return p.Date(src.PublishedOn) }, page.Sources)
	page.SourcesURL = render.WithParams("/sources", url.Values{"locality": {l.Slug}})
	switch {
	case d.SourcesCapped:
		page.SourceCount = p.T("locality.sources_shown_capped", p.Number(float64(len(page.Sources))), p.Number(float64(d.SourceCount)))
	case d.SourceCount > len(page.Sources):
		page.SourceCount = p.T("locality.sources_shown", p.Number(float64(len(page.Sources))), p.Number(float64(d.SourceCount)))
	}
	return s.Render(c, http.StatusOK, "locality", render.View{Title: capitalize(render.LocalityName(p, l)), Nav: "overview", Charts: true,
		Image: image, Data: page})
}

// localityChartCSV answers /localities/{slug}/charts/{id}.csv.
func (s *Handler) localityChartCSV(c echo.Context) error {
	id, err := chartFile(c)
	if err != nil {
		return err
	}
	set, err := chartSettings(s.Printer(c), c.QueryParams())
	if err != nil {
		return err
	}
	d, err := s.loadLocality(c, set)
	if err != nil {
		return err
	}
	ch, ok := chart.FindChart(d.sections, id)
	if !ok {
		return fmt.Errorf("chart %q of %s: %w", id, d.Locality.Slug, stats.ErrNotFound)
	}
	return s.writeChartCSV(c, d.Locality.Slug+"-"+ch.ID, ch)
}

// citedSources lists the sources of the figures and findings, newest first.
func citedSources(figs []stats.Figure, xs []stats.Finding) []stats.Source {
	var out []stats.Source
	seen := map[int64]bool{} // a large locality cites hundreds
	add := func(src stats.Source) {
		if !seen[src.ID] {
			seen[src.ID] = true
			out = append(out, src)
		}
	}
	for _, f := range figs {
		add(f.Source)
	}
	for _, x := range xs {
		add(x.Source)
	}
	slices.SortStableFunc(out, func(a, b stats.Source) int { return b.PublishedOn.Compare(a.PublishedOn) })
	return out
}

// capitalize starts a heading with a capital: "Tỉnh Điện Biên".
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
