package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// adminFiguresPerPage: an editor scans more rows at once than a reader.
const adminFiguresPerPage = 50

// adminFigureRow is a figure of the editors' list with what they may do.
type adminFigureRow struct {
	render.FigureView
	Version   int64
	Status    string // "verified", "unverified", "returned", "deleted"
	CanVerify bool   // someone else entered and last changed it
	Returned  string // the reviewer's reason, when sent back
	Updated   string
}

type adminFiguresPage struct {
	Filter     render.FilterForm
	Status     string
	Statuses   []render.Option
	Mine       bool
	Changed    bool
	SeenAt     string // when the editor last marked the list seen ("" never)
	Rows       []adminFigureRow
	Count      string
	CountNote  string
	Columns    []render.SortColumn
	First      string
	Prev, Next string
	Back       string // this list's address, for the actions to return to
}

// adminFigures is every figure as an editor finds it: the public filters
// (diacritics optional in the text search) plus review state, "mine" and
// "changed since I last looked", sortable and paginated, each row with its
// edit, history and verify actions.
func (s *Handler) adminFigures(c echo.Context) error {
	p := s.Printer(c)
	q := c.QueryParams()
	ctx := c.Request().Context()
	u := session.CurrentUser(c)
	f, err := render.FigureFilter(q, p.Lang())
	f.Status = q.Get("status")
	mine, changed := q.Get("mine") == "1", q.Get("changed") == "1"
	if mine {
		f.By = u.ID
	}
	var res stats.FigurePage
	if err == nil {
		f.Limit = adminFiguresPerPage
		res, err = s.editor.FigureList(ctx, u, f, changed)
	}
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
	seen, err := s.editor.SeenAt(ctx, u)
	if err != nil {
		return err
	}
	params := render.ShareableParams(q)
	for _, k := range []string{"status", "mine", "changed"} {
		if v := q.Get(k); v != "" {
			params.Set(k, v)
		}
	}
	back := params
	for _, k := range []string{"after", "before"} {
		back = render.With(back, k, q.Get(k))
	}
	page := adminFiguresPage{Filter: s.FilterForm(c, p, chosen, false, ve), Status: f.Status, Mine: mine, Changed: changed,
		Back: render.WithParams("/admin/figures", back)}
	page.Count, page.CountNote = render.CountText(p, res)
	if seen != nil {
		page.SeenAt = p.Date(*seen) + " " + seen.Format("15:04")
	}
	for _, st := range stats.FigureStatuses {
		page.Statuses = append(page.Statuses, render.Option{Value: st, Label: p.T("admin.status." + st), Selected: st == f.Status})
	}
	for _, fig := range res.Figures {
		row := adminFigureRow{FigureView: render.ViewFigure(p, fig), Version: fig.Version, Status: figureStatus(fig),
			CanVerify: u.May(stats.ActVerify, &fig) == nil && !fig.Verified && fig.DeletedAt == nil,
			Returned:  fig.ReturnReason, Updated: p.Date(fig.UpdatedAt) + " " + fig.UpdatedAt.Format("15:04")}
		page.Rows = append(page.Rows, row)
	}
	page.Columns = render.SortColumns(p, params, "/admin/figures", f, []string{"id", "locality", "category", "subject", "value", "period", "updated"})
	page.First, page.Prev, page.Next = render.KeysetLinks(params, "/admin/figures", f, res)
	status := http.StatusOK
	if ve != nil {
		status = http.StatusBadRequest
	}
	return s.Render(c, status, "admin_figures", render.View{Title: p.T("admin.figures.title"), Nav: "admin", Picker: true, Data: page})
}

// markSeen records that the editor has looked at the list now.
func (s *Handler) markSeen(c echo.Context) error {
	if err := s.editor.MarkSeen(c.Request().Context(), session.CurrentUser(c)); err != nil {
		return err
	}
	s.sessions.Flash(c, "admin.flash.seen")
	return c.Redirect(http.StatusSeeOther, "/admin/figures")
}

func figureStatus(f stats.Figure) string {
	switch {
	case f.DeletedAt != nil:
		return "deleted"
	case f.Verified:
		return "verified"
	case f.ReturnedAt != nil:
		return "returned"
	}
	return "unverified"
}
