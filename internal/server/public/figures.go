package public

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// figuresPerPage keeps a page short enough to read on a phone.
const figuresPerPage = 20

type figuresPage struct {
	Filter     render.FilterForm
	Figures    []render.FigureView
	Count      string // "50 số liệu", "hơn 10.000 số liệu"
	CountNote  string // why the count stops at 10.000
	Columns    []render.SortColumn
	First      string // the first page, when this is not it
	Prev, Next string
	ExportCSV  string
	ExportXLSX string
	ExportJSON string
	Filtered   bool
	Heading    string // "Kết quả tìm “luân chuyển”" while a search is on
	Active     string // "2 bộ lọc đang áp dụng", beside the folded form on a phone
}

// filterKeys are the parameters that narrow the list (sorting and paging
// do not).
var filterKeys = []string{"locality", "category", "indicator", "term", "from", "to", "q", "verified"}

// figuresHeading says what the list is: everything, a search, or a filtered
// selection, and how many filters are on.
func figuresHeading(p *i18n.Printer, f stats.FigureFilter, q url.Values) (heading, active string) {
	n := 0
	for _, k := range filterKeys {
		for _, v := range q[k] {
			if strings.TrimSpace(v) != "" {
				n++
			}
		}
	}
	switch {
	case f.Query != "":
		heading = p.T("figures.title_search", f.Query)
	case n > 0:
		heading = p.T("figures.title_filtered")
	default:
		heading = p.T("figures.title")
	}
	if n > 0 {
		active = p.T("filter.active", p.Number(float64(n)))
	}
	return heading, active
}

// figures lists the figures a page at a time, by keyset: "next" and
// "previous" carry the position of the last or first figure shown
// (?after=, ?before=), so a page deep in a million figures costs what the
// first does. There are no page numbers: counting a million rows to know
// how many pages there are would cost more than the page.
func (s *Handler) figures(c echo.Context) error {
	p := s.Printer(c)
	q := c.QueryParams()
	ctx := c.Request().Context()
	f, err := render.FigureFilter(q, p.Lang())
	var res stats.FigurePage
	if err == nil {
		f.Limit = figuresPerPage
		res, err = s.stats.FigurePage(ctx, f)
	}
	// A wrong filter shows the form again with the error beside its field.
	ve := &stats.ValidationError{}
	if err != nil && !render.CollectFields(err, ve) {
		return err
	}
	if len(ve.Fields) == 0 {
		ve = nil
	}
	chosen, err := s.stats.LocalitiesBySlug(ctx, f.Localities)
	if err != nil {
		return err
	}
	params := render.ShareableParams(q)
	exportQ := render.With(render.With(params, "per", ""), "base", "")
	page := figuresPage{
		Filter:     s.FilterForm(c, p, chosen, false, ve),
		Figures:    render.ViewFigures(p, res.Figures),
		ExportCSV:  render.WithParams("/export.csv", exportQ),
		ExportXLSX: render.WithParams("/export.xlsx", exportQ),
		ExportJSON: render.WithParams("/api/figures", exportQ),
		Filtered:   len(exportQ) > 0,
	}
	page.Heading, page.Active = figuresHeading(p, f, q)
	page.Count, page.CountNote = render.CountText(p, res)
	page.Columns = render.SortColumns(p, params, "/figures", f, []string{"locality", "category", "subject", "value", "period"})
	page.First, page.Prev, page.Next = render.KeysetLinks(params, "/figures", f, res)
	status := http.StatusOK
	if ve != nil {
		status = http.StatusBadRequest
	}
	return s.Render(c, status, "figures", render.View{Title: page.Heading, Nav: "figures", Picker: true, Data: page})
}
