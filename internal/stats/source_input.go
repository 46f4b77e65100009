package stats

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Normalize canonicalises a source's text before it is stored.
func (s *Source) Normalize() {
	s.Title = textnorm.Clean(s.Title)
	s.Outlet = textnorm.Clean(s.Outlet)
	s.Author = textnorm.Clean(s.Author)
	s.PublishedText = textnorm.Clean(s.PublishedText)
	s.URL = strings.TrimSpace(s.URL)
	if s.Key == "" && s.Outlet != "" && !s.PublishedOn.IsZero() {
		s.Key = Slugify(s.Outlet) + "-" + s.PublishedOn.Format("2006-01-02")
	}
}

// validate adds the source's field errors, named as in the inline form.
func (s Source) validate(v *ValidationError) {
	check := func(field, val string, required bool, max int) {
		switch {
		case !textnorm.Valid(val):
			v.Add(field, "error.text.invalid", "")
		case required && val == "":
			v.Add(field, "error.required", "")
		case utf8.RuneCountInString(val) > max:
			v.Add(field, "error.text.too_long", itoa(max))
		}
	}
	check("new_source_title", s.Title, true, 500)
	check("new_source_outlet", s.Outlet, true, 200)
	check("new_source_author", s.Author, false, 200)
	check("new_source_url", s.URL, false, 1000)
	if s.URL != "" && !strings.HasPrefix(s.URL, "http://") && !strings.HasPrefix(s.URL, "https://") {
		v.Add("new_source_url", "error.url.invalid", "")
	}
	if s.PublishedOn.IsZero() {
		v.Add("new_source_published", "error.required", "")
	}
}

// Validate checks a source on its own. Errors: *ValidationError.
func (s Source) Validate() error {
	v := &ValidationError{}
	s.validate(v)
	return v.Err()
}

// Slugify makes an ASCII slug of Vietnamese text: "Báo Quảng Ninh" →
// "bao-quang-ninh".
func Slugify(s string) string {
	s = strings.NewReplacer("đ", "d", "Đ", "d").Replace(textnorm.Canonical(s))
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}
