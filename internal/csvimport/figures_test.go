package csvimport_test

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/csvimport"
	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/stats"
)

const header = "id,locality_slug,category,subject,value,unit,qualifier,period_start,period_end,term,quote,source_key,denominator,parent_id\n"

func rows(t *testing.T, file string) []stats.ImportRow {
	t.Helper()
	ff, err := csvimport.NewFigureFile(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	out := slices.Collect(ff.Rows())
	if err := ff.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func fieldsOf(err error) []string {
	var v *stats.ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Field+"="+f.Key)
	}
	return out
}

func TestFigureFileRows(t *testing.T) {
	file := header +
		`7,song-lo,training,"'=HYPERLINK(""x"")",12.50,percent,,2021-01-01,2021-12-31,,"'-- trích dẫn 12,5%",src,,` + "\n" +
		`,song-lo,training,lớp,1.005,percent,exact,2021-01-01,2021-12-31,,q 1.005,src,,` + "\n" +
		`,song-lo,training,"bad "quote",1,persons,exact,2021-01-01,2021-12-31,,q,src,,` + "\n" +
		`,song-lo,training,too,few` + "\n" +
		`x,song-lo,training,s,1,persons,exact,2021-01-01,2020-12-31,,q 1,,,` + "\n" +
		`,song-lo,training,last,2,percent,exact,2021-01-01,2021-12-31,,"2 trong 3,1",src,3.10,` + "\n" +
		`,song-lo,training,half,2.5,persons,exact,2021-01-01,2021-12-31,,có 2.5 người,src,,` + "\n" +
		`,song-lo,training,lost,17,persons,exact,2021-01-01,2021-12-31,,con số khác 71,src,,` + "\n"
	got := rows(t, file)
	if len(got) != 8 {
		t.Fatalf("%d rows, want 8 (reading goes on after a bad row): %+v", len(got), got)
	}
	t.Run("OK", func(t *testing.T) {
		r := got[0]
		if r.Err != nil || r.Line != 2 {
			t.Fatalf("line %d: %v", r.Line, r.Err)
		}
		if r.Input.Subject != `=HYPERLINK("x")` || r.Input.Quote != "-- trích dẫn 12,5%" {
			t.Errorf("the export's formula guard is not undone: subject %q, quote %q", r.Input.Subject, r.Input.Quote)
		}
		if r.Input.ID != 7 || r.Input.Value != 12.5 || r.Input.Qualifier != "exact" {
			t.Errorf("input %+v", r.Input)
		}
	})
	tests := []struct {
		i    int
		line int
		want []string
	}{
		{1, 3, []string{"value=error.value.decimals"}},
		{2, 4, []string{"=error.import.malformed"}},
		{3, 5, []string{"=error.import.malformed"}},
		{4, 6, []string{"id=error.id.invalid", "source_key=error.required", "period_end=error.period.end_before_start"}},
		{6, 8, []string{"value=error.value.whole"}},    // a count of persons is a whole number
		{7, 9, []string{"quote=error.quote.no_value"}}, // the quote must hold the value
	}
	for _, tt := range tests {
		r := got[tt.i]
		if r.Line != tt.line {
			t.Errorf("row %d: line %d, want %d", tt.i, r.Line, tt.line)
		}
		if f := fieldsOf(r.Err); !reflect.DeepEqual(f, tt.want) {
			t.Errorf("line %d: errors %v, want %v", r.Line, f, tt.want)
		}
	}
	if r := got[5]; r.Err != nil || *r.Input.Denominator != 3.1 {
		t.Errorf("last row: %v %+v", r.Err, r.Input)
	}
}

func TestFigureFileHeader(t *testing.T) {
	for name, file := range map[string]string{
		"empty":          "",
		"missing column": "id,locality_slug\n1,song-lo\n",
		"repeated":       strings.TrimSuffix(header, "\n") + ",id\n",
	} {
		if _, err := csvimport.NewFigureFile(strings.NewReader(file)); !errors.Is(err, csvimport.ErrHeader) {
			t.Errorf("%s: %v, want ErrHeader", name, err)
		}
	}
}

// An export's text cells must read back as the text that was exported.
func TestUnneutralizeReversesExport(t *testing.T) {
	for _, s := range []string{"", "abc", "=1+1", "+84", "-5", "@SUM", "|x", "%p", "\tx", "\rx", " =x",
		`"=x`, "'=x", "''=x", "'abc", "'", "''", "' ", "=", "a=b", "Đảng bộ", "'-"} {
		if got := csvimport.Unneutralize(export.Neutralize(s)); got != s {
			t.Errorf("Unneutralize(Neutralize(%q)) = %q", s, got)
		}
	}
}

func FuzzUnneutralize(f *testing.F) {
	f.Add("=1")
	f.Add("'=1")
	f.Fuzz(func(t *testing.T, s string) {
		if got := csvimport.Unneutralize(export.Neutralize(s)); got != s {
			t.Errorf("Unneutralize(Neutralize(%q)) = %q", s, got)
		}
	})
}

// FuzzFigureCSV feeds arbitrary files to the import reader: it must not
// panic, every row must be accepted or refused with field errors, and an
// accepted row must be a valid, normalised input with at most two
// decimals. Seeds: testdata/fuzz/FuzzFigureCSV.
func FuzzFigureCSV(f *testing.F) {
	f.Add([]byte(header + "1,song-lo,training,lớp,12,persons,exact,2021-01-01,2021-12-31,,q,src,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ff, err := csvimport.NewFigureFile(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, csvimport.ErrHeader) {
				t.Fatalf("header error %v is not ErrHeader", err)
			}
			return
		}
		n := 0
		for r := range ff.Rows() {
			if n++; n > 10000 {
				t.Fatal("more rows than the input could hold")
			}
			if r.Err != nil {
				var v *stats.ValidationError
				if !errors.As(r.Err, &v) || len(v.Fields) == 0 {
					t.Fatalf("line %d: error %v is not a field error", r.Line, r.Err)
				}
				continue
			}
			in := r.Input
			if err := in.Validate(); err != nil {
				t.Fatalf("line %d: accepted row fails Validate: %v (%+v)", r.Line, err, in)
			}
			again := in
			again.Normalize()
			if !reflect.DeepEqual(again, in) {
				t.Fatalf("line %d: accepted row is not normalised: %+v", r.Line, in)
			}
			for _, s := range []string{in.Subject, in.Quote, in.LocalitySlug, in.SourceKey} {
				if !utf8.ValidString(s) {
					t.Fatalf("line %d: invalid UTF-8 accepted: %q", r.Line, s)
				}
			}
			if v := in.Value * 100; v != float64(int64(v)) && in.Value < 1e9 {
				// Two decimals parse to a float within rounding of a whole number of cents.
				if d := v - float64(int64(v+0.5)); d > 1e-6 || d < -1e-6 {
					t.Fatalf("line %d: value %v has more than two decimals", r.Line, in.Value)
				}
			}
		}
		_ = ff.Err() // a bytes.Reader fails no read
	})
}
