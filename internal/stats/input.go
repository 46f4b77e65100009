package stats

import (
	"math"
	"slices"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Limits on text a figure may hold; the database enforces them too.
const (
	MaxSubjectLen = 300
	MaxQuoteLen   = 2000
)

// Normalize canonicalises the input's text (NFC, look-alike letters,
// white space) so that it is stored and compared in one form.
func (in *FigureInput) Normalize() {
	in.LocalitySlug = textnorm.Clean(in.LocalitySlug)
	in.Category = textnorm.Clean(in.Category)
	in.Subject = textnorm.Clean(in.Subject)
	in.Unit = textnorm.Clean(in.Unit)
	in.Qualifier = textnorm.Clean(in.Qualifier)
	in.TermKey = textnorm.Clean(in.TermKey)
	in.SourceKey = textnorm.Clean(in.SourceKey)
	in.Quote = textnorm.Clean(in.Quote)
	if in.Qualifier == "" {
		in.Qualifier = "exact"
	}
}

// Validate checks what can be checked without the database (that the
// locality, category, term, source and parent exist is checked on write).
// It returns a *ValidationError naming every wrong field.
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
	text("locality", in.LocalitySlug, 100)
	text("category", in.Category, 50)
	text("subject", in.Subject, MaxSubjectLen)
	switch {
	case in.NewSource != nil:
		in.NewSource.validate(v)
	case in.SourceID <= 0:
		text("source_id", in.SourceKey, 100)
	}
	text("quote", in.Quote, MaxQuoteLen)
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
		}
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
	if in.ParentID != nil && in.ID != 0 && *in.ParentID == in.ID {
		v.Add("parent_id", "error.parent.self", "")
	}
	return v.Err()
}

// moreThanTwoDecimals: the database keeps two decimals; a third would be
// rounded away silently, and the stored figure would differ from its source.
func moreThanTwoDecimals(x float64) bool {
	c := x * 100
	return math.Abs(c-math.Round(c)) > 1e-6*math.Max(1, math.Abs(c))
}

func isTier(l Level) bool {
	return l == LevelProvince || l == LevelDistrict || l == LevelCommune
}

func itoa(n int) string {
	return FormatValue(float64(n))
}
