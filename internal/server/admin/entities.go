package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// The admin forms of sources, findings, localities and terms share one
// shape: a list, an add/edit form, delete and restore, and a history. An
// entityKind says what differs (sources.go, findings.go,
// localities.go, terms.go); the handlers here do the rest,
// With the conventions of the figure form: 422 and the form again on
// invalid input, 409 with the other editor's values on a conflict, every
// error next to its field.
type entityKind struct {
	entity stats.Entity
	path   string // under /admin: "sources"
	// fields lists the form's fields with their choices, in order.
	fields func(ctx context.Context, p *i18n.Printer, adding bool) ([]formField, error)
	// Load reads a record, deleted or not.
	load func(ctx context.Context, id int64) (entityRecord, error)
	// save parses the form and creates (id 0) or updates the record.
	save func(ctx context.Context, by stats.User, form url.Values, id, version int64) (int64, error)
	list func(ctx context.Context, p *i18n.Printer) ([]entityRow, error)
	// defaults fill the form when adding.
	defaults url.Values
	// Choices are the fields of type "choice": what each chooses.
	choices map[string]render.ChoiceKind
}

// formField is one input of an entity form, rendered by one template so
// that every form has the same labels, hints and error wiring. A field of
// type "choice" is a locality or source searched for (render/choice.go).
type formField struct {
	Name, Label, Type, Value, Error, Hint string
	Required, ReadOnly, Blank             bool // Blank: a select offers "—"
	Max                                   int
	Options                               []render.Option
	Choice                                render.Picker
}

// entityRecord is a stored record as its form shows it.
type entityRecord struct {
	ID      int64
	Version int64
	Deleted bool
	Public  string // its public page, if any
	Values  url.Values
}

type entityRow struct {
	ID      int64
	Label   string
	Detail  string
	Used    int
	Deleted bool
}

type entityFormPage struct {
	Entity    stats.Entity
	Base      string
	Action    string
	Record    *entityRecord // nil when adding
	Version   string
	Fields    []formField
	HasErrors bool
	Conflict  []conflictValue // someone saved first: their values
	Refusal   string          // why a delete or restore was refused
}

type conflictValue struct{ Label, Value string }

type entityListPage struct {
	Entity stats.Entity
	Base   string
	Rows   []entityRow
}

type entityHistoryPage struct {
	Back    string
	Changes []revisionView
}

// entityRoutes adds the routes of every entity form to the admin group.
func (s *Handler) entityRoutes(a *echo.Group) {
	for _, k := range []*entityKind{s.sourceKind(), s.findingKind(), s.localityKind(), s.termKind(), s.indicatorKind()} {
		base := "/" + k.path
		a.GET(base, s.entityList(k))
		a.GET(base+"/new", s.entityNew(k))
		a.POST(base, s.entitySave(k))
		a.GET(base+"/:id", s.entityEdit(k))
		a.POST(base+"/:id", s.entitySave(k))
		a.POST(base+"/:id/:action", s.entityAction(k))
		a.GET(base+"/:id/history", s.entityHistory(k))
	}
}

func (k *entityKind) base() string { return "/admin/" + k.path }

func (s *Handler) entityList(k *entityKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := s.Printer(c)
		rows, err := k.list(c.Request().Context(), p)
		if err != nil {
			return err
		}
		return s.Render(c, http.StatusOK, "admin_entity_list", render.View{Title: p.T("admin." + string(k.entity) + ".list"),
			Nav: "admin", Data: entityListPage{Entity: k.entity, Base: k.base(), Rows: rows}})
	}
}

func (s *Handler) entityNew(k *entityKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		values := url.Values{}
		for key, v := range k.defaults {
			values[key] = v
		}
		for _, f := range []string{"locality", "source_id", "parent"} { // prefill from links
			if v := c.QueryParam(f); v != "" {
				values.Set(f, v)
			}
		}
		return s.renderEntityForm(c, k, http.StatusOK, nil, values, nil, nil, "")
	}
}

func (s *Handler) entityEdit(k *entityKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		rec, err := k.load(c.Request().Context(), id)
		if err != nil {
			return err
		}
		return s.renderEntityForm(c, k, http.StatusOK, &rec, rec.Values, nil, nil, "")
	}
}

// entitySave creates (POST /admin/{kind}) or updates (POST
// /admin/{kind}/:id) a record.
func (s *Handler) entitySave(k *entityKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		form, err := c.FormParams()
		if err != nil {
			return fmt.Errorf("%w: %v", stats.ErrInvalid, err)
		}
		if err := s.TakeTyped(ctx, form, k.choices); err != nil {
			return err
		}
		var rec *entityRecord
		var id, version int64
		if c.Param("id") != "" {
			if id, err = pathID(c); err != nil {
				return err
			}
			r, err := k.load(ctx, id)
			if err != nil {
				return err
			}
			rec = &r
			if version, err = strconv.ParseInt(form.Get("version"), 10, 64); err != nil {
				return fmt.Errorf("%w: version", stats.ErrInvalid) // the form always sends it
			}
		}
		newID, err := k.save(ctx, session.CurrentUser(c), form, id, version)
		if err == nil {
			msg := "admin.flash.record_saved"
			if rec == nil {
				msg = "admin.flash.record_created"
			}
			s.sessions.Flash(c, msg)
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s/%d", k.base(), newID))
		}
		var v *stats.ValidationError
		switch {
		case errors.As(err, &v):
			p := s.Printer(c)
			errs := map[string]string{}
			for _, f := range v.Fields {
				if _, seen := errs[f.Field]; !seen {
					errs[f.Field] = httpkit.FieldMessage(p, f)
				}
			}
			return s.renderEntityForm(c, k, http.StatusUnprocessableEntity, rec, form, errs, nil, "")
		case errors.Is(err, stats.ErrConflict) && rec != nil:
			current, lerr := k.load(ctx, id)
			if lerr != nil {
				return lerr
			}
			// The editor's values stay in the form; saving again, now on
			// the current version, overwrites knowingly.
			return s.renderEntityForm(c, k, http.StatusConflict, &current, form, nil, &current, "")
		}
		return err
	}
}

// entityAction deletes or restores a record at the version the editor
// saw. A refusal (changed meanwhile, still cited, or citing something
// deleted) shows the record again with the reason.
func (s *Handler) entityAction(k *entityKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		version, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
		if err != nil {
			return fmt.Errorf("%w: version", stats.ErrInvalid)
		}
		ctx, u := c.Request().Context(), session.CurrentUser(c)
		var deleted bool
		var msg string
		switch c.Param("action") {
		case "delete":
			deleted, msg = true, "admin.flash.record_deleted"
		case "restore":
			deleted, msg = false, "admin.flash.record_restored"
		default:
			return stats.ErrNotFound
		}
		err = s.editor.SetDeleted(ctx, u, k.entity, id, version, deleted)
		if err == nil {
			s.sessions.Flash(c, msg)
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s/%d", k.base(), id))
		}
		p := s.Printer(c)
		var use *stats.InUseError
		var v *stats.ValidationError
		var refusal string
		switch {
		case errors.As(err, &use):
			refusal = p.T("admin.record.in_use", use.Figures, use.Findings, use.Localities)
		case errors.Is(err, stats.ErrConflict):
			refusal = p.T("admin.record.action_conflict")
		case errors.As(err, &v):
			var names []string
			for _, f := range v.Fields {
				names = append(names, p.T("field."+f.Field))
			}
			refusal = p.T("admin.record.refs_deleted", strings.Join(names, ", "))
		default:
			return err
		}
		rec, err := k.load(ctx, id)
		if err != nil {
			return err
		}
		return s.renderEntityForm(c, k, http.StatusConflict, &rec, rec.Values, nil, nil, refusal)
	}
}

func (s *Handler) entityHistory(k *entityKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		if _, err := k.load(ctx, id); err != nil {
			return err
		}
		revs, err := s.editor.EntityHistory(ctx, k.entity, id)
		if err != nil {
			return err
		}
		p := s.Printer(c)
		return s.Render(c, http.StatusOK, "admin_entity_history", render.View{
			Title: p.T("admin."+string(k.entity)+".history", id), Nav: "admin",
			Data: entityHistoryPage{Back: fmt.Sprintf("%s/%d", k.base(), id), Changes: revisionViews(revs)}})
	}
}

// renderEntityForm shows the form of rec (nil: a new record) filled with
// values, errs next to their fields, and, on a conflict, the values of
// the version someone else saved.
func (s *Handler) renderEntityForm(c echo.Context, k *entityKind, status int, rec *entityRecord, values url.Values,
	errs map[string]string, conflict *entityRecord, refusal string) error {
	p := s.Printer(c)
	ctx := c.Request().Context()
	fields, err := k.fields(ctx, p, rec == nil)
	if err != nil {
		return err
	}
	pg := entityFormPage{Entity: k.entity, Base: k.base(), Action: k.base(), Record: rec, HasErrors: len(errs) > 0, Refusal: refusal}
	title := p.T("admin." + string(k.entity) + ".new")
	if rec != nil {
		pg.Action = fmt.Sprintf("%s/%d", k.base(), rec.ID)
		pg.Version = strconv.FormatInt(rec.Version, 10)
		if v := values.Get("version"); v != "" && conflict == nil && refusal == "" {
			pg.Version = v // the version the editor saw, not the one stored now
		}
		title = p.T("admin."+string(k.entity)+".edit", rec.ID)
	}
	for i := range fields {
		f := &fields[i]
		if f.ReadOnly && rec != nil {
			f.Value = rec.Values.Get(f.Name) // never taken from the form
		} else {
			f.Value = values.Get(f.Name)
		}
		f.Error = errs[f.Name]
		for j := range f.Options {
			f.Options[j].Selected = f.Options[j].Value == f.Value
		}
	}
	if err := s.entityChoices(ctx, p, k, fields); err != nil {
		return err
	}
	if conflict != nil {
		theirs, err := s.choiceNames(ctx, p, k, conflict.Values)
		if err != nil {
			return err
		}
		for _, f := range fields {
			if f.ReadOnly {
				continue
			}
			v, named := theirs[f.Name]
			if !named {
				v = shownValue(p, f, conflict.Values.Get(f.Name))
			}
			pg.Conflict = append(pg.Conflict, conflictValue{Label: f.Label, Value: v})
		}
	}
	pg.Fields = fields
	return s.Render(c, status, "admin_entity_form", render.View{Title: title, Nav: "admin", Picker: len(k.choices) > 0, Data: pg})
}

// entityChoices builds the pickers of the form's choices; an optional one
// can be left empty.
func (s *Handler) entityChoices(ctx context.Context, p *i18n.Printer, k *entityKind, fields []formField) error {
	var cfs []render.ChoiceField
	var at []int
	for i, f := range fields {
		if kind, ok := k.choices[f.Name]; ok {
			cf := render.ChoiceField{Kind: kind, Name: f.Name, Value: f.Value, Err: f.Error, Note: f.Hint}
			if !f.Required {
				cf.Extras = []render.Option{render.NoChoice(p)}
			}
			cfs, at = append(cfs, cf), append(at, i)
		}
	}
	pks, err := s.Choices(ctx, p, cfs)
	if err != nil {
		return err
	}
	for j, i := range at {
		fields[i].Choice = pks[j]
	}
	return nil
}

// choiceNames names the localities and sources a record's choices hold,
// by field, as the pickers do: the other editor's version on a conflict.
func (s *Handler) choiceNames(ctx context.Context, p *i18n.Printer, k *entityKind, values url.Values) (map[string]string, error) {
	var cfs []render.ChoiceField
	for name, kind := range k.choices {
		cfs = append(cfs, render.ChoiceField{Kind: kind, Name: name, Value: values.Get(name)})
	}
	labels, err := s.ChoiceLabels(ctx, p, cfs)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, cf := range cfs {
		if l, ok := labels[cf.Kind][cf.Value]; ok {
			out[cf.Name] = l
		}
	}
	return out, nil
}

// shownValue is a stored value as a person reads it: a select's label.
func shownValue(p *i18n.Printer, f formField, v string) string {
	for _, o := range f.Options {
		if o.Value == v && v != "" {
			return o.Label
		}
	}
	if f.Type == "checkbox" {
		if v != "" {
			return p.T("admin.yes")
		}
		return p.T("admin.no")
	}
	return v
}

// AdminURL is where the changed record is edited, for the changes table.
func (r revisionView) AdminURL() string {
	path := map[string]string{"figure": "figures", "source": "sources", "finding": "findings",
		"locality": "localities", "term": "terms", "indicator": "indicators"}[r.Entity]
	if path == "" {
		return ""
	}
	return fmt.Sprintf("/admin/%s/%d", path, r.EntityID)
}

// formDate parses an optional ISO date field, adding a field error when
// it is not one.
func formDate(form url.Values, field string, v *stats.ValidationError) *time.Time {
	s := strings.TrimSpace(form.Get(field))
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.Add(field, "error.date.invalid", "")
		return nil
	}
	return &t
}

// formID parses an optional id field (a select of records).
func formID(form url.Values, field string, v *stats.ValidationError) int64 {
	s := strings.TrimSpace(form.Get(field))
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		v.Add(field, "error.id.invalid", "")
		return 0
	}
	return id
}

// merge adds the input's own validation errors to those of parsing, so
// that the user sees every mistake at once.
func merge(parse *stats.ValidationError, err error) error {
	var v *stats.ValidationError
	if errors.As(err, &v) {
		parse.Fields = append(parse.Fields, v.Fields...)
	} else if err != nil {
		return err
	}
	return parse.Err()
}

func dateValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}
