package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/cadrestats/cadrestats/internal/numtext"
)

// tok is one word, number or punctuation mark of the text. Offsets are
// bytes of the text as given; key is what rules compare.
type tok struct {
	start, end int
	key        string // folded word, the punctuation mark, or "#" for a number
	num        int    // index of the number in doc.nums, or -1
	word       bool
}

// tokenize cuts text into words (letters, with digits glued to them),
// the numbers numtext.Scan found, and single punctuation marks. White
// space separates and is dropped.
func tokenize(text string, nums []numtext.Token) []tok {
	var out []tok
	n := 0
	for i := 0; i < len(text); {
		if n < len(nums) && nums[n].Start == i {
			out = append(out, tok{start: i, end: nums[n].End, key: "#", num: n})
			i = nums[n].End
			n++
			continue
		}
		for n < len(nums) && nums[n].Start < i { // cannot happen with Scan's tokens; be safe
			n++
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isWordRune(r):
			j := i
			for j < len(text) && !(n < len(nums) && nums[n].Start == j) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !isWordRune(r2) {
					break
				}
				j += s2
			}
			out = append(out, tok{start: i, end: j, key: fold(text[i:j]), num: -1, word: true})
			i = j
		default:
			out = append(out, tok{start: i, end: i + size, key: punctKey(r), num: -1})
			i += size
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.IsDigit(r)
}

// punctKey reads look-alike punctuation as one mark: dashes as "-",
// typographic quotes as '"'.
func punctKey(r rune) string {
	switch r {
	case '–', '—', '‒', '−':
		return "-"
	case '“', '”', '„', '«', '»':
		return `"`
	case '‘', '’':
		return "'"
	case utf8.RuneError:
		return "?"
	}
	return string(r)
}

// Tone marks move freely in Vietnamese spelling ("uỷ" and "ủy", "hoà" and
// "hòa" are one word), so a key keeps the letters without their tone and
// names the tone at the end.
var tones = map[rune]byte{
	'\u0301': '1', // sắc
	'\u0300': '2', // huyền
	'\u0309': '3', // hỏi
	'\u0303': '4', // ngã
	'\u0323': '5', // nặng
}

// fold is the key of a word: lower case, look-alike letters read as
// Vietnamese ones (Ð as Đ), the tone mark taken off its vowel and named at
// the end, and "y" after a lone consonant read as "i" ("sỹ"/"sĩ",
// "kỹ"/"kĩ", "lý"/"lí").
func fold(w string) string {
	var b strings.Builder
	var tone byte
	for _, r := range norm.NFD.String(w) {
		r = unicode.ToLower(r)
		switch r {
		case 'ð', 'ɖ':
			r = 'đ'
		}
		if t, ok := tones[r]; ok {
			tone = t
			continue
		}
		b.WriteRune(r)
	}
	s := norm.NFC.String(b.String())
	s = yAsI(s)
	if tone != 0 {
		s += string(tone)
	}
	return s
}

// yAsI spells a syllable whose only vowel is y with i, and "qui" as "quy".
func yAsI(s string) string {
	if s == "qui" {
		return "quy"
	}
	if len(s) < 2 || s[len(s)-1] != 'y' {
		return s
	}
	switch s[:len(s)-1] {
	case "h", "k", "l", "m", "s", "t", "v", "n", "đ", "d":
		return s[:len(s)-1] + "i"
	}
	return s
}

// phrase is a cue compiled to keys. A word "!x" means: the next word is
// not x (so "bổ nhiệm !lại" is "bổ nhiệm" but not "bổ nhiệm lại").
type phrase struct {
	text string
	keys []string
	not  []string
}

func compile(text string) phrase {
	p := phrase{text: text}
	words := strings.Fields(text)
	var plain []string
	for _, w := range words {
		if strings.HasPrefix(w, "!") {
			p.not = append(p.not, fold(w[1:]))
			continue
		}
		plain = append(plain, w)
	}
	joined := strings.Join(plain, " ")
	p.text = joined
	for _, t := range tokenize(joined, numtext.Scan(joined)) {
		p.keys = append(p.keys, t.key)
	}
	return p
}

func compileAll(texts []string) []phrase {
	out := make([]phrase, len(texts))
	for i, t := range texts {
		out[i] = compile(t)
	}
	return out
}

// skippable marks may stand inside a phrase in running text: "lãnh đạo,
// quản lý" is the phrase "lãnh đạo quản lý", "trưởng, phó phòng" is
// "trưởng phó phòng".
func skippable(key string) bool { return key == "," || key == "-" }

// matchAt reports whether p matches toks from i (not beyond limit) and
// where the match ends.
func (p phrase) matchAt(toks []tok, i, limit int) (int, bool) {
	if len(p.keys) == 0 {
		return 0, false
	}
	j := i
	for k, want := range p.keys {
		if k > 0 {
			for j < limit && skippable(toks[j].key) && toks[j].key != want {
				j++
			}
		}
		if j >= limit || toks[j].key != want {
			return 0, false
		}
		j++
	}
	if j < limit {
		for _, n := range p.not {
			if toks[j].key == n {
				return 0, false
			}
		}
	}
	return j, true
}

// span is a range of token indices [from, to).
type span struct{ from, to int }

func (s span) contains(i int) bool { return i >= s.from && i < s.to }

// find returns every match of any of ps in toks[from:to], leftmost first.
func find(toks []tok, from, to int, ps []phrase) []match {
	var out []match
	for i := from; i < to; i++ {
		for k, p := range ps {
			if end, ok := p.matchAt(toks, i, to); ok {
				out = append(out, match{span: span{i, end}, phrase: k})
			}
		}
	}
	return out
}

type match struct {
	span
	phrase int // index of the phrase in its list
}

// has reports whether any of ps occurs in toks[from:to].
func has(toks []tok, from, to int, ps []phrase) bool {
	for i := from; i < to; i++ {
		for _, p := range ps {
			if _, ok := p.matchAt(toks, i, to); ok {
				return true
			}
		}
	}
	return false
}

// wordNumbers are the counts press writes in letters ("hai đồng chí bị kỷ
// luật", "một trường hợp").
// "năm" is left out: "trong năm cán bộ được đánh giá" is "in the year".
var wordNumbers = map[string]float64{"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6,
	"bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "mười": 10}

// numberWords reads a number written in letters as a number when a counted
// noun follows it ("hai đồng chí", "ba xã"), so that it is proposed like
// "2 đồng chí"; "một số cán bộ", "thứ hai", "năm 2020" stay words.
func (d *doc) numberWords() {
	byKey := make(map[string]float64, len(wordNumbers))
	for w, v := range wordNumbers {
		byKey[fold(w)] = v
	}
	for i := range d.toks {
		t := &d.toks[i]
		v, ok := byKey[t.key]
		if !ok || !t.word || i > 0 && d.toks[i-1].num >= 0 {
			continue
		}
		if i > 0 && (d.toks[i-1].key == "thứ" || d.toks[i-1].key == "lần") {
			continue // an ordinal
		}
		unit, _ := d.unitAfter(i+1, len(d.toks))
		if unit == "" || unit == "percent" {
			continue
		}
		if v == 1 && !(i > 0 && oneFollows[d.toks[i-1].key] && d.countNearby(i)) {
			continue // "Một cán bộ trẻ cho biết", "là một cán bộ": an article, not a count
		}
		t.num, t.key, t.word = len(d.nums), "#", false
		d.nums = append(d.nums, numtext.Token{Start: t.start, End: t.end, Text: d.text[t.start:t.end], Values: []float64{v}})
	}
}

// oneFollows: the words after which "một" lists a count ("…, một đồng chí
// bị khiển trách").
var oneFollows = map[string]bool{",": true, ";": true, ":": true, "và": true, "có": true, "còn": true}

// countNearby reports whether another number written in digits or letters
// shares token i's sentence ("hai đồng chí bị cảnh cáo, một đồng chí bị
// khiển trách").
func (d *doc) countNearby(i int) bool {
	for _, dir := range []int{-1, 1} {
		for j := i + dir; j >= 0 && j < len(d.toks) && j > i-40 && j < i+40; j += dir {
			t := d.toks[j]
			if t.key == "." || t.key == "!" || t.key == "?" {
				break
			}
			if _, ok := wordNumbers[strings.ToLower(d.text[t.start:t.end])]; t.num >= 0 || ok && t.word && j != i {
				return true
			}
		}
	}
	return false
}
