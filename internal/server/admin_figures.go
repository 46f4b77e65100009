package server

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

	"github.com/cadrestats/cadrestats/internal/csvimport"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// figureFormPage is the add/edit form: the values as entered (kept on
// error), the errors by field, and the choices of every select.
type figureFormPage struct {
	Figure     *stats.Figure // nil when adding
	Values     url.Values
	Errors     map[string]string
	Duplicate  int64         // a figure like this exists: ask to confirm
	Conflict   *stats.Figure // someone saved first: their values
	Localities []stats.Locality
	Categories []stats.Category
	Terms      []stats.Term
	Sources    []stats.Source
	Units      []string
	Qualifiers []string
	Levels     []stats.Level
	Action     string
}

// formFields reads a form by export column names: the form's "locality"
// is the export's locality_slug.
type formFields url.Values

func (f formFields) Get(col string) string {
	if col == "locality_slug" {
		col = "locality"
	}
	return url.Values(f).Get(col)
}

// parseFigureForm turns the posted form into an input. Every field is
// read and checked, so the user sees every mistake at once.
func parseFigureForm(form url.Values) (stats.FigureInput, error) {
	in, err := csvimport.Figure(formFields(form))
	var v *stats.ValidationError
	if err != nil && !errors.As(err, &v) {
		return in, err
	}
	if v == nil {
		v = &stats.ValidationError{}
	}
	if form.Get("source_id") == "new" {
		src := stats.Source{Title: form.Get("new_source_title"), Outlet: form.Get("new_source_outlet"),
			Author: form.Get("new_source_author"), URL: form.Get("new_source_url")}
		if d := strings.TrimSpace(form.Get("new_source_published")); d != "" {
			t, err := time.Parse(time.DateOnly, d)
			if err != nil {
				v.Add("new_source_published", "error.date.invalid", d)
			}
			src.PublishedOn = t
		}
		src.Normalize()
		in.NewSource = &src
		// csvimport reported the missing source key; the new source replaces it.
		kept := v.Fields[:0]
		for _, f := range v.Fields {
			if f.Field != "source_id" {
				kept = append(kept, f)
			}
		}
		v.Fields = kept
		if err := src.Validate(); err != nil {
			var sv *stats.ValidationError
			errors.As(err, &sv)
			v.Fields = append(v.Fields, sv.Fields...)
		}
	}
	return in, v.Err()
}

func (s *Server) figureFormPage(c echo.Context, fig *stats.Figure, values url.Values) (figureFormPage, error) {
	ctx := c.Request().Context()
	st := s.stats.Store()
	ls, err := st.Localities(ctx)
	if err != nil {
		return figureFormPage{}, err
	}
	cs, err := st.Categories(ctx)
	if err != nil {
		return figureFormPage{}, err
	}
	ts, err := st.Terms(ctx)
	if err != nil {
		return figureFormPage{}, err
	}
	ss, err := st.Sources(ctx)
	if err != nil {
		return figureFormPage{}, err
	}
	pg := figureFormPage{Figure: fig, Values: values, Errors: map[string]string{}, Localities: ls, Categories: cs,
		Terms: ts, Sources: ss, Units: stats.Units, Qualifiers: stats.Qualifiers,
		Levels: []stats.Level{stats.LevelProvince, stats.LevelDistrict, stats.LevelCommune}, Action: "/admin/figures"}
	if fig != nil {
		pg.Action = fmt.Sprintf("/admin/figures/%d", fig.ID)
	}
	return pg, nil
}

// figureValues are a figure's form values, for the edit form.
func figureValues(f stats.Figure) url.Values {
	v := url.Values{}
	v.Set("locality", f.Locality.Slug)
	v.Set("category", f.Category.Code)
	v.Set("subject", f.Subject)
	v.Set("value", stats.FormatValue(f.Value))
	v.Set("unit", f.Unit)
	v.Set("qualifier", f.Qualifier)
	if f.Denominator != nil {
		v.Set("denominator", stats.FormatValue(*f.Denominator))
	}
	v.Set("period_start", f.PeriodStart.Format(time.DateOnly))
	v.Set("period_end", f.PeriodEnd.Format(time.DateOnly))
	if f.Term != nil {
		v.Set("term", f.Term.Key)
	}
	v.Set("from_level", string(f.FromLevel))
	v.Set("to_level", string(f.ToLevel))
	if f.ParentID != nil {
		v.Set("parent_id", strconv.FormatInt(*f.ParentID, 10))
	}
	v.Set("source_id", strconv.FormatInt(f.Source.ID, 10))
	v.Set("quote", f.Quote)
	v.Set("version", strconv.FormatInt(f.Version, 10))
	return v
}

func newSubmissionKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) renderFigureForm(c echo.Context, status int, pg figureFormPage) error {
	p := s.printer(c)
	title := p.T("admin.figure.new")
	if pg.Figure != nil {
		title = p.T("admin.figure.edit", pg.Figure.ID)
	}
	return s.render(c, status, "admin_figure_form", view{Title: title, Nav: "admin", Data: pg})
}

func (s *Server) newFigure(c echo.Context) error {
	values := url.Values{"qualifier": {"exact"}, "unit": {"persons"}, "submission_key": {newSubmissionKey()}}
	for _, k := range []string{"locality", "category", "source_id"} { // prefill from links
		if v := c.QueryParam(k); v != "" {
			values.Set(k, v)
		}
	}
	pg, err := s.figureFormPage(c, nil, values)
	if err != nil {
		return err
	}
	return s.renderFigureForm(c, http.StatusOK, pg)
}

func (s *Server) editFigure(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f, err := s.editor.Figure(c.Request().Context(), id)
	if err != nil {
		return err
	}
	pg, err := s.figureFormPage(c, &f, figureValues(f))
	if err != nil {
		return err
	}
	return s.renderFigureForm(c, http.StatusOK, pg)
}

// saveFigure creates (POST /admin/figures) or updates
// (POST /admin/figures/:id) a figure. Invalid input answers 422 with the
// form, the values kept and each error next to its field.
func (s *Server) saveFigure(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return fmt.Errorf("%w: %v", stats.ErrInvalid, err)
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
	in, perr := parseFigureForm(form)
	in.ID = id
	opt := stats.SaveOptions{SubmissionKey: form.Get("submission_key"), ConfirmDuplicate: form.Get("confirm_duplicate") == "1"}
	if fig != nil {
		opt.SubmissionKey = ""
		if opt.Version, err = strconv.ParseInt(form.Get("version"), 10, 64); err != nil {
			perr = errors.Join(perr, fieldErr("version", "error.id.invalid"))
		}
	}
	if perr == nil {
		id, err = s.editor.SaveFigure(ctx, currentUser(c), in, opt)
		if err == nil {
			msg := "admin.flash.figure_saved"
			if fig == nil {
				msg = "admin.flash.figure_created"
			}
			s.sessions.flash(c, msg)
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/figures/%d", id))
		}
		perr = err
	}
	pg, err := s.figureFormPage(c, fig, form)
	if err != nil {
		return err
	}
	return s.figureFormError(c, pg, perr)
}

// figureFormError shows the form again with what went wrong.
func (s *Server) figureFormError(c echo.Context, pg figureFormPage, err error) error {
	p := s.printer(c)
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
			switch field {
			case "locality_slug":
				field = "locality"
			case "source_key":
				field = "source_id"
			}
			if _, seen := pg.Errors[field]; !seen {
				pg.Errors[field] = fieldMessage(p, f)
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
func (s *Server) figureAction(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: version", stats.ErrInvalid)
	}
	ctx, u := c.Request().Context(), currentUser(c)
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
	case errors.Is(err, stats.ErrForbidden):
		msg = "admin.flash.verify_own"
	case errors.As(err, &v):
		msg = "admin.flash.has_parts"
		if len(v.Fields) > 0 && v.Fields[0].Key == "error.ref.deleted" {
			msg = "admin.flash.figure_refs_deleted" // restore refused (admin_entities.go)
		}
	case err != nil:
		return err
	}
	s.sessions.flash(c, msg)
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/figures/%d", id))
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

func (s *Server) figureHistory(c echo.Context) error {
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
	p := s.printer(c)
	return s.render(c, http.StatusOK, "admin_figure_history", view{Title: p.T("admin.history.title", id), Nav: "admin",
		Data: figureHistoryPage{Figure: f, Revisions: revisionViews(revs)}})
}

func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, stats.ErrNotFound // a malformed id is a page that does not exist
	}
	return id, nil
}
