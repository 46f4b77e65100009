package stats

import (
	"math"
	"strconv"
	"time"
)

// Measure says how a category's figures may be combined: flows happen over a
// period and may be annualised; stocks are counted at a date and must never
// be summed across dates or divided by years.
type Measure string

const (
	Flow  Measure = "flow"
	Stock Measure = "stock"
	// Result is what one round produces over its period (a year's
	// evaluation of cadres): neither a count at a date nor a flow that may
	// be divided by years or summed.
	Result Measure = "result"
)

// Measures lists the measures an indicator may have.
var Measures = []Measure{Flow, Stock, Result}

// Category is a kind of personnel action, e.g. appointment. Its measure
// is the default for figures that name no indicator.
type Category struct {
	Code    string
	NameVI  string
	NameEN  string
	Measure Measure
	Order   int
	Context bool // party membership and organisations: context, not cadre work
}

// Completeness says how much of what it counts a figure covers.
const (
	Complete   = "complete"    // the whole count
	LowerBound = "lower_bound" // "hơn …", or a list the article calls partial or examples
	Part       = "part"        // a part of the figure ParentID names
)

// Completenesses lists the completeness values.
var Completenesses = []string{Complete, LowerBound, Part}

// Scopes say whose count a figure is. A province committee's "85 cadres
// rotated from district to commune" summed over its district committees
// is not one district's count, and a chart must say so on the bar.
const (
	ScopeOwn       = "own"        // the unit's own count
	ScopeSubUnits  = "sub_units"  // a sum over its sub-units (SubUnitsID may count them)
	ScopeAllLevels = "all_levels" // a sum over the unit and every level below it
)

// Scopes lists the scopes.
var Scopes = []string{ScopeOwn, ScopeSubUnits, ScopeAllLevels}

// Ranks say which of several values for one indicator, locality and
// period comparisons use (Wikidata's ranks): the preferred one, else a
// normal one; never a deprecated one.
const (
	RankPreferred  = "preferred"
	RankNormal     = "normal"
	RankDeprecated = "deprecated"
)

// Ranks lists the ranks.
var Ranks = []string{RankPreferred, RankNormal, RankDeprecated}

// Units a figure can be counted in.
var Units = []string{"persons", "turns", "cases", "percent", "documents", "organisations", "communes", "units"}

// IsCount reports whether a unit counts things, which come whole: 2.5
// persons is a typing mistake.
func IsCount(unit string) bool { return unit != "percent" }

// Qualifiers say how exact a printed number is: "hơn 7200" is at_least.
var Qualifiers = []string{"exact", "at_least", "approximate"}

// Figure is one number an article reports, with the sentence it came from.
type Figure struct {
	ID            int64
	Locality      Locality
	Category      Category
	Indicator     *Indicator // nil: fits no indicator, shown but never compared
	Subject       string     // what was counted: "trưởng phòng"
	Value         float64
	Unit          string
	Qualifier     string
	Denominator   *float64 // "4/17 xã": value 4, denominator 17
	PeriodStart   time.Time
	PeriodEnd     time.Time
	Term          *Term
	FromLevel     Level // rotations only
	ToLevel       Level
	ParentID      *int64   // the total this figure is a part of
	ParentSubject string   // what the total counts, for "part of …"
	ParentValue   *float64 // the total's value
	Completeness  string
	Scope         string // one of Scopes
	SubUnitsID    *int64 // the figure counting the sub-units a sum runs over
	BaseID        *int64 // the figure of cadres or posts this one can be read against
	Rank          string
	RankReason    string
	Target        bool // a target or plan, not a result
	Source        Source
	Quote         string
	UpdatedAt     time.Time
	Version       int64 // for optimistic locking: an edit names the version it changes
	Verified      bool  // checked against its source by someone other than its author
	DeletedAt     *time.Time
	CreatedBy     *int64
	UpdatedBy     *int64
	VerifiedBy    *int64
	CreatedAt     time.Time
	ReturnedAt    *time.Time // sent back by a reviewer
	ReturnReason  string
}

// Measure is the figure's indicator's measure, or its category's.
func (f Figure) Measure() Measure {
	if f.Indicator != nil {
		return f.Indicator.Measure
	}
	return f.Category.Measure
}

// Comparable reports whether the figure may stand beside another
// locality's: it names an indicator, is not a part of another figure and
// is not deprecated.
func (f Figure) Comparable() bool {
	return f.Indicator != nil && f.Completeness != Part && f.Rank != RankDeprecated
}

// IsLowerBound reports whether the figure is only a lower bound.
func (f Figure) IsLowerBound() bool {
	return f.Completeness == LowerBound || f.Qualifier == "at_least"
}

// IsStock reports whether the figure is a count at a date.
func (f Figure) IsStock() bool { return f.Measure() == Stock }

// IsFlow reports whether the figure counts events over its period, the
// only kind that may be shown per year.
func (f Figure) IsFlow() bool { return f.Measure() == Flow }

// IsSum reports whether the figure adds up the counts of several units.
func (f Figure) IsSum() bool { return f.Scope == ScopeSubUnits || f.Scope == ScopeAllLevels }

// Years is the length of the figure's period in years, used to show flows
// per year. A figure tied to a congress term uses the term's nominal length;
// otherwise whole calendar years count as such ("2011 to 2015" is five) and
// other ranges count their days.
func (f Figure) Years() float64 {
	if f.Term != nil && f.Term.Kind == "congress" && f.Term.Years() > 0 &&
		f.PeriodStart.Year() == f.Term.StartYear && f.PeriodEnd.Year() == f.Term.EndYear {
		return float64(f.Term.Years())
	}
	s, e := f.PeriodStart, f.PeriodEnd
	if s.YearDay() == 1 && e.Month() == time.December && e.Day() == 31 {
		return float64(e.Year() - s.Year() + 1)
	}
	days := e.Sub(s).Hours()/24 + 1
	return math.Round(days/365.25*10) / 10
}

// PerYear returns the figure divided by the years of its period, and false
// where that would be meaningless: stocks, results of a round, percentages,
// single days.
func (f Figure) PerYear() (float64, bool) {
	if !f.IsFlow() || f.Unit == "percent" {
		return 0, false
	}
	y := f.Years()
	if y < 1 {
		return 0, false
	}
	return f.Value / y, true
}

// PeriodLabel is "2019", "2011–2015", "28/10/2020" (a single date) or
// "2015–28/10/2020" (from the start of 2015 to a date): whole years are
// written as years, other ends as dates.
func (f Figure) PeriodLabel() string {
	return PeriodText(f.PeriodStart, f.PeriodEnd, func(t time.Time) string { return t.Format("02/01/2006") })
}

// PeriodText writes a period with date for the ends that are not whole
// years, so that each language can print dates its own way.
func PeriodText(s, e time.Time, date func(time.Time) string) string {
	if s.Equal(e) {
		return date(e)
	}
	startsYear := s.YearDay() == 1
	endsYear := e.Month() == time.December && e.Day() == 31
	from, to := date(s), date(e)
	if startsYear {
		from = strconv.Itoa(s.Year())
	}
	if endsYear {
		to = strconv.Itoa(e.Year())
	}
	if startsYear && endsYear && s.Year() == e.Year() {
		return from
	}
	return from + "–" + to
}

// FormatValue prints a value as a plain decimal: 7200, 62.5.
func FormatValue(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// FigureFilter selects figures; zero fields do not filter.
type FigureFilter struct {
	Localities     []string // slugs, matched exactly: a province does not include its districts
	Categories     []string
	Indicators     []string // keys
	Terms          []string
	From, To       *time.Time // periods overlapping [From, To]
	Query          string     // text in subject or quote, diacritics and case ignored
	SourceID       int64
	VerifiedOnly   bool
	IncludeDeleted bool   // admin views; public pages never show deleted figures
	Status         string // admin views: one of FigureStatuses ("" for any)
	By             int64  // admin views: figures this user entered or last changed
	ChangedSince   *time.Time
	NotBy          int64  // figures neither entered nor last changed by this user (the review queue)
	Sort           string // one of FigureSorts
	Desc           bool
	Limit          int // 0: all
	Offset         int // figures to skip, at most MaxOffset: deeper pages use After
	// Keyset pagination (page.go): the figures after After, or before
	// Before, in the filter's order. At most one of them.
	After, Before *Cursor
}

// FigureSorts are the columns figures can be ordered by.
var FigureSorts = []string{"id", "locality", "category", "subject", "value", "period", "updated"}

// FigureStatuses are the review states an editor filters by.
var FigureStatuses = []string{"unverified", "verified", "returned", "deleted"}
