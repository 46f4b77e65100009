// Package public answers what anyone may read: the overview, locality,
// figures, sources and about pages, chart CSVs, the exports and the API.
// Its routes are in routes.go.
package public

import (
	"net/http"
	"time"

	"github.com/cadrestats/cadrestats/internal/chartimg"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Handler answers the public pages, their chart CSVs, the exports
// and the API.
type Handler struct {
	*render.Renderer
	stats    *stats.Service
	now      func() time.Time  // for dated file names
	sessions *session.Sessions // nil: no admin area, no edit links
	// origin is the site's address for other sites (embed codes, og:image).
	origin func(*http.Request) string
	images *chartimg.Drawer // charts as PNG (embed_png.go)
}

func New(rd *render.Renderer, st *stats.Service, now func() time.Time, ss *session.Sessions, origin func(*http.Request) string,
	images *chartimg.Drawer) *Handler {
	return &Handler{Renderer: rd, stats: st, now: now, sessions: ss, origin: origin, images: images}
}
