package stats

import (
	"slices"
	"time"
)

// A comparison sets localities side by side on one indicator, and only on
// one: the figures of a comparison share an indicator, its unit and (for
// rotations) a direction between levels. These are the rules of what may
// be compared; charts only draw them.

// CompareKey is what the figures of one comparison share.
type CompareKey struct {
	Indicator string // key
	FromLevel Level
	ToLevel   Level
}

// Key is the comparison the figure can take part in.
func (f Figure) Key() CompareKey {
	k := CompareKey{FromLevel: f.FromLevel, ToLevel: f.ToLevel}
	if f.Indicator != nil {
		k.Indicator = f.Indicator.Key
	}
	return k
}

// Comparison is one indicator across the localities that report it.
type Comparison struct {
	Indicator Indicator
	FromLevel Level
	ToLevel   Level
	Entries   []CompareEntry // in the order of the localities given
	Missing   []Locality     // localities compared that do not report it
}

// MaxOthers is how many conflicting values an entry lists: an editor's
// import can give one period of one indicator 100.000 values, and a page
// names a few of them and counts the rest.
const MaxOthers = 5

// CompareEntry is a locality's value in a comparison, and the other
// values sources give for the same indicator, period and direction.
type CompareEntry struct {
	Locality   Locality
	Figure     Figure
	Others     []Figure // conflicting values (not deprecated), newest source first: the first MaxOthers
	OtherCount int      // conflicting values in all
	Units      *Figure  // the sub-units Figure sums over, when it names them
	Base       *Figure  // the cadres (or posts) Figure names as its base
}

// Conflict reports whether sources disagree about the entry's value.
func (e CompareEntry) Conflict() bool { return e.OtherCount > 0 }

// Latest is what storage selects for CompareLatest at scale: of each
// locality's latest period per indicator and direction, the figure
// chosen and its first MaxOthers conflicting values (postgres.
// LatestComparable), and for each chosen figure (by id) how many
// conflicting values there are in all.
type Latest struct {
	Figures     []Figure
	Conflicting map[int64]int
}

// Uncompared are the figures of one category that no comparison holds:
// they fit no indicator, or no other locality reports theirs. Total
// counts them; Figures may hold only the most recent of them (Latest).
type Uncompared struct {
	Category Category
	Figures  []Figure
	Total    int
}

// Latest keeps the n figures with the latest period end (then the
// highest id): what the overview shows of them.
func (u Uncompared) Latest(n int) Uncompared {
	figs := slices.Clone(u.Figures)
	slices.SortStableFunc(figs, func(a, b Figure) int {
		if c := b.PeriodEnd.Compare(a.PeriodEnd); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	u.Figures = figs[:min(n, len(figs))]
	return u
}

// Compare builds the comparisons of locs from figs: one per indicator (and
// direction) that at least two of the localities report. A locality's
// value is its latest period's; of several values for one period, the
// preferred one, else the one from the latest source, and the others are
// kept as conflicts when they differ. Parts of other figures and
// deprecated values are never compared. Comparisons come in category
// order, then in the indicators' order (their ids: the catalogue's), a
// rotation's directions from the top level down. The figures left over are
// returned by category, so that a page can list them instead of drawing a
// chart that suggests they compare.
//
// Only the figures of each locality's latest period per indicator and
// direction decide the comparisons, and of those only the one chosen and
// its first MaxOthers conflicting values: given just those (as storage
// selects them at scale, postgres.LatestComparable) and their counts,
// CompareLatest returns the same comparisons; the figures left over must
// then be read apart.
func Compare(locs []Locality, figs []Figure) ([]Comparison, []Uncompared) {
	return compare(locs, figs, nil)
}

// CompareLatest is Compare over what storage selected (see Latest): the
// same comparisons as Compare gives from every figure.
func CompareLatest(locs []Locality, l Latest) []Comparison {
	cs, _ := compare(locs, l.Figures, l.Conflicting)
	return cs
}

// compare is Compare; conflicting, when given, counts the conflicting
// values of chosen figures whose others figs holds only the first of.
func compare(locs []Locality, figs []Figure, conflicting map[int64]int) ([]Comparison, []Uncompared) {
	type group struct {
		loc  int
		key  CompareKey
		figs []Figure
	}
	locIndex := map[string]int{}
	for i, l := range locs {
		locIndex[l.Slug] = i
	}
	groups := map[CompareKey]map[int]*group{}
	var keys []CompareKey
	for _, f := range figs {
		li, ok := locIndex[f.Locality.Slug]
		if !ok || !f.Comparable() {
			continue
		}
		k := f.Key()
		if groups[k] == nil {
			groups[k] = map[int]*group{}
			keys = append(keys, k)
		}
		g := groups[k][li]
		if g == nil {
			g = &group{loc: li, key: k}
			groups[k][li] = g
		}
		g.figs = append(g.figs, f)
	}
	var out []Comparison
	compared := map[int64]bool{}
	for _, k := range keys {
		byLoc := groups[k]
		if len(byLoc) < 2 {
			continue
		}
		var c Comparison
		for i, l := range locs {
			g := byLoc[i]
			if g == nil {
				c.Missing = append(c.Missing, l)
				continue
			}
			e := choose(l, g.figs)
			if n, ok := conflicting[e.Figure.ID]; ok {
				e.OtherCount = n
			}
			c.Entries = append(c.Entries, e)
			for _, f := range g.figs {
				compared[f.ID] = true
			}
		}
		ind := c.Entries[0].Figure.Indicator
		c.Indicator, c.FromLevel, c.ToLevel = *ind, k.FromLevel, k.ToLevel
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Comparison) int {
		ca, cb := a.Entries[0].Figure.Category.Order, b.Entries[0].Figure.Category.Order
		if ca != cb {
			return ca - cb
		}
		if a.Indicator.ID != b.Indicator.ID {
			return cmpInt(a.Indicator.ID, b.Indicator.ID)
		}
		return compareTiers(a, b)
	})
	var rest []Uncompared
	for _, f := range figs {
		if _, ok := locIndex[f.Locality.Slug]; !ok || compared[f.ID] || f.Completeness == Part {
			continue
		}
		i := slices.IndexFunc(rest, func(u Uncompared) bool { return u.Category.Code == f.Category.Code })
		if i < 0 {
			rest = append(rest, Uncompared{Category: f.Category})
			i = len(rest) - 1
		}
		rest[i].Figures = append(rest[i].Figures, f)
		rest[i].Total++
	}
	slices.SortStableFunc(rest, func(a, b Uncompared) int { return a.Category.Order - b.Category.Order })
	return out, rest
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareTiers(a, b Comparison) int {
	if a.Indicator.Key != b.Indicator.Key {
		return 0 // keep the order figures came in
	}
	rank := func(l Level) int { return slices.Index(Tiers, l) }
	if d := rank(a.FromLevel) - rank(b.FromLevel); d != 0 {
		return d
	}
	return rank(a.ToLevel) - rank(b.ToLevel)
}

// choose picks a locality's value among its figures of one indicator.
func choose(l Locality, figs []Figure) CompareEntry {
	latest := figs[0].PeriodEnd
	for _, f := range figs {
		if f.PeriodEnd.After(latest) {
			latest = f.PeriodEnd
		}
	}
	var same []*Figure // pointers: a Figure is large to move while sorting
	for i := range figs {
		if figs[i].PeriodEnd.Equal(latest) {
			same = append(same, &figs[i])
		}
	}
	// Of one period: the preferred value, else the latest source's.
	slices.SortStableFunc(same, func(a, b *Figure) int {
		if (a.Rank == RankPreferred) != (b.Rank == RankPreferred) {
			if a.Rank == RankPreferred {
				return -1
			}
			return 1
		}
		if c := b.Source.PublishedOn.Compare(a.Source.PublishedOn); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	e := CompareEntry{Locality: l, Figure: *same[0]}
	for _, f := range same[1:] {
		if f.PeriodStart.Equal(e.Figure.PeriodStart) && f.Value != e.Figure.Value {
			e.OtherCount++
			if len(e.Others) < MaxOthers {
				e.Others = append(e.Others, *f)
			}
		}
	}
	return e
}

// Conflicts lists, for one locality's figures, the groups of values that
// sources disagree on: same indicator, direction and period, different
// values, none of them deprecated or a part.
func Conflicts(figs []Figure) [][]Figure {
	type key struct {
		k          CompareKey
		start, end time.Time
	}
	groups := map[key][]Figure{}
	var order []key
	for _, f := range figs {
		if !f.Comparable() {
			continue
		}
		k := key{f.Key(), f.PeriodStart, f.PeriodEnd}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	var out [][]Figure
	for _, k := range order {
		g := groups[k]
		if slices.ContainsFunc(g[1:], func(f Figure) bool { return f.Value != g[0].Value }) {
			out = append(out, g)
		}
	}
	return out
}
