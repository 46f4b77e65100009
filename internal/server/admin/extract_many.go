package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/extract"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// extractBatch is what became of one article of several uploaded at once.
type extractBatch struct {
	Name    string // the file's name
	Title   string
	Saved   int    // figures saved, unverified, for the review queue
	Link    string // the saved figures' list
	Problem string // why nothing of the article was saved
}

// extractMany reads several articles at once and saves each article's
// candidates, with a new source from its page (title, outlet, date;
// the form's outlet and date where a text file says none), as one batch
// of unverified figures for the review queue: an article whose batch is
// refused is saved not at all, the others are.
func (s *Handler) extractMany(c echo.Context, pg extractPage, arts []article, ls []stats.Locality, v *stats.ValidationError) error {
	p := s.Printer(c)
	ctx := c.Request().Context()
	form := pg.Values
	var outlet string
	var published = form.Get("new_source_published")
	outlet = strings.TrimSpace(form.Get("new_source_outlet"))
	day, ok := i18n.ParseDate(strings.TrimSpace(published), p.Lang())
	if published != "" && !ok {
		v.Add("new_source_published", "error.date.invalid", published)
	}
	if len(v.Fields) > 0 {
		for _, f := range v.Fields {
			pg.Errors[f.Field] = httpkit.FieldMessage(p, f)
		}
		return s.renderExtract(c, http.StatusUnprocessableEntity, pg)
	}
	for _, a := range arts {
		b := extractBatch{Name: a.name}
		src := stats.Source{Outlet: outlet, PublishedOn: day}
		if a.page != nil {
			src.Title, src.URL = a.page.Title, a.page.URL
			if a.page.Outlet != "" {
				src.Outlet = a.page.Outlet
			}
			if !a.page.Published.IsZero() {
				src.PublishedOn = a.page.Published
			}
		}
		if src.Title == "" {
			src.Title = firstLine(a.text)
		}
		res := extract.Extract(extractInput(a.text, src, form.Get("locality_slug"), ls))
		if src.PublishedOn.IsZero() {
			src.PublishedOn = res.Published // the date in the article's header lines
		}
		src.Normalize()
		b.Title = src.Title
		if err := src.Validate(); err != nil {
			b.Problem = problem(p, err)
			pg.Batches = append(pg.Batches, b)
			continue
		}
		if len(res.Candidates) == 0 {
			b.Problem = p.T("admin.extract.batch_none")
			pg.Batches = append(pg.Batches, b)
			continue
		}
		ins := make([]stats.FigureInput, len(res.Candidates))
		for i, cand := range res.Candidates {
			ins[i] = cand.Input("")
		}
		ins[0].NewSource = &src
		ids, err := s.editor.SaveBatch(ctx, session.CurrentUser(c), ins)
		var be *stats.BatchError
		switch {
		case errors.As(err, &be):
			b.Problem = problem(p, be)
		case err != nil:
			return err
		default:
			b.Saved = len(ids)
			saved, err := s.editor.Figure(ctx, ids[0])
			if err != nil {
				return err
			}
			b.Link = figuresOf(saved.Source.ID)
		}
		pg.Batches = append(pg.Batches, b)
	}
	return s.renderExtract(c, http.StatusOK, pg)
}

// problem says in the editor's language why a batch or its source was refused.
func problem(p *i18n.Printer, err error) string {
	var msgs []string
	var be *stats.BatchError
	var ve *stats.ValidationError
	switch {
	case errors.As(err, &be):
		for row, rv := range be.Rows {
			for _, f := range rv.Fields {
				msgs = append(msgs, p.T("admin.extract.batch_row", row+1, httpkit.FieldMessage(p, f)))
			}
		}
	case errors.As(err, &ve):
		for _, f := range ve.Fields {
			msgs = append(msgs, p.T("field."+strings.TrimPrefix(f.Field, "new_"))+": "+httpkit.FieldMessage(p, f))
		}
	}
	if len(msgs) > 3 {
		msgs = append(msgs[:3], "…")
	}
	return strings.Join(msgs, "; ")
}

func firstLine(text string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if l := strings.TrimSpace(line); l != "" {
			return l
		}
	}
	return ""
}

// figuresOf is the address of a source's figures, as the single save
// redirects to.
func figuresOf(source int64) string {
	return "/admin/figures?" + url.Values{"source": {strconv.FormatInt(source, 10)}, "sort": {"id"}}.Encode()
}
