package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// statusOf maps an error to its HTTP status and message key, in one table.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			return he.Code, "error.not_found"
		case http.StatusRequestEntityTooLarge, http.StatusBadRequest:
			return he.Code, "error.bad_request"
		case http.StatusForbidden:
			return he.Code, "error.forbidden"
		case http.StatusUnauthorized:
			return he.Code, "error.unauthorized"
		}
		if he.Code < 500 {
			return he.Code, "error.bad_request"
		}
		return http.StatusInternalServerError, "error.internal"
	case errors.Is(err, stats.ErrNotFound):
		return http.StatusNotFound, "error.not_found"
	case errors.Is(err, stats.ErrInvalid):
		return http.StatusBadRequest, "error.bad_request"
	case errors.Is(err, stats.ErrForbidden):
		return http.StatusForbidden, "error.forbidden"
	case errors.Is(err, stats.ErrConflict):
		return http.StatusConflict, "error.conflict"
	case errors.Is(err, stats.ErrUnavailable):
		return http.StatusServiceUnavailable, "error.unavailable"
	}
	return http.StatusInternalServerError, "error.internal"
}

type errorPage struct {
	Message string
	Details []string
}

// handleError answers an error in the user's language, as a page for
// browsers and as text or JSON for other clients, never with internals.
// Server errors are logged here, once, with the detail users do not see.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		s.log.Error("error after response started", "path", c.Request().URL.Path, "err", err)
		return
	}
	status, key := statusOf(err)
	if status >= 500 {
		s.log.Error("request failed", "path", c.Request().URL.Path, "status", status, "err", err)
	}
	p := s.printer(c)
	details := []string{} // JSON clients always get a list
	var ve *stats.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			details = append(details, f.Field+": "+fieldMessage(p, f))
		}
	}
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "30")
	}
	var werr error
	switch {
	case c.Request().Method == http.MethodHead:
		werr = c.NoContent(status)
	case wantsJSON(c):
		werr = c.JSON(status, map[string]any{"error": p.T(key), "details": details})
	case wantsHTML(c):
		werr = s.render(c, status, "error", view{Title: p.T(key), Data: errorPage{Message: p.T(key + ".detail"), Details: details}})
	default:
		werr = c.String(status, p.T(key)+"\n"+strings.Join(details, "\n"))
	}
	if werr != nil {
		s.log.Error("write error response", "err", werr)
	}
}

func wantsJSON(c echo.Context) bool {
	return strings.HasPrefix(c.Request().URL.Path, "/api/")
}

// wantsHTML: pages for browsers; downloads (.csv, .xlsx) answer in text,
// which a browser shows as well and a script can read.
func wantsHTML(c echo.Context) bool {
	p := c.Request().URL.Path
	if strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".xlsx") || p == "/healthz" || p == "/readyz" {
		return false
	}
	return true
}

// fieldMessage translates a field error; its detail goes into the message
// where the message has a place for it, else after it, written the page's
// way as its ArgKind says.
func fieldMessage(p *i18n.Printer, f stats.FieldError) string {
	msg := p.T(f.Key)
	arg := f.Arg
	if arg == "" {
		return msg
	}
	switch f.ArgKind {
	case stats.ArgKey:
		arg = p.T(arg)
	case stats.ArgDate:
		if t, err := time.Parse(time.DateOnly, arg); err == nil {
			arg = p.Date(t)
		}
	case stats.ArgNumber:
		if v, err := strconv.ParseFloat(arg, 64); err == nil {
			arg = p.Number(v)
		}
	}
	if strings.Contains(msg, "%s") {
		return p.T(f.Key, arg)
	}
	return msg + " (" + arg + ")"
}
