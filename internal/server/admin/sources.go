package admin

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// sourceKind is the source form: an article figures and findings cite.
// Its key (derived from outlet and date when left empty) names it in
// CSV imports and exports, so it is set once and never edited.
func (s *Handler) sourceKind() *entityKind {
	return &entityKind{
		entity: stats.EntitySource,
		path:   "sources",
		fields: func(_ context.Context, p *i18n.Printer, adding bool) ([]formField, error) {
			return []formField{
				{Name: "key", Label: p.T("field.key"), Type: "text", Max: stats.MaxKeyLen, ReadOnly: !adding,
					Hint: p.T("admin.source.key_hint")},
				{Name: "title", Label: p.T("field.source_title"), Type: "text", Required: true, Max: 500},
				{Name: "outlet", Label: p.T("field.source_outlet"), Type: "text", Required: true, Max: 200},
				{Name: "author", Label: p.T("field.source_author"), Type: "text", Max: 200},
				{Name: "published_on", Label: p.T("field.source_published"), Type: "date", Required: true},
				{Name: "published_time", Label: p.T("field.published_time"), Type: "text", Max: 5, Hint: p.T("admin.source.time_hint")},
				{Name: "published_text", Label: p.T("field.published_text"), Type: "text", Max: stats.MaxNameLen,
					Hint: p.T("admin.source.published_text_hint")},
				{Name: "url", Label: p.T("field.source_url"), Type: "url", Max: 1000},
			}, nil
		},
		load: func(ctx context.Context, id int64) (entityRecord, error) {
			src, err := s.editor.Source(ctx, id)
			if err != nil {
				return entityRecord{}, err
			}
			return entityRecord{ID: src.ID, Version: src.Version, Deleted: src.DeletedAt != nil,
				Public: fmt.Sprintf("/sources/%d", src.ID), Values: sourceValues(src)}, nil
		},
		save: func(ctx context.Context, by stats.User, form url.Values, id, version int64) (int64, error) {
			v := &stats.ValidationError{}
			src := stats.Source{ID: id, Key: form.Get("key"), Title: form.Get("title"), Outlet: form.Get("outlet"),
				Author: form.Get("author"), PublishedTime: form.Get("published_time"),
				PublishedText: form.Get("published_text"), URL: form.Get("url")}
			if d := strings.TrimSpace(form.Get("published_on")); d != "" {
				t, err := time.Parse(time.DateOnly, d)
				if err != nil {
					v.Add("published_on", "error.date.invalid", "")
				}
				src.PublishedOn = t
			}
			src.NormalizeForm()
			if err := merge(v, src.ValidateForm()); err != nil {
				return 0, err
			}
			return s.editor.SaveSource(ctx, by, src, version)
		},
		list: func(ctx context.Context, p *i18n.Printer) ([]entityRow, error) {
			srcs, err := s.editor.Sources(ctx)
			if err != nil {
				return nil, err
			}
			rows := make([]entityRow, len(srcs))
			for i, src := range srcs {
				rows[i] = entityRow{ID: src.ID, Label: src.Title, Detail: src.Outlet + ", " + p.Date(src.PublishedOn),
					Used: src.Figures + src.Findings, Deleted: src.DeletedAt != nil}
			}
			return rows, nil
		},
	}
}

func sourceValues(src stats.Source) url.Values {
	return url.Values{"key": {src.Key}, "title": {src.Title}, "outlet": {src.Outlet}, "author": {src.Author},
		"published_on": {src.PublishedOn.Format(time.DateOnly)}, "published_time": {src.PublishedTime},
		"published_text": {src.PublishedText}, "url": {src.URL}}
}
