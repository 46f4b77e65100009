package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// number is a number of the text and what it was found to be.
type number struct {
	tok        int // token index
	start, end int // bytes; a fraction "4/17" spans both numbers
	value      float64
	den        float64 // the denominator of a fraction, else 0
	reason     string  // why it is not a count; "" if it may be a figure
	consumed   bool    // the denominator of a fraction, part of another number
	sent       int
}

// Patterns of digits that are never counts, found on the raw text before
// words are looked at: dates, times, document codes, time zones.
var (
	fullDateRe  = regexp.MustCompile(`\b(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{4}|\d{2})\b`)
	monthYearRe = regexp.MustCompile(`\b(\d{1,2})[/\-](\d{4})\b`)
	timeRe      = regexp.MustCompile(`\b\d{1,2}:\d{2}(?::\d{2})?\b`)
	docCodeRe   = regexp.MustCompile(`\b\d+(?:/\d+)*\s?[-–]\s?\p{Lu}\p{L}*/\p{Lu}[\p{L}\-]*|\b\d+/(?:\d{4}/)?\p{Lu}\p{L}*[-–]\p{Lu}[\p{L}\-]*|\b\d+/\d{4}/\p{Lu}{2,}`)
	zoneRe      = regexp.MustCompile(`(?i)\b(?:GMT|UTC)\s?[+\-]\s?\d{1,2}`)
	romanRe     = regexp.MustCompile(`^[IVXLC]+$`)
)

func (d *doc) classifyNumbers() {
	d.numbers = make([]number, 0, len(d.nums))
	byTok := map[int]int{}
	d.numOf = byTok
	for i, t := range d.toks {
		if t.num < 0 {
			continue
		}
		n := d.nums[t.num]
		byTok[i] = len(d.numbers)
		d.numbers = append(d.numbers, number{tok: i, start: n.Start, end: n.End, value: n.Values[0]})
	}
	si := 0
	for k := range d.numbers {
		for si < len(d.sents)-1 && d.sents[si].End <= d.numbers[k].start {
			si++
		}
		d.numbers[k].sent = si
	}
	mark := func(re *regexp.Regexp, reason string, ok func(m []int) bool) {
		for _, m := range re.FindAllStringSubmatchIndex(d.text, -1) {
			if ok != nil && !ok(m) {
				continue
			}
			for k := range d.numbers {
				n := &d.numbers[k]
				if n.reason == "" && n.start >= m[0] && n.end <= m[1] {
					n.reason = reason
				}
			}
		}
	}
	mark(docCodeRe, ReasonDocument, nil)
	mark(fullDateRe, ReasonDate, func(m []int) bool {
		day, _ := strconv.Atoi(d.text[m[2]:m[3]])
		month, _ := strconv.Atoi(d.text[m[6]:m[7]])
		return day >= 1 && day <= 31 && month >= 1 && month <= 12 && d.text[m[4]:m[5]] == d.text[m[8]:m[9]]
	})
	mark(monthYearRe, ReasonDate, func(m []int) bool {
		month, _ := strconv.Atoi(d.text[m[2]:m[3]])
		year, _ := strconv.Atoi(d.text[m[4]:m[5]])
		return month >= 1 && month <= 12 && year >= 1900 && year <= 2100
	})
	mark(timeRe, ReasonTime, nil)
	mark(zoneRe, ReasonTime, nil)
	for k := range d.numbers {
		if d.numbers[k].reason == "" && !d.numbers[k].consumed {
			d.classify(k, byTok)
		}
	}
}

// classify looks at a number's neighbours: what precedes and follows it
// tells a date from a document number from a count.
func (d *doc) classify(k int, byTok map[int]int) {
	n := &d.numbers[k]
	r := d.r
	s := d.sents[n.sent]
	lo, hi := s.t0, s.t1
	i := n.tok
	prev := func(j int) string {
		if j-1 >= lo {
			return d.toks[j-1].key
		}
		return ""
	}
	// "ngày 23.1", "chiều 13": a day.
	if d.before(i, lo, r.days) {
		n.reason = ReasonDate
		if i+2 < hi && d.toks[i+2].num >= 0 && strings.Contains("/-.", d.toks[i+1].key) && d.toks[i+1].start == d.toks[i].end {
			d.numbers[byTok[i+2]].reason = ReasonDate
		}
		return
	}
	// A fraction "4/17", "11/11": digits, a slash, digits, then a counted
	// noun. Without the noun, a day and month ("ngày 20/8") or a page count;
	// after "thứ", a rank ("xếp thứ 10/63 tỉnh").
	if i+2 < hi && d.toks[i+1].key == "/" && d.toks[i+2].num >= 0 && !d.before(i, lo, r.ordinals) &&
		d.toks[i+1].start == d.toks[i].end && d.toks[i+2].start == d.toks[i+1].end {
		den := &d.numbers[byTok[i+2]]
		if den.reason == "" {
			if unit, _ := d.unitAfter(i+3, hi); unit != "" {
				if den.value >= n.value && den.value > 0 {
					n.den, n.end = den.value, den.end
					den.consumed = true
					return
				}
			}
			if isDayMonth(n.value, den.value) {
				n.reason, den.reason = ReasonDate, ReasonDate
				return
			}
		}
	}
	// "12 trên tổng số 21 huyện", "5 trên 7 xã": a fraction in words.
	if j := i + 2; d.is(i+1, "trên") {
		if d.is(j, "tổng") {
			j++
			if d.is(j, "số") {
				j++
			}
		}
		if j < hi && d.toks[j].num >= 0 {
			den := &d.numbers[byTok[j]]
			if unit, _ := d.unitAfter(j+1, hi); unit != "" && unit != "percent" && den.reason == "" && den.value >= n.value && den.value > 0 {
				n.den, n.end = den.value, den.end
				den.consumed = true
				return
			}
		}
	}
	// "ngày 13-1", "23.1", "sáng 20-8": day and month joined by - or .
	if i+2 < hi && (d.toks[i+1].key == "-" || d.toks[i+1].key == ".") && d.toks[i+2].num >= 0 &&
		d.toks[i+1].start == d.toks[i].end && d.toks[i+2].start == d.toks[i+1].end &&
		isDayMonth(n.value, d.numbers[byTok[i+2]].value) {
		if unit, _ := d.unitAfter(i+3, hi); unit == "" {
			n.reason = ReasonDate
			d.numbers[byTok[i+2]].reason = ReasonDate
			return
		}
	}
	// Numbers glued to letters by a hyphen: "Covid-19", "Su-30".
	if i-2 >= lo && d.toks[i-1].key == "-" && d.toks[i-2].word && d.toks[i-1].start == d.toks[i-2].end &&
		d.toks[i].start == d.toks[i-1].end {
		n.reason = ReasonName
		return
	}
	marked := prev(i) == ":" || prev(i) == "(" // "Lượt xem: 3762", "Bình luận (3)"
	switch {
	case d.before(i, lo, r.views) || marked && d.before(i-1, lo, r.views):
		n.reason = ReasonViews
	case d.before(i, lo, r.pageBefore) || marked && d.before(i-1, lo, r.pageBefore) ||
		d.after(i+1, hi, r.pageAfter) || d.pageChain(i, lo, byTok):
		n.reason = ReasonPage
	case d.before(i, lo, r.plenum):
		n.reason = ReasonOrdinal
	case d.after(i+1, hi, r.ages) || d.before(i, lo, r.ages) && !d.countedAfter(i, hi): // not "dưới 45 tuổi 52 đồng chí"
		n.reason = ReasonAge
	case d.isYear(i, lo, hi):
		n.reason = ReasonYear
	case d.after(i+1, hi, r.durations):
		n.reason = ReasonDuration
	case d.after(i+1, hi, r.money):
		n.reason = ReasonMoney
	case d.before(i, lo, r.changes) || d.comparedAfter(i, hi) || d.listedAfterChange(i, lo, byTok):
		n.reason = ReasonChange
	case d.before(i, lo, r.so) && !d.before(i-1, lo, r.notSo) || d.before(i, lo, r.docNouns):
		n.reason = ReasonDocument
	case d.before(i, lo, r.ordinals):
		n.reason = ReasonOrdinal
	}
}

// comparedAfter: "so với" follows the number in its clause ("5% so với
// năm trước"): a change, not a count.
func (d *doc) comparedAfter(i, hi int) bool {
	for k := i + 1; k < hi && k <= i+6; k++ {
		if isSeparator(d.toks[k].key) || d.toks[k].key == ";" || d.toks[k].num >= 0 {
			return false
		}
		if d.is(k, "so") && d.is(k+1, "với") {
			return true
		}
	}
	return false
}

// listedAfterChange: "tăng 1,9% và 2,4%", "lần lượt giảm 3, 5 và 7": a
// number listed right after a change is a change too.
func (d *doc) listedAfterChange(i, lo int, byTok map[int]int) bool {
	k := i - 1
	if k < lo || !(d.toks[k].key == "," || d.is(k, "và")) {
		return false
	}
	k--
	if k >= lo && d.toks[k].key == "%" {
		k--
	}
	if k < lo || d.toks[k].num < 0 {
		return false
	}
	return d.numbers[byTok[k]].reason == ReasonChange
}

func isDayMonth(day, month float64) bool {
	return day >= 1 && day <= 31 && month >= 1 && month <= 12 && day == float64(int(day)) && month == float64(int(month))
}

// pageChain: "Trang: 1 - 2 - 3", "10 / 25 kết quả": a number joined by a
// dash or slash to a number already read as page furniture.
func (d *doc) pageChain(i, lo int, byTok map[int]int) bool {
	if i-2 < lo {
		return false
	}
	if k := d.toks[i-1].key; k != "-" && k != "/" {
		return false
	}
	if d.toks[i-2].num < 0 {
		return false
	}
	return d.numbers[byTok[i-2]].reason == ReasonPage
}

// isYear: four digits between 1900 and 2100 as written (no grouping),
// unless a counted noun follows and no year word precedes ("hơn 2000 đảng
// viên" is a count).
func (d *doc) isYear(i, lo, hi int) bool {
	t := d.toks[i]
	txt := d.text[t.start:t.end]
	if len(txt) != 4 || strings.ContainsAny(txt, ".,  ") {
		return false
	}
	v, err := strconv.Atoi(txt)
	if err != nil || v < 1900 || v > 2100 {
		return false
	}
	if d.before(i, lo, d.r.yearWords) {
		return true
	}
	if u, _ := d.unitAfter(i+1, hi); u != "" && u != "percent" {
		return false
	}
	return true
}

// before reports whether one of ps ends just before token i (and starts
// at lo or later).
func (d *doc) before(i, lo int, ps []phrase) bool {
	for _, p := range ps {
		n := len(p.keys)
		for start := i - n; start >= lo && start >= i-n-2; start-- {
			if end, ok := p.matchAt(d.toks, start, i); ok && end == i {
				return true
			}
		}
	}
	return false
}

// after reports whether one of ps starts at token i.
func (d *doc) after(i, hi int, ps []phrase) bool {
	for _, p := range ps {
		if _, ok := p.matchAt(d.toks, i, hi); ok {
			return true
		}
	}
	return false
}

// unitAfter reads the unit from the noun at token i: "15 đồng chí", "4/17
// xã, thị trấn", "62%". It returns the unit and where the noun ends.
func (d *doc) unitAfter(i, hi int) (string, int) {
	best, bestEnd, bestLen := "", i, 0
	for _, u := range d.r.units {
		for _, p := range u.nouns {
			if end, ok := p.matchAt(d.toks, i, hi); ok && end-i > bestLen {
				best, bestEnd, bestLen = u.unit, end, end-i
			}
		}
	}
	return best, bestEnd
}

// headerDate reads the publication date from the header lines: the first
// full date there ("Thứ Tư, 28/10/2020").
func (d *doc) headerDate() time.Time {
	for _, p := range d.paras {
		if !p.lead {
			break
		}
		if m := fullDateRe.FindStringSubmatch(d.text[p.Start:p.End]); m != nil {
			day, _ := strconv.Atoi(m[1])
			month, _ := strconv.Atoi(m[3])
			year, _ := strconv.Atoi(m[5])
			if year < 100 {
				year += 2000
			}
			t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
			if t.Day() == day && month >= 1 && month <= 12 {
				return t
			}
		}
	}
	return time.Time{}
}

// headerLocality is a known locality the headline names.
func (d *doc) headerLocality() string {
	for _, p := range d.paras {
		if !p.lead {
			break
		}
		from, to := d.tokenRange(p.Span)
		if slug, _ := d.namedLocality(from, to); slug != "" {
			return slug
		}
	}
	return ""
}

func (d *doc) tokenRange(s Span) (int, int) {
	from := 0
	for from < len(d.toks) && d.toks[from].start < s.Start {
		from++
	}
	to := from
	for to < len(d.toks) && d.toks[to].start < s.End {
		to++
	}
	return from, to
}

// romans lists Roman numerals after words that take them ("khóa XII",
// "Đại hội XXIV"): numbers too, never counts.
func (d *doc) romans(s int) []Other {
	st := d.sents[s]
	var out []Other
	for i := st.t0; i < st.t1; i++ {
		t := d.toks[i]
		w := d.text[t.start:t.end]
		if !t.word || !romanRe.MatchString(w) || !d.before(i, st.t0, d.r.ordinals) && !d.before(i, st.t0, d.r.quarter) {
			continue
		}
		out = append(out, Other{Sentence: d.text[st.Start:st.End], At: st.Start, Start: t.start - st.Start,
			End: t.end - st.Start, Text: w, Value: float64(roman(w)), Reason: ReasonOrdinal})
	}
	return out
}

func roman(s string) int {
	val := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
	total := 0
	for i := 0; i < len(s); i++ {
		v := val[s[i]]
		if i+1 < len(s) && val[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	return total
}

// cleanText folds white space: what a subject or note is built from.
func cleanText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–(", r) || r == utf8.RuneError
	})
}

// countedAfter reports whether a counted noun (not a percent) follows the
// number at token i.
func (d *doc) countedAfter(i, hi int) bool {
	u, _ := d.unitAfter(i+1, hi)
	return u != "" && u != "percent"
}
