package extract

import (
	"strings"
)

// quote is the text of tokens [from, to), verbatim, without the separators
// and the conjunction ("và") around it.
func (d *doc) quote(from, to int) string {
	for from < to && (isSeparator(d.toks[from].key) || d.is(from, "và", "với", "cùng")) {
		from++
	}
	for to > from && isSeparator(d.toks[to-1].key) {
		to--
	}
	if to <= from {
		return ""
	}
	return d.text[d.toks[from].start:d.toks[to-1].end]
}

func isSeparator(k string) bool { return k == "," || k == ";" || k == ":" || k == "-" }

// subject is what the figure counts, in the sentence's words: the noun
// phrase after the number ("phó trưởng phòng và tương đương"), led by the
// action when the phrase does not name it ("tiếp nhận cán bộ từ cấp tỉnh
// về huyện"); for "X có N người", X. Time phrases, numbers and bare
// counters ("đồng chí", "lượt") are left out; a part read with its total
// is named after it ("cán bộ diện BTV huyện uỷ quản lý: nữ").
func (d *doc) subject(figs []fig, k int) string {
	f := &figs[k]
	s := d.sents[f.sent]
	numTok := d.numbers[f.num].tok
	numEnd := d.numEnd(f)
	words := func(from, to int) string {
		var parts []string
		for i := from; i < to; i++ {
			t := d.toks[i]
			if i >= numTok && i < numEnd || f.skip.contains(i) || inPhrase(s.phrases, i) || !t.word && t.num < 0 && !strings.Contains(",/%-", t.key) {
				continue
			}
			parts = append(parts, d.text[t.start:t.end])
		}
		return joinWords(parts)
	}
	// The tail: from the number on, through the clauses that go on
	// describing what was counted.
	tailFrom, noun := numEnd, ""
	if f.unit == "percent" {
		tailFrom = f.unitEnd
	}
	for _, g := range d.r.generic {
		if end, ok := g.matchAt(d.toks, tailFrom, f.to); ok && end == f.unitEnd {
			tailFrom = f.unitEnd
			if f.unit == "persons" {
				noun = "cán bộ" // "đồng chí được luân chuyển": cadres rotated
			}
		}
	}
	tailTo := f.clause.to
	for tailTo < f.to {
		next := tailTo
		for next < f.to && isSeparator(d.toks[next].key) {
			next++
		}
		end := next
		for end < f.to && !isSeparator(d.toks[end].key) {
			end++
		}
		if end == next || !d.describes(f, span{next, end}) {
			break
		}
		tailTo = end
	}
	raw := strings.TrimSpace(words(tailFrom, tailTo))
	tail := trimFunctionWords(raw)
	if noun != "" && raw != "" && needsNoun(raw) {
		tail = trimEnd(raw)
	} else {
		noun = ""
	}
	// The head: what precedes the number in its clause, back to the action
	// that names it ("đề bạt, bổ nhiệm, bổ nhiệm lại 17 trường hợp"); for a
	// headcount, the whole noun phrase before it.
	act, actFrom := d.actionPhrase(f)
	headFrom := f.from
	if f.strength == action {
		headFrom = f.clause.from
		if actFrom >= 0 && actFrom < headFrom {
			headFrom = actFrom
		}
	}
	head := trimFunctionWords(words(headFrom, d.qualifierStart(numTok, headFrom)))

	var subject string
	switch {
	case f.unit == "communes" && f.unitEnd > numEnd:
		// "4/17 xã, thị trấn", "tại 3 xã": the units, then what they have.
		subject = joinNonEmpty(d.text[d.toks[numEnd].start:d.toks[f.unitEnd-1].end]+":", head)
		if head == "" {
			subject = tail
		}
	case f.parent >= 0 && f.viaParent:
		own := tail
		if own == "" || f.strength < action && head != "" {
			own = head
		}
		subject = d.subject(figs, f.parent) + ": " + own
	case tail == "" && head != "":
		subject = head
	case tail == "":
		subject = act
	case f.strength < action && len(strings.Fields(tail)) <= 2 && head != "":
		subject = tail + " " + head // "Ban chấp hành đảng bộ huyện có 43 uỷ viên"
	case act != "" && !strings.Contains(strings.ToLower(tail), strings.ToLower(d.lastCue(f))):
		subject = joinNonEmpty(act, noun, tail)
	default:
		subject = joinNonEmpty(noun, tail)
	}
	return capWords(cleanText(subject), 20)
}

func inPhrase(ps []timePhrase, i int) bool {
	for _, p := range ps {
		if p.contains(i) {
			return true
		}
	}
	return false
}

// describes: a clause after the number's that names what was counted
// further ("62% cán bộ, lãnh đạo diện … hoàn thành xuất sắc"), not one
// that comments on it ("…, đảm bảo nghiêm túc").
func (d *doc) describes(f *fig, c span) bool {
	for _, m := range d.sents[f.sent].cues {
		if m.from >= c.from && m.to <= c.to && d.r.categories[m.rule].strength > stockVerb {
			return true
		}
	}
	return false
}

// actionPhrase is the text from the first to the last cue of the figure's
// category before its number, when they stand together: "đề bạt, bổ
// nhiệm, bổ nhiệm lại", "luân chuyển, điều động"; and the token it starts at.
func (d *doc) actionPhrase(f *fig) (string, int) {
	numTok := d.numbers[f.num].tok
	first, last := -1, -1
	for _, m := range d.sents[f.sent].cues {
		rule := d.r.categories[m.rule]
		if m.from < f.from || m.to > numTok || rule.category != f.category || rule.strength != action {
			continue
		}
		if last >= 0 && m.from-last > 2 {
			first = -1 // a cue far from the one before: start again
		}
		if first < 0 {
			first = m.from
		}
		last = m.to
	}
	if first < 0 {
		return "", -1
	}
	return d.text[d.toks[first].start:d.toks[last-1].end], first
}

// lastCue is the text of the cue that proposed the category.
func (d *doc) lastCue(f *fig) string {
	if f.cue.to <= f.cue.from {
		return ""
	}
	return d.text[d.toks[f.cue.from].start:d.toks[f.cue.to-1].end]
}

// needsNoun: the words after a bare counter say what was done, not to
// whom ("đồng chí được luân chuyển", "đồng chí diện BTV … quản lý").
func needsNoun(s string) bool {
	w := strings.ToLower(strings.Fields(s)[0])
	switch w {
	case "được", "từ", "đi", "tham", "hoàn", "không", "đã", "về", "lên", "là", "bị", "đăng", "giữ", "làm", "diện", "thuộc":
		return true
	}
	return false
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// joinWords joins tokens, keeping punctuation against the word before it.
func joinWords(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && !strings.ContainsAny(p[:1], ",.;:)%/") && !strings.HasSuffix(parts[i-1], "/") && !strings.HasSuffix(parts[i-1], "(") {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

var functionWords = map[string]bool{
	"đã": true, "có": true, "được": true, "là": true, "thực": true, "hiện": true, "và": true, "gồm": true,
	"trong": true, "đó": true, "số": true, "tổng": true, "đối": true, "với": true, "cho": true, "của": true,
	"thì": true, "đạt": true, "chiếm": true, "các": true, "những": true, "riêng": true, "tại": true, "ở": true,
	"nay": true, "còn": true, "cùng": true,
}

// trimFunctionWords drops connecting words and marks at either end.
func trimFunctionWords(s string) string {
	w := strings.Fields(s)
	for len(w) > 0 && isFunctionWord(w[0]) {
		w = w[1:]
	}
	return trimEnd(strings.Join(w, " "))
}

func trimEnd(s string) string {
	w := strings.Fields(s)
	for len(w) > 0 && isFunctionWord(w[len(w)-1]) {
		w = w[:len(w)-1]
	}
	return strings.Trim(strings.Join(w, " "), ",;:-/ ")
}

func isFunctionWord(w string) bool {
	t := strings.Trim(w, ",;:-/%")
	return t == "" || functionWords[strings.ToLower(t)]
}

func capWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) <= n {
		return s
	}
	return strings.Join(w[:n], " ") + "…"
}
