package public

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

type sourcesPage struct {
	Sources    []sourceView
	Q          string
	Locality   string // the name of the locality whose sources these are
	LocalityQ  string // its slug, kept in the search form
	Count      string
	Prev, Next string
	First      string
	Errors     map[string]string
}

type sourceView struct {
	stats.Source
	Date string
}

// sourcesPerPage: a page of sources, newest first.
const sourcesPerPage = 50

// sources lists the sources a page at a time, newest first, searchable by
// title, outlet and author (diacritics ignored), or those of one locality.
func (s *Handler) sources(c echo.Context) error {
	p := s.Printer(c)
	q := c.QueryParams()
	ctx := c.Request().Context()
	v := &stats.ValidationError{}
	f := stats.SourceFilter{Limit: sourcesPerPage, Locality: strings.TrimSpace(q.Get("locality"))}
	if t := q.Get("q"); t != "" {
		stats.CheckSearch(v, "q", t)
		f.Query = textnorm.Clean(t)
	}
	for _, k := range []string{"after", "before"} {
		if raw := q.Get(k); raw != "" {
			cur, err := stats.ParseCursor(k, raw)
			if err != nil {
				render.CollectFields(err, v)
			} else if k == "after" {
				f.After = cur
			} else {
				f.Before = cur
			}
		}
	}
	var res stats.SourcePage
	err := v.Err()
	if err == nil {
		res, err = s.stats.SourcePage(ctx, f)
	}
	ve := &stats.ValidationError{}
	if err != nil && !render.CollectFields(err, ve) {
		return err
	}
	page := sourcesPage{Q: q.Get("q"), LocalityQ: f.Locality, Count: p.T("sources.count", p.Number(float64(res.Total))),
		Errors: map[string]string{}}
	if res.Capped {
		page.Count = p.T("sources.count_more", p.Number(float64(res.Total)))
	}
	for _, fe := range ve.Fields {
		page.Errors[fe.Field] = httpkit.FieldMessage(p, fe)
	}
	if f.Locality != "" && len(ve.Fields) == 0 {
		if l, err := s.stats.Locality(ctx, f.Locality); err == nil {
			page.Locality = render.LocalityName(p, l)
		}
	}
	for _, src := range res.Sources {
		page.Sources = append(page.Sources, sourceView{Source: src, Date: p.Date(src.PublishedOn)})
	}
	params := url.Values{}
	for _, k := range []string{"q", "locality"} {
		if x := q.Get(k); x != "" {
			params.Set(k, x)
		}
	}
	if res.Prev != nil {
		page.Prev = render.WithParams("/sources", render.With(params, "before", res.Prev.String()))
	}
	if res.Next != nil {
		page.Next = render.WithParams("/sources", render.With(params, "after", res.Next.String()))
	}
	if f.After != nil || f.Before != nil {
		page.First = render.WithParams("/sources", params)
	}
	status := http.StatusOK
	if len(ve.Fields) > 0 {
		status = http.StatusBadRequest
	}
	return s.Render(c, status, "sources", render.View{Title: p.T("sources.title"), Nav: "sources", Data: page})
}

type sourcePage struct {
	Source    sourceView
	Figures   []render.FigureView
	Findings  []findingView
	ExportCSV string
}

func (s *Handler) source(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("source %q: %w", c.Param("id"), stats.ErrNotFound) // a malformed id is a page that does not exist
	}
	p := s.Printer(c)
	ctx := c.Request().Context()
	r, err := s.stats.SourceReport(ctx, id)
	if err != nil {
		return err
	}
	src, figs, findings, cats := r.Source, r.Figures, r.Findings, r.Categories
	page := sourcePage{
		Source:    sourceView{Source: src, Date: p.Date(src.PublishedOn)},
		Figures:   render.ViewFigures(p, figs),
		Findings:  viewFindings(p, cats, findings),
		ExportCSV: render.WithParams("/export.csv", url.Values{"source": {strconv.FormatInt(id, 10)}}),
	}
	return s.Render(c, http.StatusOK, "source", render.View{Title: src.Title, Nav: "sources", Data: page})
}
