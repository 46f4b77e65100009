package stats

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// A view says how the bars of a comparison are made comparable: values as
// reported, per year of their period, per sub-unit a sum runs over, or per
// 100 cadres under the committee's management. The rules of which view a
// comparison needs, and which bars it must leave out, live here; charts
// only draw what a ComparisonView holds.

// Per values: how periods are treated.
const (
	PerAuto     = ""         // per year when the periods of a flow differ
	PerReported = "reported" // as reported
	PerYear     = "year"     // flows per year of their period
)

// Base values: what the values are divided by.
const (
	BaseAuto     = ""         // per sub-unit when scopes differ
	BaseReported = "reported" // as reported, the scope said on every bar
	BaseUnit     = "unit"     // per sub-unit
	BaseCadres   = "cadres"   // per 100 cadres under management (or posts)
)

// Pers and Bases list the values a reader may choose.
var (
	Pers  = []string{PerAuto, PerReported, PerYear}
	Bases = []string{BaseAuto, BaseReported, BaseUnit, BaseCadres}
)

// View is the reader's choice (or none) of per and base.
type View struct {
	Per  string
	Base string
}

// ParseView reads the query parameters per and base. Errors:
// *ValidationError naming the parameter.
func ParseView(per, base string) (View, error) {
	v := &ValidationError{}
	if !slices.Contains(Pers, per) {
		v.Add("per", "error.view.per", "")
	}
	if !slices.Contains(Bases, base) {
		v.Add("base", "error.view.base", "")
	}
	return View{Per: per, Base: base}, v.Err()
}

// Reasons a bar is left out of a view, or a comparison not drawn.
const (
	LackSubUnits = "lack_sub_units" // a sum over sub-units whose number is not known
	LackBase     = "lack_base"      // no figure of the cadres (or posts) it can be read against
	LackLevels   = "all_levels"     // a sum over every level: no number of units divides it
	LackCount    = "not_count"      // a share is not divided by cadres

	NotDrawnScope = "scope"          // scopes differ and no per-unit view can be made fair
	NotDrawnBase  = "no_denominator" // the chosen view leaves fewer than two bars
)

// ViewBar is one locality's value as the view draws it.
type ViewBar struct {
	Entry   CompareEntry
	Value   float64 // what is drawn
	Years   float64 // > 0: divided by these years
	Divisor float64 // > 0: divided by this (sub-units, or cadres / 100)
	Units   *Figure // the figure of sub-units used
	Base    *Figure // the figure of cadres or posts used
}

// LeftOut is a locality with a value the view cannot draw, and why.
type LeftOut struct {
	Entry  CompareEntry
	Reason string
}

// ComparisonView is a comparison as one view draws it.
type ComparisonView struct {
	Comparison
	PerYear bool   // values are per year of their period
	Base    string // BaseReported, BaseUnit or BaseCadres
	// Auto names why the view was chosen for the reader: "period" (periods
	// of a flow differ), "scope" (a sum over sub-units beside a unit's own).
	Auto       []string
	Bars       []ViewBar
	LeftOut    []LeftOut
	Drawn      bool
	Reason     string // why it is not drawn
	MixedScope bool   // bars of different scopes drawn as reported
}

// View applies v to the comparison. Flows over periods of different
// lengths default to per year; counts at a date, results of a round and
// shares never are. Where a sum over sub-units stands beside a unit's own
// count, the default is per sub-unit: each bar divided by the units it
// sums (a unit's own count is one unit's), a bar whose number of units is
// not known is left out and listed; a comparison left with fewer than two
// bars is not drawn and says why.
func (c Comparison) View(v View) ComparisonView {
	cv := ComparisonView{Comparison: c, Base: BaseReported}
	flow := c.Indicator.Measure == Flow && c.Indicator.Unit != "percent"
	switch v.Per {
	case PerYear:
		cv.PerYear = flow
	case PerAuto:
		if flow && c.periodsDiffer() {
			cv.PerYear = true
			cv.Auto = append(cv.Auto, "period")
		}
	}
	scopesDiffer := c.scopesDiffer()
	switch v.Base {
	case BaseUnit, BaseCadres:
		cv.Base = v.Base
	case BaseAuto:
		if scopesDiffer {
			cv.Base = BaseUnit
			cv.Auto = append(cv.Auto, "scope")
		}
	}
	for _, e := range c.Entries {
		b := ViewBar{Entry: e, Value: e.Figure.Value}
		if cv.PerYear {
			if py, ok := e.Figure.PerYear(); ok {
				b.Value, b.Years = py, e.Figure.Years()
			}
		}
		reason := ""
		switch cv.Base {
		case BaseUnit:
			switch f := e.Figure; {
			case f.Scope == ScopeAllLevels:
				reason = LackLevels
			case f.Scope == ScopeSubUnits && (e.Units == nil || e.Units.Value <= 0):
				reason = LackSubUnits
			case f.Scope == ScopeSubUnits:
				b.Units, b.Divisor = e.Units, e.Units.Value
			default:
				b.Divisor = 1
			}
		case BaseCadres:
			switch {
			case !IsCount(c.Indicator.Unit):
				reason = LackCount
			case e.Base == nil || e.Base.Value <= 0:
				reason = LackBase
			default:
				b.Base, b.Divisor = e.Base, e.Base.Value/100
			}
		}
		if reason != "" {
			cv.LeftOut = append(cv.LeftOut, LeftOut{Entry: e, Reason: reason})
			continue
		}
		if b.Divisor > 0 {
			b.Value /= b.Divisor
		}
		b.Value = roundShown(b.Value)
		cv.Bars = append(cv.Bars, b)
	}
	cv.Drawn = len(cv.Bars) >= 2 || (len(cv.Bars) == 1 && len(cv.LeftOut) == 0)
	if !cv.Drawn {
		cv.Reason = NotDrawnBase
		if slices.Contains(cv.Auto, "scope") {
			cv.Reason = NotDrawnScope
		}
	}
	cv.MixedScope = cv.Base == BaseReported && scopesDiffer
	return cv
}

func (c Comparison) periodsDiffer() bool {
	for _, e := range c.Entries[1:] {
		if e.Figure.Years() != c.Entries[0].Figure.Years() {
			return true
		}
	}
	return false
}

func (c Comparison) scopesDiffer() bool {
	for _, e := range c.Entries[1:] {
		if e.Figure.Scope != c.Entries[0].Figure.Scope {
			return true
		}
	}
	return false
}

// DenominatorIDs lists the figures the comparisons' entries name as
// denominators, each once.
func DenominatorIDs(cs []Comparison) []int64 {
	var ids []int64
	add := func(id *int64) {
		if id != nil && !slices.Contains(ids, *id) {
			ids = append(ids, *id)
		}
	}
	for _, c := range cs {
		for _, e := range c.Entries {
			add(e.Figure.SubUnitsID)
			add(e.Figure.BaseID)
		}
	}
	return ids
}

// AttachDenominators sets each entry's Units and Base from figs (by id).
// A deleted or missing denominator is not attached: the view leaves the
// bar out.
func AttachDenominators(cs []Comparison, figs []Figure) {
	byID := make(map[int64]*Figure, len(figs))
	for i := range figs {
		if figs[i].DeletedAt == nil {
			byID[figs[i].ID] = &figs[i]
		}
	}
	for ci := range cs {
		for ei := range cs[ci].Entries {
			e := &cs[ci].Entries[ei]
			if id := e.Figure.SubUnitsID; id != nil {
				e.Units = byID[*id]
			}
			if id := e.Figure.BaseID; id != nil {
				e.Base = byID[*id]
			}
		}
	}
}

// ResolveDenominators reads the figures the comparisons name as
// denominators and attaches them.
func (s *Service) ResolveDenominators(ctx context.Context, cs []Comparison) error {
	ids := DenominatorIDs(cs)
	if len(ids) == 0 {
		return nil
	}
	figs, err := s.store.FiguresByID(ctx, ids)
	if err != nil {
		return fmt.Errorf("read denominators: %w", err)
	}
	AttachDenominators(cs, figs)
	return nil
}

// roundShown keeps one decimal of a computed value (9,7 người/năm), two
// below one (0,97 người/đơn vị/năm) so that a small rate does not read 1.
func roundShown(v float64) float64 {
	if math.Abs(v) >= 1 {
		return math.Round(v*10) / 10
	}
	return math.Round(v*100) / 100
}
