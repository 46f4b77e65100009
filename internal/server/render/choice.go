package render

import (
	"context"
	"errors"
	"net/url"
	"strconv"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// A choice is a field of an admin form that holds one locality or one
// source: a single-choice picker (picker.go), so that no form lists the
// thousands there are. The chosen one is shown by name (a source with its
// outlet, date and title) and a search box finds another. Without
// script, the editor types a slug or key into the box and submits:
// TakeTyped makes the text the field's value, the domain judges it as it
// judges an import, and when it names nothing the form comes back with
// the matches of the text, found by name without diacritics, to choose
// from.

// ChoiceKind is what a choice chooses and how its value is written.
type ChoiceKind struct {
	search, list, value string // the picker's SearchURL, List and Value
	texts               string // the prefix of its messages
	unknown             string // the domain's message for a value that names nothing
}

var (
	LocalityChoice = ChoiceKind{search: "/api/localities", list: "localities", value: "slug", texts: "choice.locality",
		unknown: "error.locality.unknown"}
	SourceKeyChoice = ChoiceKind{search: "/api/sources", list: "sources", value: "key", texts: "choice.source",
		unknown: "error.source.unknown"}
	SourceIDChoice = ChoiceKind{search: "/api/sources", list: "sources", value: "id", texts: "choice.source",
		unknown: "error.source.unknown"}
)

// ChoiceField is a choice as a form shows it.
type ChoiceField struct {
	Kind   ChoiceKind
	Name   string // the field: locality_slug
	Value  string
	Err    string   // the field's error, if any
	Note   string   // what the field is, if it needs saying
	Extras []Option // fixed alternatives beside the chosen one: a new source, none
}

// TakeTyped makes what was typed into the search box of each choice
// (name_q), and not picked from its matches, the field's value. A source
// chosen by id may be typed as its key.
func (s *Renderer) TakeTyped(ctx context.Context, form url.Values, kinds map[string]ChoiceKind) error {
	for name, kind := range kinds {
		typed := textnorm.Clean(form.Get(name + "_q"))
		form.Del(name + "_q")
		if typed == "" {
			continue
		}
		if _, err := strconv.ParseInt(typed, 10, 64); kind == SourceIDChoice && err != nil {
			src, err := s.stats.SourceByKey(ctx, typed)
			switch {
			case err == nil:
				typed = strconv.FormatInt(src.ID, 10)
			case !errors.Is(err, stats.ErrNotFound):
				return err
			}
		}
		form.Set(name, typed)
	}
	return nil
}

// Choices builds the pickers of the fields, in order: the chosen value
// by name, or, when the value names nothing, the matches of its text.
func (s *Renderer) Choices(ctx context.Context, p *i18n.Printer, fields []ChoiceField) ([]Picker, error) {
	labels, err := s.ChoiceLabels(ctx, p, fields)
	if err != nil {
		return nil, err
	}
	out := make([]Picker, len(fields))
	for i, f := range fields {
		k := f.Kind
		pk := Picker{Name: f.Name, InputID: f.Name, SearchURL: k.search, List: k.list, Value: k.value, Single: true, Error: f.Err, Note: f.Note,
			Texts: pickerTexts{Chosen: p.T(k.texts + ".chosen"), Search: p.T(k.texts + ".search"), Hint: p.T(k.texts + ".hint"),
				None: p.T(k.texts + ".none"), Short: p.T("picker.too_short"), Failed: p.T("choice.error")}}
		extra := false
		for _, o := range f.Extras {
			o.Selected = o.Value == f.Value
			extra = extra || o.Selected
			pk.Extra = append(pk.Extra, o)
		}
		label, known := labels[k][f.Value]
		if extra || f.Value == "" || known {
			if known {
				pk.Chosen = []Option{{Value: f.Value, Label: label, Selected: true}}
			}
			out[i] = pk
			continue
		}
		// The value names nothing: what the domain said (or that it is
		// unknown, in a link), then what its text matches, to choose from.
		if pk.Error == "" {
			pk.Error = p.T(k.unknown)
		}
		if textnorm.Valid(f.Value) && len([]rune(f.Value)) >= PickerMinQuery {
			pk.Searched = true
			if pk.Groups, err = s.choiceMatches(ctx, p, k, f.Value); err != nil {
				return nil, err
			}
		}
		if len(pk.Groups) > 0 {
			pk.Error += " " + p.T(k.texts+".matches", f.Value)
		} else {
			pk.Error += " " + p.T(k.texts+".no_matches", f.Value)
			pk.Searched = false // the error says it
		}
		out[i] = pk
	}
	return out, nil
}

// ChoiceLabels names the values of the fields, by kind and value, with
// one read for all the localities; values that name nothing live, and the
// fixed alternatives, are left out.
func (s *Renderer) ChoiceLabels(ctx context.Context, p *i18n.Printer, fields []ChoiceField) (map[ChoiceKind]map[string]string, error) {
	labels := map[ChoiceKind]map[string]string{LocalityChoice: {}, SourceKeyChoice: {}, SourceIDChoice: {}}
	var slugs []string
	for _, f := range fields {
		if f.Kind == LocalityChoice && f.Value != "" {
			slugs = append(slugs, f.Value)
		}
	}
	ls, err := s.stats.LocalitiesBySlug(ctx, slugs)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		labels[LocalityChoice][l.Slug] = PickerLabel(p, l)
	}
	for _, f := range fields {
		if _, done := labels[f.Kind][f.Value]; done || f.Kind == LocalityChoice || f.Value == "" || isExtra(f) {
			continue
		}
		var src stats.Source
		var err error
		if f.Kind == SourceKeyChoice {
			src, err = s.stats.SourceByKey(ctx, f.Value)
		} else if id, perr := strconv.ParseInt(f.Value, 10, 64); perr == nil {
			src, err = s.stats.Source(ctx, id)
		} else {
			continue
		}
		if errors.Is(err, stats.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		labels[f.Kind][f.Value] = SourceLabel(p, src)
	}
	return labels, nil
}

func isExtra(f ChoiceField) bool {
	for _, o := range f.Extras {
		if o.Value == f.Value {
			return true
		}
	}
	return false
}

// choiceMatches are the localities or sources whose name holds text.
func (s *Renderer) choiceMatches(ctx context.Context, p *i18n.Printer, k ChoiceKind, text string) ([]pickerGroup, error) {
	if k == LocalityChoice {
		ls, err := s.stats.SearchLocalities(ctx, text, PickerResults)
		return localityGroups(p, ls), err
	}
	srcs, err := s.stats.SearchSources(ctx, text, PickerResults)
	if err != nil || len(srcs) == 0 {
		return nil, err
	}
	var g pickerGroup
	for _, src := range srcs {
		v := src.Key
		if k == SourceIDChoice {
			v = strconv.FormatInt(src.ID, 10)
		}
		g.Options = append(g.Options, Option{Value: v, Label: SourceLabel(p, src)})
	}
	return []pickerGroup{g}, nil
}

// NoChoice is the alternative of an optional choice: none.
func NoChoice(p *i18n.Printer) Option { return Option{Value: "", Label: p.T("choice.none")} }

// NewSourceChoice is the alternative of a source field that creates the
// source from the form's new_source_* fields.
func NewSourceChoice(p *i18n.Printer) Option {
	return Option{Value: "new", Label: p.T("admin.source.new_inline")}
}
