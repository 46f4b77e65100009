package render

import (
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// FilterForm is the filter form of the overview and figures pages, filled
// from the query so that a bookmarked or shared address shows its choices.
type FilterForm struct {
	Localities Picker
	Categories []Option
	Indicators []Option
	Terms      []Option
	From, To   string
	Q          string
	Per        string
	Verified   bool              // only figures checked by a second editor
	Overview   bool              // the overview compares localities: no category, indicator or text
	Errors     map[string]string // by query parameter, in the page's language
}

type Option struct {
	Value, Label string
	Selected     bool
}

// FilterForm lists the choices; chosen are the localities the page shows
// (on the overview, those it compares, the default ones included).
func (s *Renderer) FilterForm(c echo.Context, p *i18n.Printer, chosen []stats.Locality, overview bool, errs *stats.ValidationError) FilterForm {
	ctx := c.Request().Context()
	q := c.QueryParams()
	f := FilterForm{From: q.Get("from"), To: q.Get("to"), Q: q.Get("q"), Per: q.Get("per"), Verified: q.Get("verified") == "1" || q.Get("verified") == "true", Overview: overview,
		Errors: map[string]string{}, Localities: s.newPicker(c, p, chosen)}
	if errs != nil {
		for _, fe := range errs.Fields {
			if _, seen := f.Errors[fe.Field]; !seen {
				f.Errors[fe.Field] = httpkit.FieldMessage(p, fe)
			}
		}
	}
	// The lists are reference data; a failure here leaves the form
	// without them, and the page's own query reports the problem.
	cats, _ := s.stats.Categories(ctx)
	for _, c := range cats {
		f.Categories = append(f.Categories, Option{Value: c.Code, Label: chart.CategoryName(c, p.Lang() == i18n.EN),
			Selected: slices.Contains(list(q, "category"), c.Code)})
	}
	inds, _ := s.stats.Indicators(ctx)
	for _, ind := range inds {
		f.Indicators = append(f.Indicators, Option{Value: ind.Key, Label: ind.Label(p.Lang() == i18n.EN),
			Selected: slices.Contains(list(q, "indicator"), ind.Key)})
	}
	terms, _ := s.stats.FilterTerms(ctx, list(q, "term"))
	for _, t := range terms {
		name := t.Name
		if p.Lang() == i18n.EN {
			name = t.NameEN
		}
		f.Terms = append(f.Terms, Option{Value: t.Key, Label: name, Selected: slices.Contains(list(q, "term"), t.Key)})
	}
	return f
}

// localityLabel tells apart units of one name that existed at different
// times (the old and the merged Hải Phòng).
func localityLabel(p *i18n.Printer, l stats.Locality) string {
	switch {
	case l.ValidFrom != nil:
		return p.T("locality.label.from", LocalityName(p, l), p.Date(*l.ValidFrom))
	case l.ValidTo != nil && l.SuccessorSlug != "":
		return p.T("locality.label.until", LocalityName(p, l), p.Date(*l.ValidTo))
	}
	return LocalityName(p, l)
}
