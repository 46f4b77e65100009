package export

import (
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Kind says how a column's cells are typed: CSV prints them, XLSX stores
// them as numbers, dates or text, JSON as numbers, strings or null.
type Kind uint8

const (
	// Code is text from a closed vocabulary (slugs, codes, levels): no
	// person types it, so it needs no guard against formulas.
	Code Kind = iota
	// Text is typed by people (names, subjects, titles, quotes): CSV
	// guards it against spreadsheet formulas.
	Text
	Int
	Number
	Date
	Bool
)

// Cell is one typed value. Which field holds it depends on the column's
// Kind; Null marks an empty optional value (empty in CSV and XLSX, null in
// JSON).
type Cell struct {
	Str  string
	Int  int64
	Num  float64
	Date time.Time
	Bool bool
	Null bool
}

// Column is one column of the export contract: its name, its type and
// where its value comes from. The table below is the only mapping from a
// figure to cells; CSV, XLSX and JSON all read it.
type Column struct {
	Name string
	Kind Kind
	get  func(f *stats.Figure) Cell
}

func str(s string) Cell { return Cell{Str: s} }

// optional is a code that may be absent ("" in the figure).
func optional(s string) Cell { return Cell{Str: s, Null: s == ""} }

func date(t time.Time) Cell { return Cell{Date: t} }

var columns = []Column{
	{"id", Int, func(f *stats.Figure) Cell { return Cell{Int: f.ID} }},
	{"locality", Text, func(f *stats.Figure) Cell { return str(f.Locality.Name) }},
	{"locality_level", Code, func(f *stats.Figure) Cell { return str(string(f.Locality.Level)) }},
	{"province", Text, func(f *stats.Figure) Cell { return str(f.Locality.ProvinceName) }},
	{"category", Code, func(f *stats.Figure) Cell { return str(f.Category.Code) }},
	{"subject", Text, func(f *stats.Figure) Cell { return str(f.Subject) }},
	{"value", Number, func(f *stats.Figure) Cell { return Cell{Num: f.Value} }},
	{"unit", Code, func(f *stats.Figure) Cell { return str(f.Unit) }},
	{"qualifier", Code, func(f *stats.Figure) Cell { return str(f.Qualifier) }},
	{"period_start", Date, func(f *stats.Figure) Cell { return date(f.PeriodStart) }},
	{"period_end", Date, func(f *stats.Figure) Cell { return date(f.PeriodEnd) }},
	{"term", Code, func(f *stats.Figure) Cell {
		if f.Term == nil {
			return Cell{Null: true}
		}
		return str(f.Term.Key)
	}},
	{"source_title", Text, func(f *stats.Figure) Cell { return str(f.Source.Title) }},
	{"source_outlet", Text, func(f *stats.Figure) Cell { return str(f.Source.Outlet) }},
	{"source_published", Date, func(f *stats.Figure) Cell { return date(f.Source.PublishedOn) }},
	{"quote", Text, func(f *stats.Figure) Cell { return str(f.Quote) }},
	{"locality_slug", Code, func(f *stats.Figure) Cell { return str(f.Locality.Slug) }},
	{"source_key", Code, func(f *stats.Figure) Cell { return str(f.Source.Key) }},
	{"denominator", Number, func(f *stats.Figure) Cell {
		if f.Denominator == nil {
			return Cell{Null: true}
		}
		return Cell{Num: *f.Denominator}
	}},
	{"from_level", Code, func(f *stats.Figure) Cell { return optional(string(f.FromLevel)) }},
	{"to_level", Code, func(f *stats.Figure) Cell { return optional(string(f.ToLevel)) }},
	{"parent_id", Int, func(f *stats.Figure) Cell {
		if f.ParentID == nil {
			return Cell{Null: true}
		}
		return Cell{Int: *f.ParentID}
	}},
	{"measure", Code, func(f *stats.Figure) Cell { return str(string(f.Measure())) }},
	{"indicator", Code, func(f *stats.Figure) Cell {
		if f.Indicator == nil {
			return Cell{Null: true}
		}
		return str(f.Indicator.Key)
	}},
	{"completeness", Code, func(f *stats.Figure) Cell { return str(f.Completeness) }},
	{"rank", Code, func(f *stats.Figure) Cell { return str(f.Rank) }},
	{"rank_reason", Text, func(f *stats.Figure) Cell { return optional(f.RankReason) }},
	{"target", Bool, func(f *stats.Figure) Cell { return Cell{Bool: f.Target} }},
	{"scope", Code, func(f *stats.Figure) Cell { return str(f.Scope) }},
	{"sub_units_id", Int, func(f *stats.Figure) Cell { return optID(f.SubUnitsID) }},
	{"base_id", Int, func(f *stats.Figure) Cell { return optID(f.BaseID) }},
}

func optID(id *int64) Cell {
	if id == nil {
		return Cell{Null: true}
	}
	return Cell{Int: *id}
}

// Columns is the export contract: the first sixteen are fixed in this
// order; the rest make an export importable again (new columns are only
// ever appended).
var Columns = func() []string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.Name
	}
	return names
}()

// cells fills dst (len(columns) long, reused across rows so that a long
// export allocates nothing per row here) with f's cells in column order.
func cells(f *stats.Figure, dst []Cell) {
	for i, c := range columns {
		dst[i] = c.get(f)
	}
}

// newRow returns a buffer for cells.
func newRow() []Cell { return make([]Cell, len(columns)) }

// dateOnly is how CSV and JSON write dates: ISO 8601, as the seed files.
const dateOnly = time.DateOnly
