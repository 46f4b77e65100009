package public

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Page sizes of /api/figures: a default that holds today's whole dataset,
// and a ceiling that keeps one answer small; /export.csv has no ceiling.
const (
	apiDefaultLimit = 100
	apiMaxLimit     = 1000
)

// apiFigures answers the figures the query selects as JSON, one page at a
// time: after= takes the previous answer's next (keyset pagination, as
// deep as needed); offset= still works up to stats.MaxOffset. total
// counts up to stats.CountCap (total_capped says when there are more).
// Errors are JSON too (see HandleError).
func (s *Handler) apiFigures(c echo.Context) error {
	q := c.QueryParams()
	f, err := render.FigureFilter(q, s.Printer(c).Lang())
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
	// Read the page before the first byte: after it, an error cannot
	// change the status.
	page, err := s.stats.FigurePage(ctx, f)
	if err != nil {
		return err
	}
	next := ""
	if page.Next != nil {
		next = page.Next.String()
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSONCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	w, err := export.NewJSON(c.Response(), export.Page{Total: page.Total, Capped: page.Capped, Limit: f.Limit,
		Offset: f.Offset, Next: next})
	if err != nil {
		return err
	}
	for _, fig := range page.Figures {
		if err := w.Write(fig); err != nil {
			return err
		}
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
