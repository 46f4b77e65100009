package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
)

type aboutPage struct {
	Categories []aboutCategory
}

type aboutCategory struct {
	Name, Measure string
}

// about explains the method; the categories come from the database, which
// holds them even before any figure is entered.
func (s *Server) about(c echo.Context) error {
	p := s.printer(c)
	cats, err := s.stats.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	page := aboutPage{}
	for _, cat := range cats {
		page.Categories = append(page.Categories, aboutCategory{Name: chart.CategoryName(cat, p.Lang() == i18n.EN),
			Measure: p.T("measure." + string(cat.Measure))})
	}
	return s.render(c, http.StatusOK, "about", view{Title: p.T("about.title"), Nav: "about", Data: page})
}
