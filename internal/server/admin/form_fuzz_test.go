package admin

import (
	"net/url"
	"testing"

	"github.com/cadrestats/cadrestats/internal/i18n"
)

// FuzzFigureForm feeds arbitrary form bodies to the figure form parser, in
// both languages: it must never panic, and whatever it accepts must be a
// valid figure whose quote holds its value.
func FuzzFigureForm(f *testing.F) {
	cat, err := i18n.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("locality_slug=song-lo&category=training&subject=l%E1%BB%9Bp&value=12&unit=persons&qualifier=exact&period_start=2021-01-01&period_end=2021-12-31&source_key=x&quote=12+%C4%91%E1%BB%93ng+ch%C3%AD")
	f.Add("value=1.700&unit=persons&quote=h%C6%A1n+1.700+ng%C6%B0%E1%BB%9Di&period_start=28%2F10%2F2020&period_end=2020-10-28")
	f.Add("value=-1&unit=percent&denominator=0.5&period_start=2021-13-01")
	f.Add("value=1e400&denominator=NaN&parent_id=-3&source_key=new&new_source_published=2020-02-30")
	f.Add("subject=%FF%FE&quote=%00&from_level=province&to_level=commune&category=rotation")
	f.Add("value=0x10&value=2&locality_slug=%C3%90i%E1%BB%87n&completeness=part&rank=preferred")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		for _, lang := range i18n.Langs {
			ff, err := parseFigureForm(cat.Printer(lang), form)
			if err != nil {
				continue
			}
			in := ff.Input
			if verr := in.Validate(); verr != nil {
				t.Fatalf("%s: accepted %q but Validate says %v", lang, body, verr)
			}
			if in.Value < 0 || (in.Unit == "percent" && in.Value > 100) || in.PeriodEnd.Before(in.PeriodStart) {
				t.Fatalf("%s: accepted an impossible figure from %q: %+v", lang, body, in)
			}
		}
	})
}
