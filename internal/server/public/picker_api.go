package public

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

type localityMatch struct {
	Slug     string `json:"slug"`
	Label    string `json:"label"`
	Group    string `json:"group"`
	Level    string `json:"level"`
	Province string `json:"province"`
}

// apiLocalities answers the picker's search: {"localities": [{slug,
// Label, group, level, province}, …]} in display order, at most
// PickerResults; an empty list for a query shorter than two letters.
func (s *Handler) apiLocalities(c echo.Context) error {
	p := s.Printer(c)
	q, ok, err := pickerQuery(c)
	if err != nil {
		return err
	}
	out := struct {
		Localities []localityMatch `json:"localities"`
	}{Localities: []localityMatch{}}
	if ok {
		found, err := s.stats.SearchLocalities(c.Request().Context(), q, render.PickerResults)
		if err != nil {
			return err
		}
		for _, g := range render.GroupLocalities(p, found) {
			for _, l := range g.Locs {
				out.Localities = append(out.Localities, localityMatch{Slug: l.Slug, Label: render.PickerLabel(p, l), Group: g.Label,
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
	return q, len([]rune(strings.TrimSpace(q))) >= render.PickerMinQuery, nil
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
// Label, title, outlet, published}, …]}, newest first, at most
// PickerResults; an empty list for a query shorter than two letters.
func (s *Handler) apiSources(c echo.Context) error {
	p := s.Printer(c)
	q, ok, err := pickerQuery(c)
	if err != nil {
		return err
	}
	out := struct {
		Sources []sourceMatch `json:"sources"`
	}{Sources: []sourceMatch{}}
	if ok {
		found, err := s.stats.SearchSources(c.Request().Context(), q, render.PickerResults)
		if err != nil {
			return err
		}
		for _, src := range found {
			out.Sources = append(out.Sources, sourceMatch{ID: src.ID, Key: src.Key, Label: render.SourceLabel(p, src), Title: src.Title,
				Outlet: src.Outlet, Published: src.PublishedOn.Format("2006-01-02")})
		}
	}
	return c.JSON(http.StatusOK, out)
}
