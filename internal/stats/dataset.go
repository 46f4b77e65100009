package stats

import "time"

// FigureInput is a figure as entered or imported: references are by slug
// and key, so that a CSV row or a form maps onto it directly.
type FigureInput struct {
	ID           int64 // 0 for a new figure
	LocalitySlug string
	Category     string
	Subject      string
	Value        float64
	Unit         string
	Qualifier    string
	Denominator  *float64
	PeriodStart  time.Time
	PeriodEnd    time.Time
	TermKey      string
	FromLevel    Level
	ToLevel      Level
	ParentID     *int64
	SourceKey    string
	SourceID     int64   // the admin form names the source by id, imports by key
	NewSource    *Source // created with the figure, in one transaction
	Quote        string
}

// Dataset is everything seeding or a bulk import may write, in the order it
// must be written (localities before the figures that cite them).
type Dataset struct {
	Localities []Locality
	Terms      []Term
	Sources    []Source
	Figures    []FigureInput
	Findings   []Finding
}

// SeedResult counts the rows seeding inserted; rows that already existed
// are left as they are, so edits made since are never overwritten.
type SeedResult struct {
	Localities, Terms, Sources, Figures, Findings int
}

// Total is the number of rows inserted.
func (r SeedResult) Total() int {
	return r.Localities + r.Terms + r.Sources + r.Figures + r.Findings
}
