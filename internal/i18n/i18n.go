// Package i18n holds the interface texts in Vietnamese (the default) and
// English, and formats numbers and dates the way each language writes them.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/cadrestats/cadrestats/internal/numtext"
)

// Lang is a supported interface language.
type Lang string

const (
	VI Lang = "vi"
	EN Lang = "en"
)

// Langs lists the supported languages, the default first.
var Langs = []Lang{VI, EN}

var tags = map[Lang]language.Tag{VI: language.Vietnamese, EN: language.English}

//go:embed translations/*.json
var translations embed.FS

// Catalog holds every message in every language.
type Catalog struct {
	msgs map[Lang]map[string]string
}

// Load reads the embedded catalogues and refuses one that lacks a key the
// other has: a missing translation is a bug, not a fallback.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[Lang]map[string]string{}}
	for _, l := range Langs {
		b, err := translations.ReadFile("translations/" + string(l) + ".json")
		if err != nil {
			return nil, fmt.Errorf("load %s messages: %w", l, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("parse %s messages: %w", l, err)
		}
		c.msgs[l] = m
	}
	for _, a := range Langs {
		for _, b := range Langs {
			for k := range c.msgs[a] {
				if _, ok := c.msgs[b][k]; !ok {
					return nil, fmt.Errorf("message %q exists in %s but not in %s", k, a, b)
				}
			}
		}
	}
	return c, nil
}

// Keys lists the message keys (of the default language).
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.msgs[VI]))
	for k := range c.msgs[VI] {
		keys = append(keys, k)
	}
	return keys
}

// Printer writes messages, numbers and dates in one language.
type Printer struct {
	lang Lang
	msgs map[string]string
	num  *message.Printer
}

// Printer returns a printer for lang (Vietnamese when unknown).
func (c *Catalog) Printer(lang Lang) *Printer {
	if _, ok := c.msgs[lang]; !ok {
		lang = VI
	}
	return &Printer{lang: lang, msgs: c.msgs[lang], num: message.NewPrinter(tags[lang])}
}

// Lang is the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// T returns the message for key, formatted with args like fmt.Sprintf. An
// unknown key shows itself, which tests catch.
func (p *Printer) T(key string, args ...any) string {
	m, ok := p.msgs[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// Has reports whether key is a message.
func (p *Printer) Has(key string) bool {
	_, ok := p.msgs[key]
	return ok
}

// Number formats v with the language's separators: 1.700 and 62,5 in
// Vietnamese, 1,700 and 62.5 in English.
func (p *Printer) Number(v float64) string {
	// Whole numbers, most of what pages print, without x/text's general
	// formatter (a tenth of a locality page's time): the same digits.
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		sep := byte('.')
		if p.lang == EN {
			sep = ','
		}
		n := int64(v)
		var buf [32]byte
		i := len(buf)
		neg := n < 0
		if neg {
			n = -n
		}
		for d := 0; ; d++ {
			if d > 0 && d%3 == 0 {
				i--
				buf[i] = sep
			}
			i--
			buf[i] = byte('0' + n%10)
			n /= 10
			if n == 0 {
				break
			}
		}
		if neg {
			i--
			buf[i] = '-'
		}
		return string(buf[i:])
	}
	return p.num.Sprint(number.Decimal(v, number.MaxFractionDigits(2)))
}

// Date formats a date: 28/10/2020 in Vietnamese, 28 Oct 2020 in English.
func (p *Printer) Date(t time.Time) string {
	if p.lang == VI {
		return t.Format("02/01/2006")
	}
	return t.Format("2 Jan 2006")
}

// Compare orders strings the way the language sorts them (Vietnamese:
// A Ă Â … D Đ …, tones second), for sorting names.
func (p *Printer) Compare(a, b string) int {
	return collate.New(tags[p.lang]).CompareString(a, b)
}

// Negotiate picks the language: an explicit choice (query or cookie)
// first, then the browser's Accept-Language, else Vietnamese.
func Negotiate(explicit, cookie, acceptLanguage string) Lang {
	for _, s := range []string{explicit, cookie} {
		if l, ok := Parse(s); ok {
			return l
		}
	}
	if acceptLanguage != "" {
		prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(prefs) > 0 {
			_, i, conf := language.NewMatcher([]language.Tag{language.Vietnamese, language.English}).Match(prefs...)
			if conf != language.No {
				return Langs[i]
			}
		}
	}
	return VI
}

// Parse reads "vi" or "en".
func Parse(s string) (Lang, bool) {
	l := Lang(strings.ToLower(strings.TrimSpace(s)))
	_, ok := tags[l]
	return l, ok
}

// ParseDate reads a date as the language writes it (28/10/2020 in
// Vietnamese, 28 Oct 2020 in English) or in ISO 8601 (2020-10-28), which
// every language accepts.
func ParseDate(s string, lang Lang) (time.Time, bool) {
	s = strings.TrimSpace(s)
	layouts := []string{time.DateOnly}
	if lang == VI {
		layouts = append(layouts, "02/01/2006", "2/1/2006")
	} else {
		layouts = append(layouts, "2 Jan 2006", "02 Jan 2006", "2 January 2006")
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ParseNumber reads a number typed on a page of the language: 1.700 and
// 17,5 in Vietnamese, 1,700 and 17.5 in English. ambiguous reports that
// the other language would read the text as another number.
func (p *Printer) ParseNumber(s string) (v float64, ambiguous bool, err error) {
	c := numtext.VI
	if p.lang == EN {
		c = numtext.EN
	}
	return numtext.Parse(s, c)
}
