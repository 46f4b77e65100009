package extract

import (
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Input is the candidate as a figure input of the given source, with its
// fields named as everywhere else (stats.FigureFields). A part refers to
// its total by row: ParentRef is the 1-based index of the total among the
// candidates.
func (c Candidate) Input(sourceKey string) stats.FigureInput {
	in := stats.FigureInput{LocalitySlug: c.Locality, Category: c.Category, IndicatorKey: c.Indicator,
		Subject: c.Subject, Value: c.Value, Unit: c.Unit, Qualifier: c.Qualifier, Completeness: c.Completeness,
		PeriodStart: c.PeriodStart, PeriodEnd: c.PeriodEnd, TermKey: c.Term, FromLevel: stats.Level(c.FromLevel),
		ToLevel: stats.Level(c.ToLevel), SourceKey: sourceKey, Quote: c.Quote, Target: c.Target, Rank: stats.RankNormal}
	if c.Denominator > 0 {
		d := c.Denominator
		in.Denominator = &d
	}
	if c.Parent >= 0 {
		in.ParentRef = c.Parent + 1
	}
	return in
}
