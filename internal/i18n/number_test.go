package i18n_test

import (
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/cadrestats/cadrestats/internal/i18n"
)

// TestNumberWholeFastPath: whole numbers skip x/text's formatter and must print the same.
func TestNumberWholeFastPath(t *testing.T) {
	c, _ := i18n.Load()
	for _, l := range []struct {
		lang i18n.Lang
		tag  language.Tag
	}{{i18n.VI, language.Vietnamese}, {i18n.EN, language.English}} {
		p := c.Printer(l.lang)
		ref := message.NewPrinter(l.tag)
		for _, v := range []float64{0, 1, 12, 999, 1000, 1700, 12345, 999999, 1000000, 123456789, -5, -1234, 1e14} {
			if got, want := p.Number(v), ref.Sprint(number.Decimal(v, number.MaxFractionDigits(2))); got != want {
				t.Errorf("%s %v: %q, want %q", l.lang, v, got, want)
			}
		}
	}
}
