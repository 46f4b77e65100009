package public

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// Embeds: /embed/charts/{id} and /embed/localities/{slug}/charts/{id}
// are one chart of a page, for other sites' iframes, with the same query
// as the page; {id}.png is the same chart as an image drawn on the server
// (internal/chartimg), for social previews and e-mail. httpkit gives
// /embed/ alone frame-ancestors * and no cookie; the routes take no
// session, so an embed is cached like any public page.

// embedPage is an embed's content: the chart as the page draws it, its
// definition, its sources linked, and a link to the full page.
type embedPage struct {
	chartView
	Height       int // the canvas's, in CSS pixels (embed.js sets it)
	FullURL      string
	FullLabel    string
	SourcesLabel string
	SourceLinks  []sourceLink
}

type sourceLink struct{ URL, Text, Title string }

// embedCode is the "Nhúng" disclosure under a chart of a page.
type embedCode struct {
	Label     string
	CodeLabel string
	Copy      string
	Copied    string
	Code      string // the iframe and the resize listener, as pasted
	ImageURL  string
	ImageText string
}

// embedFile reads "{id}" or "{id}.png" from the route.
func embedFile(c echo.Context) (id string, png bool) {
	f := c.Param("file")
	if id, ok := strings.CutSuffix(f, ".png"); ok {
		return id, true
	}
	return f, false
}

// embedParams are the page's query as an embed keeps it: the compared
// localities are named, so that the embed still shows the same bars when
// the default localities change.
func embedParams(params url.Values, compared []stats.Locality) url.Values {
	out := render.With(params, "locality", "")
	if len(params["locality"]) > 0 {
		return params
	}
	for _, l := range compared {
		out.Add("locality", l.Slug)
	}
	return out
}

// embedOverviewChart answers /embed/charts/{id}[.png] with the query of
// the overview.
func (s *Handler) embedOverviewChart(c echo.Context) error {
	id, png := embedFile(c)
	p := s.Printer(c)
	q := c.QueryParams()
	set, err := chartSettings(p, q)
	if err != nil {
		return err
	}
	f, err := render.FigureFilter(q, p.Lang())
	if err != nil {
		return err
	}
	d, err := s.loadOverview(c.Request().Context(), f, set)
	if err != nil {
		return err
	}
	ch, ok := d.chart(id)
	if !ok || id == "" {
		return fmt.Errorf("chart %q: %w", id, stats.ErrNotFound)
	}
	if png {
		return s.writeChartPNG(c, ch)
	}
	params := embedParams(render.ShareableParams(q), d.Compared)
	var figs []stats.Figure
	for _, cmp := range d.Comparisons {
		if chart.CompareID(cmp) != id {
			continue
		}
		cv := cmp.View(set.View)
		for _, b := range cv.Bars {
			figs = append(figs, b.Entry.Figure)
			if b.Units != nil {
				figs = append(figs, *b.Units)
			}
			if b.Base != nil {
				figs = append(figs, *b.Base)
			}
		}
		for _, lo := range cv.LeftOut {
			figs = append(figs, lo.Entry.Figure)
		}
	}
	full := render.WithParams("/", render.With(params, "lang", string(p.Lang()))) + "#chart-" + id
	return s.renderEmbed(c, p, ch, "/charts/"+id+".csv", "/embed/charts/"+id, params, full, figs)
}

// embedLocalityChart answers /embed/localities/{slug}/charts/{id}[.png].
func (s *Handler) embedLocalityChart(c echo.Context) error {
	id, png := embedFile(c)
	p := s.Printer(c)
	set, err := chartSettings(p, c.QueryParams())
	if err != nil {
		return err
	}
	d, err := s.loadLocality(c, set)
	if err != nil {
		return err
	}
	ch, ok := chart.FindChart(d.sections, id)
	if !ok {
		return fmt.Errorf("chart %q of %s: %w", id, d.Locality.Slug, stats.ErrNotFound)
	}
	if png {
		return s.writeChartPNG(c, ch)
	}
	params := render.ShareableParams(c.QueryParams())
	base := "/localities/" + url.PathEscape(d.Locality.Slug)
	full := render.WithParams(base, render.With(params, "lang", string(p.Lang()))) + "#chart-" + id
	return s.renderEmbed(c, p, ch, base+"/charts/"+id+".csv", "/embed"+base+"/charts/"+id, params, full, d.Figures)
}

func (s *Handler) renderEmbed(c echo.Context, p *i18n.Printer, ch chart.Chart, csvPath, embedPath string,
	params url.Values, full string, figs []stats.Figure) error {
	page := embedPage{chartView: viewChart(p, ch, csvPath, params), Height: canvasHeight(ch), FullURL: full,
		FullLabel: p.T("embed.full"), SourcesLabel: p.T("embed.sources")}
	for _, src := range chartSources(ch, figs) {
		page.SourceLinks = append(page.SourceLinks, sourceLink{URL: "/sources/" + strconv.FormatInt(src.ID, 10),
			Text: src.Outlet + ", " + p.Date(src.PublishedOn), Title: src.Title})
	}
	v := render.View{Title: ch.Title, Description: ch.Subtitle, Embed: true, Charts: true, Data: page}
	if ch.Plot.Bars() {
		v.Image = s.origin(c.Request()) + render.WithParams(embedPath+".png", withLang(params, p))
	}
	return s.Render(c, http.StatusOK, "embed", v)
}

// withLang adds the page's language to an address given to other sites,
// which have no cookie of ours to tell it.
func withLang(q url.Values, p *i18n.Printer) url.Values {
	return render.With(q, "lang", string(p.Lang()))
}

// chartSources are the sources of the figures a chart draws (or divides
// by), newest first.
func chartSources(ch chart.Chart, figs []stats.Figure) []stats.Source {
	used := map[int64]bool{}
	for _, r := range ch.Records {
		for _, id := range r.FigureIDs {
			used[id] = true
		}
		for _, id := range r.DenominatorIDs {
			used[id] = true
		}
	}
	var out []stats.Source
	for _, f := range figs {
		if used[f.ID] && !slices.ContainsFunc(out, func(s stats.Source) bool { return s.ID == f.Source.ID }) {
			out = append(out, f.Source)
		}
	}
	slices.SortStableFunc(out, func(a, b stats.Source) int { return b.PublishedOn.Compare(a.PublishedOn) })
	return out
}

// canvasHeight gives a chart of many bars the room its labels need (the
// pages' 360 px fit about eight): an embed has no other way to grow.
func canvasHeight(ch chart.Chart) int {
	h := 360
	if ch.Plot != nil && ch.Plot.From == "" {
		// The header (title, unit, sources) and a two-line label per bar.
		if n := 110 + 16*len(ch.Sources) + 38*len(ch.Plot.Categories); n > h {
			h = n
		}
	}
	return h
}

// embedFor is the disclosure giving a chart's embed code: an iframe of
// embedPath with the page's query and language, and the few lines the
// host page needs to let it set its height (README, "Embeds").
func (s *Handler) embedFor(c echo.Context, p *i18n.Printer, ch chart.Chart, embedPath string, params url.Values) *embedCode {
	origin := s.origin(c.Request())
	q := withLang(params, p)
	e := &embedCode{Label: p.T("chart.embed"), CodeLabel: p.T("chart.embed_code"), Copy: p.T("chart.embed_copy"),
		Copied: p.T("chart.embed_copied"), Code: embedSnippet(origin, render.WithParams(embedPath, q), ch.Title, canvasHeight(ch)+140)}
	if ch.Plot.Bars() {
		e.ImageURL, e.ImageText = origin+render.WithParams(embedPath+".png", q), p.T("chart.embed_image")
	}
	return e
}

// embedSnippet is the code a host page pastes: the iframe, and a listener
// that sets its height from the "cadrestats:resize" messages the embed
// posts (web/static/js/embed.js). The listener checks the sender's origin
// and iframe, and is added once however many embeds a page has.
func embedSnippet(origin, src, title string, height int) string {
	o, _ := json.Marshal(origin)
	return `<iframe src="` + html.EscapeString(origin+src) + `" title="` + html.EscapeString(title) +
		`" width="100%" height="` + strconv.Itoa(height) + `" style="border:0;width:100%" loading="lazy"></iframe>` + "\n" +
		`<script>(function(){if(window.cadrestatsEmbeds)return;window.cadrestatsEmbeds=1;` +
		`window.addEventListener("message",function(e){var d=e.data;` +
		`if(e.origin!==` + string(o) + `||!d||d.type!=="cadrestats:resize"||!(d.height>0))return;` +
		`var f=document.getElementsByTagName("iframe");for(var i=0;i<f.length;i++){` +
		`if(f[i].contentWindow===e.source)f[i].style.height=Math.ceil(d.height)+"px";}});})();</script>`
}
