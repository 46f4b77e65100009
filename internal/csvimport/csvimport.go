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
	"strings"

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
// columns (source_title, province ...) are derived and ignored on import,
// and the newer optional ones (indicator, completeness, rank, …) take
// their defaults when absent.
var FigureColumns = []string{"id", "category", "subject", "value", "unit", "qualifier",
	"period_start", "period_end", "term", "quote", "locality_slug", "source_key"}

// Fields is a source of named text values: a CSV Record, or a form parsed
// into the same names.
type Fields interface {
	Get(col string) string
}

// Figure parses one record, named by stats.FigureFields, into an input,
// normalised and checked as far as the input alone allows.
func Figure(rec Fields) (stats.FigureInput, error) {
	v := &stats.ValidationError{}
	var in stats.FigureInput
	for _, f := range stats.FigureFields {
		if !textnorm.Valid(rec.Get(f.Name)) {
			v.Add(f.Name, "error.text.invalid", "")
		}
	}
	if v.Err() != nil {
		return in, v
	}
	for _, f := range stats.FigureFields {
		s := rec.Get(f.Name)
		if key := f.Set(&in, s); key != "" {
			v.Add(f.Name, key, strings.TrimSpace(s))
		}
	}
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
