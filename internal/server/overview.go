package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/stats"
)

type overviewPage struct {
	Localities []stats.Locality
}

func (s *Server) overview(c echo.Context) error {
	ls, err := s.stats.Store().Localities(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.printer(c)
	return s.render(c, http.StatusOK, "overview", view{Title: p.T("overview.title"), Nav: "overview", Data: overviewPage{Localities: ls}})
}
