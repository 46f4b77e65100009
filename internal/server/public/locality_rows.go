package public

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// The rows of a locality's figure tables, its list of sources and the
// tables of charts are
// written here rather than by html/template: they are the page's loop (a
// province reporting everything shows 234 figure rows and 193 sources),
// and each template action costs reflection and an escaper call, which
// made Điện Biên's page three times its SQL (issue 20). The markup is the
// one the templates wrote before, byte for byte (TestFigureRowsAsTemplate
// holds the template it replaces); every text goes through escapeHTML,
// html/template's own escaping for text and quoted attributes, and the
// only other values are integers.

// htmlEscaper escapes as html/template does in text and in quoted
// attribute values.
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

func escapeHTML(b *strings.Builder, s string) { _, _ = htmlEscaper.WriteString(b, s) }

// figureRows writes a figure table's rows; edit adds each figure's edit
// link for a signed-in editor.
func figureRows(l *tableLabels, edit bool, figs []render.FigureView) template.HTML {
	var b strings.Builder
	b.Grow(len(figs) * 900)
	for _, f := range figs {
		id := strconv.FormatInt(f.ID, 10)
		b.WriteString(`<tr id="fig-`)
		b.WriteString(id)
		b.WriteString("\">\n    <th scope=\"row\" data-label=\"")
		escapeHTML(&b, l.Subject)
		b.WriteString(`">`)
		if f.IsPart {
			b.WriteString(`<span class="part-of" aria-hidden="true">↳ </span>`)
		}
		escapeHTML(&b, f.Subject)
		if f.Unverified {
			b.WriteString(` <span class="badge badge-unverified">`)
			escapeHTML(&b, l.Unverified)
			b.WriteString(`</span>`)
		}
		if f.PartOf != "" {
			b.WriteString(`<br><small class="part-of-total">`)
			escapeHTML(&b, f.PartOf)
			b.WriteString(`</small>`)
		}
		if f.Levels != "" {
			b.WriteString(`<br><small>`)
			escapeHTML(&b, f.Levels)
			b.WriteString(`</small>`)
		}
		if f.Rank != "" {
			b.WriteString(`<br><small class="rank">`)
			escapeHTML(&b, f.Rank)
			b.WriteString(`</small>`)
		}
		if f.Target {
			b.WriteString(`<br><small class="badge">`)
			escapeHTML(&b, l.Target)
			b.WriteString(`</small>`)
		}
		if edit {
			b.WriteString(`<br><a class="edit-link" href="/admin/figures/`)
			b.WriteString(id)
			b.WriteString(`">`)
			escapeHTML(&b, l.Edit)
			b.WriteString(`</a>`)
		}
		b.WriteString("</th>\n    <td class=\"num\" data-label=\"")
		escapeHTML(&b, l.Value)
		b.WriteString(`">`)
		escapeHTML(&b, f.Value)
		if f.Completeness != "" {
			b.WriteString(`<br><small>`)
			escapeHTML(&b, f.Completeness)
			b.WriteString(`</small>`)
		}
		b.WriteString("</td>\n    <td data-label=\"")
		escapeHTML(&b, l.Unit)
		b.WriteString(`">`)
		escapeHTML(&b, f.Unit)
		b.WriteString("</td>\n    <td data-label=\"")
		escapeHTML(&b, l.Period)
		b.WriteString(`">`)
		escapeHTML(&b, f.Period)
		if f.Term != "" {
			b.WriteString(`<br><small>`)
			escapeHTML(&b, f.Term)
			b.WriteString(`</small>`)
		}
		b.WriteString("</td>\n    <td data-label=\"")
		escapeHTML(&b, l.Source)
		b.WriteString(`"><a href="/sources/`)
		b.WriteString(strconv.FormatInt(f.SourceID, 10))
		b.WriteString(`#fig-`)
		b.WriteString(id)
		b.WriteString(`">`)
		escapeHTML(&b, f.SourceLabel)
		b.WriteString("</a></td>\n  </tr>\n  ")
	}
	return template.HTML(b.String()) //nolint:gosec // every text escaped above
}

// sourceItems writes the list items of the sources a page cites.
func sourceItems(date func(stats.Source) string, srcs []stats.Source) template.HTML {
	var b strings.Builder
	b.Grow(len(srcs) * 200)
	for _, s := range srcs {
		b.WriteString(`<li><a href="/sources/`)
		b.WriteString(strconv.FormatInt(s.ID, 10))
		b.WriteString(`">`)
		escapeHTML(&b, s.Title)
		b.WriteString(`</a> — `)
		escapeHTML(&b, s.Outlet)
		b.WriteString(`, `)
		escapeHTML(&b, date(s))
		b.WriteString(`</li>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every text escaped above
}

// chartTableRows writes a chart table's rows: the first cell of each
// heads its row.
func chartTableRows(rows [][]chart.Cell) template.HTML {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("<tr>")
		for i, c := range r {
			switch {
			case i == 0:
				b.WriteString(`<th scope="row">`)
				escapeHTML(&b, c.Text)
				b.WriteString("</th>")
				continue
			case c.NoData:
				b.WriteString(`<td class="no-data">`)
			case c.Num:
				b.WriteString(`<td class="num">`)
			default:
				b.WriteString("<td>")
			}
			escapeHTML(&b, c.Text)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n        ")
	}
	return template.HTML(b.String()) //nolint:gosec // every text escaped above
}
