package admin

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/csvimport"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// figureForm is the figure form as posted, read in the page's language:
// numbers as the language writes them (1.700 and 17,5 in Vietnamese,
// 1,700 and 17.5 in English), dates as ISO or as the language writes them.
// Its fields are named by stats.FigureFields; every rule is the domain's,
// applied by csvimport.Figure to the canonical text this produces.
type figureForm struct {
	Input stats.FigureInput
	// Confirm holds, by field, the plain decimal of a number the other
	// language would read otherwise ("1.700"); it is saved only once the
	// editor has seen how it was read and submits it again.
	Confirm map[string]float64
}

// numberFields are the form's numbers, typed in the page's language.
var numberFields = []string{"value", "denominator"}

// parseFigureForm reads the posted form. Every field is read and checked,
// so that the editor sees every mistake at once.
func parseFigureForm(p *i18n.Printer, form url.Values) (figureForm, error) {
	ff := figureForm{Confirm: map[string]float64{}}
	v := &stats.ValidationError{}
	canon := url.Values{}
	for k, vals := range form {
		canon[k] = vals
	}
	for _, name := range numberFields {
		s := strings.TrimSpace(form.Get(name))
		if s == "" {
			continue
		}
		n, ambiguous, err := p.ParseNumber(s)
		if err != nil {
			v.Add(name, "error.value.format", s)
			canon.Set(name, "")
			continue
		}
		plain := stats.FormatValue(n)
		canon.Set(name, plain)
		if ambiguous && form.Get(name+"_confirmed") != plain {
			ff.Confirm[name] = n
		}
	}
	for _, name := range []string{"period_start", "period_end"} {
		if t, ok := i18n.ParseDate(form.Get(name), p.Lang()); ok {
			canon.Set(name, t.Format(time.DateOnly))
		}
	}
	if form.Get("target") == "on" {
		canon.Set("target", "true")
	}
	newSource := form.Get("source_key") == "new"
	if newSource {
		canon.Set("source_key", "")
	}
	in, err := csvimport.Figure(canon)
	var fe *stats.ValidationError
	if err != nil && !errors.As(err, &fe) {
		return ff, err
	}
	if fe != nil {
		for _, f := range fe.Fields {
			// A number the form could not read is reported once, as such.
			if _, dup := v.For(f.Field); !dup && !(newSource && f.Field == "source_key") {
				v.Fields = append(v.Fields, f)
			}
		}
	}
	if newSource {
		src := stats.Source{Title: form.Get("new_source_title"), Outlet: form.Get("new_source_outlet"),
			Author: form.Get("new_source_author"), URL: form.Get("new_source_url")}
		if d := strings.TrimSpace(form.Get("new_source_published")); d != "" {
			t, ok := i18n.ParseDate(d, p.Lang())
			if !ok {
				v.Add("new_source_published", "error.date.invalid", d)
			}
			src.PublishedOn = t
		}
		src.Normalize()
		in.NewSource = &src
		if err := src.Validate(); err != nil {
			var sv *stats.ValidationError
			if errors.As(err, &sv) {
				v.Fields = append(v.Fields, sv.Fields...)
			}
		}
	}
	ff.Input = in
	return ff, v.Err()
}
