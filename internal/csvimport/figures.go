package csvimport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// FigureFile reads a file in the export format for bulk import, one row
// at a time: a file of any length takes the memory of one row.
type FigureFile struct {
	rd  *Reader
	err error
}

// NewFigureFile reads the header. Errors: ErrHeader (empty file, a missing
// or repeated column).
func NewFigureFile(r io.Reader) (*FigureFile, error) {
	rd, err := NewReader(r, FigureColumns...)
	if err != nil {
		return nil, err
	}
	return &FigureFile{rd: rd}, nil
}

// Rows yields each data row with its input, or with why it is invalid (a
// *stats.ValidationError naming export columns). A row that is not valid
// CSV (a stray quote, a wrong number of fields) is invalid and reading
// goes on with the next one. Reading stops at the end of the file or at
// an I/O error, which Err then reports. Rows can be ranged over once.
func (f *FigureFile) Rows() iter.Seq[stats.ImportRow] {
	return func(yield func(stats.ImportRow) bool) {
		for f.err == nil {
			rec, err := f.rd.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				v := &stats.ValidationError{}
				v.Add("", "error.import.malformed", pe.Err.Error())
				if !yield(stats.ImportRow{Line: pe.StartLine, Err: v}) {
					return
				}
				continue
			}
			if err != nil {
				f.err = fmt.Errorf("read import file: %w", err)
				return
			}
			in, err := FigureRow(rec)
			if !yield(stats.ImportRow{Line: rec.Line, Input: in, Err: err}) {
				return
			}
		}
	}
}

// Err is the I/O error that ended Rows early, if any.
func (f *FigureFile) Err() error { return f.err }

// FigureRow parses one export-format row for import. On top of Figure's
// checks it reverses the export's formula guard on text columns. The
// error is a *stats.ValidationError whose fields are export column names.
func FigureRow(rec Fields) (stats.FigureInput, error) {
	return Figure(importFields{rec})
}

// importFields reads a record as the export wrote it.
type importFields struct{ rec Fields }

func (f importFields) Get(col string) string {
	if fd, ok := stats.FigureFieldNamed(col); ok && fd.Kind == stats.KindText {
		return Unneutralize(f.rec.Get(col))
	}
	return f.rec.Get(col)
}

// Unneutralize undoes export.Neutralize: the export writes "'=A1" for the
// text "=A1" so that spreadsheets do not run it, and an import must read
// back "=A1". Text that Neutralize would not have produced is kept as is,
// so "'abc" stays "'abc".
func Unneutralize(s string) string {
	if strings.HasPrefix(s, "'") && neutralized(s[1:]) {
		return s[1:]
	}
	return s
}

// neutralized reports whether export.Neutralize prefixes s (a test keeps
// the two in step).
func neutralized(s string) bool {
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
