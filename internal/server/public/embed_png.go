package public

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// writeChartPNG answers with the chart drawn on the server.
func (s *Handler) writeChartPNG(c echo.Context, ch chart.Chart) error {
	return fmt.Errorf("chart %q as an image: %w", ch.ID, stats.ErrNotFound)
}
