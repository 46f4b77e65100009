package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Page sizes of /api/figures: a default that holds today's whole dataset,
// and a ceiling that keeps one answer small; /export.csv has no ceiling.
const (
	apiDefaultLimit = 100
	apiMaxLimit     = 1000
)

// apiFigures answers the figures the query selects as JSON, one page at a
// time, streamed from the database. Errors are JSON too (see handleError).
func (s *Server) apiFigures(c echo.Context) error {
	q := c.QueryParams()
	f, err := figureFilter(q, s.printer(c).Lang())
	v := &stats.ValidationError{}
	if err != nil && !errors.As(err, &v) {
		return err
	}
	f.Limit = intParam(v, q, "limit", apiDefaultLimit, 1, apiMaxLimit, "error.limit.range")
	f.Offset = intParam(v, q, "offset", 0, 0, -1, "error.offset.invalid")
	if err := v.Err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	// Check and count before the first byte: after it, an error cannot
	// change the status.
	total, err := s.stats.CountFigures(ctx, f)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSONCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	w, err := export.NewJSON(c.Response(), export.Page{Total: total, Limit: f.Limit, Offset: f.Offset})
	if err != nil {
		return err
	}
	if err := s.stats.EachFigure(ctx, f, w.Write); err != nil {
		return err
	}
	return w.Flush()
}

// intParam reads an integer in [lo, hi] (hi < 0: no upper bound), def when
// the parameter is absent.
func intParam(v *stats.ValidationError, q url.Values, key string, def, lo, hi int, msg string) int {
	s := strings.TrimSpace(q.Get(key))
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || (hi >= 0 && n > hi) {
		v.Add(key, msg, s)
		return def
	}
	return n
}
