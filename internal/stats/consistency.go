package stats

import (
	"slices"
	"time"
)

// UnmatchedMoves is a set of moves between levels an article reports (to
// the district, to the commune, …) whose sum is none of the totals the
// same article gives for the same indicator and period (Điện Biên: 19 + 4
// + 85 + 13 = 121 against "luân chuyển dọc 126" and 164 in all). The
// article does not say the moves are the parts of either total, so the
// page shows every number and names the gap; nothing is inferred.
type UnmatchedMoves struct {
	Moves  []Figure
	Sum    float64
	Totals []Figure
}

// FindUnmatchedMoves finds them among one locality's figures. Moves
// already tied to a total by the editor are checked as parts instead
// (see the parts notice); shares, targets and deprecated figures are
// never added.
func FindUnmatchedMoves(figs []Figure) []UnmatchedMoves {
	type key struct {
		locality, source int64
		indicator, unit  string
		start, end       time.Time
	}
	type group struct{ moves, totals []Figure }
	groups := map[key]*group{}
	var order []key
	for _, f := range figs {
		if f.Indicator == nil || f.Unit == "percent" || f.Target || f.Rank == RankDeprecated {
			continue
		}
		k := key{f.Locality.ID, f.Source.ID, f.Indicator.Key, f.Unit, f.PeriodStart, f.PeriodEnd}
		g, ok := groups[k]
		if !ok {
			g = &group{}
			groups[k] = g
			order = append(order, k)
		}
		switch {
		case f.FromLevel != "" && f.ToLevel != "":
			if f.ParentID == nil {
				g.moves = append(g.moves, f)
			}
		default:
			g.totals = append(g.totals, f)
		}
	}
	var out []UnmatchedMoves
	for _, k := range order {
		g := groups[k]
		if len(g.moves) < 2 || len(g.totals) == 0 {
			continue
		}
		var sum float64
		for _, m := range g.moves {
			sum += m.Value
		}
		if slices.ContainsFunc(g.totals, func(t Figure) bool { return t.Value == sum }) {
			continue
		}
		out = append(out, UnmatchedMoves{Moves: g.moves, Sum: sum, Totals: g.totals})
	}
	return out
}
