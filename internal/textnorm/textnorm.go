// Package textnorm canonicalises Vietnamese text before it is stored or
// compared: the same words typed on different keyboards must match.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// lookalikes maps letters that look like Vietnamese ones but are not:
// U+00D0 (Icelandic eth, capital) is often typed or OCR'd for U+0110 "Đ",
// and U+00F0 for U+0111 "đ". U+0189 (African D) also appears in old fonts.
var lookalikes = strings.NewReplacer(
	"\u00D0", "\u0110",
	"\u00F0", "\u0111",
	"\u0189", "\u0110",
)

// Canonical returns s in NFC with look-alike letters replaced by the
// Vietnamese ones. Invalid UTF-8 must be rejected by the caller first
// (see Valid); here it would be replaced by U+FFFD.
func Canonical(s string) string {
	// Most text is already canonical: checking is cheaper than rebuilding.
	if norm.NFC.IsNormalString(s) && !strings.ContainsAny(s, "\u00D0\u00F0\u0189") {
		return s
	}
	return norm.NFC.String(lookalikes.Replace(norm.NFC.String(s)))
}

// Clean canonicalises s, turns every run of Unicode white space (including
// non-breaking spaces) into one space and trims both ends: the form in
// which user-entered text is stored.
func Clean(s string) string {
	return strings.Join(strings.Fields(Canonical(s)), " ")
}

// Fold is Clean for comparisons that should also ignore letter case.
func Fold(s string) string {
	return strings.ToLower(Clean(s))
}

// Valid reports whether s is valid UTF-8 without control characters other
// than tab and newline: text that can be stored and shown safely.
func Valid(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}
