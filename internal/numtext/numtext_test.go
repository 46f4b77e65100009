package numtext_test

import (
	"math"
	"slices"
	"testing"

	"github.com/cadrestats/cadrestats/internal/numtext"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in        string
		c         numtext.Convention
		want      float64
		ambiguous bool
		bad       bool
	}{
		{"1.700", numtext.VI, 1700, true, false},
		{"1,700", numtext.EN, 1700, true, false},
		{"1700", numtext.VI, 1700, false, false},
		{"1 700", numtext.VI, 1700, false, false},
		{"1\u00a0700", numtext.EN, 1700, false, false},
		{"17,5", numtext.VI, 17.5, false, false}, // "17,5" is no English number
		{"17.5", numtext.EN, 17.5, false, false},
		{"1.234,5", numtext.VI, 1234.5, false, false},
		{"1,234.5", numtext.EN, 1234.5, false, false},
		{"21.804", numtext.VI, 21804, true, false},
		{" 62,5 ", numtext.VI, 62.5, false, false},
		{"-3", numtext.VI, -3, false, false},
		{"2.5", numtext.VI, 0, false, true}, // a Vietnamese group has three digits
		{"17,5", numtext.EN, 0, false, true},
		{"1.70", numtext.VI, 0, false, true},
		{"1.7000", numtext.VI, 0, false, true},
		{"1.700,", numtext.VI, 0, false, true},
		{"1.700 000", numtext.VI, 0, false, true},
		{"abc", numtext.VI, 0, false, true},
		{"", numtext.VI, 0, false, true},
		{"1e3", numtext.EN, 0, false, true},
		{"0x10", numtext.EN, 0, false, true},
	}
	for _, tt := range tests {
		got, amb, err := numtext.Parse(tt.in, tt.c)
		if tt.bad {
			if err == nil {
				t.Errorf("Parse(%q, %v) = %v, want an error", tt.in, tt.c, got)
			}
			continue
		}
		if err != nil || got != tt.want || amb != tt.ambiguous {
			t.Errorf("Parse(%q, %v) = %v, ambiguous %v, %v; want %v, ambiguous %v", tt.in, tt.c, got, amb, err, tt.want, tt.ambiguous)
		}
	}
}

func TestScan(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"hơn 7.200 đảng viên", []string{"7.200"}},
		{"4/17 xã, thị trấn", []string{"4", "17"}},
		{"ngày 28/10/2020", []string{"28", "10", "2020"}},
		{"Nhiệm kỳ 2015 - 2020, bổ nhiệm được 8 trưởng phòng", []string{"2015", "2020", "8"}},
		{"đạt 17,98%.", []string{"17,98"}},
		{"là 170 người.", []string{"170"}},
		{"Trong năm 2019 15 đồng chí", []string{"2019", "15"}},
		{"tổng 21 804 000 đồng", []string{"21 804 000"}},
		{"Nghị quyết số 42-NQ/TW", []string{"42"}},
		{"COVID19 và x2", nil},
		{"3, 4 và 5", []string{"3", "4", "5"}},
		{"04:53", []string{"04", "53"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range numtext.Scan(tt.text) {
			got = append(got, tok.Text)
			if tt.text[tok.Start:tok.End] != tok.Text {
				t.Errorf("Scan(%q): token %q at %d–%d", tt.text, tok.Text, tok.Start, tok.End)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Scan(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestContains(t *testing.T) {
	tests := []struct {
		text string
		v    float64
		want bool
	}{
		{"hơn 1700 người", 1700, true},
		{"hơn 1.700 người", 1700, true},
		{"hơn 1 700 người", 1700, true},
		{"more than 1,700 people", 1700, true},
		{"62% cán bộ", 62, true},
		{"đạt 17,5%", 17.5, true},
		{"4/17 xã", 4, true},
		{"4/17 xã", 17, true},
		{"đăng ký hai đồng chí", 2, true},
		{"hơn 1700 người", 170, false},
		{"năm 2015", 15, false},
		{"x2", 2, false},
		{"bổ nhiệm 8 trưởng phòng", 9, false},
	}
	for _, tt := range tests {
		if got := numtext.Contains(tt.text, tt.v); got != tt.want {
			t.Errorf("Contains(%q, %v) = %v, want %v", tt.text, tt.v, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v    float64
		c    numtext.Convention
		want string
	}{
		{1700, numtext.VI, "1.700"},
		{1700, numtext.EN, "1,700"},
		{17.5, numtext.VI, "17,5"},
		{1234567.25, numtext.EN, "1,234,567.25"},
		{12, numtext.VI, "12"},
		{-1000, numtext.VI, "-1.000"},
	}
	for _, tt := range tests {
		if got := numtext.Format(tt.v, tt.c, 2); got != tt.want {
			t.Errorf("Format(%v, %v) = %q, want %q", tt.v, tt.c, got, tt.want)
		}
		// What Format writes, Parse reads back.
		if back, _, err := numtext.Parse(tt.want, tt.c); err != nil || back != tt.v {
			t.Errorf("Parse(Format(%v)) = %v, %v", tt.v, back, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.700", "17,5", "1 700", "1,234.5", "-3", "", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range []numtext.Convention{numtext.VI, numtext.EN} {
			v, _, err := numtext.Parse(s, c)
			if err != nil {
				continue
			}
			// A number read once reads the same when written back.
			back, _, err := numtext.Parse(numtext.Format(v, c, 12), c)
			if err != nil || math.Abs(back-v) > 1e-9*math.Max(1, math.Abs(v)) {
				t.Fatalf("Parse(%q) = %v; Format/Parse gives %v, %v", s, v, back, err)
			}
		}
		for _, tok := range numtext.Scan(s) {
			if tok.Start < 0 || tok.End > len(s) || s[tok.Start:tok.End] != tok.Text || len(tok.Values) == 0 {
				t.Fatalf("Scan(%q): bad token %+v", s, tok)
			}
		}
	})
}
