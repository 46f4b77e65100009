package stats

import (
	"context"
	"slices"
	"time"
)

// How much the overview shows at national scale; the rest is a link away.
const (
	MaxCompared     = 100 // localities one overview compares
	UncomparedShown = 10  // figures listed per category apart from the charts
	MaxSpans        = 12  // periods drawn per locality in the coverage chart
	MaxCoverageSrcs = 6   // sources named under the coverage chart; beyond, counted
)

// OverviewReport is what the overview compares.
type OverviewReport struct {
	Compared    []Locality // the localities compared, in their order
	Default     bool       // the reader chose none: the focus localities, or the provinces
	Parents     []Locality // the compared localities' parents, for what became of them
	Categories  []Category
	Latest      []Figure // per locality, indicator and direction, the latest comparable figures
	Coverage    Coverage
	Findings    map[string]int // findings per locality slug
	Comparisons []Comparison
	Uncompared  []Uncompared // per category: how many, and the UncomparedShown most recent
}

// Coverage is which periods the compared localities' figures describe,
// and the sources they cite.
type Coverage struct {
	Localities  []LocalityCoverage // in the order compared
	Sources     []Source           // newest first, when at most MaxCoverageSrcs
	SourceCount int
}

// LocalityCoverage is one locality's figures in time.
type LocalityCoverage struct {
	Locality     Locality
	Figures      int
	First, Last  time.Time // earliest start, latest end; zero without figures
	Spans        []Span    // the MaxSpans periods with the most figures, by start
	OtherSpans   int       // periods left out
	OtherFigures int       // figures in them
}

// Span is one period some of a locality's figures describe.
type Span struct {
	Start, End time.Time
	Figures    int
	Categories []string // codes
}

// CoverageOf computes the coverage from the figures themselves: what
// storage aggregates at scale (postgres.Coverage), for tests and small sets.
func CoverageOf(locs []Locality, figs []Figure, maxSpans, maxSources int) Coverage {
	var c Coverage
	var srcs []Source
	for _, l := range locs {
		lc := LocalityCoverage{Locality: l}
		var spans []Span
		for _, f := range figs {
			if f.Locality.Slug != l.Slug {
				continue
			}
			lc.Figures++
			if lc.First.IsZero() || f.PeriodStart.Before(lc.First) {
				lc.First = f.PeriodStart
			}
			if f.PeriodEnd.After(lc.Last) {
				lc.Last = f.PeriodEnd
			}
			i := slices.IndexFunc(spans, func(s Span) bool { return s.Start.Equal(f.PeriodStart) && s.End.Equal(f.PeriodEnd) })
			if i < 0 {
				spans = append(spans, Span{Start: f.PeriodStart, End: f.PeriodEnd})
				i = len(spans) - 1
			}
			spans[i].Figures++
			if !slices.Contains(spans[i].Categories, f.Category.Code) {
				spans[i].Categories = append(spans[i].Categories, f.Category.Code)
			}
			if !slices.ContainsFunc(srcs, func(s Source) bool { return s.ID == f.Source.ID }) {
				srcs = append(srcs, f.Source)
			}
		}
		// The periods with the most figures, the latest first among equals.
		slices.SortStableFunc(spans, func(a, b Span) int {
			if a.Figures != b.Figures {
				return b.Figures - a.Figures
			}
			if d := b.End.Compare(a.End); d != 0 {
				return d
			}
			return a.Start.Compare(b.Start)
		})
		keep := spans[:min(maxSpans, len(spans))]
		for _, s := range spans[len(keep):] {
			lc.OtherSpans++
			lc.OtherFigures += s.Figures
		}
		slices.SortFunc(keep, func(a, b Span) int {
			if d := a.Start.Compare(b.Start); d != 0 {
				return d
			}
			return a.End.Compare(b.End)
		})
		for i := range keep {
			slices.Sort(keep[i].Categories)
		}
		lc.Spans = keep
		c.Localities = append(c.Localities, lc)
	}
	c.SourceCount = len(srcs)
	if len(srcs) <= maxSources {
		slices.SortStableFunc(srcs, func(a, b Source) int {
			if d := b.PublishedOn.Compare(a.PublishedOn); d != 0 {
				return d
			}
			return int(a.ID - b.ID)
		})
		c.Sources = srcs
	}
	return c
}

// Overview compares the localities the filter names (at most
// MaxCompared), or by default the focus ones, or when none is a focus
// one the provinces that report figures, over the filter's period,
// terms and verification. Only the overview's own dimensions filter: a
// category or text search would leave charts that look like "no data".
// Errors: *ValidationError, ErrUnavailable.
func (s *Service) Overview(ctx context.Context, f FigureFilter) (OverviewReport, error) {
	var r OverviewReport
	if len(f.Localities) > MaxCompared {
		v := &ValidationError{}
		v.AddDetail("locality", "error.locality.too_many", itoa(MaxCompared), ArgNumber)
		return r, v
	}
	if err := s.CheckFilter(ctx, f); err != nil {
		return r, err
	}
	var err error
	if r.Categories, err = s.store.Categories(ctx); err != nil {
		return r, err
	}
	switch {
	case len(f.Localities) > 0:
		ls, err := s.store.LocalitiesBySlug(ctx, f.Localities)
		if err != nil {
			return r, err
		}
		// In the order the reader chose them, each once.
		for _, slug := range f.Localities {
			if i := slices.IndexFunc(ls, func(l Locality) bool { return l.Slug == slug }); i >= 0 &&
				!slices.ContainsFunc(r.Compared, func(l Locality) bool { return l.Slug == slug }) {
				r.Compared = append(r.Compared, ls[i])
			}
		}
	default:
		r.Default = true
		if r.Compared, err = s.store.FocusLocalities(ctx); err != nil {
			return r, err
		}
		if len(r.Compared) == 0 {
			if r.Compared, err = s.store.ReportingProvinces(ctx); err != nil {
				return r, err
			}
		}
	}
	if len(r.Compared) == 0 {
		return r, nil
	}
	var parents []string
	for _, l := range r.Compared {
		if l.ParentSlug != "" && !slices.Contains(parents, l.ParentSlug) {
			parents = append(parents, l.ParentSlug)
		}
	}
	own := FigureFilter{Terms: f.Terms, From: f.From, To: f.To, VerifiedOnly: f.VerifiedOnly}
	// The comparisons (latest values, then what they leave uncompared)
	// while the rest is read.
	err = both(ctx, func(gctx context.Context) error {
		var err error
		latest, err := s.store.LatestComparable(gctx, r.Compared, own)
		if err != nil {
			return err
		}
		r.Latest, r.Comparisons = latest.Figures, CompareLatest(r.Compared, latest)
		if err := s.ResolveDenominators(gctx, r.Comparisons); err != nil {
			return err
		}
		keys := make([]CompareKey, len(r.Comparisons))
		for i, c := range r.Comparisons {
			keys[i] = CompareKey{Indicator: c.Indicator.Key, FromLevel: c.FromLevel, ToLevel: c.ToLevel}
		}
		r.Uncompared, err = s.store.Uncompared(gctx, r.Compared, own, keys, UncomparedShown)
		return err
	}, func(gctx context.Context) error {
		var err error
		if r.Parents, err = s.store.LocalitiesBySlug(gctx, parents); err != nil {
			return err
		}
		if r.Coverage, err = s.store.Coverage(gctx, r.Compared, own, MaxSpans, MaxCoverageSrcs); err != nil {
			return err
		}
		r.Findings, err = s.store.FindingCounts(gctx, r.Compared)
		return err
	})
	if err != nil {
		return OverviewReport{}, err
	}
	return r, nil
}
