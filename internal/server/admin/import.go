package admin

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/csvimport"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Bulk import: the upload streams into PostgreSQL in chunks (never whole
// to memory, never to one instance's disk), under a random token kept in
// the uploader's session; the preview and the commit each read it again
// as a stream, on whichever instance serves them. The client names
// nothing but the token, which must be its session's.
const (
	importUploadPath = "/admin/import"
	importBodyLimit  = "200M"
	importMaxBytes   = 200 << 20
	importKeep       = 200            // rows of each status shown in the preview
	importTTL        = 24 * time.Hour // uploads left without commit or cancel are removed after this
)

// Session keys.
const (
	importTokenKey = "import_token"
	importNameKey  = "import_name"
	importDoneKey  = "import_done"
)

// IsLargeUpload lets the import upload and the extraction's uploads (
// several articles at once) past the 2 MB limit of every other request;
// their routes set their own.
func IsLargeUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && (c.Path() == importUploadPath || c.Path() == extractPath)
}

type importFormPage struct {
	Pending string // name of an uploaded file awaiting commit
	Done    *stats.ImportResult
	Error   string
	MaxMB   int
}

func (s *Handler) importForm(c echo.Context) error {
	return s.renderImportForm(c, http.StatusOK, "")
}

func (s *Handler) renderImportForm(c echo.Context, status int, errMsg string) error {
	p := s.Printer(c)
	r := c.Request()
	m := s.sessions.Manager(r)
	pg := importFormPage{Error: errMsg, MaxMB: importMaxBytes >> 20}
	if m.GetString(r.Context(), importTokenKey) != "" {
		pg.Pending = m.GetString(r.Context(), importNameKey)
		if pg.Pending == "" {
			pg.Pending = "?"
		}
	}
	if done := m.PopString(r.Context(), importDoneKey); done != "" {
		var res stats.ImportResult
		if _, err := fmt.Sscan(done, &res.Created, &res.Updated, &res.Unchanged); err == nil {
			pg.Done = &res
		}
	}
	return s.Render(c, status, "admin_import", render.View{Title: p.T("admin.import.title"), Nav: "admin", Data: pg})
}

// uploadImport saves the uploaded file and sends the browser to its
// preview. The multipart body is read part by part, so the file goes
// from the network to the disk in small buffers.
func (s *Handler) uploadImport(c echo.Context) error {
	p := s.Printer(c)
	r := c.Request()
	mr, err := r.MultipartReader()
	if err != nil {
		return fmt.Errorf("%w: %v", stats.ErrInvalid, err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return s.renderImportForm(c, http.StatusUnprocessableEntity, p.T("admin.import.no_file"))
		}
		if err != nil {
			return uploadError(err)
		}
		if part.FormName() != "file" {
			continue // NextPart skips what is left of it
		}
		name := uploadName(part.FileName())
		ctx, u := r.Context(), session.CurrentUser(c)
		token, err := s.editor.StageImport(ctx, u, name, part, importMaxBytes, importTTL)
		switch {
		case errors.Is(err, stats.ErrTooLarge):
			return s.renderImportForm(c, http.StatusRequestEntityTooLarge, p.T("admin.import.too_large", importMaxBytes>>20))
		case errors.Is(err, stats.ErrUnavailable):
			return err
		case err != nil:
			return uploadError(err)
		}
		if err := s.checkImportHeader(c, token); err != nil {
			_ = s.editor.DropImport(ctx, u, token)
			if errors.Is(err, csvimport.ErrHeader) {
				return s.renderImportForm(c, http.StatusUnprocessableEntity, p.T("admin.import.bad_header", err.Error()))
			}
			return err
		}
		m := s.sessions.Manager(r)
		s.removeUpload(c) // the previous upload of this session, if any
		m.Put(r.Context(), importTokenKey, token)
		m.Put(r.Context(), importNameKey, name)
		s.log.Info("import uploaded", "user", session.CurrentUser(c).Username, "file", name)
		return c.Redirect(http.StatusSeeOther, "/admin/import/preview")
	}
}

// uploadError keeps the body limit's 413 and calls other read failures a
// bad request (a broken or aborted upload).
func uploadError(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	return fmt.Errorf("%w: read upload: %v", stats.ErrInvalid, err)
}

// uploadName is the uploaded file's name, for display only.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if !textnorm.Valid(name) || name == "." || name == "/" {
		return ""
	}
	name = textnorm.Clean(name)
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100]) + "…"
	}
	return name
}

// checkImportHeader reads the staged file's header row.
func (s *Handler) checkImportHeader(c echo.Context, token string) error {
	r, _, err := s.editor.OpenImport(c.Request().Context(), session.CurrentUser(c), token)
	if err != nil {
		return err
	}
	_, err = csvimport.NewFigureFile(r)
	return err
}

// removeUpload drops the session's upload and forgets it.
func (s *Handler) removeUpload(c echo.Context) {
	r := c.Request()
	m := s.sessions.Manager(r)
	if token := m.GetString(r.Context(), importTokenKey); token != "" {
		_ = s.editor.DropImport(r.Context(), session.CurrentUser(c), token)
	}
	m.Remove(r.Context(), importTokenKey)
	m.Remove(r.Context(), importNameKey)
}

// openUpload opens the session's upload. ok is false when there is none
// (never uploaded, committed, cancelled or expired).
func (s *Handler) openUpload(c echo.Context) (ff *csvimport.FigureFile, ok bool, err error) {
	r := c.Request()
	token := s.sessions.Manager(r).GetString(r.Context(), importTokenKey)
	if token == "" {
		return nil, false, nil
	}
	body, _, err := s.editor.OpenImport(r.Context(), session.CurrentUser(c), token)
	if errors.Is(err, stats.ErrNotFound) {
		s.removeUpload(c)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	ff, err = csvimport.NewFigureFile(body)
	if err != nil {
		return nil, false, err
	}
	return ff, true, nil
}

type importPreviewPage struct {
	Name    string
	Token   string
	Preview stats.ImportPreview
	Groups  []importGroupView
	Error   string
	Keep    int
}

type importGroupView struct {
	Status string
	Count  int
	Shown  string // Count as people read it: 100.000
	Rows   []importRowView
}

type importRowView struct {
	Line  int
	ID    int64
	Input stats.FigureInput
	Notes []string // reasons (invalid) or changed columns (changed)
}

// previewImport classifies the uploaded file's rows against the database
// without writing anything.
func (s *Handler) previewImport(c echo.Context) error {
	return s.renderPreview(c, http.StatusOK, "")
}

func (s *Handler) renderPreview(c echo.Context, status int, errMsg string) error {
	p := s.Printer(c)
	ff, ok, err := s.openUpload(c)
	if err != nil {
		return err
	}
	if !ok {
		s.sessions.Flash(c, "admin.import.none")
		return c.Redirect(http.StatusSeeOther, "/admin/import")
	}
	start := time.Now()
	pv, err := s.editor.PreviewImport(c.Request().Context(), ff.Rows(), importKeep)
	if err == nil {
		err = ff.Err()
	}
	if err != nil {
		return err
	}
	s.log.Info("import previewed", "rows", pv.Total(), "new", pv.New.Count, "changed", pv.Changed.Count,
		"unchanged", pv.Unchanged.Count, "invalid", pv.Invalid.Count, "duration", time.Since(start))
	r := c.Request()
	m := s.sessions.Manager(r)
	pg := importPreviewPage{Name: m.GetString(r.Context(), importNameKey), Token: m.GetString(r.Context(), importTokenKey),
		Preview: pv, Error: errMsg, Keep: importKeep}
	for _, g := range []struct {
		status string
		g      stats.ImportGroup
	}{{"invalid", pv.Invalid}, {"changed", pv.Changed}, {"new", pv.New}, {"unchanged", pv.Unchanged}} {
		gv := importGroupView{Status: g.status, Count: g.g.Count, Shown: p.Number(float64(g.g.Count))}
		for _, o := range g.g.Rows {
			rv := importRowView{Line: o.Line, ID: o.ID, Input: o.Input, Notes: o.Changes}
			if o.Status == stats.ImportInvalid {
				rv.ID = o.Input.ID
				rv.Notes = fieldNotes(p, o.Errors)
			}
			gv.Rows = append(gv.Rows, rv)
		}
		pg.Groups = append(pg.Groups, gv)
	}
	return s.Render(c, status, "admin_import_preview", render.View{Title: p.T("admin.import.preview"), Nav: "admin", Data: pg})
}

// fieldNotes translates a row's errors as "column: reason".
func fieldNotes(p *i18n.Printer, fs []stats.FieldError) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = httpkit.FieldMessage(p, f)
		if f.Field != "" {
			out[i] = f.Field + ": " + out[i]
		}
	}
	return out
}

// commitImport writes the previewed file in one transaction. The form
// names the upload's token (it must be the session's) and the digest of
// the preview the editor saw: if the file or the figures changed since,
// nothing is written and the new preview is shown.
func (s *Handler) commitImport(c echo.Context) error {
	p := s.Printer(c)
	r := c.Request()
	m := s.sessions.Manager(r)
	if token := m.GetString(r.Context(), importTokenKey); token == "" || c.FormValue("token") != token {
		s.sessions.Flash(c, "admin.import.none")
		return c.Redirect(http.StatusSeeOther, "/admin/import")
	}
	ff, ok, err := s.openUpload(c)
	if err != nil {
		return err
	}
	if !ok {
		s.sessions.Flash(c, "admin.import.none")
		return c.Redirect(http.StatusSeeOther, "/admin/import")
	}
	start := time.Now()
	u := session.CurrentUser(c)
	res, err := s.editor.CommitImport(r.Context(), u, ff.Rows(), c.FormValue("digest"))
	if err == nil {
		err = ff.Err()
	}
	var rowErr *stats.ImportRowError
	switch {
	case errors.As(err, &rowErr):
		msg := p.T("admin.import.refused", rowErr.Line) + " " + strings.Join(fieldNotes(p, rowErr.Fields), "; ")
		return s.renderPreview(c, http.StatusUnprocessableEntity, msg)
	case errors.Is(err, stats.ErrImportChanged):
		return s.renderPreview(c, http.StatusConflict, p.T("admin.import.changed"))
	case err != nil:
		return err
	}
	s.log.Info("import committed", "user", u.Username, "created", res.Created, "updated", res.Updated,
		"unchanged", res.Unchanged, "duration", time.Since(start))
	s.removeUpload(c)
	m.Put(r.Context(), importDoneKey, fmt.Sprint(res.Created, res.Updated, res.Unchanged))
	return c.Redirect(http.StatusSeeOther, "/admin/import")
}

// cancelImport deletes the upload.
func (s *Handler) cancelImport(c echo.Context) error {
	s.removeUpload(c)
	s.sessions.Flash(c, "admin.import.cancelled")
	return c.Redirect(http.StatusSeeOther, "/admin/import")
}
