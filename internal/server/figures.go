package server

import (
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
	f, err := figureFilter(q)
	if err != nil {
		return err
	}
	pageNo := 1
	if v := q.Get("page"); v != "" {
		if pageNo, err = strconv.Atoi(v); err != nil || pageNo < 1 {
			ve := &stats.ValidationError{}
			ve.Add("page", "error.query.invalid", v)
			return ve
		}
	}
	ctx := c.Request().Context()
	if err := s.stats.CheckFilter(ctx, f); err != nil {
		return err
	}
	st := s.stats.Store()
	total, err := st.CountFigures(ctx, f)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = figuresPerPage, (pageNo-1)*figuresPerPage
	figs, err := st.Figures(ctx, f)
	if err != nil {
		return err
	}
	locs, err := st.Localities(ctx)
	if err != nil {
		return err
	}
	params := shareableParams(q)
	exportQ := with(params, "per", "")
	page := figuresPage{
		Filter:     s.filterForm(ctx, p, q, locs, false),
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
	return s.render(c, http.StatusOK, "figures", view{Title: p.T("figures.title"), Nav: "figures", Data: page})
}
