package extract

import (
	"strings"
)

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
			if total < 0 && seg > 0 && m.from <= s.segs[seg].from+1 { // "…; trong đó …": the segment before
				for _, k := range bySent[si] {
					if figs[k].seg == seg-1 && figs[k].parent < 0 && figs[k].unit == unit {
						total = k
					}
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

// shares names the count a share gives: "tái cử: 22, chiếm 61,1%", "7 nữ
// (chiếm 20%)". A share so read counts what its count counts, and is no
// part of any total: a part of a share would be a share of a share.
func (d *doc) shares(figs []fig) {
	for k := range figs {
		f := &figs[k]
		if f.unit != "percent" || k == 0 || figs[k-1].sent != f.sent || figs[k-1].unit == "percent" {
			continue
		}
		c := figs[k-1]
		from, to := max(c.unitEnd, d.numEnd(&c)), d.numbers[f.num].tok
		// "22, chiếm 61,1%", "26 học viên tốt nghiệp loại giỏi, chiếm 30,6%"
		if c.seg != f.seg || !has(d.toks, max(from, f.clause.from), to, d.r.shareOf) && (to-from > 4 || !has(d.toks, from, to, d.r.shareOf)) {
			continue
		}
		f.count, f.parent = k-1, -1
		if f.strength < action || c.strength == action {
			f.category, f.strength = c.category, c.strength
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
	if figs[total].unit == "percent" {
		return // a share is not a total: "22%, trong đó nữ trẻ 4,5%" is two shares
	}
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
	case has(d.toks, s.t0, numTok, d.r.examples), d.likeBefore(f), d.someBefore(f):
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

// someBefore: "một số …:" opens the list the number is in ("Một số chức
// danh: …"), in its segment.
func (d *doc) someBefore(f *fig) bool {
	seg := d.sents[f.sent].segs[f.seg]
	numTok := d.numbers[f.num].tok
	for _, m := range find(d.toks, seg.from, numTok, d.r.some) {
		for k := m.to; k < numTok && k <= m.to+6; k++ {
			if d.toks[k].key == ":" {
				return true
			}
			if isSeparator(d.toks[k].key) || d.toks[k].num >= 0 {
				break
			}
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
