package extract

import (
	"math"
	"slices"
	"strings"
)

// cueMatch is a category cue found in a sentence.
type cueMatch struct {
	span
	rule int // index in rules.categories
}

// item is the stretch of a sentence that one number's figure rests on:
// the clause holding the number and the clauses without numbers that lead
// into it or continue it.
type item struct {
	span
	clause span // the clause holding the number
	seg    int  // the ;-separated segment of the sentence
	num    int  // index in doc.numbers
}

// fig is a figure being assembled.
type fig struct {
	item
	sent      int
	unit      string
	unitEnd   int // token after the unit noun
	category  string
	strength  strength
	cue       span // the cue's tokens; from == to when none
	inherited int  // the fig whose category this one took (a list: "8 trưởng phòng, 9 phó …"), or -1
	indicator string
	measure   string
	qualifier string
	parent    int // index in doc figs, or -1
	complete  string
	period    *timePhrase
	term      string
	target    bool
	fromLevel string
	toLevel   string
	locality  string
	viaParent bool   // the indicator was read with the total's clause
	drop      string // a reason to list it apart after all
}

func (d *doc) prepareSentence(si int) {
	s := &d.sents[si]
	d.timePhrases(s)
	for _, m := range find(d.toks, s.t0, s.t1, d.r.masked) {
		s.mask = append(s.mask, m.span)
	}
	var all []cueMatch
	for ri, c := range d.r.categories {
		for _, m := range find(d.toks, s.t0, s.t1, c.cues) {
			if !overlapsAny(m.span, s.mask) {
				all = append(all, cueMatch{span: m.span, rule: ri})
			}
		}
	}
	// The longest cue wins where cues overlap: "đưa ra khỏi quy hoạch" is
	// not "quy hoạch".
	slices.SortStableFunc(all, func(a, b cueMatch) int {
		if la, lb := a.to-a.from, b.to-b.from; la != lb {
			return lb - la
		}
		return a.from - b.from
	})
	var kept []cueMatch
	for _, m := range all {
		ok := true
		for _, k := range kept {
			if m.from < k.to && k.from < m.to {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, m)
		}
	}
	slices.SortFunc(kept, func(a, b cueMatch) int { return a.from - b.from })
	s.cues = kept
	for from := s.t0; from < s.t1; {
		to := from
		for to < s.t1 && d.toks[to].key != ";" {
			to++
		}
		s.segs = append(s.segs, span{from, to})
		from = to + 1
	}
}

// hasCueIn reports whether the sentence has a cue at least as strong as
// min inside sp.
func (d *doc) hasCueIn(si int, sp span, min strength) bool {
	for _, m := range d.sents[si].cues {
		if m.from >= sp.from && m.to <= sp.to && d.r.categories[m.rule].strength >= min {
			return true
		}
	}
	return false
}

func overlapsAny(s span, ss []span) bool {
	for _, x := range ss {
		if s.from < x.to && x.from < s.to {
			return true
		}
	}
	return false
}

// buildFigures finds the figures of every sentence, then settles what
// depends on other figures (totals and parts, lists, repeated headlines).
func (d *doc) buildFigures() {
	var figs []fig
	for si := range d.sents {
		items := d.items(si)
		inItem := map[int]bool{}
		for _, it := range items {
			inItem[it.num] = true
		}
		for k, n := range d.numbers { // a number sharing a clause with a count, but counting nothing ("12 lớp … cho 1.500 lượt cán bộ")
			if n.sent == si && n.reason == "" && !n.consumed && !inItem[k] {
				d.numbers[k].reason = ReasonNoUnit
			}
		}
		for _, it := range items {
			f := fig{item: it, sent: si, inherited: -1, parent: -1}
			d.unitOf(&f, figs)
			if f.unit == "" {
				d.numbers[f.num].reason = ReasonNoUnit
				continue
			}
			d.categoryOf(&f, figs)
			if f.category == "" {
				d.numbers[f.num].reason = ReasonNoCategory
				continue
			}
			figs = append(figs, f)
		}
	}
	d.totals(figs)
	for k := range figs {
		d.settle(figs, k)
	}
	d.repeated(figs)
	d.emit(figs)
}

// items cuts sentence si into items, one per number that may be a figure.
func (d *doc) items(si int) []item {
	s := &d.sents[si]
	isFig := map[int]int{} // token → number
	for k, n := range d.numbers {
		if n.sent == si && n.reason == "" && !n.consumed {
			isFig[n.tok] = k
		}
	}
	if len(isFig) == 0 {
		return nil
	}
	var out []item
	for seg, sp := range s.segs {
		out = append(out, d.segmentItems(s, sp, seg, isFig)...)
	}
	return out
}

type clause struct {
	span
	num     int  // token of its number, or -1
	barrier bool // starts with a quantity without digits ("một số đồng chí")
}

func (d *doc) segmentItems(s *sent, seg span, segIdx int, isFig map[int]int) []item {
	var clauses []clause
	start := seg.from
	flush := func(end int) {
		if end > start {
			clauses = append(clauses, d.splitClause(span{start, end}, isFig)...)
		}
	}
	for i := seg.from; i < seg.to; i++ {
		switch d.toks[i].key {
		case ",", ":", "(", ")":
			flush(i)
			start = i + 1
		}
	}
	flush(seg.to)

	var out []item
	var pending []clause
	last := -1
	barrier := false
	endsWithAction := func(c clause) bool {
		for _, m := range s.cues {
			if m.to == c.to && d.r.categories[m.rule].strength == action {
				return true
			}
		}
		return false
	}
	hasAction := func(c clause) bool {
		for _, m := range s.cues {
			if m.from >= c.from && m.to <= c.to && d.r.categories[m.rule].strength == action {
				return true
			}
		}
		return false
	}
	for ci, c := range clauses {
		switch {
		case c.num >= 0:
			it := item{span: c.span, clause: c.span, seg: segIdx, num: isFig[c.num]}
			if len(pending) > 0 {
				it.from = pending[0].from
			}
			out = append(out, it)
			last, pending, barrier = len(out)-1, nil, false
		case c.barrier:
			if last >= 0 && len(pending) > 0 && !barrier {
				out[last].to = pending[len(pending)-1].to // the verbs led into no number: they continue the last
			}
			pending, barrier = nil, true
		case barrier:
			// continues a group without digits: no figure's
		case last < 0 || len(pending) > 0:
			pending = append(pending, c)
		case hasAction(c) && !endsWithAction(clauses[ci-1]):
			// "8 trưởng phòng, điều động, luân chuyển 12 cán bộ": the verbs lead into the next number.
			pending = append(pending, c)
		default:
			out[last].to = c.to
		}
	}
	if last >= 0 && len(pending) > 0 && !barrier {
		out[last].to = pending[len(pending)-1].to
	}
	return out
}

// splitClause cuts a clause holding several numbers before each number
// after the first (at "và" when there is one), and before a "và" that
// opens a quantity without digits.
func (d *doc) splitClause(c span, isFig map[int]int) []clause {
	var cuts []int
	prevNum := -1
	for i := c.from; i < c.to; i++ {
		if d.is(i, "và") && i+1 < c.to && d.after(i+1, c.to, d.r.quantities) {
			cuts = append(cuts, i)
			continue
		}
		if !d.counted(i, c.to, isFig) {
			continue
		}
		if prevNum >= 0 {
			cut := -1
			for k := i - 1; k > prevNum; k-- {
				if d.is(k, "và") {
					cut = k
					break
				}
			}
			if cut < 0 {
				cut = d.qualifierStart(i, prevNum+1)
				for cut-1 > prevNum && d.is(cut-1, "với", "cùng") { // "… 1.172 tổ chức cơ sở đảng với hơn 94.000 đảng viên"
					cut--
				}
			}
			if len(cuts) == 0 || cuts[len(cuts)-1] < cut {
				cuts = append(cuts, cut)
			}
		}
		prevNum = i
	}
	var out []clause
	from := c.from
	for _, cut := range append(cuts, c.to) {
		if cut <= from {
			continue
		}
		cl := clause{span: span{from, cut}, num: -1}
		for i := from; i < cut; i++ {
			if _, ok := isFig[i]; ok && (cl.num < 0 || d.counted(i, cut, isFig) && !d.counted(cl.num, cut, isFig)) {
				cl.num = i
			}
		}
		k := from
		if d.is(k, "và") {
			k++
		}
		cl.barrier = cl.num < 0 && d.after(k, cut, d.r.quantities)
		out = append(out, cl)
		from = cut
	}
	return out
}

// counted: the number at token i may be a figure and a counted noun
// follows it ("1.500 lượt cán bộ", not "12 lớp").
func (d *doc) counted(i, hi int, isFig map[int]int) bool {
	k, ok := isFig[i]
	if !ok {
		return false
	}
	end := i + 1
	if d.numbers[k].den > 0 {
		end += 2
	}
	u, _ := d.unitAfter(end, hi)
	return u != ""
}

// qualifierStart is where the words qualifying the number at token i
// begin ("hơn 7200": at "hơn"), not before lo.
func (d *doc) qualifierStart(i, lo int) int {
	for _, q := range d.r.qualifiers {
		for _, p := range q.before {
			n := len(p.keys)
			if i-n >= lo {
				if end, ok := p.matchAt(d.toks, i-n, i); ok && end == i {
					return i - n
				}
			}
		}
	}
	return i
}

// numEnd is the token after the number (after its denominator).
func (d *doc) numEnd(f *fig) int {
	n := d.numbers[f.num]
	i := n.tok + 1
	if n.den > 0 {
		i += 2
	}
	return i
}

func (d *doc) unitOf(f *fig, figs []fig) {
	i := d.numEnd(f)
	if u, end := d.unitAfter(i, f.to); u != "" {
		f.unit, f.unitEnd = u, end
		return
	}
	// "kỷ luật 215 đảng viên, trong đó khiển trách 150, cảnh cáo 48": a
	// list that names its unit once.
	if (i >= f.clause.to || !d.toks[i].word || d.is(i, "và")) && len(figs) > 0 && figs[len(figs)-1].sent == f.sent &&
		figs[len(figs)-1].unit != "percent" && d.hasCueIn(f.sent, f.clause, context) {
		f.unit, f.unitEnd = figs[len(figs)-1].unit, i
		return
	}
	// "Tổng số đảng viên là 21.804": the counted noun before, the number
	// closing the clause.
	if i >= f.clause.to || !d.toks[i].word {
		best, bestAt := "", -1
		for k := f.from; k < d.numbers[f.num].tok; k++ {
			if u, _ := d.unitAfter(k, d.numbers[f.num].tok); u != "" && u != "percent" && k > bestAt {
				best, bestAt = u, k
			}
		}
		if best != "" {
			f.unit, f.unitEnd = best, i
		}
	}
}

// categoryOf proposes the category from the cues of the item: the
// strongest kind present, the nearest of that kind, the table's order on a
// tie. An item with no cue of its own continues the list before it.
func (d *doc) categoryOf(f *fig, figs []fig) {
	s := &d.sents[f.sent]
	numTok := d.numbers[f.num].tok
	numEnd := d.numEnd(f)
	best, bestDist := -1, 0
	var bestStr strength
	hasCue, hasAction := false, false
	for mi, m := range s.cues {
		if m.from < f.from || m.to > f.to {
			continue
		}
		rule := d.r.categories[m.rule]
		if rule.strength > stockVerb {
			hasCue = true
		}
		if rule.strength == action {
			hasAction = true
		}
		dist := 0
		switch {
		case m.to <= numTok:
			dist = numTok - m.to
		case m.from >= numEnd:
			dist = m.from - numEnd
		}
		if best < 0 || rule.strength > bestStr || rule.strength == bestStr && (dist < bestDist ||
			dist == bestDist && m.rule < s.cues[best].rule) {
			best, bestDist, bestStr = mi, dist, rule.strength
		}
	}
	if forced, ok := forcedByUnit[f.unit]; ok {
		f.category, f.strength = forced, action
		f.cue = span{numEnd, f.unitEnd} // "12 văn bản": the noun is the cue
		return
	}
	if best >= 0 && bestStr < action && has(d.toks, f.from, f.to, d.r.outside) {
		return // delegates, awards, aid: not personnel work
	}
	// A number without a verb of its own continues the list before it:
	// "bổ nhiệm 8 trưởng phòng, 9 phó trưởng phòng", "kỷ luật 12 tổ chức
	// đảng và 48 cán bộ, công chức".
	if len(figs) > 0 && figs[len(figs)-1].sent == f.sent && !hasAction &&
		(!hasCue || figs[len(figs)-1].seg == f.seg && figs[len(figs)-1].strength == action) {
		prev := &figs[len(figs)-1]
		f.category, f.strength, f.cue = prev.category, prev.strength, prev.cue
		f.inherited = len(figs) - 1
		return
	}
	if best < 0 {
		return
	}
	m := s.cues[best]
	f.category, f.strength, f.cue = d.r.categories[m.rule].category, bestStr, m.span
}

// totals links parts to their totals: "417 cán bộ …, trong đó nữ có 161",
// "Trong đó, luân chuyển dọc 126 đồng chí" (the total in the sentence
// before), "Tổng số … là 610 đồng chí, có 318 …, 276 …". Parts must share
// the total's unit and not add up to more than it.
func (d *doc) totals(figs []fig) {
	bySent := map[int][]int{}
	for k, f := range figs {
		bySent[f.sent] = append(bySent[f.sent], k)
	}
	for si, s := range d.sents {
		for _, m := range find(d.toks, s.t0, s.t1, d.r.parts) {
			seg := 0
			for i, sp := range s.segs {
				if sp.contains(m.from) {
					seg = i
				}
			}
			// The parts: the figures after the marker, to the end of its segment.
			var parts []int
			for _, k := range bySent[si] {
				if figs[k].seg == seg && d.numbers[figs[k].num].tok > m.from && figs[k].parent < 0 {
					parts = append(parts, k)
				}
			}
			if len(parts) == 0 {
				continue
			}
			unit := figs[parts[0]].unit
			// The total: the last figure before the marker in the segment, or,
			// for a sentence that opens with the marker, the last total of the
			// sentence before in the paragraph.
			total := -1
			for _, k := range bySent[si] {
				if figs[k].seg == seg && d.numbers[figs[k].num].tok < m.from && figs[k].parent < 0 && figs[k].unit == unit {
					total = k
				}
			}
			if total < 0 && m.from <= s.t0+1 && si > 0 && d.sents[si-1].para == s.para {
				for _, k := range bySent[si-1] {
					if figs[k].parent < 0 && figs[k].unit == unit {
						total = k
					}
				}
			}
			if total < 0 {
				continue
			}
			var same []int
			for _, k := range parts {
				if figs[k].unit == unit {
					same = append(same, k)
				}
			}
			d.link(figs, total, same)
		}
	}
	// "36 đảng viên (khiển trách 20, cảnh cáo 12, cách chức 4)": parts in
	// brackets after the total.
	for k := range figs {
		f := &figs[k]
		open := max(f.unitEnd, d.numEnd(f))
		if open >= d.sents[f.sent].t1 || d.toks[open].key != "(" {
			continue
		}
		var parts []int
		for _, j := range bySent[f.sent] {
			tok := d.numbers[figs[j].num].tok
			if tok > open && figs[j].unit == f.unit && figs[j].parent < 0 && !d.closedBefore(open, tok) {
				parts = append(parts, j)
			}
		}
		if len(parts) > 0 {
			d.link(figs, k, parts)
		}
	}
	for k := range figs {
		f := &figs[k]
		if f.parent >= 0 || !has(d.toks, f.from, d.numbers[f.num].tok, d.r.totals) {
			continue
		}
		var parts []int
		for j := k + 1; j < len(figs) && figs[j].sent == f.sent; j++ {
			if figs[j].unit == f.unit && figs[j].parent < 0 && !isParent(figs, j) {
				parts = append(parts, j)
			}
		}
		if len(parts) > 0 {
			d.link(figs, k, parts)
		}
	}
}

// closedBefore: a ")" between the opening bracket at open and token i.
func (d *doc) closedBefore(open, i int) bool {
	for k := open + 1; k < i; k++ {
		if d.toks[k].key == ")" {
			return true
		}
	}
	return false
}

func isParent(figs []fig, k int) bool {
	for _, f := range figs {
		if f.parent == k {
			return true
		}
	}
	return false
}

// link makes parts of total when they fit in it.
func (d *doc) link(figs []fig, total int, parts []int) {
	sum := 0.0
	for _, p := range parts {
		sum += d.numbers[figs[p].num].value
	}
	if figs[total].unit != "percent" && sum > d.numbers[figs[total].num].value {
		return
	}
	for _, p := range parts {
		figs[p].parent = total
	}
}

// settle decides what is left once totals are known: categories borrowed
// between totals and parts, indicator, qualifier, completeness, period,
// direction and locality.
func (d *doc) settle(figs []fig, k int) {
	f := &figs[k]
	// A part without a cue of its own counts what its total counts; a total
	// named only by nouns ("Tổng số cán bộ … là 610") counts what its parts
	// are ("… hoàn thành xuất sắc …").
	if f.parent >= 0 && f.strength < action {
		p := figs[f.parent]
		f.category, f.strength = p.category, p.strength
	}
	if f.strength < action {
		cat := ""
		same := true
		for _, g := range figs {
			if g.parent == k && g.strength == action {
				if cat != "" && cat != g.category {
					same = false
				}
				cat = g.category
			}
		}
		if cat != "" && same {
			f.category, f.strength = cat, action
		}
	}
	d.qualifierOf(f)
	d.indicatorOf(figs, k)
	f.measure = measures[f.category]
	for _, ir := range d.r.indicators {
		if ir.key == f.indicator {
			f.measure = ir.measure
		}
	}
	d.completenessOf(figs, k)
	d.periodOf(figs, k)
	if f.category == "rotation" {
		f.fromLevel, f.toLevel = d.direction(f)
	}
	f.locality = d.localityOf(f)
	f.target = f.target || has(d.toks, f.from, f.to, d.r.targets)
}

func (d *doc) qualifierOf(f *fig) {
	numTok := d.numbers[f.num].tok
	f.qualifier = "exact"
	for _, q := range d.r.qualifiers {
		if d.before(numTok, f.from, q.before) || d.after(d.numEnd(f), f.to, q.after) ||
			f.unitEnd > 0 && d.after(f.unitEnd, f.to, q.after) {
			f.qualifier = q.qualifier
			return
		}
	}
}

// indicatorOf tries the specific rules of the figure's category and unit on
// its own clauses, then with its total's, then (rules that inherit) with
// the clauses before it in the sentence; the category's fallback last.
func (d *doc) indicatorOf(figs []fig, k int) {
	f := &figs[k]
	contexts := [][]span{{f.span}}
	if f.parent >= 0 {
		contexts = append(contexts, []span{f.span, figs[f.parent].span})
	}
	if f.inherited >= 0 { // "luân chuyển từ tỉnh về huyện 24 đồng chí, từ huyện lên tỉnh 9 đồng chí"
		contexts = append(contexts, []span{f.span, figs[f.inherited].span})
	}
	var earlier [][]span
	for j := k - 1; j >= 0 && figs[j].sent == f.sent; j-- {
		earlier = append(earlier, []span{f.span, figs[j].span})
	}
	for ci, ctx := range contexts {
		for _, ir := range d.r.indicators {
			if !ir.fallback && ir.category == f.category && ir.unit == f.unit && d.fits(ir, ctx) {
				f.indicator = ir.key
				f.viaParent = ci > 0 && f.parent >= 0 && ctx[1] == figs[f.parent].span
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

// completenessOf: a part of a total; a lower bound for "hơn …" and for
// lists the article gives as examples ("Điển hình …", "như …", a closing
// "…"); else complete.
func (d *doc) completenessOf(figs []fig, k int) {
	f := &figs[k]
	s := d.sents[f.sent]
	numTok := d.numbers[f.num].tok
	switch {
	case f.parent >= 0:
		f.complete = "part"
	case f.qualifier == "at_least":
		f.complete = "lower_bound"
	case has(d.toks, s.t0, numTok, d.r.examples), d.likeBefore(f):
		f.complete = "lower_bound"
	case d.openList(figs, k):
		f.complete = "lower_bound"
	default:
		f.complete = "complete"
	}
}

// likeBefore: "như" before the number in its item ("các lớp như cao cấp
// lý luận chính trị 15 đồng chí"), or "như:" opening a list earlier in the
// segment; not "cũng như", "như sau".
func (d *doc) likeBefore(f *fig) bool {
	numTok := d.numbers[f.num].tok
	seg := d.sents[f.sent].segs[f.seg]
	for _, m := range find(d.toks, seg.from, numTok, []phrase{d.r.like}) {
		if m.from < f.from && !(m.to < len(d.toks) && d.toks[m.to].key == ":") {
			continue
		}
		bad := false
		for _, p := range d.r.notLike {
			for st := m.from - len(p.keys) + 1; st <= m.from; st++ {
				if st >= seg.from {
					if end, ok := p.matchAt(d.toks, st, seg.to); ok && end > m.from {
						bad = true
					}
				}
			}
		}
		if !bad {
			return true
		}
	}
	return false
}

// openList: the sentence ends with "…", "..." or "v.v." right after the
// last figure's clauses: every figure of that segment is an example.
func (d *doc) openList(figs []fig, k int) bool {
	f := figs[k]
	s := d.sents[f.sent]
	txt := strings.TrimRight(d.text[s.Start:s.End], `"'”’) `)
	if !strings.HasSuffix(txt, "…") && !strings.HasSuffix(txt, "...") && !strings.HasSuffix(txt, "v.v.") &&
		!strings.HasSuffix(txt, "v.v") {
		return false
	}
	last := k
	for j := k + 1; j < len(figs) && figs[j].sent == f.sent; j++ {
		last = j
	}
	l := figs[last]
	if l.seg != f.seg {
		return false
	}
	end := s.t1
	for end > s.t0 && !d.toks[end-1].word && d.toks[end-1].num < 0 {
		end--
	}
	return l.to >= end
}

// periodOf takes the nearest time phrase: before the number in its
// sentence, else after it, else the last of the paragraph's earlier
// sentences; a flow without one takes the last earlier phrase of the
// article, a stock the publication date.
func (d *doc) periodOf(figs []fig, k int) {
	f := &figs[k]
	s := &d.sents[f.sent]
	numTok := d.numbers[f.num].tok
	var p *timePhrase
	for i := range s.phrases {
		ph := &s.phrases[i]
		if ph.to <= numTok || ph.from <= numTok && ph.target {
			p = ph
		}
	}
	if p == nil { // "… 20 lượt cán bộ trong năm 2019": after it, in its segment
		seg := s.segs[f.seg]
		for i := range s.phrases {
			if s.phrases[i].from > numTok && s.phrases[i].to <= seg.to {
				p = &s.phrases[i]
				break
			}
		}
	}
	plan := s.plan
	for j := f.sent - 1; j >= 0 && (p == nil || plan == ""); j-- {
		prev := &d.sents[j]
		sameParagraph := prev.para == s.para
		if p == nil && len(prev.phrases) > 0 && (sameParagraph || f.measure == "flow") {
			p = &prev.phrases[len(prev.phrases)-1]
		}
		if plan == "" && sameParagraph {
			plan = prev.plan
		}
		if !sameParagraph && f.measure != "flow" {
			break
		}
	}
	if p != nil {
		f.period = p
		f.term = p.term
		f.target = p.target
	} else if !d.pub.IsZero() {
		f.period = &timePhrase{start: d.pub, end: d.pub, text: ""}
	}
	if plan != "" && strings.HasPrefix(f.category, "planning") {
		f.term = plan
	}
}

// direction reads where a rotation went: "từ cấp tỉnh về huyện", "từ
// huyện được điều động lên tỉnh", "cấp tỉnh luân chuyển về huyện", "cán
// bộ … cấp huyện được luân chuyển làm cán bộ chủ chốt ở cơ sở".
func (d *doc) direction(f *fig) (string, string) {
	type mention struct {
		at    int
		level string
		kind  byte // 'f' after "từ", 't' after a to-word, 'c' after "cấp" or a person noun
	}
	var ms []mention
	verb := -1
	for _, m := range d.sents[f.sent].cues {
		if m.from >= f.from && m.to <= f.to && d.r.categories[m.rule].category == "rotation" && verb < 0 {
			verb = m.from
		}
	}
	for i := f.from; i < f.to; i++ {
		level, end := d.levelAt(i, f.to)
		if level == "" {
			continue
		}
		// "Huyện ủy", "tỉnh ủy" name committees, not levels.
		if end < f.to && (d.is(end, "ủy") || d.is(end, "uỷ")) && !d.afterTo(i, f.from) {
			i = end - 1
			continue
		}
		k := byte(0)
		switch {
		case d.before(i, f.from, d.r.from):
			k = 'f'
		case d.afterTo(i, f.from):
			k = 't'
		case d.is(i, "cấp") || d.is(i-1, "diện") || d.before(i, f.from, d.r.persons):
			k = 'c' // "cấp huyện …", "cán bộ Trung ương", "ủy viên Trung ương"
		}
		if k != 0 {
			ms = append(ms, mention{i, level, k})
		}
		i = end - 1
	}
	from, to := "", ""
	for _, m := range ms {
		if m.kind == 'f' && from == "" {
			from = m.level
		}
	}
	for _, m := range ms {
		if m.kind == 't' && to == "" && (verb < 0 || m.at > verb || from != "") {
			to = m.level
		}
	}
	if from == "" {
		// "cấp huyện được luân chuyển … ở cơ sở", "ủy viên Trung ương … về
		// làm bí thư tỉnh ủy": the level the cadres held, before where they went.
		toAt := len(d.toks)
		for _, m := range ms {
			if m.kind == 't' && m.level == to {
				toAt = m.at
				break
			}
		}
		for _, m := range ms {
			if m.kind == 'c' && m.at < toAt {
				from = m.level
			}
		}
	}
	if to == "local" && from == "national" {
		to = "province"
	}
	if from == "" || to == "" || from == to || to == "local" {
		return "", ""
	}
	return from, to
}

// afterTo: token i follows a to-word ("về huyện", "lên tỉnh", "về làm bí
// thư tỉnh ủy", "ở cơ sở"), a few words of the new post allowed between.
func (d *doc) afterTo(i, lo int) bool {
	for k := i; k >= lo && k >= i-5; k-- {
		if d.before(k, lo, d.r.to) {
			if k == i || d.is(k, "làm", "công", "giữ", "các", "cấp") {
				return true
			}
		}
		if k < i && !d.toks[k].word {
			return false
		}
	}
	return false
}

// levelAt reads an administrative level at token i.
func (d *doc) levelAt(i, hi int) (string, int) {
	best, bestEnd := "", i
	for _, l := range d.r.levels {
		for _, p := range l.words {
			if end, ok := p.matchAt(d.toks, i, hi); ok && end > bestEnd {
				best, bestEnd = l.level, end
			}
		}
	}
	if best == "" && d.is(i, "thành") && d.is(i+1, "phố") {
		best, bestEnd = "province", i+2
		if d.level == "provincial_city" || d.level == "district" || d.level == "commune" {
			best = "district"
		}
	}
	if best == "" && d.is(i, "địa") && d.is(i+1, "phương") {
		best, bestEnd = "local", i+2
	}
	return best, bestEnd
}

// localityOf: the central level when the item names a central body as
// actor; else a known locality the item names, else one the sentence
// names before it; else the article's.
func (d *doc) localityOf(f *fig) string {
	for _, m := range find(d.toks, f.from, f.to, d.r.central) {
		if !d.before(m.from, d.sents[f.sent].t0, d.r.centralNot) {
			return NationalSlug
		}
	}
	if slug, _ := d.namedLocality(f.from, f.to); slug != "" {
		return slug
	}
	if slug, _ := d.namedLocality(d.sents[f.sent].t0, f.from); slug != "" {
		return slug
	}
	return d.locality
}

// namedLocality finds the last known locality named in toks[from:to] that
// is neither the article's locality nor one containing it.
func (d *doc) namedLocality(from, to int) (string, int) {
	best, bestAt := "", -1
	for _, l := range d.in.Localities {
		if l.Name == "" || l.Slug == d.locality || d.isAncestor(l.Slug) || !d.validAt(l) {
			continue
		}
		p := compile(l.Name)
		for _, m := range find(d.toks, from, to, []phrase{p}) {
			// "Điện Biên" inside "Điện Biên Đông" is not Điện Biên.
			if longer := d.longerName(m.span, l.Name); longer {
				continue
			}
			if m.from > bestAt {
				best, bestAt = l.Slug, m.from
			}
		}
	}
	return best, bestAt
}

func (d *doc) longerName(m span, name string) bool {
	short := compile(name).keys
	for _, l := range d.in.Localities {
		p := compile(l.Name)
		if len(p.keys) <= len(short) || !slices.Equal(p.keys[:len(short)], short) {
			continue
		}
		if _, ok := p.matchAt(d.toks, m.from, len(d.toks)); ok {
			return true
		}
	}
	return false
}

func (d *doc) isAncestor(slug string) bool {
	for s, n := d.parents[d.locality], 0; s != "" && n < 10; s, n = d.parents[s], n+1 {
		if s == slug {
			return true
		}
	}
	return false
}

func (d *doc) validAt(l Locality) bool {
	if d.pub.IsZero() {
		return true
	}
	if !l.ValidFrom.IsZero() && d.pub.Before(l.ValidFrom) {
		return false
	}
	return l.ValidTo.IsZero() || !d.pub.After(l.ValidTo)
}

// repeated lists apart the figures of a headline or caption that the body
// states too, and those of a sentence printed twice (a caption under two
// photos): one figure, proposed with the body's sentence.
func (d *doc) repeated(figs []fig) {
	body := func(f fig) bool {
		p := d.paras[d.sents[f.sent].para]
		return !p.lead && !p.display && !d.sents[f.sent].dup
	}
	for k := range figs {
		f := &figs[k]
		if d.sents[f.sent].dup {
			f.drop = ReasonRepeated
			continue
		}
		if body(*f) {
			continue
		}
		v := d.numbers[f.num].value
		for _, g := range figs {
			if body(g) && g.unit == f.unit && d.numbers[g.num].value == v {
				f.drop = ReasonRepeated
				break
			}
		}
	}
}

// emit turns figures and numbers into the result, in text order.
func (d *doc) emit(figs []fig) {
	index := make([]int, len(figs))
	for k, f := range figs {
		if f.drop != "" {
			d.numbers[f.num].reason = f.drop
			index[k] = -1
			continue
		}
		index[k] = len(d.out)
		d.out = append(d.out, d.candidate(figs, k))
	}
	for k, f := range figs {
		if index[k] >= 0 && f.parent >= 0 {
			d.out[index[k]].Parent = index[f.parent]
		}
	}
	for si := range d.sents {
		s := d.sents[si]
		for _, n := range d.numbers {
			if n.sent != si || n.reason == "" || n.consumed {
				continue
			}
			d.others = append(d.others, Other{Sentence: d.text[s.Start:s.End], At: s.Start,
				Start: n.start - s.Start, End: n.end - s.Start, Text: d.text[n.start:n.end], Value: n.value, Reason: n.reason})
		}
		d.others = append(d.others, d.romans(si)...)
	}
	slices.SortStableFunc(d.others, func(a, b Other) int {
		return (a.At + a.Start) - (b.At + b.Start)
	})
}

func (d *doc) candidate(figs []fig, k int) Candidate {
	f := figs[k]
	s := d.sents[f.sent]
	n := d.numbers[f.num]
	c := Candidate{
		Sentence: d.text[s.Start:s.End], At: s.Start, Start: n.start - s.Start, End: n.end - s.Start,
		Category: f.category, Indicator: f.indicator, Measure: f.measure,
		Value: round2(n.value), Denominator: n.den, Unit: f.unit, Qualifier: f.qualifier,
		Completeness: f.complete, Parent: -1, Term: f.term, Target: f.target,
		FromLevel: f.fromLevel, ToLevel: f.toLevel, Locality: f.locality, Level: d.levelOf(f.locality),
	}
	if f.cue.to > f.cue.from {
		c.Cue = d.text[d.toks[f.cue.from].start:d.toks[f.cue.to-1].end]
	}
	if f.period != nil {
		c.PeriodStart, c.PeriodEnd, c.PeriodText = f.period.start, f.period.end, f.period.text
	}
	// The quote: the item, reaching back to the clause that gave the
	// category to a list's later numbers, or to the total a part is read with.
	from := f.from
	if f.inherited >= 0 {
		g := figs[f.inherited]
		if g.cue.to > g.cue.from {
			from = min(from, g.cue.from)
		} else {
			from = min(from, g.clause.from)
		}
	}
	if f.viaParent && f.parent >= 0 && figs[f.parent].sent == f.sent {
		from = min(from, figs[f.parent].from)
	}
	c.Quote = d.quote(from, f.to)
	c.Subject = d.subject(figs, k)
	if c.Subject == "" { // "có 5 người.": nothing says who; the clause will do
		c.Subject = capWords(cleanText(d.quote(f.clause.from, f.clause.to)), 20)
	}
	return c
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
