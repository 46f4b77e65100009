package admin

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/numtext"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// figureFormPage is the add/edit form: the values as entered (kept on
// error), the errors by field, and the choices of every select; the
// locality and the source are searched for (render/choice.go).
type figureFormPage struct {
	Figure     *stats.Figure // nil when adding
	Values     url.Values
	Errors     map[string]string
	Confirm    map[string]string // values read in the page's language that another would read otherwise
	Duplicate  int64             // a figure like this exists: ask to confirm
	Conflict   *stats.Figure     // someone saved first: their values
	Locality   render.Picker
	Source     render.Picker
	Categories []stats.Category
	Indicators []stats.Indicator
	Terms      []stats.Term
	Units      []string
	Qualifiers []string
	Complete   []string
	Scopes     []string
	Ranks      []string
	Levels     []stats.Level
	Action     string
	Saved      int64 // the figure just saved, when adding another from the same source
	CanVerify  bool  // the editor may verify it: not its author or last editor
}

func (s *Handler) figureFormPage(c echo.Context, fig *stats.Figure, values url.Values) (figureFormPage, error) {
	ctx := c.Request().Context()
	st := s.stats
	cs, err := st.Categories(ctx)
	if err != nil {
		return figureFormPage{}, err
	}
	is, err := st.Indicators(ctx)
	if err != nil {
		return figureFormPage{}, err
	}
	ts, err := st.Terms(ctx)
	if err != nil {
		return figureFormPage{}, err
	}
	pg := figureFormPage{Figure: fig, Values: values, Errors: map[string]string{}, Confirm: map[string]string{},
		Categories: cs, Indicators: is, Terms: ts, Units: stats.Units,
		Qualifiers: stats.Qualifiers, Complete: stats.Completenesses, Scopes: stats.Scopes, Ranks: stats.Ranks, Levels: stats.Tiers,
		Action: "/admin/figures"}
	if fig != nil {
		pg.Action = fmt.Sprintf("/admin/figures/%d", fig.ID)
	}
	return pg, nil
}

// figureValues are a figure's form values, for the edit form: the field
// names are stats.FigureFields', the numbers and dates as the page's
// language writes them.
func figureValues(p *i18n.Printer, f stats.Figure) url.Values {
	in := f.Input()
	v := url.Values{}
	for _, fd := range stats.FigureFields[1:] {
		v.Set(fd.Name, fd.Get(&in))
	}
	v.Set("value", formNumber(p, f.Value))
	if f.Denominator != nil {
		v.Set("denominator", formNumber(p, *f.Denominator))
	}
	v.Set("version", strconv.FormatInt(f.Version, 10))
	return v
}

// formNumber writes a number as the page's language types it, without
// grouping so that it reads back the same: 1700, 17,5.
func formNumber(p *i18n.Printer, v float64) string {
	s := stats.FormatValue(v)
	if p.Lang() == i18n.VI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func newSubmissionKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// figureChoices are the figure form's fields searched for, not listed.
var figureChoices = map[string]render.ChoiceKind{"locality_slug": render.LocalityChoice, "source_key": render.SourceKeyChoice}

func (s *Handler) renderFigureForm(c echo.Context, status int, pg figureFormPage) error {
	p := s.Printer(c)
	title := p.T("admin.figure.new")
	if pg.Figure != nil {
		title = p.T("admin.figure.edit", pg.Figure.ID)
	}
	pks, err := s.Choices(c.Request().Context(), p, []render.ChoiceField{
		{Kind: render.LocalityChoice, Name: "locality_slug", Value: pg.Values.Get("locality_slug"), Err: pg.Errors["locality_slug"]},
		{Kind: render.SourceKeyChoice, Name: "source_key", Value: pg.Values.Get("source_key"), Err: pg.Errors["source_key"],
			Extras: []render.Option{render.NewSourceChoice(p)}},
	})
	if err != nil {
		return err
	}
	pg.Locality, pg.Source = pks[0], pks[1]
	return s.Render(c, status, "admin_figure_form", render.View{Title: title, Nav: "admin", Picker: true, Data: pg})
}

// newFigure shows an empty form, or one prefilled from a link or from the
// figure just saved ("add another from the same source" keeps its source,
// locality and period).
func (s *Handler) newFigure(c echo.Context) error {
	values := url.Values{"qualifier": {"exact"}, "unit": {"persons"}, "completeness": {stats.Complete}, "scope": {stats.ScopeOwn},
		"rank": {stats.RankNormal}, "submission_key": {newSubmissionKey()}}
	for _, k := range []string{"locality_slug", "category", "indicator", "source_key", "period_start", "period_end", "term"} {
		if v := c.QueryParam(k); v != "" {
			values.Set(k, v)
		}
	}
	pg, err := s.figureFormPage(c, nil, values)
	if err != nil {
		return err
	}
	if id, err := strconv.ParseInt(c.QueryParam("saved"), 10, 64); err == nil && id > 0 {
		pg.Saved = id
	}
	return s.renderFigureForm(c, http.StatusOK, pg)
}

func (s *Handler) editFigure(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f, err := s.editor.Figure(c.Request().Context(), id)
	if err != nil {
		return err
	}
	pg, err := s.figureFormPage(c, &f, figureValues(s.Printer(c), f))
	if err != nil {
		return err
	}
	pg.CanVerify = !f.Verified && f.DeletedAt == nil && session.CurrentUser(c).May(stats.ActVerify, &f) == nil
	return s.renderFigureForm(c, http.StatusOK, pg)
}

// saveFigure creates (POST /admin/figures) or updates
// (POST /admin/figures/:id) a figure. Invalid input answers 422 with the
// form, the values kept and each error next to its field; a number the
// other language would read otherwise is shown back, as read, to be
// confirmed before anything is stored.
func (s *Handler) saveFigure(c echo.Context) error {
	ctx := c.Request().Context()
	p := s.Printer(c)
	form, err := c.FormParams()
	if err != nil {
		return fmt.Errorf("%w: %v", stats.ErrInvalid, err)
	}
	if err := s.TakeTyped(ctx, form, figureChoices); err != nil {
		return err
	}
	var fig *stats.Figure
	var id int64
	if c.Param("id") != "" {
		if id, err = pathID(c); err != nil {
			return err
		}
		f, err := s.editor.Figure(ctx, id)
		if err != nil {
			return err
		}
		fig = &f
	}
	ff, perr := parseFigureForm(p, form)
	in := ff.Input
	in.ID = id
	opt := stats.SaveOptions{SubmissionKey: form.Get("submission_key"), ConfirmDuplicate: form.Get("confirm_duplicate") == "1"}
	if fig != nil {
		opt.SubmissionKey = ""
		if opt.Version, err = strconv.ParseInt(form.Get("version"), 10, 64); err != nil {
			perr = errors.Join(perr, fieldErr("version", "error.id.invalid"))
		}
	}
	if perr == nil && len(ff.Confirm) == 0 {
		id, err = s.editor.SaveFigure(ctx, session.CurrentUser(c), in, opt)
		if err == nil {
			msg := "admin.flash.figure_saved"
			if fig == nil {
				msg = "admin.flash.figure_created"
			}
			s.sessions.Flash(c, msg)
			if fig == nil && form.Get("next") == "another" {
				saved, err := s.editor.Figure(ctx, id)
				if err != nil {
					return err
				}
				next := url.Values{"saved": {strconv.FormatInt(id, 10)}, "source_key": {saved.Source.Key},
					"locality_slug": {saved.Locality.Slug}, "period_start": {saved.PeriodStart.Format(time.DateOnly)},
					"period_end": {saved.PeriodEnd.Format(time.DateOnly)}}
				if saved.Term != nil {
					next.Set("term", saved.Term.Key)
				}
				return c.Redirect(http.StatusSeeOther, "/admin/figures/new?"+next.Encode())
			}
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/figures/%d", id))
		}
		perr = err
	}
	pg, err := s.figureFormPage(c, fig, form)
	if err != nil {
		return err
	}
	for name, v := range ff.Confirm {
		pg.Confirm[name] = p.T("admin.figure.confirm_number", p.Number(v), otherReading(p, form.Get(name)))
		pg.Values.Set(name+"_confirmed", stats.FormatValue(v))
	}
	if perr == nil {
		return s.renderFigureForm(c, http.StatusUnprocessableEntity, pg)
	}
	return s.figureFormError(c, pg, perr)
}

// otherReading is how the other language reads what was typed, written
// the way this page writes numbers: "1.700" typed on a Vietnamese page is
// 1,7 to an English reader.
func otherReading(p *i18n.Printer, typed string) string {
	c := numtext.EN
	if p.Lang() == i18n.EN {
		c = numtext.VI
	}
	v, _, err := numtext.Parse(typed, c)
	if err != nil {
		return typed
	}
	return p.Number(v)
}

// figureFormError shows the form again with what went wrong.
func (s *Handler) figureFormError(c echo.Context, pg figureFormPage, err error) error {
	p := s.Printer(c)
	var v *stats.ValidationError
	var dup *stats.DuplicateError
	switch {
	case errors.As(err, &dup):
		pg.Duplicate = dup.ID
		return s.renderFigureForm(c, http.StatusConflict, pg)
	case errors.Is(err, stats.ErrConflict) && pg.Figure != nil:
		current, ferr := s.editor.Figure(c.Request().Context(), pg.Figure.ID)
		if ferr != nil {
			return ferr
		}
		pg.Conflict = &current
		pg.Values.Set("version", strconv.FormatInt(current.Version, 10))
		return s.renderFigureForm(c, http.StatusConflict, pg)
	case errors.As(err, &v):
		for _, f := range v.Fields {
			field := f.Field
			if _, seen := pg.Errors[field]; !seen {
				pg.Errors[field] = httpkit.FieldMessage(p, f)
			}
		}
		return s.renderFigureForm(c, http.StatusUnprocessableEntity, pg)
	}
	return err
}

func fieldErr(field, key string) error {
	v := &stats.ValidationError{}
	v.Add(field, key, "")
	return v
}

// figureAction handles delete, restore and verify: each names the version
// the editor saw, so that acting on a figure changed meanwhile is refused.
func (s *Handler) figureAction(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: version", stats.ErrInvalid)
	}
	ctx, u := c.Request().Context(), session.CurrentUser(c)
	var msg string
	switch c.Param("action") {
	case "delete":
		err, msg = s.editor.DeleteFigure(ctx, u, id, version), "admin.flash.figure_deleted"
	case "restore":
		err, msg = s.editor.RestoreFigure(ctx, u, id, version), "admin.flash.figure_restored"
	case "verify":
		err, msg = s.editor.VerifyFigure(ctx, u, id, version), "admin.flash.figure_verified"
	default:
		return stats.ErrNotFound
	}
	var v *stats.ValidationError
	switch {
	case errors.Is(err, stats.ErrConflict):
		msg = "admin.flash.conflict"
	case errors.Is(err, stats.ErrOwnFigure):
		msg = "admin.flash.verify_own"
	case errors.Is(err, stats.ErrForbidden):
		return err
	case errors.As(err, &v):
		msg = "admin.flash.has_parts"
		if len(v.Fields) > 0 && v.Fields[0].Key == "error.ref.deleted" {
			msg = "admin.flash.figure_refs_deleted" // restore refused (entities.go)
		}
	case err != nil:
		return err
	}
	s.sessions.Flash(c, msg)
	return c.Redirect(http.StatusSeeOther, backTo(c, fmt.Sprintf("/admin/figures/%d", id)))
}

type figureHistoryPage struct {
	Figure    stats.Figure
	Revisions []revisionView
}

// revisionView shows a revision as the fields it changed.
type revisionView struct {
	stats.Revision
	Changes []fieldChange
}

type fieldChange struct{ Field, Before, After string }

func (s *Handler) figureHistory(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, err := s.editor.Figure(ctx, id)
	if err != nil {
		return err
	}
	revs, err := s.editor.History(ctx, id)
	if err != nil {
		return err
	}
	p := s.Printer(c)
	return s.Render(c, http.StatusOK, "admin_figure_history", render.View{Title: p.T("admin.history.title", id), Nav: "admin",
		Data: figureHistoryPage{Figure: f, Revisions: revisionViews(revs)}})
}

func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, stats.ErrNotFound // a malformed id is a page that does not exist
	}
	return id, nil
}
