package extract

import "strings"

// indicatorOf tries the specific rules of the figure's category and unit on
// its own clauses, then with its total's, then (rules that inherit) with
// the clauses before it in the sentence; the category's fallback last.
func (d *doc) indicatorOf(figs []fig, k int) {
	f := &figs[k]
	own := f.own()
	with := func(sp span) []span { return append(append([]span{}, own...), sp) }
	contexts := [][]span{own}
	if f.parent >= 0 {
		contexts = append(contexts, with(figs[f.parent].span))
	}
	if f.inherited >= 0 { // "luân chuyển từ tỉnh về huyện 24 đồng chí, từ huyện lên tỉnh 9 đồng chí"
		contexts = append(contexts, with(figs[f.inherited].span))
		// "Cử đi đào tạo trung cấp …: 150 học viên; cao cấp …: 18 đồng chí":
		// the list's verb says what the item counts.
		if sent := figs[f.inherited].indicator; strings.HasPrefix(sent, "sent-") {
			contexts[0], contexts[len(contexts)-1] = contexts[len(contexts)-1], contexts[0]
		}
	}
	lead := f.lead
	if lead < 0 && f.inherited >= 0 { // "… Năm 2022 là 13 người; năm 2023 là 15 người": the list's lead
		lead = figs[f.inherited].lead
	}
	if lead >= 0 { // "… luân chuyển 46 cán bộ về cơ sở. Năm 2022 có 20 đồng chí"
		contexts = append(contexts, with(figs[lead].span))
	}
	var earlier [][]span
	for j := k - 1; j >= 0 && figs[j].sent == f.sent; j-- {
		if figs[j].num != f.num {
			earlier = append(earlier, with(figs[j].span))
		}
	}
	for ci, ctx := range contexts {
		for _, ir := range d.r.indicators {
			if !ir.fallback && ir.category == f.category && ir.unit == f.unit && d.fits(ir, ctx) {
				f.indicator = ir.key
				f.viaParent = ci > 0 && f.parent >= 0 && ctx[len(ctx)-1] == figs[f.parent].span
				return
			}
		}
	}
	for _, ir := range d.r.indicators {
		if !ir.inherit || ir.category != f.category || ir.unit != f.unit {
			continue
		}
		for _, ctx := range earlier {
			if d.fits(ir, ctx) {
				f.indicator = ir.key
				return
			}
		}
	}
	for _, ir := range d.r.indicators {
		if ir.fallback && ir.category == f.category && ir.unit == f.unit && d.fits(ir, contexts[0]) {
			f.indicator = ir.key
			return
		}
	}
}

func (d *doc) fits(ir compiledIndicator, ctx []span) bool {
	in := func(ps []phrase) bool {
		for _, s := range ctx {
			if has(d.toks, s.from, s.to, ps) {
				return true
			}
		}
		return false
	}
	for _, g := range ir.all {
		if !in(g) {
			return false
		}
	}
	if len(ir.not) > 0 && in(ir.not) {
		return false
	}
	if ir.managed == anyManager {
		return true
	}
	own, higher := d.managers(ctx)
	switch ir.managed {
	case ownManager:
		return own && !higher
	case higherManager:
		return higher
	case notHigher:
		return !higher
	}
	return true
}

// tiers rank levels from the top: a committee of a lower rank than the
// locality's manages from above.
var tiers = map[string]int{"national": 0, "province": 1, "provincial_city": 2, "district": 2, "commune": 3}

// managers reads "diện BTV Tỉnh ủy quản lý" in the context: is it the
// locality's own committee, a higher one?
func (d *doc) managers(ctx []span) (own, higher bool) {
	mine, ok := tiers[d.level]
	if !ok {
		mine = 2
	}
	for _, s := range ctx {
		for _, m := range find(d.toks, s.from, s.to, []phrase{d.r.managing}) {
			for _, c := range d.r.committees {
				if !d.before(m.from, max(s.from, m.from-3), c.words) {
					continue
				}
				level := c.level
				if level == "city" {
					level = "province"
					if d.level == "provincial_city" {
						level = "district"
					}
				}
				switch t := tiers[level]; {
				case t < mine:
					higher = true
				case t == mine:
					own = true
				}
			}
		}
	}
	return own, higher
}
