package httpkit

import (
	"context"
	"fmt"
	"time"

	"github.com/labstack/echo/v4"
)

// QueryTimer times the database queries of a request (postgres.WithTiming
// adapted by cmd): Start returns the context the request's queries run
// With, and a function that tells how many ran and how long they took.
type QueryTimer func(ctx context.Context) (context.Context, func() (int, time.Duration))

// ServerTiming answers with a Server-Timing header, "db;dur=12.3;desc="5
// queries", app;dur=20.1": how much of a page's time PostgreSQL took. It
// is set as the response starts, so a page rendered before its first
// byte (all of them but the exports) counts every query. Only when
// Config.Timing is set: the benchmark asks for it, production need not
// tell.
func (s *Kit) ServerTiming(next echo.HandlerFunc) echo.HandlerFunc {
	if s.timing == nil {
		return next
	}
	return func(c echo.Context) error {
		start := time.Now()
		ctx, result := s.timing(c.Request().Context())
		c.SetRequest(c.Request().WithContext(ctx))
		c.Response().Before(func() {
			n, d := result()
			c.Response().Header().Set("Server-Timing", fmt.Sprintf(`db;dur=%.3f;desc="%d queries", app;dur=%.3f`,
				float64(d.Microseconds())/1000, n, float64(time.Since(start).Microseconds())/1000))
		})
		return next(c)
	}
}
