package synth

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Shares of figures with each feature.
const (
	noIndicatorShare = 0.03  // fits no indicator
	partsShare       = 0.10  // a total followed by its parts
	conflictShare    = 0.05  // per source: a value that an earlier source gave otherwise
	directionShare   = 0.35  // of rotations: between two levels
	targetShare      = 0.02  // a target or plan, whose period may end after its source
	unverifiedShare  = 0.04  // entered, not yet checked by a second editor
	deletedShare     = 0.002 // soft-deleted
)

// groupKey is what the preferred index keeps unique: one preferred
// value per locality, indicator, period and direction.
type groupKey struct {
	loc, ind   int64
	start, end time.Time
}

// spec is a figure a later source may give another value for.
type spec struct {
	ind        stats.Indicator
	p          period
	value      float64
	preferred  bool
	denom      *float64
	termKey    string
	termID     int64
	fromSource int64
}

// state is the running generation: ids, and per locality the last value
// a conflict may contradict.
type state struct {
	g                  *Generator
	sourceID, figureID int64
	preferred          map[groupKey]bool
	yield              func(stats.LoadFigure) bool
	r                  *rand.Rand
	loc                *stats.Locality
	src                stats.Source
	last               *spec
	pool               []int // indicators not yet used in the current source
}

func (st *state) emit(f stats.LoadFigure) bool { return st.yield(f) }

// locality generates the figures of the i-th locality, source by source.
func (st *state) locality(i int) bool {
	st.r = rand.New(rand.NewPCG(st.g.opt.Seed, uint64(i)<<1))
	st.loc = st.g.plans[i].loc
	st.last = nil
	for j, s := range st.g.sourcesOf(i) {
		s.ID = st.sourceID
		st.sourceID++
		st.src = s.Source
		if !st.source(s.figures, j > 0) {
			return false
		}
	}
	return true
}

// source fills one article's k figures: each indicator at most once,
// sometimes a total with its parts, sometimes a value an earlier article
// gave otherwise.
func (st *state) source(k int, conflicts bool) bool {
	r := st.r
	pool := st.pool[:0]
	var next *spec
	for k > 0 {
		if conflicts && st.last != nil && r.Float64() < conflictShare {
			if !st.conflict(*st.last) {
				return false
			}
			conflicts = false
			k--
			continue
		}
		if len(pool) == 0 {
			for i := range st.g.inds {
				pool = append(pool, i)
			}
			r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		}
		var ind *stats.Indicator
		if r.Float64() >= noIndicatorShare {
			ind = &st.g.inds[pool[len(pool)-1]]
			pool = pool[:len(pool)-1]
			if ind.Unit == "communes" && st.loc.Level == stats.LevelCommune {
				continue // a commune counts no communes
			}
		}
		n := 1
		if ind != nil && ind.Unit != "percent" && ind.Unit != "communes" && k >= 3 && r.Float64() < partsShare {
			n = min(k, 3+r.IntN(3)) // the total and 2 to 4 parts
		}
		sp, ok := st.figure(ind, n-1)
		if !ok {
			return false
		}
		if sp != nil && next == nil {
			next = sp
		}
		k -= n
	}
	st.pool = pool
	if next != nil {
		st.last = next
	}
	return true
}

// figure emits one figure (and parts of it) and returns what a later
// source may contradict, if anything.
func (st *state) figure(ind *stats.Indicator, parts int) (*spec, bool) {
	r := st.r
	f := st.base()
	var measure stats.Measure
	if ind == nil {
		x := noIndicator[r.IntN(len(noIndicator))]
		f.Category, f.Unit, f.Subject = x.category, x.unit, x.subject
		measure = x.measure
	} else {
		f.Category, f.Unit, f.IndicatorKey, f.IndicatorID = ind.Category, ind.Unit, ind.Key, ind.ID
		f.Subject = subjectOf(*ind)
		measure = ind.Measure
	}
	target := measure == stats.Flow && parts == 0 && r.Float64() < targetShare
	p := st.period(measure, target)
	f.PeriodStart, f.PeriodEnd, f.Target = p.start, p.end, target
	if p.term != nil && p.named {
		f.TermKey, f.TermID = p.term.Key, p.term.ID
	}
	if f.Category == "rotation" && parts == 0 && r.Float64() < directionShare {
		d := directions(st.loc)[r.IntN(len(directions(st.loc)))]
		f.FromLevel, f.ToLevel = d[0], d[1]
	}
	f.Value, f.Denominator = st.value(f.Category, f.Unit, p)
	if parts > 0 && f.Value < float64(parts+2) {
		f.Value = float64(parts*3 + r.IntN(20))
	}
	f.Qualifier, f.Completeness, f.Scope = "exact", stats.Complete, stats.ScopeOwn
	switch x := r.Float64(); {
	case parts > 0:
	case x < 0.07:
		f.Qualifier, f.Completeness = "at_least", stats.LowerBound
	case x < 0.09 && f.Unit != "percent":
		f.Completeness = stats.LowerBound // a list the article calls examples
	case x < 0.13:
		f.Qualifier = "approximate"
	}
	if parts > 0 {
		return nil, st.withParts(f, ind, p, parts)
	}
	f.Quote = quote(r, st.loc, p, f.FigureInput, nil)
	plain := ind != nil && f.FromLevel == "" && !target && f.Completeness == stats.Complete
	if plain && r.Float64() < deletedShare {
		f.Deleted = true
		plain = false
	}
	if !st.emit(f) {
		return nil, false
	}
	if !plain {
		return nil, true
	}
	return &spec{ind: *ind, p: p, value: f.Value, denom: f.Denominator, termKey: f.TermKey, termID: f.TermID,
		fromSource: st.src.ID}, true
}

// base is a figure of the current locality and source.
func (st *state) base() stats.LoadFigure {
	f := stats.LoadFigure{LocalityID: st.loc.ID, SourceID: st.src.ID, Verified: st.r.Float64() >= unverifiedShare}
	f.ID = st.figureID
	st.figureID++
	f.LocalitySlug, f.SourceKey, f.Rank = st.loc.Slug, st.src.Key, stats.RankNormal
	return f
}

// withParts emits a total and its parts in one sentence. Most parts add
// up to their total; a quarter fall short (the article does not itemise
// every case) and a few exceed it (a contradiction the page points out).
func (st *state) withParts(total stats.LoadFigure, ind *stats.Indicator, p period, parts int) bool {
	r := st.r
	values := make([]float64, parts)
	sum := total.Value
	switch x := r.Float64(); {
	case x < 0.25:
		sum = math.Max(float64(parts), math.Floor(total.Value*(0.6+0.3*r.Float64())))
	case x < 0.30:
		sum = total.Value + float64(1+r.IntN(5))
	}
	left := sum
	for i := range values {
		if i == parts-1 {
			values[i] = left
			break
		}
		share := math.Floor(left * (0.2 + 0.5*r.Float64()))
		share = math.Max(1, math.Min(share, left-float64(parts-1-i)))
		values[i] = share
		left -= share
	}
	descs := partDescriptions(r, total.Category, parts, st.loc)
	list := make([]partText, parts)
	for i := range values {
		list[i] = partText{value: values[i], desc: descs[i].text}
	}
	total.Quote = quote(r, st.loc, p, total.FigureInput, list)
	if !st.emit(total) {
		return false
	}
	for i, v := range values {
		f := st.base()
		f.Category, f.Unit, f.IndicatorKey, f.IndicatorID = total.Category, total.Unit, total.IndicatorKey, total.IndicatorID
		f.PeriodStart, f.PeriodEnd, f.TermKey, f.TermID = total.PeriodStart, total.PeriodEnd, total.TermKey, total.TermID
		f.Subject = total.Subject + ": " + descs[i].text
		f.Value, f.Qualifier, f.Completeness, f.Scope = v, "exact", stats.Part, stats.ScopeOwn
		f.FromLevel, f.ToLevel = descs[i].from, descs[i].to
		parent := total.ID
		f.ParentID = &parent
		f.Quote = total.Quote
		if !st.emit(f) {
			return false
		}
	}
	return true
}

// conflict emits another value for what an earlier source reported: the
// same indicator and period. Ranked preferred (at most one per group),
// deprecated, or left for the reader, as editors would.
func (st *state) conflict(s spec) bool {
	r := st.r
	f := st.base()
	f.Category, f.Unit, f.IndicatorKey, f.IndicatorID = s.ind.Category, s.ind.Unit, s.ind.Key, s.ind.ID
	f.Subject = subjectOf(s.ind)
	f.PeriodStart, f.PeriodEnd, f.TermKey, f.TermID = s.p.start, s.p.end, s.termKey, s.termID
	f.Qualifier, f.Completeness, f.Scope = "exact", stats.Complete, stats.ScopeOwn
	f.Value, f.Denominator = s.value, s.denom
	for f.Value == s.value {
		switch f.Unit {
		case "percent":
			f.Value = math.Min(100, math.Max(0, s.value+float64(r.IntN(11)-5)))
		case "communes":
			f.Value = math.Max(1, math.Min(*s.denom, s.value+float64(r.IntN(5)-2)))
		default:
			d := math.Max(1, math.Round(s.value*(0.05+0.2*r.Float64())))
			if r.IntN(2) == 0 && s.value > d {
				d = -d
			}
			f.Value = s.value + d
		}
	}
	key := groupKey{st.loc.ID, s.ind.ID, s.p.start, s.p.end}
	switch x := r.Float64(); {
	case x < 0.45 && !st.preferred[key]:
		f.Rank, f.RankReason = stats.RankPreferred, preferredReasons[r.IntN(len(preferredReasons))]
		st.preferred[key] = true
	case x < 0.65:
		f.Rank, f.RankReason = stats.RankDeprecated, deprecatedReasons[r.IntN(len(deprecatedReasons))]
	}
	// A later article states the earlier period by its dates.
	p := s.p
	switch p.kind {
	case pAt:
		p.kind = pYearEnd
	case pSince:
		p.kind = pRange
	}
	f.Quote = quote(r, st.loc, p, f.FigureInput, nil)
	return st.emit(f)
}

// value is a plausible number for the category and unit at the
// locality's level: larger for provinces than communes, for counts at a
// date than for a year's flow, and growing with the years a flow covers.
func (st *state) value(category, unit string, p period) (float64, *float64) {
	r := st.r
	switch unit {
	case "percent":
		v := float64(5 + r.IntN(94))
		if r.Float64() < 0.4 {
			v += float64(1+r.IntN(9)) / 10
		}
		return math.Min(v, 100), nil
	case "communes":
		d := float64(8 + r.IntN(20))
		return float64(1 + r.IntN(int(d))), &d
	}
	base := levelScale[st.loc.Level]
	factor, ok := categoryScale[category]
	if !ok {
		factor = 1
	}
	switch unit {
	case "cases":
		factor *= 1.2
	case "turns":
		factor *= 1.3
	case "organisations":
		factor *= 0.2
	}
	years := math.Min(5, math.Max(1, p.end.Sub(p.start).Hours()/24/365.25))
	if p.stock {
		years = 1
	}
	v := math.Round(base * factor * years * math.Exp(0.6*r.NormFloat64()))
	return math.Max(1, v), nil
}

var levelScale = map[stats.Level]float64{stats.LevelNational: 800, stats.LevelProvince: 120,
	stats.LevelProvincialCity: 25, stats.LevelDistrict: 20, stats.LevelCommune: 3}

var categoryScale = map[string]float64{"training": 4, "workforce": 12, "party": 60, "evaluation": 5, "planning": 4,
	"recruitment": 2, "documents": 0.3, "discipline": 0.4, "streamlining": 0.8, "rotation": 0.8,
	"placement": 0.6, "planning_removal": 0.5, "planning_addition": 1.2}

// directions are the moves between levels a locality's articles report:
// none through the district level after it was abolished.
func directions(l *stats.Locality) [][2]stats.Level {
	const n, p, d, c = stats.LevelNational, stats.LevelProvince, stats.LevelDistrict, stats.LevelCommune
	if l.ValidFrom != nil {
		return [][2]stats.Level{{p, c}, {c, p}, {n, p}, {p, n}}
	}
	return [][2]stats.Level{{p, d}, {d, c}, {p, c}, {d, p}, {c, d}, {n, p}, {p, n}}
}

// noIndicator are figures articles report that fit no indicator.
var noIndicator = []struct {
	category, unit, subject string
	measure                 stats.Measure
}{
	{"appointment", "persons", "cán bộ được điều động, bổ nhiệm giữ chức vụ cao hơn", stats.Flow},
	{"training", "turns", "lượt cán bộ đi học tập kinh nghiệm", stats.Flow},
	{"workforce", "persons", "cán bộ có trình độ lý luận chính trị cao cấp", stats.Stock},
	{"evaluation", "persons", "cán bộ được khen thưởng", stats.Flow},
	{"documents", "documents", "quy chế, quy định được sửa đổi, bổ sung", stats.Flow},
	{"party", "persons", "quần chúng ưu tú được kết nạp Đảng", stats.Flow},
	{"placement", "persons", "cán bộ được bố trí không phải người địa phương", stats.Stock},
	{"recruitment", "persons", "người được tiếp nhận vào công chức không qua thi tuyển", stats.Flow},
}

var preferredReasons = []string{
	"Số liệu chính thức theo báo cáo tổng kết của Ban Tổ chức.",
	"Báo cáo sau thay thế số liệu sơ bộ.",
	"Số liệu đã được cơ quan tổ chức cán bộ xác nhận.",
}

var deprecatedReasons = []string{
	"Số liệu sơ bộ, đã được đính chính.",
	"Bài báo ghi nhầm số liệu.",
	"Trùng lặp với số liệu của kỳ trước.",
}
