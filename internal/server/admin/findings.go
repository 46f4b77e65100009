package admin

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// findingKind is the finding form: a statement an article makes about a
// locality without a number. Its locality, term and source are chosen
// among live records only, the locality and the source by searching.
func (s *Handler) findingKind() *entityKind {
	return &entityKind{
		entity:  stats.EntityFinding,
		path:    "findings",
		choices: map[string]render.ChoiceKind{"locality": render.LocalityChoice, "source_id": render.SourceIDChoice},
		fields: func(ctx context.Context, p *i18n.Printer, _ bool) ([]formField, error) {
			st := s.stats
			cs, err := st.Categories(ctx)
			if err != nil {
				return nil, err
			}
			ts, err := st.Terms(ctx)
			if err != nil {
				return nil, err
			}
			cats := make([]render.Option, len(cs))
			for i, c := range cs {
				cats[i] = render.Option{Value: c.Code, Label: chart.CategoryName(c, p.Lang() == i18n.EN)}
			}
			return []formField{
				{Name: "locality", Label: p.T("field.locality"), Type: "choice", Required: true},
				{Name: "category", Label: p.T("field.category"), Type: "select", Blank: true, Options: cats},
				{Name: "term", Label: p.T("field.term"), Type: "select", Blank: true, Options: termOptions(ts, p)},
				{Name: "statement", Label: p.T("field.statement"), Type: "textarea", Required: true, Max: stats.MaxStatementLen,
					Hint: p.T("admin.finding.statement_hint")},
				{Name: "statement_en", Label: p.T("field.statement_en"), Type: "textarea", Max: stats.MaxStatementLen},
				{Name: "quote", Label: p.T("field.quote"), Type: "textarea", Required: true, Max: stats.MaxQuoteLen,
					Hint: p.T("admin.finding.quote_hint")},
				{Name: "source_id", Label: p.T("field.source"), Type: "choice", Required: true},
			}, nil
		},
		load: func(ctx context.Context, id int64) (entityRecord, error) {
			x, err := s.editor.Finding(ctx, id)
			if err != nil {
				return entityRecord{}, err
			}
			return entityRecord{ID: x.ID, Version: x.Version, Deleted: x.DeletedAt != nil,
				Public: fmt.Sprintf("/localities/%s#finding-%d", url.PathEscape(x.LocalitySlug), x.ID),
				Values: url.Values{"locality": {x.LocalitySlug}, "category": {x.Category}, "term": {x.TermKey},
					"statement": {x.Statement}, "statement_en": {x.StatementEN}, "quote": {x.Quote},
					"source_id": {strconv.FormatInt(x.Source.ID, 10)}}}, nil
		},
		save: func(ctx context.Context, by stats.User, form url.Values, id, version int64) (int64, error) {
			v := &stats.ValidationError{}
			in := stats.FindingInput{ID: id, LocalitySlug: form.Get("locality"), Category: form.Get("category"),
				TermKey: form.Get("term"), Statement: form.Get("statement"), StatementEN: form.Get("statement_en"),
				Quote: form.Get("quote"), SourceID: formID(form, "source_id", v)}
			in.Normalize()
			if err := merge(v, in.Validate()); err != nil {
				return 0, err
			}
			return s.editor.SaveFinding(ctx, by, in, version)
		},
		list: func(ctx context.Context, p *i18n.Printer) ([]entityRow, error) {
			xs, err := s.editor.Findings(ctx)
			if err != nil {
				return nil, err
			}
			rows := make([]entityRow, len(xs))
			for i, x := range xs {
				rows[i] = entityRow{ID: x.ID, Label: shorten(x.Statement, 140),
					Detail:  x.LocalityName + " · " + x.Source.Outlet + ", " + p.Date(x.Source.PublishedOn),
					Deleted: x.DeletedAt != nil}
			}
			return rows, nil
		},
	}
}

func termOptions(ts []stats.Term, p *i18n.Printer) []render.Option {
	out := make([]render.Option, len(ts))
	for i, t := range ts {
		name := t.Name
		if p.Lang() == i18n.EN {
			name = t.NameEN
		}
		out[i] = render.Option{Value: t.Key, Label: name}
	}
	return out
}

// shorten cuts s to at most n letters, at a word if it can.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	for i := len(cut) - 1; i > n/2; i-- {
		if cut[i] == ' ' {
			cut = cut[:i]
			break
		}
	}
	return cut + "…"
}
