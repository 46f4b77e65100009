// Package synth invents a country's worth of cadre-personnel statistics
// to measure the dashboard at national scale: localities at every level
// before and after the 2025 reorganisation, sources with Vietnamese
// quotes, and figures in every category, indicator and unit, with lower
// bounds, parts, ranked conflicts and a few localities that report tens
// of thousands of figures while most report few. Everything follows from
// a seed, and every figure keeps the rules the domain checks (a test
// proves it). It is a leaf: it sees only stats types and does no I/O.
package synth

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Options choose what to invent.
type Options struct {
	Seed    uint64
	Figures int
}

// Sizes are the sizes cadrestats synth -size names.
var Sizes = map[string]int{"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}

// HeavySlug is the locality that reports a tenth of all figures (100.000
// of a million): one of the five the overview compares by default, as in
// the issue that asked for this generator.
const HeavySlug = "dien-bien"

// Shares of all figures: the heavy locality, each of the big ones, the
// central level; the rest is spread over every other locality.
const (
	heavyShare    = 0.10
	bigLocalities = 9
	bigShare      = 0.02
	nationalShare = 0.005
)

// The time articles are drawn from: twenty years before the
// reorganisation, one after it.
var (
	firstDay = time.Date(2005, time.January, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2026, time.June, 30, 0, 0, 0, 0, time.UTC)
	earliest = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC) // no period starts before
)

// Refs are what figures cite, as stored: every field carries its id.
type Refs = stats.BulkRefs

// Generator invents the sources and figures of one run.
type Generator struct {
	opt      Options
	refs     Refs
	plans    []plan
	bySlug   map[string]*stats.Locality
	inds     []stats.Indicator
	congress []stats.Term
}

// plan is how many figures one locality reports.
type plan struct {
	loc     *stats.Locality
	figures int
}

// New plans a run. Errors: references without ids, no indicators.
func New(opt Options, refs Refs) (*Generator, error) {
	if opt.Figures < 0 {
		return nil, fmt.Errorf("synth: %d figures", opt.Figures)
	}
	if len(refs.Indicators) == 0 {
		return nil, fmt.Errorf("synth: no indicators to report")
	}
	g := &Generator{opt: opt, refs: refs, bySlug: map[string]*stats.Locality{}}
	for i := range refs.Localities {
		l := &refs.Localities[i]
		if l.ID == 0 {
			return nil, fmt.Errorf("synth: locality %s has no id", l.Slug)
		}
		g.bySlug[l.Slug] = l
	}
	for _, ind := range refs.Indicators {
		if ind.DeletedAt == nil {
			g.inds = append(g.inds, ind)
		}
	}
	for _, t := range refs.Terms {
		if t.Kind == "congress" && t.DeletedAt == nil {
			g.congress = append(g.congress, t)
		}
	}
	g.allocate()
	return g, nil
}

// allocate shares the figures among the localities: the heavy one, a few
// big ones, the central level, then every other one by a log-normal
// weight (most report a handful, a few hundreds), provinces more than
// districts and districts more than communes. The counts add up to
// Options.Figures exactly.
func (g *Generator) allocate() {
	r := rand.New(rand.NewPCG(g.opt.Seed, 0xa110c))
	n := len(g.refs.Localities)
	weights := make([]float64, n)
	var provinces []int
	heavy := -1
	for i, l := range g.refs.Localities {
		switch {
		case l.Slug == HeavySlug:
			heavy = i
		case l.Level == stats.LevelProvince:
			provinces = append(provinces, i)
		}
	}
	r.Shuffle(len(provinces), func(i, j int) { provinces[i], provinces[j] = provinces[j], provinces[i] })
	big := provinces[:min(bigLocalities, len(provinces))]
	fixed := 0.0
	if heavy >= 0 {
		weights[heavy] = heavyShare
		fixed += heavyShare
	}
	for _, i := range big {
		weights[i] = bigShare
		fixed += bigShare
	}
	var rest []int
	var restSum float64
	for i, l := range g.refs.Localities {
		if weights[i] > 0 {
			continue
		}
		if l.Level == stats.LevelNational {
			weights[i] = nationalShare
			fixed += nationalShare
			continue
		}
		level := map[stats.Level]float64{stats.LevelProvince: 60, stats.LevelProvincialCity: 8,
			stats.LevelDistrict: 6, stats.LevelCommune: 1}[l.Level]
		w := level * math.Exp(1.5*r.NormFloat64())
		weights[i] = w
		restSum += w
		rest = append(rest, i)
	}
	for _, i := range rest {
		weights[i] = weights[i] / restSum * (1 - fixed)
	}
	// Largest remainder: the counts add up exactly.
	counts := make([]int, n)
	type rem struct {
		i int
		f float64
	}
	rems := make([]rem, n)
	total := 0
	for i, w := range weights {
		x := w * float64(g.opt.Figures)
		counts[i] = int(x)
		total += counts[i]
		rems[i] = rem{i, x - float64(counts[i])}
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.f > b.f:
			return -1
		case a.f < b.f:
			return 1
		}
		return a.i - b.i
	})
	for k := 0; total < g.opt.Figures; k++ {
		counts[rems[k%n].i]++
		total++
	}
	for i := range g.refs.Localities {
		g.plans = append(g.plans, plan{loc: &g.refs.Localities[i], figures: counts[i]})
	}
}

// Counts returns how many figures each locality reports, by slug.
func (g *Generator) Counts() map[string]int {
	out := map[string]int{}
	for _, p := range g.plans {
		out[p.loc.Slug] = p.figures
	}
	return out
}

// source is an article as planned: when, and how many figures it gives.
type source struct {
	stats.Source
	figures int
}

// sourcesOf plans a locality's articles: about seven figures each,
// published at random within the time the locality existed, oldest
// first. It depends only on the seed and the locality's place in the list.
func (g *Generator) sourcesOf(i int) []source {
	p := g.plans[i]
	if p.figures == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(g.opt.Seed, uint64(i)<<1|1))
	lo, hi := window(p.loc)
	var sizes []int
	for left := p.figures; left > 0; {
		k := min(left, 1+int(r.ExpFloat64()*6), 30)
		sizes = append(sizes, k)
		left -= k
	}
	days := int(hi.Sub(lo).Hours()/24) + 1
	dates := make([]time.Time, len(sizes))
	for j := range dates {
		dates[j] = lo.AddDate(0, 0, r.IntN(days))
	}
	slices.SortFunc(dates, time.Time.Compare)
	province := g.provinceOf(p.loc)
	out := make([]source, len(sizes))
	for j, k := range sizes {
		d := dates[j]
		s := stats.Source{
			Key:           fmt.Sprintf("%s%s-%d", stats.SyntheticSourcePrefix, p.loc.Slug, j+1),
			Title:         title(r, p.loc, d),
			Outlet:        outlet(r, p.loc, province),
			Author:        authors[r.IntN(len(authors))],
			PublishedOn:   d,
			PublishedTime: fmt.Sprintf("%02d:%02d", 6+r.IntN(15), r.IntN(60)),
		}
		s.PublishedText = weekdays[d.Weekday()] + ", " + d.Format("02/01/2006") + " " + s.PublishedTime
		out[j] = source{Source: s, figures: k}
	}
	return out
}

// window is the stretch of time a locality's articles may be published in.
func window(l *stats.Locality) (lo, hi time.Time) {
	lo, hi = firstDay, lastDay
	if l.ValidFrom != nil && l.ValidFrom.After(lo) {
		lo = *l.ValidFrom
	}
	if l.ValidTo != nil && l.ValidTo.Before(hi) {
		hi = *l.ValidTo
	}
	return lo, hi
}

// provinceOf is the province a locality lay in (itself for a province).
func (g *Generator) provinceOf(l *stats.Locality) *stats.Locality {
	for l.Level != stats.LevelProvince && l.ParentSlug != "" {
		p, ok := g.bySlug[l.ParentSlug]
		if !ok {
			break
		}
		l = p
	}
	return l
}

// Sources yields every source, ids ascending from Refs.FirstSourceID.
func (g *Generator) Sources() iter.Seq[stats.Source] {
	return func(yield func(stats.Source) bool) {
		id := g.refs.FirstSourceID
		for i := range g.plans {
			for _, s := range g.sourcesOf(i) {
				s.ID = id
				id++
				if !yield(s.Source) {
					return
				}
			}
		}
	}
}

// Figures yields every figure, ids ascending from Refs.FirstFigureID,
// each after the sources it cites and after the total it is a part of.
func (g *Generator) Figures() iter.Seq[stats.LoadFigure] {
	return func(yield func(stats.LoadFigure) bool) {
		st := &state{g: g, sourceID: g.refs.FirstSourceID, figureID: g.refs.FirstFigureID,
			preferred: map[groupKey]bool{}, yield: yield}
		for i := range g.plans {
			if !st.locality(i) {
				return
			}
		}
	}
}
