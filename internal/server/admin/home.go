package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

type adminHomePage struct {
	Changes []revisionView
}

// adminHome lists recent changes and the entry points of the admin area.
func (s *Handler) adminHome(c echo.Context) error {
	revs, err := s.editor.RecentChanges(c.Request().Context(), 20)
	if err != nil {
		return err
	}
	p := s.Printer(c)
	return s.Render(c, http.StatusOK, "admin_home", render.View{Title: p.T("admin.title"), Nav: "admin",
		Data: adminHomePage{Changes: revisionViews(revs)}})
}

// recentChanges is the site-wide list of changes.
func (s *Handler) recentChanges(c echo.Context) error {
	revs, err := s.editor.RecentChanges(c.Request().Context(), 500)
	if err != nil {
		return err
	}
	p := s.Printer(c)
	return s.Render(c, http.StatusOK, "admin_changes", render.View{Title: p.T("admin.changes.title"), Nav: "admin",
		Data: adminHomePage{Changes: revisionViews(revs)}})
}

// revisionViews turns the stored before/after snapshots into the list of
// fields that changed, for people to read.
func revisionViews(revs []stats.Revision) []revisionView {
	out := make([]revisionView, len(revs))
	for i, r := range revs {
		var before, after map[string]any
		_ = json.Unmarshal(r.Before, &before)
		_ = json.Unmarshal(r.After, &after)
		keys := map[string]bool{}
		for k := range before {
			keys[k] = true
		}
		for k := range after {
			keys[k] = true
		}
		var changes []fieldChange
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range keys {
				if !yield(k) {
					return
				}
			}
		}) {
			b, a := show(before, k), show(after, k)
			if b != a && k != "version" {
				changes = append(changes, fieldChange{Field: k, Before: b, After: a})
			}
		}
		out[i] = revisionView{Revision: r, Changes: changes}
	}
	return out
}

func show(m map[string]any, k string) string {
	v, ok := m[k]
	if !ok || v == nil {
		return ""
	}
	if f, ok := v.(float64); ok {
		return stats.FormatValue(f)
	}
	return fmt.Sprint(v)
}
