package render

import (
	"errors"
	"net/url"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// SortColumn is a column header that sorts the table by itself.
type SortColumn struct {
	Label   string
	URL     string
	Sort    string // aria-sort: ascending, descending or none
	Numeric bool
}

// CollectFields gathers the field errors of err (which may join several)
// into v; it reports false when err holds something else.
func CollectFields(err error, v *stats.ValidationError) bool {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			if !CollectFields(e, v) {
				return false
			}
		}
		return true
	}
	var fe *stats.ValidationError
	if !errors.As(err, &fe) {
		return false
	}
	v.Fields = append(v.Fields, fe.Fields...)
	return true
}

// SortColumns are the headers of a sortable table of figures: each links
// to the same list sorted by itself, the other way round when it already is.
func SortColumns(p *i18n.Printer, params url.Values, path string, f stats.FigureFilter, keys []string) []SortColumn {
	var out []SortColumn
	for _, key := range keys {
		sc := SortColumn{Label: p.T("col." + key), Sort: "none", Numeric: key == "value" || key == "id"}
		dir := "asc"
		if f.Sort == key {
			sc.Sort = "ascending"
			if f.Desc {
				sc.Sort = "descending"
			} else {
				dir = "desc"
			}
		}
		sc.URL = WithParams(path, With(With(params, "sort", key), "dir", dir)) // from the first page
		out = append(out, sc)
	}
	return out
}

// KeysetLinks are a list's links to its first, previous and next pages
// (empty where there is none): the positions of the page's ends, carried
// as ?after= and ?before= (stats/page.go).
func KeysetLinks(params url.Values, path string, f stats.FigureFilter, res stats.FigurePage) (first, prev, next string) {
	if res.Prev != nil {
		prev = WithParams(path, With(params, "before", res.Prev.String()))
	}
	if res.Next != nil {
		next = WithParams(path, With(params, "after", res.Next.String()))
	}
	if f.After != nil || f.Before != nil {
		first = WithParams(path, params)
	}
	return first, prev, next
}

// CountText says how many figures a list holds, and, when the count
// stops at its cap, why.
func CountText(p *i18n.Printer, res stats.FigurePage) (count, note string) {
	if res.Capped {
		return p.T("figures.count_more", p.Number(float64(res.Total))), p.T("figures.count_capped", p.Number(float64(res.Cap)))
	}
	return p.T("figures.count", p.Number(float64(res.Total))), ""
}
