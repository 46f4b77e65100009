// Package numtext reads numbers as people write them in Vietnamese and
// English text: typed into a form ("1.700" on a Vietnamese page is one
// thousand seven hundred, "1,700" on an English one) or printed in an
// article ("hơn 7.200", "17,98%", "4/17"). It is a leaf: no I/O, no domain
// types.
package numtext

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Convention is a way of writing numbers.
type Convention uint8

const (
	// VI groups thousands with "." (or a space) and writes decimals with ",": 1.234,5.
	VI Convention = iota
	// EN groups thousands with "," (or a space) and writes decimals with ".": 1,234.5.
	EN
)

func (c Convention) separators() (group, decimal byte) {
	if c == EN {
		return ',', '.'
	}
	return '.', ','
}

// Other is the convention a reader of the other language would apply.
func (c Convention) Other() Convention {
	if c == EN {
		return VI
	}
	return EN
}

// ErrSyntax means the text is not a number in the convention.
var ErrSyntax = errors.New("not a number")

// Parse reads a number typed in convention c: digits, optionally grouped
// by threes with c's group separator or a space, optionally a decimal part
// after c's decimal separator, optionally a leading minus. Surrounding
// white space is ignored. ambiguous reports that the same text is a
// different valid number in the other convention ("1.700" is 1700 in
// Vietnamese but 1.7 in English), so that a form can show back how it read
// the value before storing it.
func Parse(s string, c Convention) (v float64, ambiguous bool, err error) {
	v, err = parse(s, c)
	if err != nil {
		return 0, false, err
	}
	if w, err2 := parse(s, c.Other()); err2 == nil && w != v {
		ambiguous = true
	}
	return v, ambiguous, nil
}

func parse(s string, c Convention) (float64, error) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		_, size := utf8.DecodeRuneInString(s)
		neg, s = true, strings.TrimSpace(s[size:])
	}
	group, dec := c.separators()
	intPart, frac := s, ""
	if i := strings.IndexByte(s, dec); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		if frac == "" || !allDigits(frac) {
			return 0, ErrSyntax
		}
	}
	digits, ok := ungroup(intPart, group)
	if !ok {
		return 0, ErrSyntax
	}
	plain := digits
	if frac != "" {
		plain += "." + frac
	}
	v, err := strconv.ParseFloat(plain, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, ErrSyntax
	}
	if neg {
		v = -v
	}
	return v, nil
}

// ungroup removes thousands separators from an integer part, refusing
// groups that are not of three digits ("1.70" is no number in Vietnamese).
// One kind of separator is allowed per number: group or a space.
func ungroup(s string, group byte) (string, bool) {
	if s == "" {
		return "", false
	}
	sep := byte(0)
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b == group || b == ' ' {
			if sep != 0 && b != sep {
				return "", false
			}
			sep = b
		} else if b < '0' || b > '9' {
			// A non-breaking or thin space between groups reads as a space.
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != '\u00a0' && r != '\u202f' && r != '\u2009' {
				return "", false
			}
			if sep != 0 && sep != ' ' {
				return "", false
			}
			sep = ' '
			s = s[:i] + " " + s[i+size:]
		}
	}
	if sep == 0 {
		return s, true
	}
	parts := strings.Split(s, string(sep))
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return "", false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 || !allDigits(p) {
			return "", false
		}
	}
	if !allDigits(parts[0]) {
		return "", false
	}
	return strings.Join(parts, ""), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Token is a number written in running text. Start and End are byte
// offsets of Text in the scanned string. A text such as "1.700" reads
// differently in the two conventions; Values holds every reading, the
// Vietnamese one first.
type Token struct {
	Start, End int
	Text       string
	Values     []float64
}

// Scan finds the numbers written with digits in text: runs of digits
// joined by group or decimal separators ("7.200", "1 700", "17,98",
// "1,700.5"). A separator counts only between digits, so "2015-2020",
// "4/17" and "28/10/2020" yield each number apart; "42-NQ/TW" yields 42.
// What a number means (a date, a document number, a count) is for the
// caller to decide from its neighbours.
func Scan(text string) []Token {
	var out []Token
	i := 0
	for i < len(text) {
		if !isDigit(text[i]) {
			i = skipWord(text, i)
			continue
		}
		if i > 0 && isWordByte(text, i-1) {
			i = runEnd(text, i) // "COVID19": digits inside a word
			continue
		}
		end := runEnd(text, i)
		lastRun, spaced, marked := end-i, false, false
		for end < len(text) {
			sep := sepLen(text, end)
			if sep == 0 || end+sep >= len(text) || !isDigit(text[end+sep]) {
				break
			}
			next := runEnd(text, end+sep)
			if text[end] == '.' || text[end] == ',' {
				// "7.200", "17,5", "1.234,5": a mark joins what follows.
				if spaced {
					break
				}
				marked = true
			} else {
				// A space groups thousands only as "1 700" or "21 804 000":
				// "năm 2019 15 đồng chí" is two numbers.
				if marked || lastRun > 3 || (spaced && lastRun != 3) || next-(end+sep) != 3 ||
					(next < len(text) && isDigit(text[next])) {
					break
				}
				spaced = true
			}
			lastRun = next - (end + sep)
			end = next
		}
		if end < len(text) && isWordByte(text, end) {
			// Digits glued to letters ("x2", "COVID19") are not numbers of the text.
			i = skipWord(text, end)
			continue
		}
		if t := token(text, i, end); len(t.Values) > 0 { // beyond float64: no number of an article
			out = append(out, t)
		}
		i = end
	}
	return out
}

// sepLen is the byte length of a number separator at text[i], or 0.
func sepLen(text string, i int) int {
	switch text[i] {
	case '.', ',', ' ':
		return 1
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if r == '\u00a0' || r == '\u202f' || r == '\u2009' {
		return size
	}
	return 0
}

func token(text string, start, end int) Token {
	t := Token{Start: start, End: end, Text: text[start:end]}
	add := func(v float64) {
		for _, x := range t.Values {
			if x == v {
				return
			}
		}
		t.Values = append(t.Values, v)
	}
	for _, c := range []Convention{VI, EN} {
		if v, err := parse(t.Text, c); err == nil {
			add(v)
		}
	}
	if len(t.Values) == 0 {
		// "2015 2020" or "3,4,5": separators that group nothing; each run
		// is a number of its own, the first one stands for the token.
		if v, err := strconv.ParseFloat(leadingDigits(t.Text), 64); err == nil {
			add(v)
		}
	}
	return t
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i]
}

func runEnd(text string, i int) int {
	for i < len(text) && isDigit(text[i]) {
		i++
	}
	return i
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isWordByte reports whether the character at byte i is a letter (of any
// script), so that digits inside words are skipped.
func isWordByte(text string, i int) bool {
	// Step back to the start of the rune containing byte i.
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r)
}

func skipWord(text string, i int) int {
	_, size := utf8.DecodeRuneInString(text[i:])
	return i + max(size, 1)
}

// smallNumbers are the numbers articles often write in words.
var smallNumbers = map[string]float64{
	"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
	"tám": 8, "chín": 9, "mười": 10,
}

// Contains reports whether text writes the number v: with digits in either
// convention ("1700", "1.700", "1 700", "1,700"; "17,5" or "17.5"), or, for
// one to ten, as a Vietnamese word ("hai đồng chí"). A form uses it to
// check that a quote holds the value it is said to hold.
func Contains(text string, v float64) bool {
	for _, t := range Scan(text) {
		for _, x := range t.Values {
			if x == v {
				return true
			}
		}
		// "3,4 và 5" scanned as one token: look at each run as well.
		for _, run := range strings.FieldsFunc(t.Text, func(r rune) bool { return !unicode.IsDigit(r) }) {
			if x, err := strconv.ParseFloat(run, 64); err == nil && x == v {
				return true
			}
		}
	}
	if v >= 1 && v <= 10 && v == math.Trunc(v) {
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if smallNumbers[w] == v {
				return true
			}
		}
	}
	return false
}

// Format writes v in convention c with grouped thousands and at most
// maxFrac decimals, trailing zeros dropped: Format(1700, VI, 2) is "1.700",
// Format(17.5, EN, 2) is "17.5".
func Format(v float64, c Convention, maxFrac int) string {
	group, dec := c.separators()
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatFloat(v, 'f', maxFrac, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(intPart); i++ {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(group)
		}
		b.WriteByte(intPart[i])
	}
	if frac != "" {
		b.WriteByte(dec)
		b.WriteString(frac)
	}
	return b.String()
}
