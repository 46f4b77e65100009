package server

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
// takeTyped makes the text the field's value, the domain judges it as it
// judges an import, and when it names nothing the form comes back with
// the matches of the text, found by name without diacritics, to choose
// from.

// choiceKind is what a choice chooses and how its value is written.
type choiceKind struct {
	search, list, value string // the picker's SearchURL, List and Value
	texts               string // the prefix of its messages
	unknown             string // the domain's message for a value that names nothing
}

var (
	localityChoice = choiceKind{search: "/api/localities", list: "localities", value: "slug", texts: "choice.locality",
		unknown: "error.locality.unknown"}
	sourceKeyChoice = choiceKind{search: "/api/sources", list: "sources", value: "key", texts: "choice.source",
		unknown: "error.source.unknown"}
	sourceIDChoice = choiceKind{search: "/api/sources", list: "sources", value: "id", texts: "choice.source",
		unknown: "error.source.unknown"}
)

// choiceField is a choice as a form shows it.
type choiceField struct {
	kind   choiceKind
	name   string // the field: locality_slug
	value  string
	err    string   // the field's error, if any
	note   string   // what the field is, if it needs saying
	extras []option // fixed alternatives beside the chosen one: a new source, none
}

// takeTyped makes what was typed into the search box of each choice
// (name_q), and not picked from its matches, the field's value. A source
// chosen by id may be typed as its key.
func (s *Server) takeTyped(ctx context.Context, form url.Values, kinds map[string]choiceKind) error {
	for name, kind := range kinds {
		typed := textnorm.Clean(form.Get(name + "_q"))
		form.Del(name + "_q")
		if typed == "" {
			continue
		}
		if _, err := strconv.ParseInt(typed, 10, 64); kind == sourceIDChoice && err != nil {
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

// choices builds the pickers of the fields, in order: the chosen value
// by name, or, when the value names nothing, the matches of its text.
func (s *Server) choices(ctx context.Context, p *i18n.Printer, fields []choiceField) ([]picker, error) {
	labels, err := s.choiceLabels(ctx, p, fields)
	if err != nil {
		return nil, err
	}
	out := make([]picker, len(fields))
	for i, f := range fields {
		k := f.kind
		pk := picker{Name: f.name, InputID: f.name, SearchURL: k.search, List: k.list, Value: k.value, Single: true, Error: f.err, Note: f.note,
			Texts: pickerTexts{Chosen: p.T(k.texts + ".chosen"), Search: p.T(k.texts + ".search"), Hint: p.T(k.texts + ".hint"),
				None: p.T(k.texts + ".none"), Short: p.T("picker.too_short"), Failed: p.T("choice.error")}}
		extra := false
		for _, o := range f.extras {
			o.Selected = o.Value == f.value
			extra = extra || o.Selected
			pk.Extra = append(pk.Extra, o)
		}
		label, known := labels[k][f.value]
		if extra || f.value == "" || known {
			if known {
				pk.Chosen = []option{{Value: f.value, Label: label, Selected: true}}
			}
			out[i] = pk
			continue
		}
		// The value names nothing: what the domain said (or that it is
		// unknown, in a link), then what its text matches, to choose from.
		if pk.Error == "" {
			pk.Error = p.T(k.unknown)
		}
		if textnorm.Valid(f.value) && len([]rune(f.value)) >= pickerMinQuery {
			pk.Searched = true
			if pk.Groups, err = s.choiceMatches(ctx, p, k, f.value); err != nil {
				return nil, err
			}
		}
		if len(pk.Groups) > 0 {
			pk.Error += " " + p.T(k.texts+".matches", f.value)
		} else {
			pk.Error += " " + p.T(k.texts+".no_matches", f.value)
			pk.Searched = false // the error says it
		}
		out[i] = pk
	}
	return out, nil
}

// choiceLabels names the values of the fields, by kind and value, with
// one read for all the localities; values that name nothing live, and the
// fixed alternatives, are left out.
func (s *Server) choiceLabels(ctx context.Context, p *i18n.Printer, fields []choiceField) (map[choiceKind]map[string]string, error) {
	labels := map[choiceKind]map[string]string{localityChoice: {}, sourceKeyChoice: {}, sourceIDChoice: {}}
	var slugs []string
	for _, f := range fields {
		if f.kind == localityChoice && f.value != "" {
			slugs = append(slugs, f.value)
		}
	}
	ls, err := s.stats.LocalitiesBySlug(ctx, slugs)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		labels[localityChoice][l.Slug] = pickerLabel(p, l)
	}
	for _, f := range fields {
		if _, done := labels[f.kind][f.value]; done || f.kind == localityChoice || f.value == "" || isExtra(f) {
			continue
		}
		var src stats.Source
		var err error
		if f.kind == sourceKeyChoice {
			src, err = s.stats.SourceByKey(ctx, f.value)
		} else if id, perr := strconv.ParseInt(f.value, 10, 64); perr == nil {
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
		labels[f.kind][f.value] = sourceLabel(p, src)
	}
	return labels, nil
}

func isExtra(f choiceField) bool {
	for _, o := range f.extras {
		if o.Value == f.value {
			return true
		}
	}
	return false
}

// choiceMatches are the localities or sources whose name holds text.
func (s *Server) choiceMatches(ctx context.Context, p *i18n.Printer, k choiceKind, text string) ([]pickerGroup, error) {
	if k == localityChoice {
		ls, err := s.stats.SearchLocalities(ctx, text, pickerResults)
		return localityGroups(p, ls), err
	}
	srcs, err := s.stats.SearchSources(ctx, text, pickerResults)
	if err != nil || len(srcs) == 0 {
		return nil, err
	}
	var g pickerGroup
	for _, src := range srcs {
		v := src.Key
		if k == sourceIDChoice {
			v = strconv.FormatInt(src.ID, 10)
		}
		g.Options = append(g.Options, option{Value: v, Label: sourceLabel(p, src)})
	}
	return []pickerGroup{g}, nil
}

// noChoice is the alternative of an optional choice: none.
func noChoice(p *i18n.Printer) option { return option{Value: "", Label: p.T("choice.none")} }

// newSourceChoice is the alternative of a source field that creates the
// source from the form's new_source_* fields.
func newSourceChoice(p *i18n.Printer) option {
	return option{Value: "new", Label: p.T("admin.source.new_inline")}
}
