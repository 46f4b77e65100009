package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a range of bytes [Start, End) of a text.
type Span struct{ Start, End int }

// sentence is a sentence of the text and the paragraph it belongs to.
type sentence struct {
	Span
	para int
}

// paragraph is a run of lines that belong together: an article's
// paragraph, a headline, a caption.
type paragraph struct {
	Span
	words int
	ends  bool // ends with a full stop or the like, as body text does
}

// Sentences splits text into sentences, each without the white space
// around it. Every paragraph ends a sentence; a line break inside a
// paragraph that runs on (the next line starts in lower case, the line
// has no final stop) does not. Inside a paragraph a sentence ends at ".",
// "!", "?" or an ellipsis followed by a capital, a digit or an opening
// quote, but not after an abbreviation ("TP.", "ThS.", "T.Ư.", "đ/c.",
// an initial), nor in a decimal or a date ("17.5", "3.7.2019").
func Sentences(text string) []Span {
	var out []Span
	for _, s := range sentences(text, paragraphs(text)) {
		out = append(out, s.Span)
	}
	return out
}

func paragraphs(text string) []paragraph {
	var out []paragraph
	var cur *paragraph
	lastLine := ""
	for start := 0; start <= len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := strings.TrimSpace(text[start:end])
		if line == "" {
			cur = nil
		} else {
			ls := start + strings.Index(text[start:end], line)
			le := ls + len(line)
			if cur != nil && runsOn(lastLine, line) {
				cur.End = le
			} else {
				out = append(out, paragraph{Span: Span{ls, le}})
				cur = &out[len(out)-1]
			}
			lastLine = line
		}
		start = end + 1
	}
	for i := range out {
		p := &out[i]
		t := text[p.Start:p.End]
		p.words = len(strings.Fields(t))
		r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(t, `"'”’)»]`))
		p.ends = strings.ContainsRune(".!?…:;", r)
	}
	return out
}

// runsOn reports whether next continues the line before it: a paragraph
// wrapped by hand.
func runsOn(prev, next string) bool {
	r, _ := utf8.DecodeLastRuneInString(prev)
	if strings.ContainsRune(".!?…:;\"”)»", r) {
		return false
	}
	n, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLower(n)
}

func sentences(text string, paras []paragraph) []sentence {
	var out []sentence
	for pi, p := range paras {
		start := p.Start
		i := p.Start
		for i < p.End {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isStop(text, i, r) {
				i += size
				continue
			}
			// The stop and what closes with it: "…", "...", ".”", ".)".
			j := i + size
			for j < p.End {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if r2 == '.' || r2 == '!' || r2 == '?' || r2 == '…' || strings.ContainsRune(`"'”’)»]`, r2) {
					j += s2
					continue
				}
				break
			}
			if j < p.End && endsSentence(text, start, i, j, p.End) {
				out = appendSentence(out, text, start, j, pi)
				start = j
			}
			i = j
		}
		out = appendSentence(out, text, start, p.End, pi)
	}
	return out
}

func isStop(text string, i int, r rune) bool {
	switch r {
	case '!', '?', '…':
		return true
	case '.':
		// A dot between digits is a decimal or a date: "17.5", "3.7.2019".
		return !(i > 0 && isASCIIDigit(text[i-1]) && i+1 < len(text) && isASCIIDigit(text[i+1]))
	}
	return false
}

func isASCIIDigit(b byte) bool { return b >= '0' && b <= '9' }

// endsSentence decides whether the stop at text[stop:after] ends the
// sentence that began at start: it must be followed by white space and a
// capital, a digit or an opening mark, and must not close an abbreviation.
func endsSentence(text string, start, stop, after, limit int) bool {
	k := after
	spaced := false
	for k < limit {
		r, s := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsSpace(r) {
			break
		}
		spaced = true
		k += s
	}
	if !spaced || k >= limit {
		return false
	}
	next, _ := utf8.DecodeRuneInString(text[k:])
	if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune(`"'“‘(«[-–`, next)) {
		return false
	}
	if text[stop] == '.' && after-stop == 1 && isAbbreviation(lastWord(text, start, stop)) {
		return false
	}
	return true
}

// lastWord is the run of non-space characters before the stop, without
// opening brackets or quotes.
func lastWord(text string, start, stop int) string {
	k := stop
	for k > start {
		r, s := utf8.DecodeLastRuneInString(text[start:k])
		if unicode.IsSpace(r) {
			break
		}
		k -= s
	}
	return strings.TrimLeft(text[k:stop], `("'“‘«[`)
}

// abbreviations do not end a sentence when a stop follows them: titles
// and units before a name ("TP. Hạ Long", "ThS. Nguyễn Văn A", "Q. 1") and
// the acronyms of party and state bodies.
var abbreviations = map[string]bool{
	"TP": true, "Tp": true, "tp": true, "TX": true, "TT": true, "Q": true, "P": true, "H": true, "X": true,
	"ThS": true, "Ths": true, "TS": true, "PGS": true, "GS": true, "BS": true, "KS": true, "CN": true,
	"NCS": true, "Th.S": true, "PGS.TS": true, "GS.TS": true, "T.Ư": true, "TƯ": true, "TW": true,
	"UBND": true, "HĐND": true, "BTV": true, "BCH": true, "MTTQ": true, "BTC": true, "BCĐ": true,
	"UBKT": true, "đ/c": true, "Đ/c": true, "đ.c": true, "Đ.c": true, "v.v": true, "St": true, "Tr": true,
	"tr": true, "Mr": true, "Mrs": true, "Ms": true, "Dr": true, "ông": true, "bà": true, "Ông": true, "Bà": true,
}

func isAbbreviation(w string) bool {
	if w == "" {
		return false
	}
	if abbreviations[w] {
		return true
	}
	// A lone capital is an initial: "Nguyễn V. A. cho biết".
	if r, size := utf8.DecodeRuneInString(w); size == len(w) && unicode.IsUpper(r) {
		return true
	}
	// Letters with dots inside are abbreviations ("T.Ư", "Th.S"); a word
	// holding digits is not ("42-NQ/TW." ends a sentence).
	if strings.ContainsRune(w, '.') && !strings.ContainsAny(w, "0123456789") {
		return true
	}
	return false
}

func appendSentence(out []sentence, text string, start, end, para int) []sentence {
	for start < end {
		r, s := utf8.DecodeRuneInString(text[start:])
		if !unicode.IsSpace(r) {
			break
		}
		start += s
	}
	for end > start {
		r, s := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= s
	}
	if end > start {
		out = append(out, sentence{Span: Span{start, end}, para: para})
	}
	return out
}
