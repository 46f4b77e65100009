package chart

import (
	"fmt"
	"slices"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Section is one category of a locality's page: the charts that fit its
// figures, notices about totals that do not add up, and the figures.
type Section struct {
	Category stats.Category
	Charts   []Chart
	Notes    []string
	Figures  []stats.Figure
}

// ForLocality chooses the charts for one locality's figures, category by
// category (in the order of cats):
//   - rotations between levels: a Sankey;
//   - removals from and additions to the cadre plan: side by side;
//   - a total with two or more parts: its distribution;
//   - a count at a date with one part: that part against the rest;
//   - what is left, per unit, when there are at least two: a bar per subject.
//
// A lone number gets no chart: the table shows it better. Chart ids are
// stable, so that /localities/{slug}/charts/{id}.csv finds the same chart.
func ForLocality(cats []stats.Category, figs []stats.Figure, s Settings) []Section {
	var out []Section
	planned := false
	for _, cat := range cats {
		var cf []stats.Figure
		for _, f := range figs {
			if f.Category.Code == cat.Code {
				cf = append(cf, f)
			}
		}
		if len(cf) == 0 {
			continue
		}
		sec := Section{Category: cat, Figures: cf}
		for _, m := range Mismatches(cf) {
			sec.Notes = append(sec.Notes, m.Notice(s.P))
		}
		used := map[int64]bool{}
		switch cat.Code {
		case "rotation":
			if HasFlows(cf) {
				sec.Charts = append(sec.Charts, Rotation("rotation-flows", cf, s))
				for _, f := range cf {
					if f.FromLevel != "" || hasParts(cf, f) {
						used[f.ID] = true
					}
				}
			}
		case "planning_removal", "planning_addition":
			if !planned {
				planned = true
				rem := ofCategory(figs, "planning_removal")
				add := ofCategory(figs, "planning_addition")
				sec.Charts = append(sec.Charts, Planning("planning", rem, add, s))
			}
			for _, f := range cf {
				used[f.ID] = true
			}
		}
		for _, t := range cf {
			if used[t.ID] || t.Unit == "percent" {
				continue
			}
			parts := partsOf(cf, t)
			switch {
			case len(parts) >= 2:
				sec.Charts = append(sec.Charts, Distribution(fmt.Sprintf("%s-parts-%d", cat.Code, t.ID), t, parts, s))
			case len(parts) == 1 && cat.Measure == stats.Stock && parts[0].Value <= t.Value:
				sec.Charts = append(sec.Charts, Composition(fmt.Sprintf("%s-share-%d", cat.Code, t.ID), t, parts[0], s))
			default:
				continue
			}
			used[t.ID] = true
			for _, f := range parts {
				used[f.ID] = true
			}
		}
		var units []string
		rest := map[string][]stats.Figure{}
		for _, f := range cf {
			if used[f.ID] || f.Unit == "percent" {
				continue
			}
			if _, ok := rest[f.Unit]; !ok {
				units = append(units, f.Unit)
			}
			rest[f.Unit] = append(rest[f.Unit], f)
		}
		for _, u := range units {
			if len(rest[u]) < 2 {
				continue
			}
			title := CategoryName(cat, s.English)
			if len(units) > 1 {
				title += " (" + UnitName(s.P, u) + ")"
			}
			sec.Charts = append(sec.Charts, BySubject(cat.Code+"-"+u, title, rest[u], s))
		}
		out = append(out, sec)
	}
	return out
}

// FindChart returns the chart with id among the sections.
func FindChart(secs []Section, id string) (Chart, bool) {
	for _, s := range secs {
		if i := slices.IndexFunc(s.Charts, func(c Chart) bool { return c.ID == id }); i >= 0 {
			return s.Charts[i], true
		}
	}
	return Chart{}, false
}

func ofCategory(figs []stats.Figure, code string) []stats.Figure {
	var out []stats.Figure
	for _, f := range figs {
		if f.Category.Code == code {
			out = append(out, f)
		}
	}
	return out
}

func partsOf(figs []stats.Figure, t stats.Figure) []stats.Figure {
	var out []stats.Figure
	for _, f := range figs {
		if f.ParentID != nil && *f.ParentID == t.ID && f.Unit == t.Unit {
			out = append(out, f)
		}
	}
	return out
}

func hasParts(figs []stats.Figure, t stats.Figure) bool { return len(partsOf(figs, t)) > 0 }
