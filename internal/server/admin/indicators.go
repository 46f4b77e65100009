package admin

import (
	"context"
	"net/url"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// indicatorKind is the indicator form: one thing counted one way, with its
// definition in both languages. Its key names it in filters, exports and
// imports: set once, never edited.
func (s *Handler) indicatorKind() *entityKind {
	return &entityKind{
		entity:   stats.EntityIndicator,
		path:     "indicators",
		defaults: url.Values{"unit": {"persons"}, "measure": {string(stats.Flow)}},
		fields: func(ctx context.Context, p *i18n.Printer, adding bool) ([]formField, error) {
			cats, err := s.stats.Categories(ctx)
			if err != nil {
				return nil, err
			}
			catOpts := make([]render.Option, len(cats))
			for i, c := range cats {
				catOpts[i] = render.Option{Value: c.Code, Label: chart.CategoryName(c, p.Lang() == i18n.EN)}
			}
			units := make([]render.Option, len(stats.Units))
			for i, u := range stats.Units {
				units[i] = render.Option{Value: u, Label: p.T("unit." + u)}
			}
			measures := make([]render.Option, len(stats.Measures))
			for i, m := range stats.Measures {
				measures[i] = render.Option{Value: string(m), Label: p.T("measure." + string(m))}
			}
			denoms := make([]render.Option, len(stats.Denominators))
			for i, d := range stats.Denominators {
				label := p.T("denominator.none")
				if d != "" {
					label = p.T("denominator." + d)
				}
				denoms[i] = render.Option{Value: d, Label: label}
			}
			text := func(name, label string, required bool, max int) formField {
				return formField{Name: name, Label: p.T(label), Type: "text", Required: required, Max: max}
			}
			area := func(name, label string) formField {
				return formField{Name: name, Label: p.T(label), Type: "textarea", Max: stats.MaxNoteLen}
			}
			return []formField{
				{Name: "key", Label: p.T("field.key"), Type: "text", Required: adding, Max: stats.MaxKeyLen, ReadOnly: !adding,
					Hint: p.T("admin.indicator.key_hint")},
				text("name", "field.name", true, stats.MaxNameLen),
				text("name_en", "field.name_en", true, stats.MaxNameLen),
				{Name: "category", Label: p.T("field.category"), Type: "select", Required: true, Options: catOpts},
				{Name: "unit", Label: p.T("field.unit"), Type: "select", Required: true, Options: units,
					Hint: p.T("admin.indicator.unit_hint")},
				{Name: "measure", Label: p.T("field.measure"), Type: "select", Required: true, Options: measures},
				{Name: "denominator", Label: p.T("field.indicator_denominator"), Type: "select", Options: denoms,
					Hint: p.T("admin.indicator.denominator_hint")},
				area("definition", "field.definition"),
				area("definition_en", "field.definition_en"),
				area("includes", "field.includes"),
				area("includes_en", "field.includes_en"),
				area("excludes", "field.excludes"),
				area("excludes_en", "field.excludes_en"),
			}, nil
		},
		load: func(ctx context.Context, id int64) (entityRecord, error) {
			ind, err := s.editor.Indicator(ctx, id)
			if err != nil {
				return entityRecord{}, err
			}
			return entityRecord{ID: ind.ID, Version: ind.Version, Deleted: ind.DeletedAt != nil,
				Public: "/figures?" + url.Values{"indicator": {ind.Key}}.Encode(),
				Values: url.Values{"key": {ind.Key}, "name": {ind.Name}, "name_en": {ind.NameEN}, "category": {ind.Category},
					"unit": {ind.Unit}, "measure": {string(ind.Measure)}, "denominator": {ind.Denominator}, "definition": {ind.Definition},
					"definition_en": {ind.DefinitionEN}, "includes": {ind.Includes}, "includes_en": {ind.IncludesEN},
					"excludes": {ind.Excludes}, "excludes_en": {ind.ExcludesEN}}}, nil
		},
		save: func(ctx context.Context, by stats.User, form url.Values, id, version int64) (int64, error) {
			ind := stats.Indicator{ID: id, Key: form.Get("key"), Name: form.Get("name"), NameEN: form.Get("name_en"),
				Category: form.Get("category"), Unit: form.Get("unit"), Measure: stats.Measure(form.Get("measure")),
				Denominator: form.Get("denominator"), Definition: form.Get("definition"), DefinitionEN: form.Get("definition_en"), Includes: form.Get("includes"),
				IncludesEN: form.Get("includes_en"), Excludes: form.Get("excludes"), ExcludesEN: form.Get("excludes_en")}
			return s.editor.SaveIndicator(ctx, by, ind, version)
		},
		list: func(ctx context.Context, p *i18n.Printer) ([]entityRow, error) {
			xs, err := s.editor.Indicators(ctx)
			if err != nil {
				return nil, err
			}
			rows := make([]entityRow, len(xs))
			for i, x := range xs {
				rows[i] = entityRow{ID: x.ID, Label: x.Label(p.Lang() == i18n.EN) + " (" + x.Key + ")",
					Detail: p.T("unit."+x.Unit) + " · " + p.T("measure."+string(x.Measure)), Used: x.Used, Deleted: x.DeletedAt != nil}
			}
			return rows, nil
		},
	}
}
