package render

import (
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// The picker chooses localities or sources among thousands without
// listing them inline. The chosen ones are checked inputs; a search box
// finds others by name without diacritics ("dien bien"). With script
// (web/static/js/picker.js) matches appear as one types, from
// /api/localities or /api/sources; without, the form's submit runs the
// search and shows the matches as inputs to check, grouped by province
// and level. The filter forms choose several localities (checkboxes); an
// admin form's field chooses one (radios: choice.go).

// PickerResults is how many matches a search shows.
const PickerResults = 40

// PickerMinQuery: shorter searches match too much to be useful (and no
// trigram can serve them).
const PickerMinQuery = 2

type Picker struct {
	Name      string   // the field the inputs set: locality, locality_slug, source_key
	InputID   string   // the search box's id
	Chosen    []Option // checked
	Extra     []Option // a single choice's fixed alternatives: a new source, none
	Query     string   // what the reader searched (locality_q)
	Groups    []pickerGroup
	Searched  bool // a search ran: Groups holds its matches (maybe none)
	TooShort  bool
	SearchURL string
	List      string // the member of the search's JSON answer that lists the matches
	Value     string // the member of a match that is the field's value
	Single    bool   // one choice: radios, a choice replaces the previous one
	Error     string // the field's error (single choice)
	Note      string // what the field is, beside how to search (single choice)
	Texts     pickerTexts
}

// pickerTexts are what a picker says, in the page's language.
type pickerTexts struct {
	Chosen, Search, Hint, None, Short, Failed string
}

type pickerGroup struct {
	Label   string // "Điện Biên · cấp huyện"; none for sources
	Options []Option
}

// newPicker shows chosen as checked and, when the query searched for
// localities, the matches not already chosen.
func (s *Renderer) newPicker(c echo.Context, p *i18n.Printer, chosen []stats.Locality) Picker {
	q := textnorm.Clean(c.QueryParam("locality_q"))
	pk := Picker{Name: "locality", InputID: "f-locality-q", Query: q, SearchURL: "/api/localities", List: "localities",
		Value: "slug", Texts: pickerTexts{Chosen: p.T("picker.chosen"), Search: p.T("picker.search"), Hint: p.T("picker.hint"),
			None: p.T("picker.none"), Short: p.T("picker.too_short"), Failed: p.T("picker.error")}}
	for _, l := range chosen {
		pk.Chosen = append(pk.Chosen, Option{Value: l.Slug, Label: PickerLabel(p, l), Selected: true})
	}
	if q == "" {
		return pk
	}
	pk.Searched = true
	if len([]rune(q)) < PickerMinQuery {
		pk.TooShort = true
		return pk
	}
	found, err := s.stats.SearchLocalities(c.Request().Context(), q, PickerResults)
	if err != nil {
		return pk // the page's own reads report an outage
	}
	found = slices.DeleteFunc(found, func(l stats.Locality) bool {
		return slices.ContainsFunc(chosen, func(x stats.Locality) bool { return x.Slug == l.Slug })
	})
	pk.Groups = localityGroups(p, found)
	return pk
}

// localityGroups are localities as a picker's matches.
func localityGroups(p *i18n.Printer, ls []stats.Locality) []pickerGroup {
	var out []pickerGroup
	for _, g := range GroupLocalities(p, ls) {
		pg := pickerGroup{Label: g.Label}
		for _, l := range g.Locs {
			pg.Options = append(pg.Options, Option{Value: l.Slug, Label: PickerLabel(p, l)})
		}
		out = append(out, pg)
	}
	return out
}

type localityGroup struct {
	Label string
	Locs  []stats.Locality
}

// GroupLocalities groups by province (the central level apart), then by
// level, provinces in Vietnamese order.
func GroupLocalities(p *i18n.Printer, ls []stats.Locality) []localityGroup {
	ls = slices.Clone(ls)
	level := func(l stats.Level) int { return slices.Index(stats.Levels, l) }
	slices.SortStableFunc(ls, func(a, b stats.Locality) int {
		if c := p.Compare(a.ProvinceName, b.ProvinceName); c != 0 {
			return c
		}
		if d := level(a.Level) - level(b.Level); d != 0 {
			return d
		}
		return p.Compare(a.Name, b.Name)
	})
	var out []localityGroup
	for _, l := range ls {
		label := groupLabel(p, l)
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, localityGroup{Label: label})
		}
		out[len(out)-1].Locs = append(out[len(out)-1].Locs, l)
	}
	return out
}

func groupLabel(p *i18n.Printer, l stats.Locality) string {
	if l.Level == stats.LevelNational || l.ProvinceName == "" {
		return p.T("level." + string(l.Level))
	}
	return l.ProvinceName + " · " + p.T("level."+string(l.Level))
}

// PickerLabel tells apart units of one name: "huyện Sông Lô (Vĩnh Phúc)",
// and the old and the new Hải Phòng by their dates.
func PickerLabel(p *i18n.Printer, l stats.Locality) string {
	label := localityLabel(p, l)
	if l.Level != stats.LevelProvince && l.Level != stats.LevelNational && l.ParentName != "" {
		label += " (" + l.ParentName + ")"
	}
	return label
}

// SourceLabel names a source as editors know it: outlet, date and title.
func SourceLabel(p *i18n.Printer, src stats.Source) string {
	return src.Outlet + ", " + p.Date(src.PublishedOn) + ": " + src.Title
}
