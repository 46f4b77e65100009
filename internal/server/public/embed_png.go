package public

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/chartimg"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// writeChartPNG answers with the chart drawn on the server: the same bars
// and labels as the live chart (internal/chartimg). A chart without bars
// (coverage, no data) has no image.
func (s *Handler) writeChartPNG(c echo.Context, ch chart.Chart) error {
	p := s.Printer(c)
	b, err := s.images.PNG(ch, chartimg.Labels{LowerBound: p.T("chart.image_lower_bound"),
		Site: p.T("app.name") + " · " + s.origin(c.Request()), Number: p.Number})
	if errors.Is(err, chartimg.ErrNoBars) {
		return fmt.Errorf("chart %q as an image: %w", ch.ID, stats.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "image/png", b)
}
