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

// Indicators lists the live indicators.
func (s *Service) Indicators(ctx context.Context) ([]Indicator, error) {
	return s.store.Indicators(ctx)
}

// Sources lists the live sources, newest first.
func (s *Service) Sources(ctx context.Context) ([]Source, error) { return s.store.Sources(ctx) }

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

// FigurePage is one page of a list of figures and how many the filter
// selects in all.
type FigurePage struct {
	Figures []Figure
	Total   int
}

// FigurePage checks the filter and reads one page of figures with the
// total. Errors: *ValidationError, ErrUnavailable.
func (s *Service) FigurePage(ctx context.Context, f FigureFilter) (FigurePage, error) {
	if err := s.CheckFilter(ctx, f); err != nil {
		return FigurePage{}, err
	}
	total, err := s.store.CountFigures(ctx, f)
	if err != nil {
		return FigurePage{}, err
	}
	figs, err := s.store.Figures(ctx, f)
	if err != nil {
		return FigurePage{}, err
	}
	return FigurePage{Figures: figs, Total: total}, nil
}

// LocalityReport is everything a locality's page shows.
type LocalityReport struct {
	Locality   Locality
	Parent     *Locality
	Children   []Locality
	Categories []Category
	Figures    []Figure
	Findings   []Finding
}

// LocalityReport reads a live locality with its figures, findings,
// parent and sub-localities. Errors: ErrNotFound, ErrUnavailable.
func (s *Service) LocalityReport(ctx context.Context, slug string) (LocalityReport, error) {
	var r LocalityReport
	var err error
	if r.Locality, err = s.store.Locality(ctx, slug); err != nil {
		return r, err
	}
	if r.Locality.ParentSlug != "" {
		parent, err := s.store.Locality(ctx, r.Locality.ParentSlug)
		if err != nil {
			return r, fmt.Errorf("parent of %s: %w", slug, err)
		}
		r.Parent = &parent
	}
	if r.Categories, err = s.store.Categories(ctx); err != nil {
		return r, err
	}
	if r.Figures, err = s.store.Figures(ctx, FigureFilter{Localities: []string{slug}}); err != nil {
		return r, err
	}
	if r.Findings, err = s.store.Findings(ctx, FindingFilter{Localities: []string{slug}}); err != nil {
		return r, err
	}
	if r.Children, err = s.store.Children(ctx, slug); err != nil {
		return r, err
	}
	return r, nil
}

// OverviewReport is what the overview compares.
type OverviewReport struct {
	All         []Locality // every live locality, for the picker
	Compared    []Locality // the localities compared, in their order
	Categories  []Category
	Figures     []Figure // of the compared localities, within the filter's period and term
	Findings    []Finding
	Comparisons []Comparison
	Uncompared  []Uncompared
}

// Overview compares the localities the filter names, or the focus ones,
// over the filter's period and terms. Errors: *ValidationError,
// ErrUnavailable.
func (s *Service) Overview(ctx context.Context, f FigureFilter) (OverviewReport, error) {
	var r OverviewReport
	if err := s.CheckFilter(ctx, f); err != nil {
		return r, err
	}
	var err error
	if r.All, err = s.store.Localities(ctx); err != nil {
		return r, err
	}
	for _, l := range r.All {
		if (len(f.Localities) == 0 && l.Focus) || slices.Contains(f.Localities, l.Slug) {
			r.Compared = append(r.Compared, l)
		}
	}
	if len(f.Localities) > 0 {
		// In the order the reader chose them.
		slices.SortStableFunc(r.Compared, func(a, b Locality) int {
			return slices.Index(f.Localities, a.Slug) - slices.Index(f.Localities, b.Slug)
		})
	}
	if r.Categories, err = s.store.Categories(ctx); err != nil {
		return r, err
	}
	if len(r.Compared) == 0 {
		return r, nil
	}
	slugs := make([]string, len(r.Compared))
	for i, l := range r.Compared {
		slugs[i] = l.Slug
	}
	// Only the overview's own dimensions filter: a category or text search
	// would leave charts that look like "no data".
	if r.Figures, err = s.store.Figures(ctx, FigureFilter{Localities: slugs, Terms: f.Terms, From: f.From, To: f.To,
		VerifiedOnly: f.VerifiedOnly}); err != nil {
		return r, err
	}
	if r.Findings, err = s.store.Findings(ctx, FindingFilter{Localities: slugs}); err != nil {
		return r, err
	}
	r.Comparisons, r.Uncompared = Compare(r.Compared, r.Figures)
	return r, nil
}

// CountFigures checks the filter and counts what it selects, ignoring its
// limit. Errors: *ValidationError, ErrUnavailable.
func (s *Service) CountFigures(ctx context.Context, f FigureFilter) (int, error) {
	if err := s.CheckFilter(ctx, f); err != nil {
		return 0, err
	}
	return s.store.CountFigures(ctx, f)
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
