package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

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
	for _, col := range []struct{ key, label string }{
		{"locality", "col.locality"}, {"category", "col.category"}, {"subject", "col.subject"},
		{"value", "col.value"}, {"period", "col.period"},
	} {
		sc := sortColumn{Label: p.T(col.label), Sort: "none", Numeric: col.key == "value"}
		dir := "asc"
		if f.Sort == col.key {
			sc.Sort = "ascending"
			if f.Desc {
				sc.Sort = "descending"
			} else {
				dir = "desc"
			}
		}
		sc.URL = withParams("/figures", with(with(params, "sort", col.key), "dir", dir))
		page.Columns = append(page.Columns, sc)
	}
	pages := (total + figuresPerPage - 1) / figuresPerPage
	pageURL := func(n int) string {
		if n == 1 {
			return withParams("/figures", params)
		}
		return withParams("/figures", with(params, "page", strconv.Itoa(n)))
	}
	for n := 1; n <= pages && pages > 1; n++ {
		page.Pages = append(page.Pages, pageLink{Number: n, URL: pageURL(n), Current: n == pageNo})
	}
	if pageNo > 1 && pageNo <= pages {
		page.Prev = pageURL(pageNo - 1)
	}
	if pageNo < pages {
		page.Next = pageURL(pageNo + 1)
	}
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
