package stats_test

import (
	"testing"

	"github.com/cadrestats/cadrestats/internal/stats"
)

func TestFindUnmatchedMoves(t *testing.T) {
	src := stats.Source{ID: 1}
	mk := func(id int64, v float64, from, to stats.Level) stats.Figure {
		return stats.Figure{ID: id, Locality: locA, Indicator: persons, Unit: "persons", Value: v, FromLevel: from, ToLevel: to,
			PeriodStart: day(2010, 1, 1), PeriodEnd: day(2018, 10, 3), Source: src}
	}
	down := mk(2, 19, stats.LevelProvince, stats.LevelDistrict)
	up := mk(3, 4, stats.LevelDistrict, stats.LevelProvince)
	total := mk(1, 126, "", "")
	if got := stats.FindUnmatchedMoves([]stats.Figure{total, down, up}); len(got) != 1 || got[0].Sum != 23 || len(got[0].Totals) != 1 {
		t.Errorf("19 + 4 against 126 = %+v, want one gap of 23", got)
	}
	if got := stats.FindUnmatchedMoves([]stats.Figure{mk(1, 23, "", ""), mk(4, 164, "", ""), down, up}); len(got) != 0 {
		t.Errorf("19 + 4 = 23, one of the totals, still named: %+v", got)
	}
	other := up
	other.Source = stats.Source{ID: 2}
	if got := stats.FindUnmatchedMoves([]stats.Figure{total, down, other}); len(got) != 0 {
		t.Errorf("moves from two articles added: %+v", got)
	}
	tied := up
	tied.ParentID = &total.ID
	if got := stats.FindUnmatchedMoves([]stats.Figure{total, down, tied}); len(got) != 0 {
		t.Errorf("a move an editor tied to its total is checked again as a gap: %+v", got)
	}
}
