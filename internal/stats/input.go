package stats

import (
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/numtext"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Limits on text a figure may hold; the database enforces them too.
const (
	MaxSubjectLen    = 300
	MaxQuoteLen      = 2000
	MaxRankReasonLen = 500
)

// Normalize canonicalises the input's text (NFC, look-alike letters,
// white space) so that it is stored and compared in one form, and fills
// what follows from the rest: a figure with a parent is a part of it; a
// number printed as "hơn 7200" is at best a lower bound.
func (in *FigureInput) Normalize() {
	for _, s := range []*string{&in.LocalitySlug, &in.Category, &in.IndicatorKey, &in.Subject, &in.Unit,
		&in.Qualifier, &in.Completeness, &in.TermKey, &in.SourceKey, &in.Quote, &in.Rank, &in.RankReason, &in.Scope} {
		*s = textnorm.Clean(*s)
	}
	in.FromLevel = Level(textnorm.Clean(string(in.FromLevel)))
	in.ToLevel = Level(textnorm.Clean(string(in.ToLevel)))
	if in.Qualifier == "" {
		in.Qualifier = "exact"
	}
	if in.Rank == "" {
		in.Rank = RankNormal
	}
	if in.Scope == "" {
		in.Scope = ScopeOwn
	}
	switch {
	case (in.ParentID != nil || in.ParentRef > 0) && (in.Completeness == "" || in.Completeness == Complete):
		in.Completeness = Part
	case in.Completeness == "" || (in.Completeness == Complete && in.Qualifier == "at_least"):
		in.Completeness = Complete
		if in.Qualifier == "at_least" {
			in.Completeness = LowerBound
		}
	}
}

// Validate checks what can be checked without the database; the rules
// that involve the stored references are in CheckRefs. It returns a
// *ValidationError naming every wrong field by its FigureFields name.
func (in FigureInput) Validate() error {
	v := &ValidationError{}
	text := func(field, s string, max int) {
		switch {
		case !textnorm.Valid(s):
			v.Add(field, "error.text.invalid", "")
		case s == "":
			v.Add(field, "error.required", "")
		case utf8.RuneCountInString(s) > max:
			v.Add(field, "error.text.too_long", itoa(max))
		}
	}
	text("locality_slug", in.LocalitySlug, 100)
	text("category", in.Category, 50)
	text("subject", in.Subject, MaxSubjectLen)
	if in.NewSource != nil {
		in.NewSource.validate(v)
	} else {
		text("source_key", in.SourceKey, 100)
	}
	text("quote", in.Quote, MaxQuoteLen)
	count := IsCount(in.Unit)
	valueOK := false
	switch {
	case math.IsNaN(in.Value) || math.IsInf(in.Value, 0):
		v.Add("value", "error.value.not_number", "")
	case in.Value < 0:
		v.Add("value", "error.value.negative", "")
	case in.Value > 1e12:
		v.Add("value", "error.value.too_large", "")
	case in.Unit == "percent" && in.Value > 100:
		v.Add("value", "error.value.percent_over_100", "")
	case moreThanTwoDecimals(in.Value):
		v.Add("value", "error.value.decimals", "")
	case count && in.Value != math.Trunc(in.Value):
		v.AddDetail("value", "error.value.whole", UnitKey(in.Unit), ArgKey)
	default:
		valueOK = true
	}
	if !slices.Contains(Units, in.Unit) {
		v.Add("unit", "error.unit.unknown", "")
	}
	if !slices.Contains(Qualifiers, in.Qualifier) {
		v.Add("qualifier", "error.qualifier.unknown", "")
	}
	if d := in.Denominator; d != nil {
		switch {
		case math.IsNaN(*d) || *d <= 0:
			v.Add("denominator", "error.denominator.positive", "")
		case *d < in.Value:
			v.Add("denominator", "error.denominator.below_value", "")
		case moreThanTwoDecimals(*d):
			v.Add("denominator", "error.value.decimals", "")
		case count && *d != math.Trunc(*d):
			v.AddDetail("denominator", "error.value.whole", UnitKey(in.Unit), ArgKey)
		case textnorm.Valid(in.Quote) && !numtext.Contains(in.Quote, *d):
			v.AddDetail("quote", "error.quote.no_value", FormatValue(*d), ArgNumber)
		}
	}
	// A quote that does not hold the number cannot be checked against its
	// article: the number was misread, or the quote is the wrong sentence.
	if valueOK && in.Quote != "" && textnorm.Valid(in.Quote) && !numtext.Contains(in.Quote, in.Value) {
		v.AddDetail("quote", "error.quote.no_value", FormatValue(in.Value), ArgNumber)
	}
	switch {
	case in.PeriodStart.IsZero():
		v.Add("period_start", "error.required", "")
	case in.PeriodEnd.IsZero():
		v.Add("period_end", "error.required", "")
	case in.PeriodEnd.Before(in.PeriodStart):
		v.Add("period_end", "error.period.end_before_start", "")
	}
	switch {
	case in.FromLevel == "" && in.ToLevel == "":
	case in.Category != "rotation":
		v.Add("from_level", "error.direction.rotation_only", "")
	case !isTier(in.FromLevel):
		v.Add("from_level", "error.level.unknown", "")
	case !isTier(in.ToLevel):
		v.Add("to_level", "error.level.unknown", "")
	}
	switch {
	case !slices.Contains(Completenesses, in.Completeness):
		v.Add("completeness", "error.completeness.unknown", "")
	case in.Completeness == Part && in.ParentID == nil && in.ParentRef == 0:
		v.Add("parent_id", "error.parent.required_for_part", "")
	case in.Completeness != Part && (in.ParentID != nil || in.ParentRef > 0):
		v.Add("completeness", "error.completeness.parent_is_part", "")
	}
	if in.ParentID != nil && in.ID != 0 && *in.ParentID == in.ID {
		v.Add("parent_id", "error.parent.self", "")
	}
	switch {
	case !slices.Contains(Scopes, in.Scope):
		v.Add("scope", "error.scope.unknown", "")
	case in.SubUnitsID != nil && in.Scope != ScopeSubUnits:
		v.Add("sub_units_id", "error.sub_units.scope", "")
	}
	if in.ID != 0 && ((in.SubUnitsID != nil && *in.SubUnitsID == in.ID) || (in.BaseID != nil && *in.BaseID == in.ID)) {
		v.Add("base_id", "error.denominator_ref.self", "")
	}
	switch {
	case !slices.Contains(Ranks, in.Rank):
		v.Add("rank", "error.rank.unknown", "")
	case !textnorm.Valid(in.RankReason):
		v.Add("rank_reason", "error.text.invalid", "")
	case utf8.RuneCountInString(in.RankReason) > MaxRankReasonLen:
		v.Add("rank_reason", "error.text.too_long", itoa(MaxRankReasonLen))
	case in.Rank != RankNormal && in.RankReason == "":
		v.Add("rank_reason", "error.rank.reason_required", "")
	}
	if !textnorm.Valid(in.IndicatorKey) {
		v.Add("indicator", "error.text.invalid", "")
	}
	return v.Err()
}

// FigureRefs are what an input's keys name, as stored, for the rules that
// involve them. A nil pointer is a reference the input does not make (the
// resolver reports unknown keys itself).
type FigureRefs struct {
	Indicator       *Indicator
	Term            *Term
	SourcePublished time.Time // zero when unknown
	SubUnits        *DenominatorRef
	Base            *DenominatorRef
}

// DenominatorRef is what the rules need of a figure named as another's
// denominator.
type DenominatorRef struct {
	LocalitySlug string
	Kind         string // its indicator's denominator kind ("" if none)
	Live         bool   // not deleted
}

// CheckRefs applies the rules that tie a figure to what it cites: its
// indicator has its category and unit; a reported figure's period never
// ends after its source was published (a target may); a figure tied to a
// term lies within it. Errors are added to v.
func (in FigureInput) CheckRefs(r FigureRefs, v *ValidationError) {
	if ind := r.Indicator; ind != nil {
		if ind.Category != in.Category {
			v.Add("indicator", "error.indicator.category", ind.Category)
		}
		if ind.Unit != in.Unit {
			v.AddDetail("indicator", "error.indicator.unit", UnitKey(ind.Unit), ArgKey)
		}
	}
	if !in.Target && !r.SourcePublished.IsZero() && !in.PeriodEnd.IsZero() && in.PeriodEnd.After(r.SourcePublished) {
		v.AddDetail("period_end", "error.period.after_source", r.SourcePublished.Format(time.DateOnly), ArgDate)
	}
	// A denominator is a figure of the same unit whose indicator counts
	// what the division needs: the sub-units a sum runs over, or the cadres
	// (or posts) under the committee's management.
	if d := r.SubUnits; d != nil {
		switch {
		case !d.Live:
			v.Add("sub_units_id", "error.denominator_ref.unknown", "")
		case d.Kind != DenomSubUnits:
			v.Add("sub_units_id", "error.denominator_ref.kind_sub_units", "")
		case d.LocalitySlug != in.LocalitySlug:
			v.Add("sub_units_id", "error.denominator_ref.locality", "")
		}
	}
	if d := r.Base; d != nil {
		switch {
		case !d.Live:
			v.Add("base_id", "error.denominator_ref.unknown", "")
		case d.Kind != DenomManagedCadres && d.Kind != DenomPosts:
			v.Add("base_id", "error.denominator_ref.kind_base", "")
		case d.LocalitySlug != in.LocalitySlug:
			v.Add("base_id", "error.denominator_ref.locality", "")
		}
	}
	if t := r.Term; t != nil && !in.PeriodStart.IsZero() && !in.PeriodEnd.IsZero() &&
		(in.PeriodStart.Year() < t.StartYear || in.PeriodEnd.Year() > t.EndYear) {
		v.Add("term", "error.period.outside_term", itoa(t.StartYear)+"–"+itoa(t.EndYear))
	}
}

// UnitKey is the message key of a unit's name, for messages that name it.
func UnitKey(unit string) string { return "unit." + unit }

// moreThanTwoDecimals: the database keeps two decimals; a third would be
// rounded away silently, and the stored figure would differ from its source.
func moreThanTwoDecimals(x float64) bool {
	c := x * 100
	return math.Abs(c-math.Round(c)) > 1e-6*math.Max(1, math.Abs(c))
}

func isTier(l Level) bool {
	return l == LevelNational || l == LevelProvince || l == LevelDistrict || l == LevelCommune
}

func itoa(n int) string {
	return FormatValue(float64(n))
}
