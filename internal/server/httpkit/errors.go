package httpkit

import (
	"errors"
	"fmt"
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
	case errors.Is(err, errClientGone), errors.Is(err, errWriteTimeout):
		return 499, "" // nobody is reading the answer
	case errors.Is(err, errBusy):
		return http.StatusServiceUnavailable, "error.busy"
	case errors.Is(err, ErrCutOff):
		return http.StatusServiceUnavailable, "error.unavailable"
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, "error.not_found"
		case http.StatusMethodNotAllowed:
			return he.Code, "error.method_not_allowed"
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

// HandleError answers an error in the user's language, as a page for
// browsers and as text or JSON for other clients, never with internals.
// It does not log: it leaves the error for LogRequests, which writes one
// line per request with the detail users do not see.
func (s *Kit) HandleError(err error, c echo.Context) {
	err = explain(c.Request().Context(), err)
	c.Set(ctxErr, err)
	status, key := statusOf(err)
	if c.Response().Committed || key == "" {
		return // too late for an error page, or nobody to read it
	}
	p := s.printer(c)
	details := []string{} // JSON clients always get a list
	var ve *stats.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			details = append(details, f.Field+": "+FieldMessage(p, f))
		}
	}
	h := c.Response().Header()
	switch status {
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", "30")
		if key == "error.busy" {
			h.Set("Retry-After", "5")
		}
	case http.StatusMethodNotAllowed:
		// Echo lists the methods routed; HEAD goes wherever GET does.
		if allow := h.Get(echo.HeaderAllow); strings.Contains(allow, http.MethodGet) && !strings.Contains(allow, http.MethodHead) {
			h.Set(echo.HeaderAllow, allow+", "+http.MethodHead)
		}
	}
	var werr error
	switch {
	case wantsJSON(c):
		werr = c.JSON(status, map[string]any{"error": p.T(key), "details": details})
	case wantsHTML(c):
		werr = s.errorPage(c, status, p.T(key), p.T(key+".detail"), details)
	default:
		werr = c.String(status, p.T(key)+"\n"+strings.Join(details, "\n"))
	}
	if werr != nil {
		c.Set(ctxErr, fmt.Errorf("%w; writing the error page: %v", err, werr))
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

// FieldMessage translates a field error; its detail goes into the message
// where the message has a place for it, else after it, written the page's
// way as its ArgKind says.
func FieldMessage(p *i18n.Printer, f stats.FieldError) string {
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
