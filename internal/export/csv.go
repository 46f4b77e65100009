// Package export writes figures for people to take away: CSV, XLSX and
// JSON, all with one column order.
package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// CSV writes figures as RFC 4180 CSV in UTF-8 with a byte-order mark, so
// that Excel shows Vietnamese letters correctly. It writes as
// encoding/csv with UseCRLF would, appending each row's bytes to one
// reused buffer: a million rows allocate nothing per row.
type CSV struct {
	w     *bufio.Writer
	cells []Cell
	buf   []byte
}

// NewCSV writes the BOM and the header row.
func NewCSV(w io.Writer) (*CSV, error) {
	c := &CSV{w: bufio.NewWriterSize(w, 64<<10), cells: newRow()}
	b := append(c.buf, "\uFEFF"...)
	for i, name := range Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendField(b, name, false)
	}
	b = append(b, '\r', '\n')
	if _, err := c.w.Write(b); err != nil {
		return nil, fmt.Errorf("write csv header: %w", err)
	}
	c.buf = b[:0]
	return c, nil
}

// Write adds one figure.
func (c *CSV) Write(f stats.Figure) error {
	cells(&f, c.cells)
	b := c.buf[:0]
	for i, col := range columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSV(b, col.Kind, c.cells[i])
	}
	b = append(b, '\r', '\n')
	c.buf = b
	if _, err := c.w.Write(b); err != nil {
		return fmt.Errorf("write csv row %d: %w", f.ID, err)
	}
	return nil
}

// Flush writes buffered rows and reports any write error.
func (c *CSV) Flush() error {
	if err := c.w.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// appendCSV appends a cell as CSV: numbers as plain decimals (62.5, never
// 62,5), dates as 2006-01-02, text guarded against formulas.
func appendCSV(b []byte, k Kind, c Cell) []byte {
	if c.Null {
		return b
	}
	switch k {
	case Int:
		return strconv.AppendInt(b, c.Int, 10)
	case Number:
		return strconv.AppendFloat(b, c.Num, 'f', -1, 64) // as stats.FormatValue
	case Date:
		return c.Date.AppendFormat(b, dateOnly)
	case Bool:
		return strconv.AppendBool(b, c.Bool)
	case Text:
		return appendField(b, c.Str, needsGuard(c.Str))
	}
	return appendField(b, c.Str, false)
}

// appendField appends s (after a "'" when guard) as encoding/csv writes a
// field with UseCRLF: quoted when it holds a comma, quote or line break,
// starts with a space, or is \.; inside quotes, quotes doubled, "\n" as
// "\r\n" and a lone "\r" dropped.
func appendField(b []byte, s string, guard bool) []byte {
	special := hasSpecial(s)
	if !guard && !special && !startsWithSpace(s) && s != `\.` {
		return append(b, s...)
	}
	if guard && !special {
		return append(append(b, '\''), s...) // "'" then s: no quotes needed
	}
	b = append(b, '"')
	if guard {
		b = append(b, '\'')
	}
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case '"':
			b = append(b, '"', '"')
		case '\r':
		case '\n':
			b = append(b, '\r', '\n')
		default:
			b = append(b, ch)
		}
	}
	return append(b, '"')
}

// hasSpecial reports a comma, quote or line break: what makes
// encoding/csv quote a field (with a leading space, and the field \.).
// A byte loop: strings.ContainsAny builds its set on every call.
func hasSpecial(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

func startsWithSpace(s string) bool {
	if s == "" {
		return false
	}
	if s[0] < utf8.RuneSelf {
		return s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// needsGuard reports whether a spreadsheet would read s as a formula:
// Neutralize's rule, without building the guarded string.
func needsGuard(s string) bool {
	t := strings.TrimLeft(s, " \"'")
	if t == "" {
		return false
	}
	switch t[0] {
	case '=', '+', '-', '@', '|', '%', '\t', '\r':
		return true
	}
	return false
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
