package httpkit

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Healthz answers while the process lives: for restarts by a supervisor.
func (s *Kit) Healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// Readyz answers 200 while this instance can serve: for load balancers.
// It tells why it cannot: the database does not answer ("database
// unavailable"), every database slot is taken and requests are queueing
// for one ("busy"), or the server is shutting down.
func (s *Kit) Readyz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		return c.String(http.StatusServiceUnavailable, "shutting down\n")
	}
	if s.monitor != nil {
		// Probed several times a second over a connection of its own: no
		// need to ask again, nor to wait for a pool connection to do so.
		if !s.monitor.isUp() {
			return c.String(http.StatusServiceUnavailable, "database unavailable\n")
		}
	} else {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := s.pinger.Ping(ctx); err != nil {
			return c.String(http.StatusServiceUnavailable, "database unavailable\n")
		}
	}
	if s.classes.page.gate.busy() {
		c.Response().Header().Set("Retry-After", "5")
		return c.String(http.StatusServiceUnavailable, "busy: requests are waiting for a database connection\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
