// Package export writes figures for people to take away: CSV, XLSX and
// JSON, all with one column order.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// CSV writes figures as RFC 4180 CSV in UTF-8 with a byte-order mark, so
// that Excel shows Vietnamese letters correctly.
type CSV struct {
	w     *csv.Writer
	cells []Cell
	rec   []string
}

// NewCSV writes the BOM and the header row.
func NewCSV(w io.Writer) (*CSV, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	c := &CSV{w: csv.NewWriter(w), cells: newRow(), rec: make([]string, len(columns))}
	c.w.UseCRLF = true
	if err := c.w.Write(Columns); err != nil {
		return nil, fmt.Errorf("write csv header: %w", err)
	}
	return c, nil
}

// Write adds one figure.
func (c *CSV) Write(f stats.Figure) error {
	cells(&f, c.cells)
	for i, col := range columns {
		c.rec[i] = format(col.Kind, c.cells[i])
	}
	if err := c.w.Write(c.rec); err != nil {
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

// format prints a cell for CSV: numbers as plain decimals (62.5, never
// 62,5), dates as 2006-01-02, text guarded against formulas.
func format(k Kind, c Cell) string {
	if c.Null {
		return ""
	}
	switch k {
	case Int:
		return strconv.FormatInt(c.Int, 10)
	case Number:
		return stats.FormatValue(c.Num)
	case Date:
		return c.Date.Format(dateOnly)
	case Bool:
		return strconv.FormatBool(c.Bool)
	case Text:
		return Neutralize(c.Str)
	}
	return c.Str
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
