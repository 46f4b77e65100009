package admin

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// termKind is the term form: a congress term or a plan period. Its key
// names it in filters, exports and imports: set once, never edited.
func (s *Handler) termKind() *entityKind {
	return &entityKind{
		entity:   stats.EntityTerm,
		path:     "terms",
		defaults: url.Values{"kind": {"congress"}},
		fields: func(_ context.Context, p *i18n.Printer, adding bool) ([]formField, error) {
			kinds := make([]render.Option, len(stats.TermKinds))
			for i, k := range stats.TermKinds {
				kinds[i] = render.Option{Value: k, Label: p.T("term.kind." + k)}
			}
			return []formField{
				{Name: "key", Label: p.T("field.key"), Type: "text", Required: adding, Max: stats.MaxKeyLen, ReadOnly: !adding,
					Hint: p.T("admin.term.key_hint")},
				{Name: "name", Label: p.T("field.name"), Type: "text", Required: true, Max: stats.MaxNameLen},
				{Name: "name_en", Label: p.T("field.name_en"), Type: "text", Required: true, Max: stats.MaxNameLen},
				{Name: "kind", Label: p.T("field.kind"), Type: "select", Required: true, Options: kinds},
				{Name: "start_year", Label: p.T("field.start_year"), Type: "number", Required: true, Max: 4},
				{Name: "end_year", Label: p.T("field.end_year"), Type: "number", Required: true, Max: 4},
			}, nil
		},
		load: func(ctx context.Context, id int64) (entityRecord, error) {
			t, err := s.editor.Term(ctx, id)
			if err != nil {
				return entityRecord{}, err
			}
			return entityRecord{ID: t.ID, Version: t.Version, Deleted: t.DeletedAt != nil,
				Values: url.Values{"key": {t.Key}, "name": {t.Name}, "name_en": {t.NameEN}, "kind": {t.Kind},
					"start_year": {strconv.Itoa(t.StartYear)}, "end_year": {strconv.Itoa(t.EndYear)}}}, nil
		},
		save: func(ctx context.Context, by stats.User, form url.Values, id, version int64) (int64, error) {
			v := &stats.ValidationError{}
			year := func(field string) int {
				s := strings.TrimSpace(form.Get(field))
				if s == "" {
					v.Add(field, "error.required", "")
					return 0
				}
				y, err := strconv.Atoi(s)
				if err != nil {
					v.Add(field, "error.year.invalid", "")
					return 0
				}
				return y
			}
			t := stats.Term{ID: id, Key: form.Get("key"), Name: form.Get("name"), NameEN: form.Get("name_en"),
				Kind: form.Get("kind"), StartYear: year("start_year"), EndYear: year("end_year")}
			t.Normalize()
			if err := merge(v, t.Validate()); err != nil {
				return 0, err
			}
			return s.editor.SaveTerm(ctx, by, t, version)
		},
		list: func(ctx context.Context, p *i18n.Printer) ([]entityRow, error) {
			ts, err := s.editor.Terms(ctx)
			if err != nil {
				return nil, err
			}
			rows := make([]entityRow, len(ts))
			for i, t := range ts {
				rows[i] = entityRow{ID: t.ID, Label: t.Name + " (" + t.Key + ")",
					Detail: fmt.Sprintf("%s · %d–%d", p.T("term.kind."+t.Kind), t.StartYear, t.EndYear),
					Used:   t.Used, Deleted: t.DeletedAt != nil}
			}
			return rows, nil
		},
	}
}
