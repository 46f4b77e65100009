package stats

import (
	"context"
	"fmt"
	"slices"
)

// The read services return what a page needs; the handlers never reach
// the storage around them.

// Localities lists the live localities, focus ones first.
func (s *Service) Localities(ctx context.Context) ([]Locality, error) { return s.store.Localities(ctx) }

// Locality finds a live locality by slug. Errors: ErrNotFound.
func (s *Service) Locality(ctx context.Context, slug string) (Locality, error) {
	return s.store.Locality(ctx, slug)
}

// Categories lists the categories in display order.
func (s *Service) Categories(ctx context.Context) ([]Category, error) { return s.store.Categories(ctx) }

// Terms lists the live terms.
func (s *Service) Terms(ctx context.Context) ([]Term, error) { return s.store.Terms(ctx) }

// FilterTerms lists the terms worth offering as a filter: those some
// figure or finding is tagged with (a term no article names selects
// nothing), and the chosen ones, so that a form keeps its state.
func (s *Service) FilterTerms(ctx context.Context, chosen []string) ([]Term, error) {
	return s.store.TermsInUse(ctx, chosen)
}

// Indicators lists the live indicators.
func (s *Service) Indicators(ctx context.Context) ([]Indicator, error) {
	return s.store.Indicators(ctx)
}

// Outlets lists the outlets of the live sources, where the figures and
// findings were taken from (the open data package names them).
func (s *Service) Outlets(ctx context.Context) ([]string, error) { return s.store.Outlets(ctx) }

// Source finds a live source. Errors: ErrNotFound.
func (s *Service) Source(ctx context.Context, id int64) (Source, error) {
	return s.store.Source(ctx, id)
}

// Findings lists the live findings the filter selects.
func (s *Service) Findings(ctx context.Context, f FindingFilter) ([]Finding, error) {
	return s.store.Findings(ctx, f)
}

// Figure finds a live figure. Errors: ErrNotFound.
func (s *Service) Figure(ctx context.Context, id int64) (Figure, error) {
	f, err := s.store.Figure(ctx, id)
	if err == nil && f.DeletedAt != nil {
		return Figure{}, fmt.Errorf("figure %d: %w", id, ErrNotFound)
	}
	return f, err
}

// A locality page shows every figure of a locality that has at most
// FullLocalityFigures; beyond, per indicator and direction the
// LatestPerIndicator latest (with their parts) and how many there are in
// all, the rest a link away in the list of figures.
const (
	FullLocalityFigures = 400
	LatestPerIndicator  = 3
)

// LocalityReport is everything a locality's page shows.
type LocalityReport struct {
	Locality      Locality
	Parent        *Locality
	Children      []Locality
	Categories    []Category
	Figures       []Figure         // every figure, or when Partial the latest of each indicator
	Partial       bool             // Figures holds only the latest of each indicator
	Counts        []IndicatorCount // every live figure, per category and indicator
	Total         int              // live figures in all
	SourceCount   int              // sources they cite, counted up to CountCap
	SourcesCapped bool             // they cite more than CountCap sources
	Findings      []Finding
}

// IndicatorCount is how many figures of one category and indicator
// ("": none) a locality has.
type IndicatorCount struct {
	Category  string
	Indicator string
	Figures   int
}

// LocalityReport reads a live locality with its figures (or the latest
// of each indicator, see FullLocalityFigures), findings, parent and
// sub-localities. Errors: ErrNotFound, ErrUnavailable.
func (s *Service) LocalityReport(ctx context.Context, slug string) (LocalityReport, error) {
	var r LocalityReport
	var err error
	if r.Locality, err = s.store.Locality(ctx, slug); err != nil {
		return r, err
	}
	// The figures (their counts decide how many are read) while the
	// rest is read.
	err = both(ctx, func(gctx context.Context) error {
		var err error
		// The sources are counted only up to CountCap: on ten million
		// figures a province cites 150.000, and counting them all cost the
		// page 124 ms.
		if r.Counts, r.SourceCount, err = s.store.LocalityCounts(gctx, r.Locality, CountCap+1); err != nil {
			return err
		}
		r.SourcesCapped = r.SourceCount > CountCap
		r.SourceCount = min(r.SourceCount, CountCap)
		for _, c := range r.Counts {
			r.Total += c.Figures
		}
		if r.Total <= FullLocalityFigures {
			r.Figures, err = s.store.Figures(gctx, FigureFilter{Localities: []string{slug}})
		} else {
			r.Partial = true
			r.Figures, err = s.store.LatestFigures(gctx, r.Locality, LatestPerIndicator)
		}
		return err
	}, func(gctx context.Context) error {
		if r.Locality.ParentSlug != "" {
			parent, err := s.store.Locality(gctx, r.Locality.ParentSlug)
			if err != nil {
				return fmt.Errorf("parent of %s: %w", slug, err)
			}
			r.Parent = &parent
		}
		var err error
		if r.Categories, err = s.store.Categories(gctx); err != nil {
			return err
		}
		if r.Findings, err = s.store.Findings(gctx, FindingFilter{Localities: []string{slug}}); err != nil {
			return err
		}
		r.Children, err = s.store.Children(gctx, slug)
		return err
	})
	if err != nil {
		return LocalityReport{}, err
	}
	return r, nil
}

// CountFigures checks the filter and counts what it selects, ignoring its
// limit, up to limit (it answers limit + 1 when there are more).
// Errors: *ValidationError, ErrUnavailable.
func (s *Service) CountFigures(ctx context.Context, f FigureFilter, limit int) (int, error) {
	if err := s.CheckFilter(ctx, f); err != nil {
		return 0, err
	}
	return s.store.CountFigures(ctx, f, limit)
}

// SourceReport is a source with every live figure and finding drawn from it.
type SourceReport struct {
	Source     Source
	Figures    []Figure
	Findings   []Finding
	Categories []Category
}

// SourceReport reads a live source and what cites it. Errors: ErrNotFound.
func (s *Service) SourceReport(ctx context.Context, id int64) (SourceReport, error) {
	var r SourceReport
	var err error
	if r.Source, err = s.store.Source(ctx, id); err != nil {
		return r, err
	}
	if r.Figures, err = s.store.Figures(ctx, FigureFilter{SourceID: id}); err != nil {
		return r, err
	}
	if r.Findings, err = s.store.Findings(ctx, FindingFilter{SourceID: id}); err != nil {
		return r, err
	}
	r.Categories, err = s.store.Categories(ctx)
	return r, err
}

// LocalitiesBySlug finds the live localities with these slugs, in the
// order given; unknown slugs are left out.
func (s *Service) LocalitiesBySlug(ctx context.Context, slugs []string) ([]Locality, error) {
	ls, err := s.store.LocalitiesBySlug(ctx, slugs)
	if err != nil {
		return nil, err
	}
	var out []Locality
	for _, slug := range slugs {
		for _, l := range ls {
			if l.Slug == slug && !slices.ContainsFunc(out, func(x Locality) bool { return x.Slug == slug }) {
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// SearchLocalities finds at most limit live localities whose name holds
// the text, diacritics and case ignored. Errors: ErrUnavailable.
func (s *Service) SearchLocalities(ctx context.Context, text string, limit int) ([]Locality, error) {
	return s.store.SearchLocalities(ctx, text, limit)
}

// SearchSources finds at most limit live sources whose title, outlet or
// author holds the text, diacritics and case ignored, newest first: the
// admin forms' source picker. Errors: ErrUnavailable.
func (s *Service) SearchSources(ctx context.Context, text string, limit int) ([]Source, error) {
	return s.store.SourcePage(ctx, SourceFilter{Query: text, Limit: limit})
}

// SourceByKey finds a live source by its key. Errors: ErrNotFound,
// ErrUnavailable.
func (s *Service) SourceByKey(ctx context.Context, key string) (Source, error) {
	srcs, err := s.store.SourcePage(ctx, SourceFilter{Key: key, Limit: 1})
	if err != nil {
		return Source{}, err
	}
	if len(srcs) == 0 {
		return Source{}, fmt.Errorf("source %q: %w", key, ErrNotFound)
	}
	return srcs[0], nil
}

// EachSource streams the sources with these ids, oldest first (published,
// then key): an export's sheet of sources. Errors: ErrUnavailable.
func (s *Service) EachSource(ctx context.Context, ids []int64, fn func(Source) error) error {
	return s.store.EachSource(ctx, ids, fn)
}
