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
)

// Category is a kind of personnel action, e.g. appointment.
type Category struct {
	Code    string
	NameVI  string
	NameEN  string
	Measure Measure
	Order   int
}

// Units a figure can be counted in.
var Units = []string{"persons", "turns", "cases", "percent", "documents", "organisations", "communes"}

// Qualifiers say how exact a printed number is: "hơn 7200" is at_least.
var Qualifiers = []string{"exact", "at_least", "approximate"}

// Figure is one number an article reports, with the sentence it came from.
type Figure struct {
	ID          int64
	Locality    Locality
	Category    Category
	Subject     string // what was counted: "trưởng phòng"
	Value       float64
	Unit        string
	Qualifier   string
	Denominator *float64 // "4/17 xã": value 4, denominator 17
	PeriodStart time.Time
	PeriodEnd   time.Time
	Term        *Term
	FromLevel   Level // rotations only
	ToLevel     Level
	ParentID    *int64 // the total this figure is a part of
	Source      Source
	Quote       string
	UpdatedAt   time.Time
	Version     int64 // for optimistic locking: an edit names the version it changes
	Verified    bool  // checked against its source by someone other than its author
	DeletedAt   *time.Time
	CreatedBy   *int64
	UpdatedBy   *int64
}

// IsStock reports whether the figure is a count at a date.
func (f Figure) IsStock() bool { return f.Category.Measure == Stock }

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
// where that would be meaningless: stocks, percentages, single days.
func (f Figure) PerYear() (float64, bool) {
	if f.IsStock() || f.Unit == "percent" {
		return 0, false
	}
	y := f.Years()
	if y < 1 {
		return 0, false
	}
	return f.Value / y, true
}

// PeriodLabel is "2019", "2011–2015" or "28/10/2020" (a single date).
func (f Figure) PeriodLabel() string {
	s, e := f.PeriodStart, f.PeriodEnd
	switch {
	case s.Equal(e):
		return e.Format("02/01/2006")
	case s.YearDay() == 1 && e.Month() == time.December && e.Day() == 31:
		if s.Year() == e.Year() {
			return strconv.Itoa(s.Year())
		}
		return strconv.Itoa(s.Year()) + "–" + strconv.Itoa(e.Year())
	default:
		return s.Format("02/01/2006") + "–" + e.Format("02/01/2006")
	}
}

// FormatValue prints a value as a plain decimal: 7200, 62.5.
func FormatValue(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// FigureFilter selects figures; zero fields do not filter.
type FigureFilter struct {
	Localities     []string // slugs, matched exactly: a province does not include its districts
	Categories     []string
	Terms          []string
	From, To       *time.Time // periods overlapping [From, To]
	Query          string     // text in subject or quote
	SourceID       int64
	VerifiedOnly   bool
	IncludeDeleted bool   // admin views; public pages never show deleted figures
	Sort           string // one of FigureSorts
	Desc           bool
	Limit          int // 0: all
	Offset         int
}

// FigureSorts are the columns figures can be ordered by.
var FigureSorts = []string{"id", "locality", "category", "subject", "value", "period"}
