package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// reviewPageSize is how many figures the queue shows at once; each one is
// confirmed or sent back on its own, so the page stays short.
const reviewPageSize = 10

// reviewItem is a figure of the queue beside its sentence, with the
// article's other figures for context.
type reviewItem struct {
	render.FigureView
	Version int64
	Others  []render.FigureView
}

type reviewPage struct {
	Items []reviewItem
	Count string
	Total int
}

// review is the queue of figures the editor may verify: unverified, not
// their own, oldest change first, each beside its source sentence with
// the number highlighted. Confirm and send back are one button each; the
// first item's confirm button has the focus, so that Enter clears the
// queue one figure at a time (admin.js adds single keys).
func (s *Handler) review(c echo.Context) error {
	p := s.Printer(c)
	ctx := c.Request().Context()
	q, err := s.editor.ReviewQueue(ctx, session.CurrentUser(c), reviewPageSize)
	if err != nil {
		return err
	}
	page := reviewPage{Total: q.Total, Count: p.T("admin.review.count", p.Number(float64(q.Total)))}
	others := map[int64][]stats.Figure{}
	for _, f := range q.Figures {
		if _, ok := others[f.Source.ID]; !ok {
			if others[f.Source.ID], err = s.editor.SourceFigures(ctx, f.Source.ID); err != nil {
				return err
			}
		}
		item := reviewItem{FigureView: render.ViewFigure(p, f), Version: f.Version}
		for _, o := range others[f.Source.ID] {
			if o.ID != f.ID {
				item.Others = append(item.Others, render.ViewFigure(p, o))
			}
		}
		page.Items = append(page.Items, item)
	}
	return s.Render(c, http.StatusOK, "admin_review", render.View{Title: p.T("admin.review.title"), Nav: "admin", Data: page})
}

// sendBack returns a figure to its author with a reason.
func (s *Handler) sendBack(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: version", stats.ErrInvalid)
	}
	err = s.editor.SendBack(c.Request().Context(), session.CurrentUser(c), id, version, c.FormValue("reason"))
	var v *stats.ValidationError
	msg := "admin.flash.figure_sent_back"
	switch {
	case errors.As(err, &v):
		msg = "admin.flash.reason_required"
	case errors.Is(err, stats.ErrConflict):
		msg = "admin.flash.conflict"
	case errors.Is(err, stats.ErrOwnFigure):
		msg = "admin.flash.verify_own"
	case err != nil:
		return err
	}
	s.sessions.Flash(c, msg)
	return c.Redirect(http.StatusSeeOther, backTo(c, fmt.Sprintf("/admin/figures/%d", id)))
}

// backTo is the admin page an action returns to: the form's "back" field
// when it names a page of the admin area, else def.
func backTo(c echo.Context, def string) string {
	if b := c.FormValue("back"); safeAdminPath(b) {
		return b
	}
	return def
}

// safeAdminPath accepts only a path of this site's admin area.
func safeAdminPath(p string) bool {
	if len(p) < len("/admin") || p[:6] != "/admin" || (len(p) > 6 && p[6] != '/' && p[6] != '?') {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x21 || p[i] == '\\' || p[i] >= 0x7f {
			return false
		}
	}
	return true
}
