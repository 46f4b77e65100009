// Package render is what both audiences answer HTML with: the templates,
// the layout every page shares (View), the page's language, and the
// form pieces the public pages and the admin share: the filter form and
// its query (filter.go, filterform.go), the locality and source pickers
// (picker.go, choice.go), figure views (figureview.go) and list links
// (lists.go, params.go).
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/web"
)

// views holds one template set per page: the shared layout plus the page.
type views struct {
	pages map[string]*template.Template
}

// Renderer answers in HTML: the templates, the page language, the layout
// every page shares and the form pieces both audiences use (filters,
// pickers, choices).
type Renderer struct {
	views    *views
	catalog  *i18n.Catalog
	stats    *stats.Service
	sessions *session.Sessions // nil: no admin area
	// pages are rendered whole into these before they are written; the
	// writers downstream copy what they are given.
	renderBufs sync.Pool
}

// New parses the templates; asset gives a static file's address.
func New(st *stats.Service, cat *i18n.Catalog, ss *session.Sessions, asset func(string) (string, error)) (*Renderer, error) {
	v, err := loadViews(asset)
	if err != nil {
		return nil, err
	}
	return &Renderer{views: v, catalog: cat, stats: st, sessions: ss}, nil
}

func (s *Renderer) Printer(c echo.Context) *i18n.Printer { return s.catalog.Printer(httpkit.Lang(c)) }

type errorPage struct {
	Message string
	Details []string
}

// ErrorPage writes the page of an error (HandleError).
func (s *Renderer) ErrorPage(c echo.Context, status int, title, message string, details []string) error {
	return s.Render(c, status, "error", View{Title: title, Data: errorPage{Message: message, Details: details}})
}

func loadViews(asset func(string) (string, error)) (*views, error) {
	funcs := template.FuncMap{
		"asset": asset,
		"add":   func(a, b int) int { return a + b },
		// maxSearch is the search boxes' maxlength: stats' rule, not a copy.
		"maxSearch": func() int { return stats.MaxSearch },
		// place names a unit in the page language: "Phú Thọ Province".
		"place": LocalityName,
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
		"pickerCtx": func(p *i18n.Printer, pk Picker, legend string) map[string]any {
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

// View is what every page template receives.
type View struct {
	P      *i18n.Printer
	Lang   i18n.Lang
	Title  string
	Nav    string // which menu entry is current
	Charts bool   // load the chart scripts
	Map    bool   // load the map page's bundle and script (instead of the chart scripts)
	Picker bool   // load the locality picker's script
	// Embed draws the page in the bare frame of an embed (layout/embed.html):
	// no navigation, links open the site in a new tab.
	Embed bool
	// Image is the absolute address of the page's preview image (og:image,
	// twitter:card), "" for none; Description goes with it.
	Image        string
	Description  string
	OtherLang    i18n.Lang
	OtherLangURL string
	URL          *url.URL
	CSRF         string      // token for forms (admin area)
	User         *stats.User // signed-in user (admin area)
	Flash        string
	ReviewCount  string // figures the signed-in editor may verify (admin navigation): "12", "10.000+"
	Data         any
}

// Render writes page name with data, buffered so that a template error
// becomes a clean 500 rather than half a page.
func (s *Renderer) Render(c echo.Context, status int, name string, v View) error {
	t, ok := s.views.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	p := s.Printer(c)
	v.P, v.Lang = p, p.Lang()
	v.URL = c.Request().URL
	v.OtherLang = i18n.EN
	if v.Lang == i18n.EN {
		v.OtherLang = i18n.VI
	}
	v.OtherLangURL = withQuery(c.Request().URL, "lang", string(v.OtherLang))
	v.CSRF = session.CSRFToken(c)
	if u, ok := session.User(c); ok {
		v.User = &u
		v.Flash = s.sessions.PopFlash(c)
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
	root := "base"
	if v.Embed {
		root = "embed-base"
	}
	if err := t.ExecuteTemplate(buf, root, v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

const reviewCountKey = "review_count"

type reviewCount struct {
	n      int
	capped bool // more than n
}

// SetReviewCount tells the layout how many figures wait for the signed-in
// editor's review, for the count in the admin navigation.
func SetReviewCount(c echo.Context, n int, capped bool) {
	c.Set(reviewCountKey, reviewCount{n, capped})
}

// maxKeptRenderBuffer: a buffer that grew past this for an unusual page
// is left to the collector rather than kept.
const maxKeptRenderBuffer = 1 << 20
