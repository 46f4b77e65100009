// Package provinces holds the province-level units of Vietnam before and
// after the reorganisation of 1 July 2025, and which of the 63 each of
// the 34 unites: Nghị quyết 202/2025/QH15 of the National Assembly (12
// June 2025) on the arrangement of province-level administrative units.
// It is data (provinces.csv, embedded), read once; the maps and the
// synthetic country can share it.
package provinces

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Resolution names the act that set the 34 provinces.
const Resolution = "Nghị quyết 202/2025/QH15 ngày 12/06/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"

//go:embed provinces.csv
var data []byte

// Old is a province-level unit as it stood until 30 June 2025.
type Old struct {
	Code   string // the statistics office's two-digit code: "11"
	Prefix string // "tỉnh" or "thành phố"
	Name   string // without prefix: "Điện Biên"
	Alias  string // another name articles use: "Thừa Thiên Huế"
	ISO    string // ISO 3166-2: "VN-71" (what boundary files key on)
	Union  string // the name of the province it belongs to since 1 July 2025
}

// New is a province-level unit since 1 July 2025.
type New struct {
	Prefix  string
	Name    string
	Members []string // codes of the old units it unites, in the file's order
}

// Unchanged reports whether the unit is one of the old ones left as it was.
func (n New) Unchanged() bool { return len(n.Members) == 1 }

// Table is the 63 and the 34.
type Table struct {
	Old []Old // by code
	New []New // in the order their first member comes
}

// Load reads the embedded table and checks it: 63 old units, each in
// exactly one of 34 new ones. Errors say which row is wrong.
func Load() (Table, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return Table{}, fmt.Errorf("provinces.csv: %w", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "code,prefix,name,alias,iso,union,union_prefix" {
		return Table{}, fmt.Errorf("provinces.csv: unexpected header")
	}
	var t Table
	newIndex := map[string]int{}
	seen := map[string]bool{}
	for i, r := range rows[1:] {
		o := Old{Code: r[0], Prefix: r[1], Name: r[2], Alias: r[3], ISO: r[4], Union: r[5]}
		if o.Code == "" || o.Name == "" || o.Union == "" || o.ISO == "" {
			return Table{}, fmt.Errorf("provinces.csv line %d: empty field", i+2)
		}
		for _, k := range []string{"code:" + o.Code, "name:" + Key(o.Name), "iso:" + o.ISO} {
			if seen[k] {
				return Table{}, fmt.Errorf("provinces.csv line %d: %s twice", i+2, k)
			}
			seen[k] = true
		}
		t.Old = append(t.Old, o)
		j, ok := newIndex[o.Union]
		if !ok {
			j = len(t.New)
			newIndex[o.Union] = j
			t.New = append(t.New, New{Prefix: r[6], Name: o.Union})
		} else if t.New[j].Prefix != r[6] {
			return Table{}, fmt.Errorf("provinces.csv line %d: %s has two prefixes", i+2, o.Union)
		}
		t.New[j].Members = append(t.New[j].Members, o.Code)
	}
	if len(t.Old) != 63 || len(t.New) != 34 {
		return Table{}, fmt.Errorf("provinces.csv: %d old and %d new units, want 63 and 34", len(t.Old), len(t.New))
	}
	return t, nil
}

// Key folds a name for matching: case, diacritics, spaces, hyphens and a
// leading "TP." or "thành phố"/"tỉnh" do not count ("TP. Hồ Chí Minh",
// "Hồ Chí Minh" and "ho chi minh" are one key; "Bà Rịa - Vũng Tàu" and
// "Bà Rịa-Vũng Tàu" too).
func Key(name string) string {
	s := strings.ToLower(strings.TrimSpace(name))
	for _, p := range []string{"tp.", "tp ", "thành phố ", "tỉnh "} {
		s = strings.TrimPrefix(s, p)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == 'đ':
			b.WriteRune('d')
		case unicode.Is(unicode.Mn, r), unicode.IsSpace(r), r == '-', r == '.':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// OldByName finds the old unit a name (or its alias) denotes.
func (t Table) OldByName(name string) (Old, bool) {
	k := Key(name)
	for _, o := range t.Old {
		if Key(o.Name) == k || (o.Alias != "" && Key(o.Alias) == k) {
			return o, true
		}
	}
	return Old{}, false
}

// NewByName finds the new unit a name denotes; an unchanged unit keeps
// its old alias ("Thừa Thiên Huế" is Huế).
func (t Table) NewByName(name string) (New, bool) {
	k := Key(name)
	for _, n := range t.New {
		if Key(n.Name) == k {
			return n, true
		}
	}
	if o, ok := t.OldByName(name); ok {
		for _, n := range t.New {
			if n.Unchanged() && n.Members[0] == o.Code {
				return n, true
			}
		}
	}
	return New{}, false
}

// OldByCode finds an old unit by its code.
func (t Table) OldByCode(code string) (Old, bool) {
	for _, o := range t.Old {
		if o.Code == code {
			return o, true
		}
	}
	return Old{}, false
}
