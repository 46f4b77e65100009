package admin

import (
	"context"
	"net/url"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// localityKind is the locality form. The slug is the locality's address
// (/localities/{slug}) and its name in exports and imports: set once,
// never edited. Parent and successor are searched for among live
// localities.
func (s *Handler) localityKind() *entityKind {
	return &entityKind{
		entity:   stats.EntityLocality,
		path:     "localities",
		defaults: url.Values{"level": {string(stats.LevelDistrict)}},
		choices:  map[string]render.ChoiceKind{"parent": render.LocalityChoice, "successor": render.LocalityChoice},
		fields: func(_ context.Context, p *i18n.Printer, adding bool) ([]formField, error) {
			levels := make([]render.Option, len(stats.Levels))
			for i, l := range stats.Levels {
				levels[i] = render.Option{Value: string(l), Label: p.T("level." + string(l))}
			}
			return []formField{
				{Name: "slug", Label: p.T("field.slug"), Type: "text", Required: adding, Max: stats.MaxKeyLen, ReadOnly: !adding,
					Hint: p.T("admin.locality.slug_hint")},
				{Name: "name", Label: p.T("field.name"), Type: "text", Required: true, Max: stats.MaxNameLen,
					Hint: p.T("admin.locality.name_hint")},
				{Name: "prefix", Label: p.T("field.prefix"), Type: "text", Max: 50, Hint: p.T("admin.locality.prefix_hint")},
				{Name: "level", Label: p.T("field.level"), Type: "select", Required: true, Options: levels},
				{Name: "parent", Label: p.T("field.parent"), Type: "choice", Hint: p.T("admin.locality.parent_hint")},
				{Name: "valid_from", Label: p.T("field.valid_from"), Type: "date"},
				{Name: "valid_to", Label: p.T("field.valid_to"), Type: "date"},
				{Name: "successor", Label: p.T("field.successor"), Type: "choice"},
				{Name: "note", Label: p.T("field.note"), Type: "textarea", Max: stats.MaxNoteLen},
				{Name: "focus", Label: p.T("field.focus"), Type: "checkbox"},
			}, nil
		},
		load: func(ctx context.Context, id int64) (entityRecord, error) {
			l, err := s.editor.Locality(ctx, id)
			if err != nil {
				return entityRecord{}, err
			}
			rec := entityRecord{ID: l.ID, Version: l.Version, Deleted: l.DeletedAt != nil,
				Values: url.Values{"slug": {l.Slug}, "name": {l.Name}, "prefix": {l.Prefix}, "level": {string(l.Level)},
					"parent": {l.ParentSlug}, "valid_from": {dateValue(l.ValidFrom)}, "valid_to": {dateValue(l.ValidTo)},
					"successor": {l.SuccessorSlug}, "note": {l.Note}}}
			if l.Focus {
				rec.Values.Set("focus", "1")
			}
			if !rec.Deleted {
				rec.Public = "/localities/" + url.PathEscape(l.Slug)
			}
			return rec, nil
		},
		save: func(ctx context.Context, by stats.User, form url.Values, id, version int64) (int64, error) {
			v := &stats.ValidationError{}
			in := stats.LocalityInput{ID: id, Slug: form.Get("slug"), Name: form.Get("name"), Prefix: form.Get("prefix"),
				Level: stats.Level(form.Get("level")), ParentSlug: form.Get("parent"),
				ValidFrom: formDate(form, "valid_from", v), ValidTo: formDate(form, "valid_to", v),
				SuccessorSlug: form.Get("successor"), Note: form.Get("note"), Focus: form.Get("focus") != ""}
			in.Normalize()
			if err := merge(v, in.Validate()); err != nil {
				return 0, err
			}
			return s.editor.SaveLocality(ctx, by, in, version)
		},
		list: func(ctx context.Context, p *i18n.Printer) ([]entityRow, error) {
			ls, err := s.editor.Localities(ctx)
			if err != nil {
				return nil, err
			}
			rows := make([]entityRow, len(ls))
			for i, l := range ls {
				detail := p.T("level." + string(l.Level))
				if l.Level != stats.LevelProvince && l.ProvinceName != "" {
					detail += " · " + l.ProvinceName
				}
				rows[i] = entityRow{ID: l.ID, Label: l.FullName() + " (" + l.Slug + ")", Detail: detail,
					Used: l.Used, Deleted: l.DeletedAt != nil}
			}
			return rows, nil
		},
	}
}
