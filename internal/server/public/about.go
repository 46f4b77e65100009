package public

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
)

type aboutPage struct {
	Categories []aboutCategory
	Columns    []string // the export's columns, in order
}

type aboutCategory struct {
	Name, Measure string
	Context       bool
	Indicators    []aboutIndicator
}

type aboutIndicator struct {
	Key, Name, Unit, Measure, Definition, Includes, Excludes string
}

// about explains the method; the categories and indicators come from the
// database, which holds them even before any figure is entered.
func (s *Handler) about(c echo.Context) error {
	p := s.Printer(c)
	ctx := c.Request().Context()
	cats, err := s.stats.Categories(ctx)
	if err != nil {
		return err
	}
	inds, err := s.stats.Indicators(ctx)
	if err != nil {
		return err
	}
	en := p.Lang() == i18n.EN
	page := aboutPage{Columns: export.Columns}
	for _, cat := range cats {
		ac := aboutCategory{Name: chart.CategoryName(cat, en), Measure: p.T("measure." + string(cat.Measure)), Context: cat.Context}
		for _, ind := range inds {
			if ind.Category != cat.Code {
				continue
			}
			ai := aboutIndicator{Key: ind.Key, Name: ind.Label(en), Unit: p.T("unit." + ind.Unit),
				Measure: p.T("measure." + string(ind.Measure)), Definition: ind.Definition, Includes: ind.Includes, Excludes: ind.Excludes}
			if en {
				ai.Definition, ai.Includes, ai.Excludes = ind.DefinitionEN, ind.IncludesEN, ind.ExcludesEN
			}
			ac.Indicators = append(ac.Indicators, ai)
		}
		page.Categories = append(page.Categories, ac)
	}
	return s.Render(c, http.StatusOK, "about", render.View{Title: p.T("about.title"), Nav: "about", Data: page})
}
