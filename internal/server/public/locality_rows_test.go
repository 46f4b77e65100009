package public

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// rowsTemplate is the markup figureRows and sourceItems replace, as the
// templates wrote it: their output must stay the same, byte for byte.
const rowsTemplate = `{{define "rows"}}{{$l := .L}}{{$grp := .}}<tbody>
  {{range .Figures}}<tr id="fig-{{.ID}}">
    <th scope="row" data-label="{{$l.Subject}}">{{if .IsPart}}<span class="part-of" aria-hidden="true">↳ </span>{{end}}{{.Subject}}{{if .Unverified}} <span class="badge badge-unverified">{{$l.Unverified}}</span>{{end}}{{with .PartOf}}<br><small class="part-of-total">{{.}}</small>{{end}}{{with .Levels}}<br><small>{{.}}</small>{{end}}{{with .Rank}}<br><small class="rank">{{.}}</small>{{end}}{{if .Target}}<br><small class="badge">{{$l.Target}}</small>{{end}}{{if $grp.Edit}}<br><a class="edit-link" href="/admin/figures/{{.ID}}">{{$l.Edit}}</a>{{end}}</th>
    <td class="num" data-label="{{$l.Value}}">{{.Value}}{{with .Completeness}}<br><small>{{.}}</small>{{end}}</td>
    <td data-label="{{$l.Unit}}">{{.Unit}}</td>
    <td data-label="{{$l.Period}}">{{.Period}}{{with .Term}}<br><small>{{.}}</small>{{end}}</td>
    <td data-label="{{$l.Source}}"><a href="/sources/{{.SourceID}}#fig-{{.ID}}">{{.SourceLabel}}</a></td>
  </tr>
  {{end}}
  </tbody>{{end}}
{{define "table"}}<tbody>
        {{range .}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c.Text}}</th>{{else}}<td{{if $c.NoData}} class="no-data"{{else if $c.Num}} class="num"{{end}}>{{$c.Text}}</td>{{end}}{{end}}</tr>
        {{end}}
        </tbody>{{end}}
{{define "sources"}}<ul>{{range .}}<li><a href="/sources/{{.ID}}">{{.Title}}</a> — {{.Outlet}}, {{.PublishedOn.Format "02/01/2006"}}</li>{{end}}</ul>{{end}}`

// hostile is text a page must show as text: markup, quotes, entities,
// a plus (html/template writes &#43;), a NUL and non-ASCII.
const hostile = `<script>alert("x")</script> & 'a'+b ` + "\x00" + ` Điện Biên &amp; "</small>`

// TestFigureRowsAsTemplate: the rows written in Go (figures, sources,
// chart tables) are the rows the templates wrote, for every branch of a row (a part, unverified, levels,
// a rank, a target, a term, a lower bound, the edit link) and for text
// that must be escaped in an element and in an attribute alike.
func TestFigureRowsAsTemplate(t *testing.T) {
	tpl := template.Must(template.New("").Parse(rowsTemplate))
	l := &tableLabels{Subject: "Đối tượng " + hostile, Value: "Giá trị", Unit: `"unit"`, Period: "Kỳ", Source: "Nguồn <b>",
		Unverified: "chưa kiểm tra", Target: "chỉ tiêu & mục tiêu", Edit: "Sửa 'x'"}
	figs := []render.FigureView{
		{ID: 1, Subject: "cán bộ được luân chuyển", Value: "164", Unit: "người", Period: "2010–2018", SourceID: 7, SourceLabel: "Báo Điện Biên Phủ, 03/10/2018"},
		{ID: 22, Subject: hostile, Value: "hơn 7.200 " + hostile, Unit: hostile, Period: hostile, Term: hostile, SourceID: 8,
			SourceLabel: hostile, IsPart: true, Unverified: true, PartOf: "phần của: " + hostile, Levels: "cấp tỉnh → cấp huyện",
			Rank: "không dùng: " + hostile, Target: true, Completeness: "cận dưới " + hostile},
		{ID: 333, Subject: "", Value: "", Unit: "", Period: "", SourceID: 0},
	}
	for _, edit := range []bool{false, true} {
		for _, n := range []int{0, 1, len(figs)} {
			var want strings.Builder
			grp := figureGroup{L: l, Edit: edit, Figures: figs[:n]}
			if err := tpl.ExecuteTemplate(&want, "rows", grp); err != nil {
				t.Fatal(err)
			}
			got := "<tbody>\n  " + string(figureRows(l, edit, figs[:n])) + "\n  </tbody>"
			if got != want.String() {
				t.Errorf("edit %v, %d rows:\n got %q\nwant %q", edit, n, got, want.String())
			}
		}
	}
	srcs := []stats.Source{{ID: 5, Title: hostile, Outlet: "Báo " + hostile, PublishedOn: time.Date(2020, 2, 15, 0, 0, 0, 0, time.UTC)},
		{ID: 6, Title: "Xây dựng Đảng", Outlet: "Báo Điện Biên Phủ", PublishedOn: time.Date(2018, 10, 3, 0, 0, 0, 0, time.UTC)}}
	var want strings.Builder
	if err := tpl.ExecuteTemplate(&want, "sources", srcs); err != nil {
		t.Fatal(err)
	}
	got := "<ul>" + string(sourceItems(func(s stats.Source) string { return s.PublishedOn.Format("02/01/2006") }, srcs)) + "</ul>"
	if got != want.String() {
		t.Errorf("sources:\n got %q\nwant %q", got, want.String())
	}
	table := [][]chart.Cell{{{Text: "2019 " + hostile}, {Text: "1.700", Num: true}, {Text: "–", NoData: true}, {Text: hostile}},
		{{Text: "2020"}, {Text: hostile, Num: true, NoData: true}}, {}}
	want.Reset()
	if err := tpl.ExecuteTemplate(&want, "table", table); err != nil {
		t.Fatal(err)
	}
	if got := "<tbody>\n        " + string(chartTableRows(table)) + "\n        </tbody>"; got != want.String() {
		t.Errorf("chart table:\n got %q\nwant %q", got, want.String())
	}
}
