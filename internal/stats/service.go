package stats

import (
	"context"
	"slices"
)

// Store is the storage the services need; internal/postgres satisfies it.
type Store interface {
	Ping(ctx context.Context) error
	Localities(ctx context.Context) ([]Locality, error)
	Locality(ctx context.Context, slug string) (Locality, error)
	LocalitiesBySlug(ctx context.Context, slugs []string) ([]Locality, error)
	FocusLocalities(ctx context.Context) ([]Locality, error)
	ReportingProvinces(ctx context.Context) ([]Locality, error)
	// Provinces lists the live province-level localities, of every period.
	Provinces(ctx context.Context) ([]Locality, error)
	SearchLocalities(ctx context.Context, query string, limit int) ([]Locality, error)
	Children(ctx context.Context, slug string) ([]Locality, error)
	Categories(ctx context.Context) ([]Category, error)
	Terms(ctx context.Context) ([]Term, error)
	TermsInUse(ctx context.Context, keep []string) ([]Term, error)
	Indicators(ctx context.Context) ([]Indicator, error)
	// Outlets lists the outlets of the live sources.
	Outlets(ctx context.Context) ([]string, error)
	Source(ctx context.Context, id int64) (Source, error)
	Figure(ctx context.Context, id int64) (Figure, error)
	// FiguresByID reads the given figures, deleted ones included (with
	// DeletedAt set); unknown ids are absent.
	FiguresByID(ctx context.Context, ids []int64) ([]Figure, error)
	Figures(ctx context.Context, f FigureFilter) ([]Figure, error)
	EachFigure(ctx context.Context, f FigureFilter, fn func(Figure) error) error
	// StreamFigures is EachFigure for exports: only what they write, and
	// strings valid only until fn returns.
	StreamFigures(ctx context.Context, f FigureFilter, fn func(Figure) error) error
	// CountFigures counts what the filter selects, ignoring its limit,
	// up to limit + 1: a count above limit means "more than limit".
	CountFigures(ctx context.Context, f FigureFilter, limit int) (int, error)
	Findings(ctx context.Context, f FindingFilter) ([]Finding, error)

	// The overview's reads (overview.go): each locality's latest
	// comparable figures per indicator and direction; the figures no
	// comparison holds, counted and the shown latest; coverage; findings.
	LatestComparable(ctx context.Context, locs []Locality, f FigureFilter) (Latest, error)
	Uncompared(ctx context.Context, locs []Locality, f FigureFilter, compared []CompareKey, shown int) ([]Uncompared, error)
	Coverage(ctx context.Context, locs []Locality, f FigureFilter, maxSpans, maxSources int) (Coverage, error)
	FindingCounts(ctx context.Context, locs []Locality) (map[string]int, error)

	// A large locality's page (read.go): counts, and the latest figures
	// of each indicator and direction with their parts.
	LocalityCounts(ctx context.Context, loc Locality, sourceCap int) ([]IndicatorCount, int, error)
	LatestFigures(ctx context.Context, loc Locality, n int) ([]Figure, error)

	// EachSource streams sources by id, oldest first (exports).
	EachSource(ctx context.Context, ids []int64, fn func(Source) error) error

	// Pages of sources (page.go), newest first.
	SourcePage(ctx context.Context, f SourceFilter) ([]Source, error)
	CountSources(ctx context.Context, f SourceFilter, limit int) (int, error)
}

// Service answers the read-only questions of the dashboard and exports.
type Service struct {
	store Store
}

// NewService wraps a store.
func NewService(store Store) *Service { return &Service{store: store} }

// Ping reports whether the database answers. Errors: ErrUnavailable.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// CheckFilter refuses values that name nothing (an unknown locality slug,
// category code or term key), so that a typo in a link answers with an
// error rather than an empty, misleading export. Errors: *ValidationError.
func (s *Service) CheckFilter(ctx context.Context, f FigureFilter) error {
	v := &ValidationError{}
	if len(f.Localities) > 0 {
		ls, err := s.store.LocalitiesBySlug(ctx, f.Localities)
		if err != nil {
			return err
		}
		for _, slug := range f.Localities {
			if !slices.ContainsFunc(ls, func(l Locality) bool { return l.Slug == slug }) {
				v.Add("locality", "error.locality.unknown", slug)
			}
		}
	}
	if len(f.Categories) > 0 {
		cs, err := s.store.Categories(ctx)
		if err != nil {
			return err
		}
		for _, code := range f.Categories {
			if !slices.ContainsFunc(cs, func(c Category) bool { return c.Code == code }) {
				v.Add("category", "error.category.unknown", code)
			}
		}
	}
	if len(f.Indicators) > 0 {
		is, err := s.store.Indicators(ctx)
		if err != nil {
			return err
		}
		for _, key := range f.Indicators {
			if !slices.ContainsFunc(is, func(i Indicator) bool { return i.Key == key }) {
				v.Add("indicator", "error.indicator.unknown", key)
			}
		}
	}
	if len(f.Terms) > 0 {
		ts, err := s.store.Terms(ctx)
		if err != nil {
			return err
		}
		for _, key := range f.Terms {
			if !slices.ContainsFunc(ts, func(t Term) bool { return t.Key == key }) {
				v.Add("term", "error.term.unknown", key)
			}
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		v.Add("to", "error.period.end_before_start", "")
	}
	if f.Sort != "" && !slices.Contains(FigureSorts, f.Sort) {
		v.Add("sort", "error.sort.unknown", f.Sort)
	}
	if f.Status != "" && !slices.Contains(FigureStatuses, f.Status) {
		v.Add("status", "error.query.invalid", f.Status)
	}
	checkCursors(f, v)
	return v.Err()
}

// StreamFigures streams figures for an export after checking the filter:
// each carries only the export's fields, and its strings are valid only
// until fn returns (fn copies what it keeps). Errors: *ValidationError,
// ErrUnavailable.
func (s *Service) StreamFigures(ctx context.Context, f FigureFilter, fn func(Figure) error) error {
	if err := s.CheckFilter(ctx, f); err != nil {
		return err
	}
	return s.store.StreamFigures(ctx, f, fn)
}

// EachFigure streams figures after checking the filter.
// Errors: *ValidationError, ErrUnavailable.
func (s *Service) EachFigure(ctx context.Context, f FigureFilter, fn func(Figure) error) error {
	if err := s.CheckFilter(ctx, f); err != nil {
		return err
	}
	return s.store.EachFigure(ctx, f, fn)
}
