package stats

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/provinces"
)

// The province map colours the provinces of one period of the country by
// one comparison, drawn by the rules of the charts (Comparison.View): a
// province is coloured only by a value the view draws; one the view
// leaves out, or that reports nothing, is not. Only province-level
// figures are drawn: the figures of districts and communes are never
// added up into their province's, since the app never adds what the
// article did not.

// Eras of the map: the 63 provinces until 30 June 2025, the 34 since.
const (
	Era63 = "63"
	Era34 = "34"
)

// Eras lists the maps a reader may choose; "" is Era63.
var Eras = []string{"", Era63, Era34}

// reorganised is the first day of the 34 provinces.
var reorganised = time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC)

// ParseEra reads the query parameter era. Errors: *ValidationError.
func ParseEra(s string) (string, error) {
	if !slices.Contains(Eras, s) {
		v := &ValidationError{}
		v.Add("era", "error.map.era", s)
		return "", v
	}
	if s == "" {
		return Era63, nil
	}
	return s, nil
}

// InEra reports whether a province-level locality is one of the era's:
// of the 63 when it existed before 1 July 2025 and bears one of their
// names, of the 34 when it exists since and bears one of theirs. A
// province left unchanged (no dates) is of both.
func InEra(l Locality, era string, t provinces.Table) (name string, ok bool) {
	if l.Level != LevelProvince {
		return "", false
	}
	switch era {
	case Era63:
		if l.ValidFrom != nil && !l.ValidFrom.Before(reorganised) {
			return "", false
		}
		o, ok := t.OldByName(l.Name)
		return o.Name, ok
	case Era34:
		if l.ValidTo != nil && l.ValidTo.Before(reorganised) {
			return "", false
		}
		n, ok := t.NewByName(l.Name)
		return n.Name, ok
	}
	return "", false
}

// MapArea is one province of the map.
type MapArea struct {
	Name     string    // as the boundary file names it: "Điện Biên"
	Prefix   string    // "tỉnh", "thành phố"
	Members  []string  // of a province of the 34: the names of the old ones it unites
	Locality *Locality // the locality the app holds for it, if any
	Bar      *ViewBar  // its value as the view draws it: the area is coloured
	LeftOut  *LeftOut  // a value the view cannot draw, and why: not coloured
}

// ProvinceMap is one era's map of one comparison.
type ProvinceMap struct {
	Era   string
	Areas []MapArea // every province of the era, in the table's order
	// Comparisons are every comparison the era's provinces make (at least
	// two of them report it), for the reader to choose from.
	Comparisons []Comparison
	View        *ComparisonView // the one drawn; nil when none is chosen or it is not made
	// Indicator is the chosen indicator's key; set when View is nil
	// because fewer than two of the era's provinces report it.
	Indicator string
	Unmatched []Locality // province-level localities of no map province (by name)
}

// Drawn counts the areas coloured.
func (m ProvinceMap) Drawn() int {
	n := 0
	for _, a := range m.Areas {
		if a.Bar != nil {
			n++
		}
	}
	return n
}

// ProvinceMap builds the era's map of the comparison f.Indicators names
// (its first, and of a rotation's directions the one given, else the
// first), drawn as v says, over the filter's period, terms and
// verification. Without an indicator it only lists the comparisons.
// Errors: *ValidationError, ErrUnavailable.
func (s *Service) ProvinceMap(ctx context.Context, f FigureFilter, era string, dir CompareKey, v View) (ProvinceMap, error) {
	m := ProvinceMap{Era: era}
	tab, err := provinces.Load()
	if err != nil {
		return m, err
	}
	if err := s.CheckFilter(ctx, FigureFilter{Indicators: f.Indicators, Terms: f.Terms, From: f.From, To: f.To}); err != nil {
		return m, err
	}
	all, err := s.store.Provinces(ctx)
	if err != nil {
		return m, err
	}
	switch era {
	case Era63:
		for _, o := range tab.Old {
			m.Areas = append(m.Areas, MapArea{Name: o.Name, Prefix: o.Prefix})
		}
	case Era34:
		for _, n := range tab.New {
			a := MapArea{Name: n.Name, Prefix: n.Prefix}
			for _, c := range n.Members {
				o, _ := tab.OldByCode(c)
				a.Members = append(a.Members, o.Name)
			}
			m.Areas = append(m.Areas, a)
		}
	default:
		return m, fmt.Errorf("province map: era %q", era)
	}
	var locs []Locality
	for i := range all {
		l := all[i]
		name, ok := InEra(l, era, tab)
		if !ok {
			if _, other := InEra(l, otherEra(era), tab); !other {
				m.Unmatched = append(m.Unmatched, l)
			}
			continue
		}
		j := slices.IndexFunc(m.Areas, func(a MapArea) bool { return a.Name == name })
		if m.Areas[j].Locality != nil {
			m.Unmatched = append(m.Unmatched, l) // a second unit of one name: not drawn
			continue
		}
		m.Areas[j].Locality = &l
		locs = append(locs, l)
	}
	own := FigureFilter{Terms: f.Terms, From: f.From, To: f.To, VerifiedOnly: f.VerifiedOnly}
	latest, err := s.store.LatestComparable(ctx, locs, own)
	if err != nil {
		return m, err
	}
	m.Comparisons = CompareLatest(locs, latest)
	if len(f.Indicators) == 0 {
		return m, nil
	}
	key := f.Indicators[0]
	i := slices.IndexFunc(m.Comparisons, func(c Comparison) bool {
		return c.Indicator.Key == key && (dir.FromLevel == "" || (c.FromLevel == dir.FromLevel && c.ToLevel == dir.ToLevel))
	})
	if i < 0 {
		m.Indicator = key
		return m, nil
	}
	cmp := []Comparison{m.Comparisons[i]}
	if err := s.ResolveDenominators(ctx, cmp); err != nil {
		return m, err
	}
	cv := cmp[0].View(v)
	m.View = &cv
	area := func(slug string) *MapArea {
		for j := range m.Areas {
			if l := m.Areas[j].Locality; l != nil && l.Slug == slug {
				return &m.Areas[j]
			}
		}
		return nil
	}
	if cv.Drawn {
		for j := range cv.Bars {
			if a := area(cv.Bars[j].Entry.Locality.Slug); a != nil {
				a.Bar = &cv.Bars[j]
			}
		}
	}
	for j := range cv.LeftOut {
		if a := area(cv.LeftOut[j].Entry.Locality.Slug); a != nil {
			a.LeftOut = &cv.LeftOut[j]
		}
	}
	if !cv.Drawn {
		// Not drawn at all: every reported value is listed with the reason.
		for _, b := range cv.Bars {
			if a := area(b.Entry.Locality.Slug); a != nil && a.LeftOut == nil {
				a.LeftOut = &LeftOut{Entry: b.Entry, Reason: cv.Reason}
			}
		}
	}
	return m, nil
}

func otherEra(era string) string {
	if era == Era63 {
		return Era34
	}
	return Era63
}

// ParseLevels reads the query parameter levels, a rotation's direction
// "province-district" (from, to); "" is none. Errors: *ValidationError.
func ParseLevels(s string) (CompareKey, error) {
	if s == "" {
		return CompareKey{}, nil
	}
	from, to, ok := strings.Cut(s, "-")
	k := CompareKey{FromLevel: Level(from), ToLevel: Level(to)}
	if !ok || !k.FromLevel.Valid() || !k.ToLevel.Valid() {
		v := &ValidationError{}
		v.Add("levels", "error.map.levels", s)
		return CompareKey{}, v
	}
	return k, nil
}

// MapEra is the era of the province map a comparison can be drawn on: the
// first whose provinces are at least two of its entries (ProvinceMap
// compares nothing with fewer). ok is false when it compares fewer than
// two province-level localities of one era: its map would colour nothing.
func MapEra(c Comparison, t provinces.Table) (era string, ok bool) {
	for _, era := range []string{Era63, Era34} {
		names := map[string]bool{}
		for _, e := range c.Entries {
			if name, in := InEra(e.Locality, era, t); in {
				names[name] = true
			}
		}
		if len(names) >= 2 {
			return era, true
		}
	}
	return "", false
}
