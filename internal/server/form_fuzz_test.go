package server

import (
	"net/url"
	"testing"
)

// FuzzFigureForm feeds arbitrary form bodies to the figure form parser: it
// must never panic, and whatever it accepts must be a valid figure.
func FuzzFigureForm(f *testing.F) {
	f.Add("locality=song-lo&category=training&subject=l%E1%BB%9Bp&value=12&unit=persons&qualifier=exact&period_start=2021-01-01&period_end=2021-12-31&source_id=1&quote=12+%C4%91%E1%BB%93ng+ch%C3%AD")
	f.Add("value=-1&unit=percent&denominator=0.5&period_start=2021-13-01")
	f.Add("value=1e400&denominator=NaN&parent_id=-3&source_id=new&new_source_published=2020-02-30")
	f.Add("subject=%FF%FE&quote=%00&from_level=province&to_level=commune&category=rotation")
	f.Add("value=0x10&value=2&locality=%C3%90i%E1%BB%87n")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, err := parseFigureForm(form)
		if err != nil {
			return
		}
		if verr := in.Validate(); verr != nil {
			t.Fatalf("accepted %q but Validate says %v", body, verr)
		}
		if in.Value < 0 || (in.Unit == "percent" && in.Value > 100) || in.PeriodEnd.Before(in.PeriodStart) {
			t.Fatalf("accepted an impossible figure from %q: %+v", body, in)
		}
	})
}
