package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
)

// countReview tells admin pages how many figures wait for this editor's
// review, for the count in the navigation. It runs after RequireUser.
func (s *Handler) countReview(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodGet {
			n, capped, err := s.editor.ReviewCount(c.Request().Context(), session.CurrentUser(c))
			if err != nil {
				return err
			}
			render.SetReviewCount(c, n, capped)
		}
		return next(c)
	}
}
