package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Page describes the slice of figures a JSON answer holds.
type Page struct {
	Total  int  // figures the filter selects, ignoring Limit and Offset, counted up to a cap
	Capped bool // there are more than Total
	Limit  int
	Offset int
	Next   string // the cursor of the next page (?after=), "" on the last
}

// JSON writes figures as one JSON object
//
//	{"total": 50, "total_capped": false, "limit": 100, "offset": 0, "next": null, "figures": [{…}, …]}
//
// streaming each figure as it comes. A figure has the Columns as fields, in
// that order (numbers as numbers, dates as "2006-01-02", absent values as
// null, text as typed: JSON needs no formula guard), then "period" and
// "source" objects.
type JSON struct {
	w     *bufio.Writer
	cells []Cell
	buf   []byte
	n     int
}

// NewJSON writes the start of the answer.
func NewJSON(w io.Writer, p Page) (*JSON, error) {
	j := &JSON{w: bufio.NewWriterSize(w, 32<<10), cells: newRow()}
	b := fmt.Appendf(nil, `{"total":%d,"total_capped":%t,"limit":%d,"offset":%d,"next":`, p.Total, p.Capped, p.Limit, p.Offset)
	b = appendOptional(b, p.Next)
	b = append(b, `,"figures":[`...)
	if _, err := j.w.Write(b); err != nil {
		return nil, fmt.Errorf("write json: %w", err)
	}
	return j, nil
}

// Write adds one figure.
func (j *JSON) Write(f stats.Figure) error {
	cells(&f, j.cells)
	b := j.buf[:0]
	if j.n > 0 {
		b = append(b, ',')
	}
	j.n++
	b = append(b, '{')
	for i, col := range columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, col.Name)
		b = append(b, ':')
		b = appendCell(b, col.Kind, j.cells[i])
	}
	b = append(b, `,"period":{"start":`...)
	b = appendDate(b, f.PeriodStart)
	b = append(b, `,"end":`...)
	b = appendDate(b, f.PeriodEnd)
	b = append(b, `,"label":`...)
	b = appendString(b, f.PeriodLabel())
	b = append(b, `,"years":`...)
	b = strconv.AppendFloat(b, f.Years(), 'f', -1, 64)
	s := &f.Source
	b = append(b, `},"source":{"id":`...)
	b = strconv.AppendInt(b, s.ID, 10)
	b = append(b, `,"key":`...)
	b = appendString(b, s.Key)
	b = append(b, `,"title":`...)
	b = appendString(b, s.Title)
	b = append(b, `,"outlet":`...)
	b = appendString(b, s.Outlet)
	b = append(b, `,"author":`...)
	b = appendOptional(b, s.Author)
	b = append(b, `,"published":`...)
	b = appendDate(b, s.PublishedOn)
	b = append(b, `,"url":`...)
	b = appendOptional(b, s.URL)
	b = append(b, "}}"...)
	j.buf = b
	if _, err := j.w.Write(b); err != nil {
		return fmt.Errorf("write json figure %d: %w", f.ID, err)
	}
	return nil
}

// Flush ends the answer and writes what is buffered.
func (j *JSON) Flush() error {
	if _, err := j.w.WriteString("]}\n"); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

func appendCell(b []byte, k Kind, c Cell) []byte {
	if c.Null {
		return append(b, "null"...)
	}
	switch k {
	case Int:
		return strconv.AppendInt(b, c.Int, 10)
	case Number:
		return strconv.AppendFloat(b, c.Num, 'f', -1, 64)
	case Date:
		return appendDate(b, c.Date)
	case Bool:
		return strconv.AppendBool(b, c.Bool)
	}
	return appendString(b, c.Str)
}

func appendDate(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, dateOnly)
	return append(b, '"')
}

func appendOptional(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json does
// by default: control characters, quotes, backslashes, and <, >, & (so the
// answer is safe inside HTML), U+2028 and U+2029 (line breaks to
// JavaScript); invalid UTF-8 becomes U+FFFD. encoding/json has no append
// form for a single string, and a Marshal per cell would allocate.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
