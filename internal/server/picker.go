package server

import (
	"net/http"
	"slices"
	"strings"

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

// pickerResults is how many matches a search shows.
const pickerResults = 40

// pickerMinQuery: shorter searches match too much to be useful (and no
// trigram can serve them).
const pickerMinQuery = 2

type picker struct {
	Name      string   // the field the inputs set: locality, locality_slug, source_key
	InputID   string   // the search box's id
	Chosen    []option // checked
	Extra     []option // a single choice's fixed alternatives: a new source, none
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
	Options []option
}

// newPicker shows chosen as checked and, when the query searched for
// localities, the matches not already chosen.
func (s *Server) newPicker(c echo.Context, p *i18n.Printer, chosen []stats.Locality) picker {
	q := textnorm.Clean(c.QueryParam("locality_q"))
	pk := picker{Name: "locality", InputID: "f-locality-q", Query: q, SearchURL: "/api/localities", List: "localities",
		Value: "slug", Texts: pickerTexts{Chosen: p.T("picker.chosen"), Search: p.T("picker.search"), Hint: p.T("picker.hint"),
			None: p.T("picker.none"), Short: p.T("picker.too_short"), Failed: p.T("picker.error")}}
	for _, l := range chosen {
		pk.Chosen = append(pk.Chosen, option{Value: l.Slug, Label: pickerLabel(p, l), Selected: true})
	}
	if q == "" {
		return pk
	}
	pk.Searched = true
	if len([]rune(q)) < pickerMinQuery {
		pk.TooShort = true
		return pk
	}
	found, err := s.stats.SearchLocalities(c.Request().Context(), q, pickerResults)
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
	for _, g := range groupLocalities(p, ls) {
		pg := pickerGroup{Label: g.label}
		for _, l := range g.locs {
			pg.Options = append(pg.Options, option{Value: l.Slug, Label: pickerLabel(p, l)})
		}
		out = append(out, pg)
	}
	return out
}

type localityGroup struct {
	label string
	locs  []stats.Locality
}

// groupLocalities groups by province (the central level apart), then by
// level, provinces in Vietnamese order.
func groupLocalities(p *i18n.Printer, ls []stats.Locality) []localityGroup {
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
		if len(out) == 0 || out[len(out)-1].label != label {
			out = append(out, localityGroup{label: label})
		}
		out[len(out)-1].locs = append(out[len(out)-1].locs, l)
	}
	return out
}

func groupLabel(p *i18n.Printer, l stats.Locality) string {
	if l.Level == stats.LevelNational || l.ProvinceName == "" {
		return p.T("level." + string(l.Level))
	}
	return l.ProvinceName + " · " + p.T("level."+string(l.Level))
}

// pickerLabel tells apart units of one name: "huyện Sông Lô (Vĩnh Phúc)",
// and the old and the new Hải Phòng by their dates.
func pickerLabel(p *i18n.Printer, l stats.Locality) string {
	label := localityLabel(p, l)
	if l.Level != stats.LevelProvince && l.Level != stats.LevelNational && l.ParentName != "" {
		label += " (" + l.ParentName + ")"
	}
	return label
}

type localityMatch struct {
	Slug     string `json:"slug"`
	Label    string `json:"label"`
	Group    string `json:"group"`
	Level    string `json:"level"`
	Province string `json:"province"`
}

// apiLocalities answers the picker's search: {"localities": [{slug,
// label, group, level, province}, …]} in display order, at most
// pickerResults; an empty list for a query shorter than two letters.
func (s *Server) apiLocalities(c echo.Context) error {
	p := s.printer(c)
	q, ok, err := pickerQuery(c)
	if err != nil {
		return err
	}
	out := struct {
		Localities []localityMatch `json:"localities"`
	}{Localities: []localityMatch{}}
	if ok {
		found, err := s.stats.SearchLocalities(c.Request().Context(), q, pickerResults)
		if err != nil {
			return err
		}
		for _, g := range groupLocalities(p, found) {
			for _, l := range g.locs {
				out.Localities = append(out.Localities, localityMatch{Slug: l.Slug, Label: pickerLabel(p, l), Group: g.label,
					Level: string(l.Level), Province: l.ProvinceName})
			}
		}
	}
	return c.JSON(http.StatusOK, out)
}

// pickerQuery reads an API search's q: ok when it is long enough to run.
// Errors: *stats.ValidationError.
func pickerQuery(c echo.Context) (string, bool, error) {
	q := textnorm.Clean(c.QueryParam("q"))
	if !textnorm.Valid(q) || len(q) > 100 {
		v := &stats.ValidationError{}
		v.Add("q", "error.text.invalid", "")
		return "", false, v
	}
	return q, len([]rune(strings.TrimSpace(q))) >= pickerMinQuery, nil
}

type sourceMatch struct {
	ID        int64  `json:"id"`
	Key       string `json:"key"`
	Label     string `json:"label"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet"`
	Published string `json:"published"`
}

// apiSources answers the source picker's search: {"sources": [{id, key,
// label, title, outlet, published}, …]}, newest first, at most
// pickerResults; an empty list for a query shorter than two letters.
func (s *Server) apiSources(c echo.Context) error {
	p := s.printer(c)
	q, ok, err := pickerQuery(c)
	if err != nil {
		return err
	}
	out := struct {
		Sources []sourceMatch `json:"sources"`
	}{Sources: []sourceMatch{}}
	if ok {
		found, err := s.stats.SearchSources(c.Request().Context(), q, pickerResults)
		if err != nil {
			return err
		}
		for _, src := range found {
			out.Sources = append(out.Sources, sourceMatch{ID: src.ID, Key: src.Key, Label: sourceLabel(p, src), Title: src.Title,
				Outlet: src.Outlet, Published: src.PublishedOn.Format("2006-01-02")})
		}
	}
	return c.JSON(http.StatusOK, out)
}

// sourceLabel names a source as editors know it: outlet, date and title.
func sourceLabel(p *i18n.Printer, src stats.Source) string {
	return src.Outlet + ", " + p.Date(src.PublishedOn) + ": " + src.Title
}
