package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/extract"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// maxArticleBytes bounds a pasted or uploaded article (an HTML page saved
// from a browser is rarely more than a megabyte).
const maxArticleBytes = 1500 << 10

// extractRow is one candidate of the extraction page: its sentence with the
// number marked, and its fields as the figure form names them, editable.
type extractRow struct {
	N        int    // 1-based row number: parents refer to it
	Kind     string // "figure" (proposed) or "other" (listed apart, with Reason)
	Reason   string
	Picked   bool
	Sentence render.QuoteView
	Values   url.Values
	Errors   map[string]string
	Locality render.Picker
}

// extractPage is the extraction page; its source and localities are
// searched for (render/choice.go), never listed.
type extractPage struct {
	Values     url.Values // the article's fields: text, source, locality
	Errors     map[string]string
	Rows       []extractRow
	Figures    int
	Others     int
	Source     render.Picker
	Locality   render.Picker
	Categories []stats.Category
	Indicators []stats.Indicator
	Terms      []stats.Term
	Units      []string
	Qualifiers []string
	Complete   []string
	Levels     []stats.Level
	Failed     bool // a save was refused: nothing was written
}

func (s *Handler) extractPage(c echo.Context, values url.Values) (extractPage, error) {
	ctx := c.Request().Context()
	pg := extractPage{Values: values, Errors: map[string]string{}, Units: stats.Units, Qualifiers: stats.Qualifiers,
		Complete: stats.Completenesses, Levels: stats.Tiers}
	var err error
	if pg.Categories, err = s.stats.Categories(ctx); err != nil {
		return pg, err
	}
	if pg.Indicators, err = s.stats.Indicators(ctx); err != nil {
		return pg, err
	}
	pg.Terms, err = s.stats.Terms(ctx)
	return pg, err
}

// The article's fields searched for, and each row's.
var (
	extractChoices = map[string]render.ChoiceKind{"source_key": render.SourceKeyChoice, "locality_slug": render.LocalityChoice}
	rowChoices     = map[string]render.ChoiceKind{"locality_slug": render.LocalityChoice}
)

func (s *Handler) renderExtract(c echo.Context, status int, pg extractPage) error {
	p := s.Printer(c)
	fields := []render.ChoiceField{
		{Kind: render.SourceKeyChoice, Name: "source_key", Value: pg.Values.Get("source_key"), Err: pg.Errors["source_key"],
			Extras: []render.Option{render.NewSourceChoice(p)}},
		{Kind: render.LocalityChoice, Name: "locality_slug", Value: pg.Values.Get("locality_slug"), Err: pg.Errors["locality_slug"],
			Note: p.T("admin.extract.locality_hint"), Extras: []render.Option{render.NoChoice(p)}},
	}
	for _, r := range pg.Rows {
		fields = append(fields, render.ChoiceField{Kind: render.LocalityChoice, Name: "r" + strconv.Itoa(r.N) + "_locality_slug",
			Value: r.Values.Get("locality_slug"), Err: r.Errors["locality_slug"]})
	}
	pks, err := s.Choices(c.Request().Context(), p, fields)
	if err != nil {
		return err
	}
	pg.Source, pg.Locality = pks[0], pks[1]
	for i := range pg.Rows {
		pg.Rows[i].Locality = pks[2+i]
	}
	return s.Render(c, status, "admin_extract", render.View{Title: p.T("admin.extract.title"), Nav: "admin", Picker: true, Data: pg})
}

// extractForm is the empty page: paste or upload an article, name its
// source and locality.
func (s *Handler) extractForm(c echo.Context) error {
	pg, err := s.extractPage(c, url.Values{"source_key": {c.QueryParam("source_key")}, "locality_slug": {c.QueryParam("locality_slug")}})
	if err != nil {
		return err
	}
	return s.renderExtract(c, http.StatusOK, pg)
}

// postedExtractPage reads a posted extraction form, the typed source and
// locality taken as their values, and the page it starts.
func (s *Handler) postedExtractPage(c echo.Context) (url.Values, extractPage, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, extractPage{}, fmt.Errorf("%w: %v", stats.ErrInvalid, err)
	}
	if err := s.TakeTyped(c.Request().Context(), form, extractChoices); err != nil {
		return nil, extractPage{}, err
	}
	pg, err := s.extractPage(c, form)
	return form, pg, err
}

// extractArticle reads the article, runs the extractor and shows every
// candidate figure with its sentence, ready to be corrected and saved, and
// the numbers listed apart, each with why.
func (s *Handler) extractArticle(c echo.Context) error {
	p := s.Printer(c)
	ctx := c.Request().Context()
	form, pg, err := s.postedExtractPage(c)
	if err != nil {
		return err
	}
	// The extractor finds the localities an article names among all of
	// them: read here, never sent to the page.
	ls, err := s.stats.Localities(ctx)
	if err != nil {
		return err
	}
	v := &stats.ValidationError{}
	text, err := articleText(c, form.Get("text"))
	if err != nil {
		v.Add("text", "error.extract.file", err.Error())
	} else if strings.TrimSpace(text) == "" {
		v.Add("text", "error.required", "")
	}
	src, key, err := s.articleSource(ctx, p, form, v)
	if err != nil {
		return err
	}
	if slug := form.Get("locality_slug"); slug != "" && !hasLocality(ls, slug) {
		v.Add("locality_slug", "error.locality.unknown", slug)
	}
	if len(v.Fields) > 0 {
		for _, f := range v.Fields {
			pg.Errors[f.Field] = httpkit.FieldMessage(p, f)
		}
		return s.renderExtract(c, http.StatusUnprocessableEntity, pg)
	}
	in := extract.Input{Text: text, Title: src.Title, Published: src.PublishedOn, Locality: form.Get("locality_slug")}
	for _, l := range ls {
		el := extract.Locality{Slug: l.Slug, Name: l.Name, Level: string(l.Level), Parent: l.ParentSlug}
		if l.ValidFrom != nil {
			el.ValidFrom = *l.ValidFrom
		}
		if l.ValidTo != nil {
			el.ValidTo = *l.ValidTo
		}
		in.Localities = append(in.Localities, el)
	}
	res := extract.Extract(in)
	for i, cand := range res.Candidates {
		fi := cand.Input(key)
		row := extractRow{N: i + 1, Kind: "figure", Picked: true, Values: rowValues(p, fi), Errors: map[string]string{},
			Sentence: mark(cand.Sentence, cand.Start, cand.End)}
		pg.Rows = append(pg.Rows, row)
		pg.Figures++
	}
	for _, o := range res.Others {
		fi := stats.FigureInput{Value: o.Value, Quote: strings.TrimSpace(o.Sentence), LocalitySlug: res.Locality,
			SourceKey: key, Unit: "persons", Qualifier: "exact", Completeness: stats.Complete, Rank: stats.RankNormal}
		row := extractRow{N: len(pg.Rows) + 1, Kind: "other", Reason: p.T("extract.reason." + o.Reason),
			Values: rowValues(p, fi), Errors: map[string]string{}, Sentence: mark(o.Sentence, o.Start, o.End)}
		pg.Rows = append(pg.Rows, row)
		pg.Others++
	}
	return s.renderExtract(c, http.StatusOK, pg)
}

// saveExtracted writes the picked rows, corrected, as unverified figures
// of the source, in one transaction through the form's rules: if any row
// is wrong nothing is saved and each row says what is wrong.
func (s *Handler) saveExtracted(c echo.Context) error {
	p := s.Printer(c)
	ctx := c.Request().Context()
	form, pg, err := s.postedExtractPage(c)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(form.Get("rows"))
	if n < 0 || n > 2000 {
		return fmt.Errorf("%w: rows", stats.ErrInvalid)
	}
	v := &stats.ValidationError{}
	src, key, err := s.articleSource(ctx, p, form, v)
	if err != nil {
		return err
	}
	if key != "" {
		src = nil // the rows cite it by key; only a new one goes with them
	}
	for _, f := range v.Fields {
		pg.Errors[f.Field] = httpkit.FieldMessage(p, f)
	}
	var ins []stats.FigureInput
	var picked []int          // the rows (0-based) saved, in order
	position := map[int]int{} // row number → 1-based position among the picked
	for i := 0; i < n; i++ {
		prefix := "r" + strconv.Itoa(i+1) + "_"
		vals := url.Values{}
		for k, vs := range form {
			if rest, ok := strings.CutPrefix(k, prefix); ok {
				vals[rest] = vs
			}
		}
		if err := s.TakeTyped(ctx, vals, rowChoices); err != nil {
			return err
		}
		row := extractRow{N: i + 1, Kind: vals.Get("kind"), Reason: vals.Get("reason"), Picked: vals.Get("pick") == "on",
			Values: vals, Errors: map[string]string{}, Sentence: render.QuoteView{Before: vals.Get("sentence_before"),
				Number: vals.Get("sentence_number"), After: vals.Get("sentence_after")}}
		pg.Rows = append(pg.Rows, row)
		if row.Kind == "figure" {
			pg.Figures++
		} else {
			pg.Others++
		}
		if !row.Picked {
			continue
		}
		picked = append(picked, i)
		position[i+1] = len(picked)
	}
	for _, i := range picked {
		row := &pg.Rows[i]
		vals := cloneForm(row.Values)
		vals.Set("source_key", key)
		ref, _ := strconv.Atoi(vals.Get("parent_ref"))
		vals.Del("parent_id")
		ff, ferr := parseFigureForm(p, vals)
		in := ff.Input
		if src != nil {
			in.NewSource, in.SourceKey = src, ""
		}
		in.ParentRef = 0
		if ref > 0 {
			if pos, ok := position[ref]; ok {
				in.ParentRef = pos
			} else {
				row.Errors["parent_ref"] = p.T("error.extract.parent_not_picked", ref)
			}
		}
		if in.ParentRef == 0 && in.Completeness == stats.Part && ref == 0 {
			in.Completeness = "" // no total named: Normalize decides
		}
		var fe *stats.ValidationError
		if errors.As(ferr, &fe) {
			for _, f := range fe.Fields {
				// The form parser does not know rows: a part whose total is
				// a picked row is checked again by SaveBatch with it.
				if in.ParentRef > 0 && f.Key == "error.parent.required_for_part" {
					continue
				}
				if _, seen := row.Errors[f.Field]; !seen && !(src != nil && f.Field == "source_key") {
					row.Errors[f.Field] = httpkit.FieldMessage(p, f)
				}
			}
		}
		ins = append(ins, in)
	}
	rowErrors := false
	for _, i := range picked {
		rowErrors = rowErrors || len(pg.Rows[i].Errors) > 0
	}
	if len(picked) == 0 {
		pg.Errors["rows"] = p.T("error.extract.none_picked")
	}
	if len(pg.Errors) > 0 || rowErrors {
		pg.Failed = true
		return s.renderExtract(c, http.StatusUnprocessableEntity, pg)
	}
	ids, err := s.editor.SaveBatch(ctx, session.CurrentUser(c), ins)
	var be *stats.BatchError
	if errors.As(err, &be) {
		for k, verr := range be.Rows {
			row := &pg.Rows[picked[k]]
			for _, f := range verr.Fields {
				if _, seen := row.Errors[f.Field]; !seen {
					row.Errors[f.Field] = httpkit.FieldMessage(p, f)
				}
			}
		}
		pg.Failed = true
		return s.renderExtract(c, http.StatusUnprocessableEntity, pg)
	}
	if err != nil {
		return err
	}
	saved, err := s.editor.Figure(ctx, ids[0])
	if err != nil {
		return err
	}
	s.sessions.Flash(c, "admin.flash.extract_saved")
	return c.Redirect(http.StatusSeeOther, "/admin/figures?"+url.Values{"source": {strconv.FormatInt(saved.Source.ID, 10)},
		"sort": {"id"}}.Encode())
}

// articleText is the pasted text, or the uploaded file's: a .txt as it is,
// a saved .html page reduced to its main text. Both end up in NFC.
func articleText(c echo.Context, pasted string) (string, error) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return textnorm.Canonical(strings.TrimPrefix(pasted, "\uFEFF")), nil
	}
	if fh.Size > maxArticleBytes {
		return "", fmt.Errorf("%s: %d KB", fh.Filename, fh.Size>>10)
	}
	f, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	var text string
	switch strings.ToLower(filepath.Ext(fh.Filename)) {
	case ".html", ".htm":
		text, err = extract.MainText(io.LimitReader(f, maxArticleBytes))
		if err != nil {
			return "", fmt.Errorf("%s: %v", fh.Filename, err)
		}
	case ".txt", "":
		b, err := io.ReadAll(io.LimitReader(f, maxArticleBytes))
		if err != nil {
			return "", err
		}
		if !utf8.Valid(b) {
			return "", fmt.Errorf("%s: not UTF-8", fh.Filename)
		}
		text = strings.TrimPrefix(string(b), "\uFEFF")
	default:
		return "", fmt.Errorf("%s: .txt or .html", fh.Filename)
	}
	if !textnorm.Valid(text) {
		return "", fmt.Errorf("%s: control characters", fh.Filename)
	}
	return textnorm.Canonical(text), nil
}

// articleSource is the article's source: an existing one by key, or a new
// one from the form's fields, created with the figures. It returns the
// source (nil when the fields are wrong: v says why) and the key rows cite,
// "" for a new one. Errors: ErrUnavailable.
func (s *Handler) articleSource(ctx context.Context, p *i18n.Printer, form url.Values, v *stats.ValidationError) (*stats.Source, string, error) {
	key := form.Get("source_key")
	if key != "new" {
		if key == "" {
			v.Add("source_key", "error.required", "")
			return nil, "", nil
		}
		src, err := s.stats.SourceByKey(ctx, key)
		switch {
		case errors.Is(err, stats.ErrNotFound):
			v.Add("source_key", "error.source.unknown", "")
			return nil, "", nil
		case err != nil:
			return nil, "", err
		}
		return &src, key, nil
	}
	src := stats.Source{Title: form.Get("new_source_title"), Outlet: form.Get("new_source_outlet"),
		Author: form.Get("new_source_author"), URL: form.Get("new_source_url")}
	if d := strings.TrimSpace(form.Get("new_source_published")); d != "" {
		t, ok := i18n.ParseDate(d, p.Lang())
		if !ok {
			v.Add("new_source_published", "error.date.invalid", d)
		}
		src.PublishedOn = t
	}
	src.Normalize()
	if err := src.Validate(); err != nil {
		var sv *stats.ValidationError
		if errors.As(err, &sv) {
			v.Fields = append(v.Fields, sv.Fields...)
		}
	}
	return &src, "", nil
}

// rowValues are a candidate's fields as the form shows them: numbers the
// page's way, dates ISO (the date inputs' format).
func rowValues(p *i18n.Printer, in stats.FigureInput) url.Values {
	v := url.Values{}
	for _, fd := range stats.FigureFields[1:] {
		v.Set(fd.Name, fd.Get(&in))
	}
	v.Set("value", formNumber(p, in.Value))
	if in.Denominator != nil {
		v.Set("denominator", formNumber(p, *in.Denominator))
	}
	if in.ParentRef > 0 {
		v.Set("parent_ref", strconv.Itoa(in.ParentRef))
	}
	return v
}

// mark splits a sentence around the number at [start, end).
func mark(sentence string, start, end int) render.QuoteView {
	if start < 0 || end > len(sentence) || start > end {
		return render.QuoteView{Before: sentence}
	}
	return render.QuoteView{Before: sentence[:start], Number: sentence[start:end], After: sentence[end:]}
}

func hasLocality(ls []stats.Locality, slug string) bool {
	for _, l := range ls {
		if l.Slug == slug {
			return true
		}
	}
	return false
}

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
