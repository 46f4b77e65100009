// Package export writes figures for people to take away: CSV, XLSX and
// JSON, all with one column order.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Columns is the export contract: the first sixteen are fixed in this
// order; the rest make an export importable again.
var Columns = []string{
	"id", "locality", "locality_level", "province", "category", "subject", "value", "unit", "qualifier",
	"period_start", "period_end", "term", "source_title", "source_outlet", "source_published", "quote",
	"locality_slug", "source_key", "denominator", "from_level", "to_level", "parent_id", "measure",
}

// row returns a figure's cells in Columns order. Numeric cells are plain
// decimals; the caller decides how text cells are protected.
func row(f stats.Figure) []string {
	term := ""
	if f.Term != nil {
		term = f.Term.Key
	}
	den := ""
	if f.Denominator != nil {
		den = stats.FormatValue(*f.Denominator)
	}
	parent := ""
	if f.ParentID != nil {
		parent = strconv.FormatInt(*f.ParentID, 10)
	}
	return []string{
		strconv.FormatInt(f.ID, 10), f.Locality.Name, string(f.Locality.Level), f.Locality.ProvinceName,
		f.Category.Code, f.Subject, stats.FormatValue(f.Value), f.Unit, f.Qualifier,
		f.PeriodStart.Format(time.DateOnly), f.PeriodEnd.Format(time.DateOnly), term,
		f.Source.Title, f.Source.Outlet, f.Source.PublishedOn.Format(time.DateOnly), f.Quote,
		f.Locality.Slug, f.Source.Key, den, string(f.FromLevel), string(f.ToLevel), parent, string(f.Category.Measure),
	}
}

// textColumns are the cells a user can type into; only they are guarded
// against spreadsheet formulas (numbers must stay numbers).
var textColumns = map[int]bool{1: true, 3: true, 5: true, 12: true, 13: true, 15: true}

// CSV writes figures as RFC 4180 CSV in UTF-8 with a byte-order mark, so
// that Excel shows Vietnamese letters correctly.
type CSV struct {
	w *csv.Writer
}

// NewCSV writes the BOM and the header row.
func NewCSV(w io.Writer) (*CSV, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	c := &CSV{w: csv.NewWriter(w)}
	c.w.UseCRLF = true
	if err := c.w.Write(Columns); err != nil {
		return nil, fmt.Errorf("write csv header: %w", err)
	}
	return c, nil
}

// Write adds one figure.
func (c *CSV) Write(f stats.Figure) error {
	cells := row(f)
	for i := range cells {
		if textColumns[i] {
			cells[i] = Neutralize(cells[i])
		}
	}
	if err := c.w.Write(cells); err != nil {
		return fmt.Errorf("write csv row %d: %w", f.ID, err)
	}
	return nil
}

// Flush writes buffered rows and reports any write error.
func (c *CSV) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// Neutralize stops a spreadsheet from reading text as a formula: a cell that
// starts (after leading spaces or quotes) with = + - @ | % tab or CR gets a
// leading apostrophe, as Apache Superset does.
func Neutralize(s string) string {
	t := strings.TrimLeft(s, " \"'")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@', '|', '%', '\t', '\r':
		return "'" + s
	}
	return s
}
