package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// figuresPerPage keeps a page short enough to read on a phone.
const figuresPerPage = 20

type figuresPage struct {
	Filter     filterForm
	Figures    []figureView
	Count      string // "50 số liệu", "hơn 10.000 số liệu"
	CountNote  string // why the count stops at 10.000
	Columns    []sortColumn
	First      string // the first page, when this is not it
	Prev, Next string
	ExportCSV  string
	ExportXLSX string
	ExportJSON string
	Filtered   bool
}

// sortColumn is a column header that sorts the table by itself.
type sortColumn struct {
	Label   string
	URL     string
	Sort    string // aria-sort: ascending, descending or none
	Numeric bool
}

// figures lists the figures a page at a time, by keyset: "next" and
// "previous" carry the position of the last or first figure shown
// (?after=, ?before=), so a page deep in a million figures costs what the
// first does. There are no page numbers: counting a million rows to know
// how many pages there are would cost more than the page.
func (s *Server) figures(c echo.Context) error {
	p := s.printer(c)
	q := c.QueryParams()
	ctx := c.Request().Context()
	f, err := figureFilter(q, p.Lang())
	var res stats.FigurePage
	if err == nil {
		f.Limit = figuresPerPage
		res, err = s.stats.FigurePage(ctx, f)
	}
	// A wrong filter shows the form again with the error beside its field.
	ve := &stats.ValidationError{}
	if err != nil && !collectFields(err, ve) {
		return err
	}
	if len(ve.Fields) == 0 {
		ve = nil
	}
	chosen, err := s.stats.LocalitiesBySlug(ctx, f.Localities)
	if err != nil {
		return err
	}
	params := shareableParams(q)
	exportQ := with(params, "per", "")
	page := figuresPage{
		Filter:     s.filterForm(c, p, chosen, false, ve),
		Figures:    viewFigures(p, res.Figures),
		ExportCSV:  withParams("/export.csv", exportQ),
		ExportXLSX: withParams("/export.xlsx", exportQ),
		ExportJSON: withParams("/api/figures", exportQ),
		Filtered:   len(exportQ) > 0,
	}
	page.Count, page.CountNote = countText(p, res)
	page.Columns = sortColumns(p, params, "/figures", f, []string{"locality", "category", "subject", "value", "period"})
	page.First, page.Prev, page.Next = keysetLinks(params, "/figures", f, res)
	status := http.StatusOK
	if ve != nil {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "figures", view{Title: p.T("figures.title"), Nav: "figures", Picker: true, Data: page})
}

// collectFields gathers the field errors of err (which may join several)
// into v; it reports false when err holds something else.
func collectFields(err error, v *stats.ValidationError) bool {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			if !collectFields(e, v) {
				return false
			}
		}
		return true
	}
	var fe *stats.ValidationError
	if !errors.As(err, &fe) {
		return false
	}
	v.Fields = append(v.Fields, fe.Fields...)
	return true
}

// sortColumns are the headers of a sortable table of figures: each links
// to the same list sorted by itself, the other way round when it already is.
func sortColumns(p *i18n.Printer, params url.Values, path string, f stats.FigureFilter, keys []string) []sortColumn {
	var out []sortColumn
	for _, key := range keys {
		sc := sortColumn{Label: p.T("col." + key), Sort: "none", Numeric: key == "value" || key == "id"}
		dir := "asc"
		if f.Sort == key {
			sc.Sort = "ascending"
			if f.Desc {
				sc.Sort = "descending"
			} else {
				dir = "desc"
			}
		}
		sc.URL = withParams(path, with(with(params, "sort", key), "dir", dir)) // from the first page
		out = append(out, sc)
	}
	return out
}

// keysetLinks are a list's links to its first, previous and next pages
// (empty where there is none): the positions of the page's ends, carried
// as ?after= and ?before= (page.go).
func keysetLinks(params url.Values, path string, f stats.FigureFilter, res stats.FigurePage) (first, prev, next string) {
	if res.Prev != nil {
		prev = withParams(path, with(params, "before", res.Prev.String()))
	}
	if res.Next != nil {
		next = withParams(path, with(params, "after", res.Next.String()))
	}
	if f.After != nil || f.Before != nil {
		first = withParams(path, params)
	}
	return first, prev, next
}

// countText says how many figures a list holds, and, when the count
// stops at its cap, why.
func countText(p *i18n.Printer, res stats.FigurePage) (count, note string) {
	if res.Capped {
		return p.T("figures.count_more", p.Number(float64(res.Total))), p.T("figures.count_capped", p.Number(float64(res.Cap)))
	}
	return p.T("figures.count", p.Number(float64(res.Total))), ""
}
