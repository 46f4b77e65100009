package extract

import (
	"math"
	"slices"
)

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
		if index[k] >= 0 && f.count >= 0 {
			d.out[index[k]].Count = index[f.count]
		}
	}
	for _, n := range d.numbers {
		if n.reason == "" || n.consumed || n.sent >= len(d.sents) {
			continue
		}
		s := d.sents[n.sent]
		d.others = append(d.others, Other{Sentence: d.text[s.Start:s.End], At: s.Start,
			Start: n.start - s.Start, End: n.end - s.Start, Text: d.text[n.start:n.end], Value: n.value, Reason: n.reason})
	}
	for si := range d.sents {
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
		Completeness: f.complete, Parent: -1, Count: -1, Term: f.term, Target: f.target,
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
		if g.cue.to > g.cue.from && g.cue.from >= s.t0 { // a lead's cue in an earlier sentence is not quoted
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
