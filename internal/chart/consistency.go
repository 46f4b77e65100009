package chart

import (
	"strings"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Mismatch is a total whose listed parts add up to another number
// (Điện Biên: 126 vertical rotations, parts 19 + 4 + 85 + 13 = 121).
type Mismatch struct {
	Total stats.Figure
	Parts []stats.Figure
	Sum   float64
}

// Mismatches finds the totals in figs whose parts disagree with them. A
// single part smaller than its total is a "trong đó" ("of which": 161
// women of 417) and no disagreement; two or more parts are taken as a
// breakdown and must add up, and parts never exceed their total.
// Percentages and parts in another unit are not added.
func Mismatches(figs []stats.Figure) []Mismatch {
	var out []Mismatch
	for _, t := range figs {
		if t.Unit == "percent" {
			continue
		}
		var parts []stats.Figure
		var sum float64
		for _, f := range figs {
			if f.ParentID != nil && *f.ParentID == t.ID && f.Unit == t.Unit {
				parts = append(parts, f)
				sum += f.Value
			}
		}
		if len(parts) == 0 || sum == t.Value || (len(parts) == 1 && sum < t.Value) {
			continue
		}
		out = append(out, Mismatch{Total: t, Parts: parts, Sum: sum})
	}
	return out
}

// Notice says what disagrees, with both numbers, in the page's language.
// Parts that fall short of their total are what an article that does not
// itemise every case looks like; parts that exceed it are a contradiction.
func (m Mismatch) Notice(p Printer) string {
	terms := make([]string, len(m.Parts))
	for i, f := range m.Parts {
		terms[i] = p.Number(f.Value)
	}
	key := "notice.parts_short"
	if m.Sum > m.Total.Value {
		key = "notice.parts_exceed"
	}
	return p.T(key, m.Total.Locality.Name, m.Total.Subject, p.Number(m.Total.Value),
		UnitName(p, m.Total.Unit), strings.Join(terms, " + "), p.Number(m.Sum))
}
