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
