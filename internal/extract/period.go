package extract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timePhrase is a phrase of a sentence that dates what it reports: "Năm
// 2019", "Nhiệm kỳ 2015 - 2020", "Từ năm 2010 đến nay", "hiện nay".
type timePhrase struct {
	span
	start, end time.Time
	term       string // nk-2015-2020 for a congress term; qh-… for a planning term
	plan       bool   // "quy hoạch cán bộ giai đoạn 2015-2020": the planning term, not the period
	target     bool   // "đến năm 2025": a deadline
	text       string
}

// timeWords are the words the phrases are made of, folded once.
var timeWords = []string{"từ", "năm", "đến", "tới", "nay", "hiện", "tại", "đầu", "cuối", "nhiệm", "kỳ", "giai",
	"đoạn", "quy", "hoạch", "tháng", "quý", "qua", "vừa", "gần", "đây", "trở", "lại", "này", "trước", "tính",
	"ngày", "thời", "điểm", "có", "đang", "trong", "khóa", "thực", "thể", "xuất", "phát", "biểu", "và", "với", "cùng", "diện", "so"}

func date(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func endOfYear(y int) time.Time { return date(y, 12, 31) }

func endOfMonth(y int, m time.Month) time.Time { return date(y, m+1, 0) }

// is reports whether token i is one of the words.
func (d *doc) is(i int, words ...string) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	k := d.toks[i].key
	for _, w := range words {
		fw, ok := d.r.words[w]
		if !ok {
			fw = fold(w)
		}
		if k == fw {
			return true
		}
	}
	return false
}

// year reads token i as a year: four plain digits, 1945 to 2100.
func (d *doc) year(i int) (int, bool) {
	if i < 0 || i >= len(d.toks) || d.toks[i].num < 0 {
		return 0, false
	}
	t := d.toks[i]
	txt := d.text[t.start:t.end]
	if len(txt) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(txt)
	if err != nil || y < 1945 || y > 2100 {
		return 0, false
	}
	return y, true
}

// small reads token i as a whole number up to max (months, quarters).
func (d *doc) small(i, max int) (int, bool) {
	if i < 0 || i >= len(d.toks) || d.toks[i].num < 0 {
		return 0, false
	}
	v := d.nums[d.toks[i].num].Values[0]
	if v < 1 || v > float64(max) || v != float64(int(v)) {
		return 0, false
	}
	return int(v), true
}

// currentTerm is the congress term under way at t: local terms run
// 2010–2015, 2015–2020 …, the national congress's a year later (2016–2021,
// 2021–2026); in a congress year the ending term is still the one reports
// review.
func currentTerm(t time.Time, national bool) int {
	y := t.Year()
	if national {
		y--
	}
	start := y - y%5
	if y%5 == 0 {
		start -= 5
	}
	if national {
		start++
	}
	return start
}

// termStart is the current term's first year for the article's locality.
func (d *doc) termStart() int { return currentTerm(d.pub, d.level == NationalLevel) }

// lastTermEnd is the last year of the latest term that has ended, or ends
// in the publication year ("nhiệm kỳ qua").
func (d *doc) lastTermEnd() int {
	y, off := d.pub.Year(), 0
	if d.level == NationalLevel {
		off = 1
	}
	return y - (y-off)%5
}

func termKey(kind string, y1, y2 int) string { return fmt.Sprintf("%s-%d-%d", kind, y1, y2) }

// timePhrases finds the sentence's time phrases, left to right.
func (d *doc) timePhrases(s *sent) {
	for i := s.t0; i < s.t1; {
		if p, ok := d.timePhraseAt(i, s); ok {
			if d.before(p.from, s.t0, d.r.comparison) { // "so với nhiệm kỳ trước": a baseline, not when
				i = p.to
				continue
			}
			p.text = d.text[d.toks[p.from].start:d.toks[p.to-1].end]
			if p.plan {
				s.plan = p.term
			}
			if d.keep(&p) {
				s.phrases = append(s.phrases, p)
			}
			i = p.to
			continue
		}
		i++
	}
}

// keep caps a phrase at publication and drops phrases of the future (a
// plan for 2020–2025 in a 2019 article dates nothing that happened).
func (d *doc) keep(p *timePhrase) bool {
	if p.plan {
		return false
	}
	if d.pub.IsZero() {
		return true
	}
	if p.target {
		return true
	}
	if p.end.After(d.pub) {
		p.end = d.pub
	}
	return !p.start.After(p.end)
}

func (d *doc) timePhraseAt(i int, s *sent) (timePhrase, bool) {
	hi := s.t1
	pub := d.pub
	// A phrase that runs "until now" ends at publication: unknown (zero)
	// when the publication date is.
	untilNow := func(j int) (int, bool) { // "đến nay", "tới nay", "đến hiện nay"
		if d.is(j, "đến", "tới") {
			if d.is(j+1, "nay") {
				return j + 2, true
			}
			if d.is(j+1, "hiện") && d.is(j+2, "nay", "tại") {
				return j + 3, true
			}
		}
		return j, false
	}
	afterPlanning := func(at int) bool { // "quy hoạch cán bộ giai đoạn …"
		for k := at - 1; k >= s.t0 && k >= at-6; k-- {
			if d.is(k, "hoạch") && d.is(k-1, "quy") {
				return true
			}
		}
		return false
	}
	rangeAt := func(j int) (int, int, int, bool) { // Y1 - Y2, Y1 – Y2
		y1, ok := d.year(j)
		if !ok || j+2 >= hi || d.toks[j+1].key != "-" {
			return 0, 0, 0, false
		}
		y2, ok := d.year(j + 2)
		if !ok || y2 < y1 {
			return 0, 0, 0, false
		}
		return y1, y2, j + 3, true
	}
	termRange := func(from, j int, plan bool) (timePhrase, bool) {
		y1, y2, end, ok := rangeAt(j)
		if !ok {
			return timePhrase{}, false
		}
		if plan {
			return timePhrase{span: span{from, end}, term: termKey("qh", y1, y2), plan: true}, true
		}
		return timePhrase{span: span{from, end}, start: date(y1, 1, 1), end: endOfYear(y2), term: termKey("nk", y1, y2)}, true
	}

	switch {
	case d.is(i, "từ") && d.is(i+1, "đầu") && d.is(i+2, "nhiệm") && d.is(i+3, "kỳ"),
		d.is(i, "đầu") && d.is(i+1, "nhiệm") && d.is(i+2, "kỳ") && !d.is(i-1, "từ"):
		j := i + 4 // after "từ đầu nhiệm kỳ"
		if d.is(i, "đầu") {
			j = i + 3
		}
		if j < hi && d.toks[j].word && romanRe.MatchString(d.text[d.toks[j].start:d.toks[j].end]) {
			j++ // "từ đầu nhiệm kỳ XIII": the congress's number
		}
		if p, ok := termRange(i, j, false); ok {
			p.end = pub
			return p, true
		}
		if pub.IsZero() {
			return timePhrase{}, false
		}
		t := d.termStart()
		end, _ := untilNow(j)
		return timePhrase{span: span{i, end}, start: date(t, 1, 1), end: pub, term: termKey("nk", t, t+5)}, true

	case d.is(i, "từ") && d.is(i+1, "đầu") && d.is(i+2, "năm"):
		j := i + 3
		y, ok := d.year(j)
		if ok {
			j++
		} else if pub.IsZero() {
			return timePhrase{}, false
		} else {
			y = pub.Year()
		}
		end, _ := untilNow(j)
		return timePhrase{span: span{i, end}, start: date(y, 1, 1), end: pub}, true

	case d.is(i, "từ"):
		j := i + 1
		if d.is(j, "năm") {
			j++
		}
		y1, ok := d.year(j)
		if !ok {
			return timePhrase{}, false
		}
		j++
		if d.is(j, "đến", "tới") || j < hi && d.toks[j].key == "-" {
			k := j + 1
			if d.is(k, "năm") {
				k++
			}
			if y2, ok := d.year(k); ok && y2 >= y1 {
				return timePhrase{span: span{i, k + 1}, start: date(y1, 1, 1), end: endOfYear(y2)}, true
			}
		}
		// "Từ năm 2010 đến nay", or "Từ năm 2010, …": since then.
		end, _ := untilNow(j)
		return timePhrase{span: span{i, end}, start: date(y1, 1, 1), end: pub}, true

	case d.is(i, "nhiệm") && d.is(i+1, "kỳ"):
		if p, ok := termRange(i, i+2, afterPlanning(i)); ok {
			return p, true
		}
		if pub.IsZero() {
			return timePhrase{}, false
		}
		if d.is(i+2, "qua", "trước") || d.is(i+2, "vừa") && d.is(i+3, "qua") {
			e := d.lastTermEnd()
			end := i + 3
			if d.is(i+2, "vừa") {
				end++
			}
			return timePhrase{span: span{i, end}, start: date(e-5, 1, 1), end: endOfYear(e), term: termKey("nk", e-5, e)}, true
		}
		if d.is(i+2, "này") || d.is(i-1, "trong") {
			t := d.termStart()
			end := i + 2
			if d.is(i+2, "này") {
				end++
			}
			return timePhrase{span: span{i, end}, start: date(t, 1, 1), end: pub, term: termKey("nk", t, t+5)}, true
		}

	case d.is(i, "giai") && d.is(i+1, "đoạn"):
		if y1, y2, end, ok := rangeAt(i + 2); ok {
			if afterPlanning(i) {
				return timePhrase{span: span{i, end}, term: termKey("qh", y1, y2), plan: true}, true
			}
			return timePhrase{span: span{i, end}, start: date(y1, 1, 1), end: endOfYear(y2)}, true
		}

	case d.toks[i].num >= 0 && d.is(i+1, "tháng") && d.is(i+2, "đầu", "cuối"):
		n, ok := d.small(i, 12)
		if !ok {
			return timePhrase{}, false
		}
		j := i + 3
		if d.is(j, "năm") {
			j++
		}
		y, ok := d.year(j)
		if ok {
			j++
		} else if pub.IsZero() {
			return timePhrase{}, false
		} else {
			y = pub.Year()
		}
		if d.is(i+2, "đầu") {
			return timePhrase{span: span{i, j}, start: date(y, 1, 1), end: endOfMonth(y, time.Month(n))}, true
		}
		return timePhrase{span: span{i, j}, start: date(y, time.Month(13-n), 1), end: endOfYear(y)}, true

	// "Trong 5 năm, toàn Đảng bộ kết nạp …" opening its sentence: the five
	// years up to publication ("trong 2 năm liên tiếp" later in a sentence is
	// a condition, not the period).
	case d.is(i, "trong") && i == s.t0 && i+3 < hi && d.toks[i+1].num >= 0 && d.is(i+2, "năm") && d.toks[i+3].key == ",":
		n, ok := d.small(i+1, 30)
		if !ok || pub.IsZero() {
			return timePhrase{}, false
		}
		return timePhrase{span: span{i, i + 3}, start: date(pub.Year()-n, 1, 1), end: pub}, true

	case d.toks[i].num >= 0 && d.is(i+1, "năm") && (d.is(i+2, "qua") || d.is(i+2, "vừa") && d.is(i+3, "qua") ||
		d.is(i+2, "gần") && d.is(i+3, "đây") || d.is(i+2, "trở") && d.is(i+3, "lại")):
		n, ok := d.small(i, 30)
		if !ok || pub.IsZero() {
			return timePhrase{}, false
		}
		end := i + 3
		if !d.is(i+2, "qua") {
			end++
		}
		return timePhrase{span: span{i, end}, start: date(pub.Year()-n, 1, 1), end: pub}, true

	case d.is(i, "quý") && i+1 < hi:
		q, j := 0, i+1
		if w := d.text[d.toks[j].start:d.toks[j].end]; d.toks[j].word && romanRe.MatchString(w) {
			q = roman(w)
		} else if v, ok := d.small(j, 4); ok {
			q = v
		}
		if q < 1 || q > 4 {
			return timePhrase{}, false
		}
		j++
		if d.is(j, "năm") || j < hi && (d.toks[j].key == "/" || d.toks[j].key == "-") {
			j++
		}
		y, ok := d.year(j)
		if !ok {
			return timePhrase{}, false
		}
		m := time.Month(3*q - 2)
		return timePhrase{span: span{i, j + 1}, start: date(y, m, 1), end: endOfMonth(y, m+2)}, true

	case d.is(i, "tháng"):
		m, ok := d.small(i+1, 12)
		if !ok {
			return timePhrase{}, false
		}
		j := i + 2
		if d.is(j, "năm") || j < hi && (d.toks[j].key == "/" || d.toks[j].key == "-") {
			j++
		}
		y, ok := d.year(j)
		if !ok {
			return timePhrase{}, false
		}
		return timePhrase{span: span{i, j + 1}, start: date(y, time.Month(m), 1), end: endOfMonth(y, time.Month(m))}, true

	case d.is(i, "năm"):
		y, ok := d.year(i + 1)
		if !ok {
			return timePhrase{}, false
		}
		if y1, y2, end, ok := rangeAt(i + 1); ok {
			return timePhrase{span: span{i, end}, start: date(y1, 1, 1), end: endOfYear(y2)}, true
		}
		if d.is(i-1, "đến", "tới") {
			start := pub
			if start.IsZero() || start.Year() > y {
				start = date(y, 1, 1)
			}
			return timePhrase{span: span{i - 1, i + 2}, start: start, end: endOfYear(y), target: true}, true
		}
		end := i + 2
		if d.is(end, "vừa") && d.is(end+1, "qua") {
			end += 2
		}
		// "Năm 2021, 2022", "năm 2021 và 2022": the years together.
		if end < hi && (d.toks[end].key == "," || d.is(end, "và")) {
			if y2, ok := d.year(end + 1); ok && y2 > y && y2 <= y+10 && d.numbers[d.numberAt(end+1)].reason == ReasonYear {
				return timePhrase{span: span{i, end + 2}, start: date(y, 1, 1), end: endOfYear(y2)}, true
			}
		}
		return timePhrase{span: span{i, end}, start: date(y, 1, 1), end: endOfYear(y)}, true

	case d.toks[i].num >= 0:
		y1, y2, end, ok := rangeAt(i)
		switch {
		case !ok:
		case d.is(i-1, "hoạch") || d.is(i-1, "đoạn") && afterPlanning(i):
			// "quy hoạch 2015-2020": the planning term.
			return timePhrase{span: span{i, end}, term: termKey("qh", y1, y2), plan: true}, true
		case i > s.t0 && d.toks[i-1].key == "(" && afterPlanning(i-1):
			// "quy hoạch … 2020-2025 (2021-2026)": the same plan, renamed.
		case y2-y1 <= 10:
			// "Trong 5 năm (2016 - 2020)", "2016-2020": a bare range of years.
			return timePhrase{span: span{i, end}, start: date(y1, 1, 1), end: endOfYear(y2)}, true
		}

	case d.is(i, "tính") && d.is(i+1, "đến"):
		j := i + 2
		if d.is(j, "ngày") {
			j++
		}
		if t, end, ok := d.dateAt(j); ok {
			return timePhrase{span: span{i, end}, start: t, end: t}, true
		}
		if d.is(j, "nay") || d.is(j, "thời") && d.is(j+1, "điểm") {
			if pub.IsZero() {
				return timePhrase{}, false
			}
			end := j + 1
			if d.is(j, "thời") {
				end = j + 2
				if d.is(end, "này") || d.is(end, "hiện") {
					end++
				}
			}
			return timePhrase{span: span{i, end}, start: pub, end: pub}, true
		}

	case d.is(i, "hiện") && !d.is(i-1, "thực", "thể", "xuất", "phát", "biểu") &&
		(d.is(i+1, "nay", "có", "tại", "đang") || i == s.t0 || d.toks[i-1].key == ","), // "Hiện toàn tỉnh có …"
		d.is(i, "đến", "tới") && d.is(i+1, "nay"):
		if pub.IsZero() {
			return timePhrase{}, false
		}
		end := i + 1
		if d.is(i+1, "nay", "tại") || d.is(i, "đến", "tới") {
			end = i + 2
		}
		return timePhrase{span: span{i, end}, start: pub, end: pub}, true
	}
	return timePhrase{}, false
}

// dateAt reads "30/6/2020" at token i.
func (d *doc) dateAt(i int) (time.Time, int, bool) {
	if i+4 >= len(d.toks) || d.toks[i+1].key != "/" || d.toks[i+3].key != "/" {
		return time.Time{}, i, false
	}
	day, ok1 := d.small(i, 31)
	m, ok2 := d.small(i+2, 12)
	y, ok3 := d.year(i + 4)
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, i, false
	}
	t := date(y, time.Month(m), day)
	if t.Day() != day {
		return time.Time{}, i, false
	}
	return t, i + 5, true
}

// numberAt is the index in doc.numbers of the number at token i.
func (d *doc) numberAt(i int) int { return d.numOf[i] }

// yearByYear reports whether a sentence's time phrases are a list of
// single years ("Năm 2021 có 18 đồng chí; năm 2022 có 25 đồng chí"): a
// breakdown of the paragraph's period, whose last year is no period for the
// next paragraph.
func yearByYear(phrases []timePhrase) bool {
	years := 0
	for _, p := range phrases {
		if p.start.Year() == p.end.Year() && p.start.YearDay() == 1 && p.end.Month() == time.December && p.end.Day() == 31 {
			years++
		}
	}
	return years >= 2
}

// periodOf takes the nearest time phrase: before the number in its
// sentence, else after it, else the last of the paragraph's earlier
// sentences; a flow without one takes the last earlier phrase of the
// article (not a year of a year-by-year list), a stock the publication date.
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
	// Flows and results (an evaluation of a year) keep the period of an
	// earlier paragraph; a stock without one is dated at publication.
	reaches := f.measure == "flow" || f.measure == "result"
	plan := s.plan
	for j := f.sent - 1; j >= 0 && (p == nil || plan == ""); j-- {
		prev := &d.sents[j]
		sameParagraph := prev.para == s.para
		if p == nil && len(prev.phrases) > 0 && (sameParagraph || reaches && !yearByYear(prev.phrases)) {
			p = &prev.phrases[len(prev.phrases)-1]
		}
		if plan == "" && sameParagraph {
			plan = prev.plan
		}
		if !sameParagraph && !reaches {
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
