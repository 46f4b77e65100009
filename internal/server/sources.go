package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/stats"
)

type sourcesPage struct {
	Sources []sourceView
}

type sourceView struct {
	stats.Source
	Date string
}

func (s *Server) sources(c echo.Context) error {
	p := s.printer(c)
	srcs, err := s.stats.Sources(c.Request().Context())
	if err != nil {
		return err
	}
	page := sourcesPage{}
	for _, src := range srcs {
		page.Sources = append(page.Sources, sourceView{Source: src, Date: p.Date(src.PublishedOn)})
	}
	return s.render(c, http.StatusOK, "sources", view{Title: p.T("sources.title"), Nav: "sources", Data: page})
}

type sourcePage struct {
	Source    sourceView
	Figures   []figureView
	Findings  []findingView
	ExportCSV string
}

func (s *Server) source(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("source %q: %w", c.Param("id"), stats.ErrNotFound) // a malformed id is a page that does not exist
	}
	p := s.printer(c)
	ctx := c.Request().Context()
	r, err := s.stats.SourceReport(ctx, id)
	if err != nil {
		return err
	}
	src, figs, findings, cats := r.Source, r.Figures, r.Findings, r.Categories
	page := sourcePage{
		Source:    sourceView{Source: src, Date: p.Date(src.PublishedOn)},
		Figures:   viewFigures(p, figs),
		Findings:  viewFindings(p, cats, findings),
		ExportCSV: withParams("/export.csv", url.Values{"source": {strconv.FormatInt(id, 10)}}),
	}
	return s.render(c, http.StatusOK, "source", view{Title: src.Title, Nav: "sources", Data: page})
}
