// Package admin answers the signed-in area: sign-in, figures and their
// review, sources, findings, localities, terms and indicators, imports,
// extraction from an article, and users. Its routes are in routes.go.
package admin

import (
	"log/slog"
	"time"

	"github.com/cadrestats/cadrestats/internal/fetch"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Handler answers the signed-in area: sign-in, figures, review,
// sources and the other records, imports, extraction and users.
type Handler struct {
	*render.Renderer
	stats    *stats.Service
	editor   *stats.Editor
	accounts *stats.Accounts
	sessions *session.Sessions
	fetcher  *fetch.Fetcher // pages of pasted links
	log      *slog.Logger
	now      func() time.Time
}

func New(rd *render.Renderer, st *stats.Service, editor *stats.Editor, accounts *stats.Accounts, ss *session.Sessions,
	fetcher *fetch.Fetcher, log *slog.Logger, now func() time.Time) *Handler {
	return &Handler{Renderer: rd, stats: st, editor: editor, accounts: accounts, sessions: ss, fetcher: fetcher, log: log, now: now}
}
