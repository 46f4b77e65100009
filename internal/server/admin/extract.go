package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/html/charset"

	"github.com/cadrestats/cadrestats/internal/extract"
	"github.com/cadrestats/cadrestats/internal/fetch"
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
	Failed     bool           // a save was refused: nothing was written
	Batches    []extractBatch // several articles read at once, each saved or not
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
	arts := s.readArticles(c, form, v)
	if len(arts) > 1 {
		return s.extractMany(c, pg, arts, ls, v)
	}
	text := ""
	if len(arts) == 1 {
		text = arts[0].text
		if arts[0].page != nil {
			fillSource(form, *arts[0].page)
		}
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
	res := extract.Extract(extractInput(text, *src, form.Get("locality_slug"), ls))
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
	return c.Redirect(http.StatusSeeOther, figuresOf(saved.Source.ID))
}

// article is one article the form gave: its text (NFC) and, for an HTML
// page or a link, what the page says about it.
type article struct {
	name string // the file's name or the link; "" for pasted text
	text string
	page *fetch.Page
}

// maxArticles bounds the files of one upload; the request, their size.
const (
	maxArticles      = 50
	extractPath      = "/admin/extract"
	extractBodyLimit = "80M" // maxArticles × maxArticleBytes, and the form
)

// readArticles reads what was posted: the uploaded files (a .txt as it
// is, an .html page reduced to its main text), else the pasted link's
// page, else the pasted text. What cannot be read is added to v.
func (s *Handler) readArticles(c echo.Context, form url.Values, v *stats.ValidationError) []article {
	var files []*multipart.FileHeader
	if mf, err := c.MultipartForm(); err == nil {
		for _, fh := range mf.File["file"] {
			if fh.Size > 0 {
				files = append(files, fh)
			}
		}
	}
	if len(files) > maxArticles {
		v.Add("text", "error.extract.too_many", strconv.Itoa(maxArticles))
		return nil
	}
	var out []article
	for _, fh := range files {
		a, err := readFile(fh)
		if err != nil {
			v.Add("text", "error.extract.file", err.Error())
			continue
		}
		out = append(out, a)
	}
	if len(files) > 0 {
		return out
	}
	if link := strings.TrimSpace(form.Get("url")); link != "" && strings.TrimSpace(form.Get("text")) == "" {
		page, err := s.fetcher.Article(c.Request().Context(), link)
		var fe *fetch.Error
		switch {
		case errors.As(err, &fe):
			s.log.Info("extract: link not read", "url", fe.URL, "reason", fe.Reason, "err", fe.Err)
			v.Add("url", "error.extract.link."+fe.Reason, "")
			return nil
		case err != nil:
			v.Add("url", "error.extract.link.network", "")
			return nil
		}
		return []article{{name: link, text: page.Text, page: &page}}
	}
	text := textnorm.Canonical(strings.TrimPrefix(form.Get("text"), "\uFEFF"))
	if strings.TrimSpace(text) == "" {
		v.Add("text", "error.required", "")
		return nil
	}
	return []article{{text: text}}
}

// readFile reads an uploaded article.
func readFile(fh *multipart.FileHeader) (article, error) {
	a := article{name: fh.Filename}
	if fh.Size > maxArticleBytes {
		return a, fmt.Errorf("%s: %d KB", fh.Filename, fh.Size>>10)
	}
	f, err := fh.Open()
	if err != nil {
		return a, err
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(fh.Filename)) {
	case ".html", ".htm":
		r, err := charset.NewReader(io.LimitReader(f, maxArticleBytes), fh.Header.Get("Content-Type"))
		if err != nil {
			return a, fmt.Errorf("%s: %v", fh.Filename, err)
		}
		page, err := fetch.Read(r, nil)
		if err != nil {
			return a, fmt.Errorf("%s: %v", fh.Filename, err)
		}
		a.text, a.page = page.Text, &page
	case ".txt", "":
		b, err := io.ReadAll(io.LimitReader(f, maxArticleBytes))
		if err != nil {
			return a, err
		}
		if !utf8.Valid(b) {
			return a, fmt.Errorf("%s: not UTF-8", fh.Filename)
		}
		a.text = strings.TrimPrefix(string(b), "\uFEFF")
	default:
		return a, fmt.Errorf("%s: .txt or .html", fh.Filename)
	}
	if !textnorm.Valid(a.text) {
		return a, fmt.Errorf("%s: control characters", fh.Filename)
	}
	a.text = textnorm.Canonical(a.text)
	return a, nil
}

// fillSource proposes the page's title, outlet, date and address for a
// new source, leaving what the editor typed.
func fillSource(form url.Values, page fetch.Page) {
	if k := form.Get("source_key"); k != "" && k != "new" {
		return
	}
	form.Set("source_key", "new")
	set := func(field, val string) {
		if strings.TrimSpace(form.Get(field)) == "" && val != "" {
			form.Set(field, val)
		}
	}
	set("new_source_title", page.Title)
	set("new_source_outlet", page.Outlet)
	set("new_source_url", page.URL)
	if !page.Published.IsZero() {
		set("new_source_published", page.Published.Format(time.DateOnly))
	}
}

// extractInput is what the extractor reads of an article of src.
func extractInput(text string, src stats.Source, locality string, ls []stats.Locality) extract.Input {
	in := extract.Input{Text: text, Title: src.Title, Published: src.PublishedOn, Locality: locality}
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
	return in
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
