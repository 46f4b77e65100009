package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/web"
)

// views holds one template set per page: the shared layout plus the page.
type views struct {
	pages map[string]*template.Template
}

func loadViews(a *assets) (*views, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		"add":   func(a, b int) int { return a + b },
		// place names a unit in the page language: "Phú Thọ Province".
		"place": localityName,
		// fieldCtx passes a form's errors and one field name to a partial.
		"fieldCtx": func(errs map[string]string, field string) map[string]any {
			return map[string]any{"Errors": errs, "Field": field}
		},
		// dict passes several values to a partial: (dict "P" $p "Row" .).
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		// pager passes a list's page links to the pagination partial.
		"pager": func(p *i18n.Printer, first, prev, next string) map[string]any {
			return map[string]any{"P": p, "First": first, "Prev": prev, "Next": next}
		},
		// pickerCtx passes the printer, a picker and its legend to the partial.
		"pickerCtx": func(p *i18n.Printer, pk picker, legend string) map[string]any {
			return map[string]any{"P": p, "Picker": pk, "Legend": legend}
		},
	}
	base, err := template.New("").Funcs(funcs).ParseFS(web.Templates, "templates/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout templates: %w", err)
	}
	pageFiles, err := fs.Glob(web.Templates, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, f := range pageFiles {
		t, err := template.Must(base.Clone()).ParseFS(web.Templates, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		v.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return v, nil
}

// view is what every page template receives.
type view struct {
	P            *i18n.Printer
	Lang         i18n.Lang
	Title        string
	Nav          string // which menu entry is current
	Charts       bool   // load the chart scripts
	Picker       bool   // load the locality picker's script
	OtherLang    i18n.Lang
	OtherLangURL string
	URL          *url.URL
	CSRF         string      // token for forms (admin area)
	User         *stats.User // signed-in user (admin area)
	Flash        string
	ReviewCount  string // figures the signed-in editor may verify (admin navigation): "12", "10.000+"
	Data         any
}

// render writes page name with data, buffered so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(c echo.Context, status int, name string, v view) error {
	t, ok := s.views.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	p := s.printer(c)
	v.P, v.Lang = p, p.Lang()
	v.URL = c.Request().URL
	v.OtherLang = i18n.EN
	if v.Lang == i18n.EN {
		v.OtherLang = i18n.VI
	}
	v.OtherLangURL = withQuery(c.Request().URL, "lang", string(v.OtherLang))
	if tok, ok := c.Get(csrfKey).(string); ok {
		v.CSRF = tok
	}
	if u, ok := c.Get(userKey).(stats.User); ok {
		v.User = &u
		v.Flash = s.sessions.popFlash(c)
		if rc, ok := c.Get(reviewCountKey).(reviewCount); ok {
			v.ReviewCount = p.Number(float64(rc.n))
			if rc.capped {
				v.ReviewCount += "+"
			}
		}
	}
	buf, _ := s.renderBufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= maxKeptRenderBuffer {
			buf.Reset()
			s.renderBufs.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "base", v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// maxKeptRenderBuffer: a buffer that grew past this for an unusual page
// is left to the collector rather than kept.
const maxKeptRenderBuffer = 1 << 20

// withQuery returns u's path and query with key set to value.
func withQuery(u *url.URL, key, value string) string {
	q := u.Query()
	q.Set(key, value)
	return u.Path + "?" + q.Encode()
}
