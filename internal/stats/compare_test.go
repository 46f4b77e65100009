package stats_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var (
	persons = &stats.Indicator{Key: "rotated", Category: "rotation", Unit: "persons", Measure: stats.Flow}
	turns   = &stats.Indicator{Key: "rotation-turns", Category: "rotation", Unit: "turns", Measure: stats.Flow}
	locA    = stats.Locality{Slug: "a", Name: "A", Level: stats.LevelProvince}
	locB    = stats.Locality{Slug: "b", Name: "B", Level: stats.LevelDistrict}
	locC    = stats.Locality{Slug: "c", Name: "C", Level: stats.LevelCommune}
)

type fig struct {
	id        int64
	loc       stats.Locality
	ind       *stats.Indicator
	v         float64
	end       time.Time
	rank      string
	published time.Time
	parent    *int64
}

func (f fig) figure() stats.Figure {
	c := stats.Complete
	if f.parent != nil {
		c = stats.Part
	}
	if f.rank == "" {
		f.rank = stats.RankNormal
	}
	if f.published.IsZero() {
		f.published = f.end
	}
	unit := ""
	if f.ind != nil {
		unit = f.ind.Unit
	}
	return stats.Figure{ID: f.id, Locality: f.loc, Category: stats.Category{Code: "rotation", Order: 20}, Indicator: f.ind,
		Value: f.v, Unit: unit, Completeness: c, Rank: f.rank, ParentID: f.parent, PeriodStart: day(2019, 1, 1),
		PeriodEnd: f.end, Source: stats.Source{ID: f.id, PublishedOn: f.published}}
}

func figs(fs ...fig) []stats.Figure {
	out := make([]stats.Figure, len(fs))
	for i, f := range fs {
		out[i] = f.figure()
	}
	return out
}

func TestCompareOnlyLikeWithLike(t *testing.T) {
	y2019, y2020 := day(2019, 12, 31), day(2020, 12, 31)
	parent := int64(1)
	tests := []struct {
		name    string
		figs    []stats.Figure
		compare []float64 // values of the one comparison, in locality order; nil: none
		others  int       // conflicting values on the first entry
		rest    []int64   // figures listed apart
	}{
		{"same indicator", figs(fig{id: 1, loc: locA, ind: persons, v: 10, end: y2019}, fig{id: 2, loc: locB, ind: persons, v: 4, end: y2019}),
			[]float64{10, 4}, 0, nil},
		{"persons never beside turns", figs(fig{id: 1, loc: locA, ind: persons, v: 10, end: y2019}, fig{id: 2, loc: locB, ind: turns, v: 20, end: y2019}),
			nil, 0, []int64{1, 2}},
		{"no indicator, no comparison", figs(fig{id: 1, loc: locA, v: 10, end: y2019}, fig{id: 2, loc: locB, v: 4, end: y2019}),
			nil, 0, []int64{1, 2}},
		{"parts are never compared", figs(fig{id: 1, loc: locA, ind: persons, v: 10, end: y2019}, fig{id: 2, loc: locB, ind: persons, v: 4, end: y2019, parent: &parent}),
			nil, 0, []int64{1}},
		{"the latest period", figs(fig{id: 1, loc: locA, ind: persons, v: 10, end: y2019}, fig{id: 3, loc: locA, ind: persons, v: 12, end: y2020},
			fig{id: 2, loc: locB, ind: persons, v: 4, end: y2019}), []float64{12, 4}, 0, nil},
		{"the preferred value, the other kept", figs(fig{id: 1, loc: locA, ind: persons, v: 10, end: y2019, rank: stats.RankPreferred},
			fig{id: 3, loc: locA, ind: persons, v: 11, end: y2019, published: y2020}, fig{id: 2, loc: locB, ind: persons, v: 4, end: y2019}),
			[]float64{10, 4}, 1, nil},
		{"without a preferred value, the latest source", figs(fig{id: 1, loc: locA, ind: persons, v: 10, end: y2019},
			fig{id: 3, loc: locA, ind: persons, v: 11, end: y2019, published: y2020}, fig{id: 2, loc: locB, ind: persons, v: 4, end: y2019}),
			[]float64{11, 4}, 1, nil},
		{"a deprecated value is not used", figs(fig{id: 1, loc: locA, ind: persons, v: 10, end: y2019, rank: stats.RankDeprecated},
			fig{id: 2, loc: locB, ind: persons, v: 4, end: y2019}), nil, 0, []int64{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmps, rest := stats.Compare([]stats.Locality{locA, locB, locC}, tt.figs)
			if tt.compare == nil {
				if len(cmps) != 0 {
					t.Fatalf("%d comparisons, want none: %+v", len(cmps), cmps)
				}
			} else {
				if len(cmps) != 1 {
					t.Fatalf("%d comparisons, want 1", len(cmps))
				}
				var got []float64
				for _, e := range cmps[0].Entries {
					got = append(got, e.Figure.Value)
				}
				if !slices.Equal(got, tt.compare) {
					t.Errorf("values %v, want %v", got, tt.compare)
				}
				if n := len(cmps[0].Entries[0].Others); n != tt.others {
					t.Errorf("%d other values, want %d", n, tt.others)
				}
				if len(cmps[0].Missing) != 1 || cmps[0].Missing[0].Slug != "c" {
					t.Errorf("missing %v, want C (reports nothing, never 0)", cmps[0].Missing)
				}
			}
			var left []int64
			for _, u := range rest {
				for _, f := range u.Figures {
					left = append(left, f.ID)
				}
			}
			if !slices.Equal(left, tt.rest) {
				t.Errorf("listed apart %v, want %v", left, tt.rest)
			}
		})
	}
}

func TestConflicts(t *testing.T) {
	y := day(2019, 12, 31)
	g := stats.Conflicts(figs(fig{id: 1, loc: locA, ind: persons, v: 10, end: y}, fig{id: 2, loc: locA, ind: persons, v: 11, end: y},
		fig{id: 3, loc: locA, ind: persons, v: 10, end: day(2018, 12, 31)}, fig{id: 4, loc: locA, ind: turns, v: 10, end: y},
		fig{id: 5, loc: locA, ind: turns, v: 10, end: y}))
	if len(g) != 1 || len(g[0]) != 2 || g[0][0].ID != 1 || g[0][1].ID != 2 {
		t.Errorf("conflicts %+v, want figures 1 and 2 only (4 and 5 agree)", g)
	}
}
