package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// figuresPerPage keeps a page short enough to read on a phone.
const figuresPerPage = 20

type figuresPage struct {
	Filter     filterForm
	Figures    []figureView
	Total      int
	Count      string // "50 số liệu"
	Columns    []sortColumn
	Pages      []pageLink
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

type pageLink struct {
	Number  int
	URL     string
	Current bool
}

func (s *Server) figures(c echo.Context) error {
	p := s.printer(c)
	q := c.QueryParams()
	ctx := c.Request().Context()
	f, err := figureFilter(q, p.Lang())
	pageNo := 1
	if v := q.Get("page"); v != "" {
		if n, perr := strconv.Atoi(v); perr != nil || n < 1 {
			ve := &stats.ValidationError{}
			ve.Add("page", "error.query.invalid", v)
			err = errors.Join(err, ve)
		} else {
			pageNo = n
		}
	}
	var res stats.FigurePage
	if err == nil {
		f.Limit, f.Offset = figuresPerPage, (pageNo-1)*figuresPerPage
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
	locs, err := s.stats.Localities(ctx)
	if err != nil {
		return err
	}
	total, figs := res.Total, res.Figures
	params := shareableParams(q)
	exportQ := with(params, "per", "")
	page := figuresPage{
		Filter:     s.filterForm(ctx, p, q, locs, false, ve),
		Figures:    viewFigures(p, figs),
		Total:      total,
		Count:      p.T("figures.count", p.Number(float64(total))),
		ExportCSV:  withParams("/export.csv", exportQ),
		ExportXLSX: withParams("/export.xlsx", exportQ),
		ExportJSON: withParams("/api/figures", exportQ),
		Filtered:   len(exportQ) > 0,
	}
	page.Columns = sortColumns(p, params, "/figures", f, []string{"locality", "category", "subject", "value", "period"})
	page.Pages, page.Prev, page.Next = pagination(params, "/figures", total, figuresPerPage, pageNo)
	status := http.StatusOK
	if ve != nil {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "figures", view{Title: p.T("figures.title"), Nav: "figures", Data: page})
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
		sc.URL = withParams(path, with(with(with(params, "sort", key), "dir", dir), "page", ""))
		out = append(out, sc)
	}
	return out
}

// pagination links the pages of a list: a window around the current page
// with the first and last, so that a long list does not print every page.
func pagination(params url.Values, path string, total, perPage, current int) (links []pageLink, prev, next string) {
	pages := (total + perPage - 1) / perPage
	pageURL := func(n int) string {
		if n == 1 {
			return withParams(path, with(params, "page", ""))
		}
		return withParams(path, with(params, "page", strconv.Itoa(n)))
	}
	if pages > 1 {
		for n := 1; n <= pages; n++ {
			if n == 1 || n == pages || (n >= current-3 && n <= current+3) {
				links = append(links, pageLink{Number: n, URL: pageURL(n), Current: n == current})
			} else if len(links) > 0 && links[len(links)-1].Number != 0 {
				links = append(links, pageLink{}) // a gap: "…"
			}
		}
	}
	if current > 1 && current <= pages {
		prev = pageURL(current - 1)
	}
	if current < pages {
		next = pageURL(current + 1)
	}
	return links, prev, next
}
