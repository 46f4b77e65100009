package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/export"
)

// exportCSV streams the figures the query selects, row by row from the
// database, so memory does not grow with the number of figures.
func (s *Server) exportCSV(c echo.Context) error {
	f, err := figureFilter(c.QueryParams())
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	// Check before the first byte: after it, an error cannot change the status.
	if err := s.stats.CheckFilter(ctx, f); err != nil {
		return err
	}
	name := fmt.Sprintf("cadrestats-figures-%s.csv", s.now().Format("2006-01-02"))
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Response().WriteHeader(http.StatusOK)
	w, err := export.NewCSV(c.Response())
	if err != nil {
		return err
	}
	if err := s.stats.EachFigure(ctx, f, w.Write); err != nil {
		return err
	}
	return w.Flush()
}
