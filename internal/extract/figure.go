package extract

import (
	"math"
	"slices"
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
	count     int // a share: the count it gives as a share, or -1
	complete  string
	period    *timePhrase
	term      string
	target    bool
	fromLevel string
	toLevel   string
	locality  string
	viaParent bool   // the indicator was read with the total's clause
	skip      span   // words of the item that name the other of two figures sharing one value
	lead      int    // the figure of an earlier sentence whose category a yearly breakdown continues, or -1
	drop      string // a reason to list it apart after all
}

// prepareSentence finds what the sentence's numbers are read with: its
// time phrases, masked names, category cues and segments.
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
			f := fig{item: it, sent: si, inherited: -1, parent: -1, count: -1, lead: -1}
			d.unitOf(&f, figs)
			if f.unit == "" {
				d.numbers[f.num].reason = ReasonNoUnit
				continue
			}
			for _, g := range d.shared(f) {
				d.categoryOf(&g, figs)
				if g.strength < action {
					d.continueLead(&g, figs)
				}
				if g.category == "" {
					d.numbers[g.num].reason = ReasonNoCategory
					continue
				}
				figs = append(figs, g)
			}
		}
	}
	d.totals(figs)
	d.shares(figs)
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
			n := len(clauses)
			flush(i)
			if d.toks[i].key == ":" && len(clauses) > n {
				// "một số chức danh được kiện toàn: …" heads a list; it is no group of its own.
				clauses[len(clauses)-1].barrier = false
			}
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
	u, _ := d.unitAfter(d.tokAfter(k), hi)
	return u != ""
}

// tokAfter is the token after number k, after its denominator ("4/17",
// "12 trên tổng số 21").
func (d *doc) tokAfter(k int) int {
	n := d.numbers[k]
	i := n.tok + 1
	for i < len(d.toks) && d.toks[i].start < n.end {
		i++
	}
	return i
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
func (d *doc) numEnd(f *fig) int { return d.tokAfter(f.num) }

// unitOf reads the unit from the noun after the number ("15 đồng chí",
// "4/17 xã", "62%"), else from the counted noun before a number that ends
// its clause, else from the list the number continues.
func (d *doc) unitOf(f *fig, figs []fig) {
	i := d.numEnd(f)
	if u, end := d.unitAfter(i, f.to); u != "" {
		f.unit, f.unitEnd = u, end
		return
	}
	// "kỷ luật 215 đảng viên, trong đó khiển trách 150, cảnh cáo 48": a
	// list that names its unit once.
	// "42 học viên đạt loại giỏi, 75 loại khá, 9 được khen thưởng" too.
	if (i >= f.clause.to || !d.toks[i].word || d.is(i, "và", "được", "bị", "đạt") || d.cueAt(f.sent, i)) &&
		len(figs) > 0 && figs[len(figs)-1].sent == f.sent &&
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
			return
		}
	}
	// "tái cử: 22, chiếm 61,1%", "khiển trách: 12; cảnh cáo: 5": a label's
	// value counts what the list before it counts, people unless it said.
	numTok := d.numbers[f.num].tok
	if numTok > f.from && d.toks[numTok-1].key == ":" && (i >= f.clause.to || isSeparator(d.toks[i].key) || d.toks[i].key == ")" || d.toks[i].key == ".") {
		f.unit, f.unitEnd = "persons", i
		for j := len(figs) - 1; j >= 0 && figs[j].sent == f.sent; j-- {
			if figs[j].unit != "percent" {
				f.unit = figs[j].unit
				break
			}
		}
	}
}

// cueAt: a category cue starts at token i.
func (d *doc) cueAt(si, i int) bool {
	for _, m := range d.sents[si].cues {
		if m.from == i {
			return true
		}
	}
	return false
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
		if m.from < f.from || m.to > f.to || m.from < f.skip.to && f.skip.from < m.to {
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
	// "10/11 huyện có bí thư không phải người địa phương": districts counted
	// for where cadres are placed, not as a denominator.
	placed := best >= 0 && d.r.categories[s.cues[best].rule].category == "placement"
	if forced, ok := forcedByUnit[f.unit]; ok && !(forced == "units" && placed) {
		f.category, f.strength = forced, action
		f.cue = span{numEnd, f.unitEnd} // "12 văn bản": the noun is the cue
		return
	}
	if bestStr < action && has(d.toks, f.from, f.to, d.r.commend) && has(d.toks, s.t0, s.t1, d.r.course) {
		m := find(d.toks, f.from, f.to, d.r.commend)[0]
		f.category, f.strength, f.cue = "training", action, m.span
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
		if prev.inherited >= 0 {
			f.inherited = prev.inherited // the number whose verb it is
		}
		return
	}
	if best < 0 {
		d.listHead(f)
		// "thạc sĩ: 9 đồng chí, chiếm 25%": a count its share follows is a headcount.
		if end := max(f.unitEnd, numEnd); f.category == "" && end+1 < f.to+3 && end+1 < len(d.toks) &&
			d.toks[end].key == "," && d.is(end+1, "chiếm") {
			f.category, f.strength = "workforce", stockVerb
		}
		return
	}
	m := s.cues[best]
	f.category, f.strength, f.cue = d.r.categories[m.rule].category, bestStr, m.span
	if f.category == "placement" && d.is(m.from, "bầu") && has(d.toks, s.t0, f.to, d.r.partyVote) {
		f.category, f.strength = "workforce", context
	}
}

// shared splits the item of a value given for two things at once: "tỷ
// lệ cán bộ nữ và cán bộ dưới 40 tuổi trong cấp ủy đều đạt 18,2%" is two
// figures of 18,2%, each read without the words of the other.
func (d *doc) shared(f fig) []fig {
	numTok := d.numbers[f.num].tok
	mk := -1
	for i := max(f.from, numTok-3); i < numTok; i++ {
		if d.is(i, "đều", "cùng") || d.is(i, "mỗi") && i+1 < numTok && d.is(i+1, "loại") {
			mk = i
			break
		}
	}
	if mk < 0 {
		return []fig{f}
	}
	va := -1
	for i := mk - 1; i > f.from; i-- {
		if d.is(i, "và") {
			va = i
			break
		}
	}
	if va < 0 {
		return []fig{f}
	}
	// The verb after the second thing is both's when the first has none:
	// "Số phó trưởng phòng và số trưởng phòng được bổ nhiệm … đều là 5".
	end := mk
	if !d.hasCueIn(f.sent, span{f.from, va}, action) {
		for i := va + 1; i < mk; i++ {
			if d.is(i, "được", "bị", "đã") {
				end = i
				break
			}
		}
	}
	a, b := f, f
	a.skip = span{va, end}
	b.skip = span{f.from, va + 1}
	// A head naming what both are ("Tỷ lệ …", "Số …") belongs to both.
	for _, head := range []phrase{compile("tỷ lệ"), compile("số")} {
		if end, ok := head.matchAt(d.toks, f.from, va); ok {
			if _, again := head.matchAt(d.toks, va+1, mk); !again {
				b.skip.from = end
			}
		}
	}
	return []fig{a, b}
}

// own are the item's spans without its skipped words.
func (f *fig) own() []span {
	if f.skip.to <= f.skip.from {
		return []span{f.span}
	}
	var out []span
	if f.skip.from > f.from {
		out = append(out, span{f.from, f.skip.from})
	}
	return append(out, span{f.skip.to, f.to})
}

// listHead gives an item without a cue the category of the head that
// opens its sentence with a colon: in "Cơ cấu cấp ủy: khối đảng: 9 đồng
// chí; khối chính quyền: 12 đồng chí" every item counts committee members.
func (d *doc) listHead(f *fig) {
	s := &d.sents[f.sent]
	colon := -1
	for i := s.t0; i < d.numbers[f.num].tok; i++ {
		if d.toks[i].num >= 0 || isSeparator(d.toks[i].key) && d.toks[i].key != ":" {
			break
		}
		if d.toks[i].key == ":" {
			colon = i
			break
		}
	}
	if colon < 0 || colon >= f.from {
		return
	}
	best := -1
	for mi, m := range s.cues {
		if m.to <= colon && (best < 0 || d.r.categories[m.rule].strength > d.r.categories[s.cues[best].rule].strength) {
			best = mi
		}
	}
	if best >= 0 {
		m := s.cues[best]
		f.category, f.strength, f.cue = d.r.categories[m.rule].category, d.r.categories[m.rule].strength, m.span
	}
}

// continueLead reads a sentence that opens with a time phrase and names
// no action of its own as the breakdown of the figure before it: "Trong
// nhiệm kỳ, huyện đã điều động, luân chuyển 132 lượt cán bộ. Năm 2021 có
// 27 đồng chí; …" counts rotations by year, not a workforce. Nouns it
// names must be the lead's own ("Năm 2018: 21 đảng viên" after a
// discipline of party members), so a new subject is not swallowed.
func (d *doc) continueLead(f *fig, figs []fig) {
	s := &d.sents[f.sent]
	opens := false
	for _, ph := range s.phrases {
		if ph.from <= s.t0+2 && !ph.target {
			opens = true
		}
	}
	if !opens || f.unit == "percent" {
		return
	}
	lead := -1
	for j := len(figs) - 1; j >= 0; j-- {
		if figs[j].sent == f.sent {
			continue
		}
		if d.sents[figs[j].sent].para == s.para && figs[j].strength == action && figs[j].unit != "percent" {
			lead = j
			if figs[j].lead >= 0 {
				lead = figs[j].lead
			}
		}
		break
	}
	if lead < 0 {
		return
	}
	l := figs[lead]
	for _, m := range s.cues {
		if m.from < f.from || m.to > f.to || d.r.categories[m.rule].strength != context {
			continue
		}
		if !has(d.toks, l.from, l.to, []phrase{{keys: d.keysOf(m.span)}}) {
			return
		}
	}
	f.category, f.strength, f.cue, f.lead = l.category, l.strength, l.cue, lead
}

// keysOf are the folded words of a span, as a phrase matches them.
func (d *doc) keysOf(sp span) []string {
	var out []string
	for i := sp.from; i < sp.to; i++ {
		out = append(out, d.toks[i].key)
	}
	return out
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
	d.readAsCount(f)
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

// readAsCount: people and documents come whole, so "1,700 người" read
// the Vietnamese way (1.7) is read the other way (1700).
func (d *doc) readAsCount(f *fig) {
	n := &d.numbers[f.num]
	if f.unit == "percent" || n.value == math.Trunc(n.value) {
		return
	}
	for _, v := range d.nums[d.toks[n.tok].num].Values {
		if v == math.Trunc(v) {
			n.value = v
			return
		}
	}
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
