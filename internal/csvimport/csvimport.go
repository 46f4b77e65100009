// Package csvimport reads CSV files by column name: the figures export
// format (so that an export can be imported back) and the seed tables.
package csvimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Reader yields the records of a CSV file with a header row, one at a time,
// so that large files stream.
type Reader struct {
	r      *csv.Reader
	index  map[string]int
	header []string
	line   int
}

// ErrHeader means the file lacks a required column or repeats one.
var ErrHeader = errors.New("bad header")

// NewReader reads the header row (after an optional UTF-8 BOM) and checks
// that every required column is present.
func NewReader(r io.Reader, required ...string) (*Reader, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: the file is empty", ErrHeader)
		}
		return nil, fmt.Errorf("%w: %v", ErrHeader, err)
	}
	cr.FieldsPerRecord = len(header)
	index := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := index[h]; dup {
			return nil, fmt.Errorf("%w: column %q appears twice", ErrHeader, h)
		}
		index[h] = i
	}
	for _, c := range required {
		if _, ok := index[c]; !ok {
			return nil, fmt.Errorf("%w: missing column %q", ErrHeader, c)
		}
	}
	return &Reader{r: cr, index: index, header: header, line: 1}, nil
}

// Record is one row, read by column name.
type Record struct {
	Line   int
	fields []string
	index  map[string]int
}

// Get returns the named column's text, or "" when the file lacks it.
func (r Record) Get(col string) string {
	i, ok := r.index[col]
	if !ok {
		return ""
	}
	return r.fields[i]
}

// Has reports whether the file has the column.
func (r Record) Has(col string) bool {
	_, ok := r.index[col]
	return ok
}

// Next returns the next record, or io.EOF after the last one. A malformed
// row (wrong number of fields, a stray quote) is an error naming its line.
func (rd *Reader) Next() (Record, error) {
	fields, err := rd.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Record{}, io.EOF
		}
		return Record{}, fmt.Errorf("line %d: %w", rd.line+1, err)
	}
	line, _ := rd.r.FieldPos(0)
	rd.line = line
	return Record{Line: line, fields: fields, index: rd.index}, nil
}

// FigureColumns are the columns a figure import needs; the other export
// columns (source_title, province ...) are derived and ignored on import.
var FigureColumns = []string{"id", "category", "subject", "value", "unit", "qualifier",
	"period_start", "period_end", "term", "quote", "locality_slug", "source_key"}

// Fields is a source of named text values: a CSV Record, or url.Values
// from a form (through an adapter naming the columns).
type Fields interface {
	Get(col string) string
}

// Figure parses one export-format record into an input, normalised.
func Figure(rec Fields) (stats.FigureInput, error) {
	v := &stats.ValidationError{}
	var in stats.FigureInput
	for _, col := range []string{"id", "locality_slug", "category", "subject", "value", "unit", "qualifier",
		"period_start", "period_end", "term", "quote", "source_key", "denominator", "from_level", "to_level", "parent_id"} {
		if !textnorm.Valid(rec.Get(col)) {
			v.Add(col, "error.text.invalid", "")
		}
	}
	if v.Err() != nil {
		return in, v
	}
	if s := strings.TrimSpace(rec.Get("id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add("id", "error.id.invalid", s)
		}
		in.ID = id
	}
	in.LocalitySlug = rec.Get("locality_slug")
	in.Category = rec.Get("category")
	in.Subject = rec.Get("subject")
	in.Unit = rec.Get("unit")
	in.Qualifier = rec.Get("qualifier")
	in.TermKey = rec.Get("term")
	in.SourceKey = rec.Get("source_key")
	in.Quote = rec.Get("quote")
	in.FromLevel = stats.Level(strings.TrimSpace(rec.Get("from_level")))
	in.ToLevel = stats.Level(strings.TrimSpace(rec.Get("to_level")))
	in.Value = parseNumber(v, "value", rec.Get("value"), true)
	if s := strings.TrimSpace(rec.Get("denominator")); s != "" {
		d := parseNumber(v, "denominator", s, true)
		in.Denominator = &d
	}
	// The admin form names the source by id; a CSV by key.
	if s := strings.TrimSpace(rec.Get("source_id")); s != "" && s != "new" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add("source_id", "error.source.unknown", "")
		}
		in.SourceID = id
	}
	if s := strings.TrimSpace(rec.Get("parent_id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add("parent_id", "error.id.invalid", s)
		}
		in.ParentID = &id
	}
	in.PeriodStart = parseDate(v, "period_start", rec.Get("period_start"))
	in.PeriodEnd = parseDate(v, "period_end", rec.Get("period_end"))
	in.Normalize()
	if err := in.Validate(); err != nil {
		var ve *stats.ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				if _, dup := v.For(f.Field); !dup {
					v.Fields = append(v.Fields, f)
				}
			}
		}
	}
	return in, v.Err()
}

// parseNumber reads a plain decimal ("7200", "62.5"). Thousands
// separators are refused: in "1.700" the dot is ambiguous between a
// Vietnamese thousands separator and a decimal point.
func parseNumber(v *stats.ValidationError, field, s string, required bool) float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, "error.required", "")
		}
		return 0
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eExXpP_") {
		v.Add(field, "error.value.not_number", s)
		return 0
	}
	return n
}

func parseDate(v *stats.ValidationError, field, s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		v.Add(field, "error.required", "")
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.Add(field, "error.date.invalid", s)
	}
	return t
}
