package stats

import (
	"context"
	"fmt"
	"time"
)

// FigureInput is a figure as entered or imported: references are by slug
// and key, so that a CSV row or a form maps onto it directly. FigureFields
// names its fields.
type FigureInput struct {
	ID           int64 // 0 for a new figure
	LocalitySlug string
	Category     string
	IndicatorKey string // "" when the figure fits no indicator
	Subject      string
	Value        float64
	Unit         string
	Qualifier    string
	Completeness string
	Scope        string // one of Scopes; "" is ScopeOwn
	SubUnitsID   *int64 // with ScopeSubUnits: the figure counting the sub-units
	BaseID       *int64 // the figure of managed cadres or posts
	Denominator  *float64
	PeriodStart  time.Time
	PeriodEnd    time.Time
	TermKey      string
	FromLevel    Level
	ToLevel      Level
	ParentID     *int64
	ParentRef    int // a batch's row (1-based) that is this figure's total, written in the same batch
	SourceKey    string
	NewSource    *Source // created with the figure, in one transaction
	Quote        string
	Rank         string
	RankReason   string
	Target       bool
}

// Input is the figure as an input, referring to its locality, term,
// indicator and source by slug and key.
func (f Figure) Input() FigureInput {
	in := FigureInput{ID: f.ID, LocalitySlug: f.Locality.Slug, Category: f.Category.Code, Subject: f.Subject,
		Value: f.Value, Unit: f.Unit, Qualifier: f.Qualifier, Completeness: f.Completeness,
		Denominator: f.Denominator, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd,
		FromLevel: f.FromLevel, ToLevel: f.ToLevel, ParentID: f.ParentID, SourceKey: f.Source.Key,
		Quote: f.Quote, Rank: f.Rank, RankReason: f.RankReason, Target: f.Target,
		Scope: f.Scope, SubUnitsID: f.SubUnitsID, BaseID: f.BaseID}
	if f.Term != nil {
		in.TermKey = f.Term.Key
	}
	if f.Indicator != nil {
		in.IndicatorKey = f.Indicator.Key
	}
	return in
}

// Dataset is everything seeding or a bulk import may write, in the order it
// must be written (localities before the figures that cite them).
type Dataset struct {
	Localities []Locality
	Indicators []Indicator
	Terms      []Term
	Sources    []Source
	Figures    []FigureInput
	Findings   []Finding
}

// SeedResult counts the rows seeding inserted; rows that already existed
// are left as they are, so edits made since are never overwritten.
type SeedResult struct {
	Localities, Indicators, Terms, Sources, Figures, Findings int
	Refreshed                                                 int // seeded figures no editor had touched, brought up to date
}

// Total is the number of rows inserted.
func (r SeedResult) Total() int {
	return r.Localities + r.Indicators + r.Terms + r.Sources + r.Figures + r.Findings + r.Refreshed
}

// Check applies the rules of every figure input to the dataset's figures,
// against the dataset's own indicators, terms and sources: seeded figures
// obey the form's and the import's rules too. Errors: *BatchError (rows
// are the figures' positions).
func (ds Dataset) Check() error {
	inds := map[string]Indicator{}
	for _, ind := range ds.Indicators {
		inds[ind.Key] = ind
	}
	terms := map[string]Term{}
	for _, t := range ds.Terms {
		terms[t.Key] = t
	}
	published := map[string]time.Time{}
	for _, s := range ds.Sources {
		published[s.Key] = s.PublishedOn
	}
	figs := map[int64]FigureInput{}
	for _, in := range ds.Figures {
		figs[in.ID] = in
	}
	denom := func(id *int64) *DenominatorRef {
		if id == nil {
			return nil
		}
		f, ok := figs[*id]
		if !ok {
			return &DenominatorRef{}
		}
		return &DenominatorRef{LocalitySlug: f.LocalitySlug, Kind: inds[f.IndicatorKey].Denominator, Live: true}
	}
	bad := &BatchError{}
	for i, in := range ds.Figures {
		v := &ValidationError{}
		if err := in.Validate(); err != nil {
			v = err.(*ValidationError)
		}
		refs := FigureRefs{SourcePublished: published[in.SourceKey], SubUnits: denom(in.SubUnitsID), Base: denom(in.BaseID)}
		if ind, ok := inds[in.IndicatorKey]; ok {
			refs.Indicator = &ind
		}
		if t, ok := terms[in.TermKey]; ok {
			refs.Term = &t
		}
		in.CheckRefs(refs, v)
		if v.Err() != nil {
			bad.Add(i, v)
		}
	}
	return bad.Err()
}

// SeedStore writes a dataset.
type SeedStore interface {
	Seed(ctx context.Context, ds Dataset) (SeedResult, error)
}

// Seed checks the dataset against the rules, then inserts what is missing
// and refreshes what no editor has touched, each recorded in the history
// as seeded. Errors: *BatchError (nothing is written).
func Seed(ctx context.Context, store SeedStore, ds Dataset) (SeedResult, error) {
	if err := ds.Check(); err != nil {
		return SeedResult{}, fmt.Errorf("seed: %w", err)
	}
	return store.Seed(ctx, ds)
}
