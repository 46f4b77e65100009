package stats

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Lists of figures are read a page at a time by keyset ("seek")
// pagination: a page starts after (or ends before) the position of one
// figure in the list's order, which an index finds directly however deep
// the page, where an OFFSET would read and discard every figure before
// it. The public /figures, /api/figures and the admin's list share it:
//
//	page, err := svc.FigurePage(ctx, FigureFilter{Localities: …, Sort: "value", Limit: 20, After: cursor})
//	… page.Next is the After of the following page, page.Prev the Before of the previous one.
//
// A list counts its figures only up to a cap: counting a million rows
// for "1.000.000 số liệu" costs more than the page itself.

// Page sizes and counting caps.
const (
	MaxPageSize  = 1000
	MaxOffset    = 10_000 // /api/figures?offset= reads at most this deep; beyond, use the cursor
	CountCap     = 10_000 // a list counts its figures up to this many ("hơn 10.000")
	TextCountCap = 1_000  // … or this many when it searches text, which costs more per figure
)

// Cursor is a position in a list of figures: the values of the list's
// sort columns for one figure, and its id, which breaks ties. Its String
// form is what links carry (?after=…, ?before=…).
type Cursor struct {
	Sort string // one of FigureSorts; "" is "id"
	Desc bool
	Key  []string // the sort columns' values before the id, as SortKey writes them
	ID   int64
}

// sortKeys is how many values a sort's cursor holds before the id:
// locality and category sort by a name and break ties by the unit.
var sortKeys = map[string]int{"": 0, "id": 0, "value": 1, "period": 1, "subject": 1, "locality": 2, "category": 2,
	"updated": 1, "published": 1} // published: sources

// CursorOf is the position of f in a list sorted by sort.
func CursorOf(f Figure, sort string, desc bool) Cursor {
	if sort == "id" {
		sort = "" // the default order, however named
	}
	c := Cursor{Sort: sort, Desc: desc, ID: f.ID}
	switch sort {
	case "value":
		c.Key = []string{FormatValue(f.Value)}
	case "period":
		c.Key = []string{f.PeriodStart.Format(time.DateOnly)}
	case "subject":
		c.Key = []string{f.Subject}
	case "locality":
		c.Key = []string{f.Locality.Name, strconv.FormatInt(f.Locality.ID, 10)}
	case "category":
		c.Key = []string{strconv.Itoa(f.Category.Order), f.Category.Code}
	case "updated":
		c.Key = []string{f.UpdatedAt.UTC().Format(time.RFC3339Nano)}
	}
	return c
}

// String writes the cursor as URL-safe text.
func (c Cursor) String() string {
	dir := "a"
	if c.Desc {
		dir = "d"
	}
	parts := append([]string{c.Sort, dir, strconv.FormatInt(c.ID, 10)}, c.Key...)
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, "\x00")))
}

// ParseCursor reads a cursor that String wrote; field names the query
// parameter in the error. Errors: *ValidationError.
func ParseCursor(field, s string) (*Cursor, error) {
	bad := func() (*Cursor, error) {
		v := &ValidationError{}
		v.Add(field, "error.cursor.invalid", "")
		return nil, v
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return bad()
	}
	parts := strings.Split(string(b), "\x00")
	if len(parts) < 3 || (parts[1] != "a" && parts[1] != "d") {
		return bad()
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	n, known := sortKeys[parts[0]]
	if err != nil || !known || len(parts)-3 != n {
		return bad()
	}
	c := &Cursor{Sort: parts[0], Desc: parts[1] == "d", ID: id, Key: parts[3:]}
	if c.Sort == "id" {
		c.Sort = ""
	}
	if !c.valid() {
		return bad()
	}
	return c, nil
}

// valid checks the key's values are what the sort compares.
func (c Cursor) valid() bool {
	var err error
	switch c.Sort {
	case "value":
		_, err = strconv.ParseFloat(c.Key[0], 64)
	case "period", "published":
		_, err = time.Parse(time.DateOnly, c.Key[0])
	case "updated":
		_, err = time.Parse(time.RFC3339Nano, c.Key[0])
	case "locality":
		_, err = strconv.ParseInt(c.Key[1], 10, 64)
	case "category":
		_, err = strconv.Atoi(c.Key[0])
	}
	return err == nil
}

// fits reports whether the cursor was made for the filter's order.
func (c Cursor) fits(f FigureFilter) bool {
	sort := f.Sort
	if sort == "id" {
		sort = ""
	}
	return c.Sort == sort && c.Desc == f.Desc
}

// FigurePage is one page of a list of figures, how many the filter
// selects (up to a cap), and the positions of the pages around it.
type FigurePage struct {
	Figures []Figure
	Total   int     // figures the filter selects, counted up to Cap
	Capped  bool    // there are more than Total: "hơn 10.000 số liệu"
	Cap     int     // the count's cap for this filter
	Next    *Cursor // the After of the next page; nil on the last
	Prev    *Cursor // the Before of the previous page; nil on the first
}

// CountCapOf is how far a list with the filter counts.
func CountCapOf(f FigureFilter) int {
	if f.Query != "" {
		return TextCountCap
	}
	return CountCap
}

// FigurePage checks the filter and reads one page of at most f.Limit
// figures (MaxPageSize when 0), after f.After or before f.Before, with
// the count. Errors: *ValidationError, ErrUnavailable.
func (s *Service) FigurePage(ctx context.Context, f FigureFilter) (FigurePage, error) {
	if err := s.CheckFilter(ctx, f); err != nil {
		return FigurePage{}, err
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	res := FigurePage{Cap: CountCapOf(f)}
	// One more than the page, to know whether another follows.
	want := f.Limit
	list := f
	list.Limit++
	// The count and the page at once when the request may (both read the
	// same index: a text search pays its trigram scan twice otherwise).
	var n int
	var figs []Figure
	err := both(ctx, func(ctx context.Context) error {
		var err error
		n, err = s.store.CountFigures(ctx, f, res.Cap)
		return err
	}, func(ctx context.Context) error {
		var err error
		figs, err = s.store.Figures(ctx, list)
		return err
	})
	if err != nil {
		return FigurePage{}, err
	}
	res.Total, res.Capped = min(n, res.Cap), n > res.Cap
	more := len(figs) > want
	if more {
		if f.Before != nil {
			figs = figs[1:] // the extra one is the nearest before the page
		} else {
			figs = figs[:want]
		}
	}
	res.Figures = figs
	if len(figs) == 0 {
		return res, nil
	}
	first, last := CursorOf(figs[0], f.Sort, f.Desc), CursorOf(figs[len(figs)-1], f.Sort, f.Desc)
	switch {
	case f.Before != nil:
		res.Next = &last // the page came from the one after it
		if more {
			res.Prev = &first
		}
	default:
		if more {
			res.Next = &last
		}
		if f.After != nil || f.Offset > 0 {
			res.Prev = &first
		}
	}
	return res, nil
}

// checkCursors refuses a cursor made for another order. Errors are added to v.
func checkCursors(f FigureFilter, v *ValidationError) {
	for _, c := range []struct {
		field string
		c     *Cursor
	}{{"after", f.After}, {"before", f.Before}} {
		if c.c != nil && !c.c.fits(f) {
			v.Add(c.field, "error.cursor.other_order", "")
		}
	}
	if f.After != nil && f.Before != nil {
		v.Add("before", "error.cursor.both", "")
	}
	if f.Offset > MaxOffset {
		v.AddDetail("offset", "error.offset.too_deep", itoa(MaxOffset), ArgNumber)
	}
}

// SourceFilter selects a page of sources, newest first; zero fields do
// not filter.
type SourceFilter struct {
	Query    string // in the title, outlet or author, diacritics and case ignored
	Locality string // slug: the sources its live figures and findings cite
	Key      string // the one source with this key
	Limit    int
	After    *Cursor // keyset, as for figures: Sort "published"
	Before   *Cursor
}

// SourcePage is one page of sources.
type SourcePage struct {
	Sources    []Source
	Total      int
	Capped     bool
	Next, Prev *Cursor
}

// SourceCursorOf is the position of a source in the newest-first list.
func SourceCursorOf(s Source) Cursor {
	return Cursor{Sort: "published", Desc: true, Key: []string{s.PublishedOn.Format(time.DateOnly)}, ID: s.ID}
}

// SourcePage reads one page of sources, newest first, with how many the
// filter selects (up to CountCap). Errors: *ValidationError (an unknown
// locality, a cursor of another list), ErrUnavailable.
func (s *Service) SourcePage(ctx context.Context, f SourceFilter) (SourcePage, error) {
	v := &ValidationError{}
	for _, c := range []struct {
		field string
		c     *Cursor
	}{{"after", f.After}, {"before", f.Before}} {
		if c.c != nil && c.c.Sort != "published" {
			v.Add(c.field, "error.cursor.other_order", "")
		}
	}
	if f.Locality != "" {
		if _, err := s.store.Locality(ctx, f.Locality); err != nil {
			v.Add("locality", "error.locality.unknown", f.Locality)
		}
	}
	if err := v.Err(); err != nil {
		return SourcePage{}, err
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	var res SourcePage
	n, err := s.store.CountSources(ctx, f, CountCap)
	if err != nil {
		return res, err
	}
	res.Total, res.Capped = min(n, CountCap), n > CountCap
	want := f.Limit
	f.Limit++
	srcs, err := s.store.SourcePage(ctx, f)
	if err != nil {
		return res, err
	}
	more := len(srcs) > want
	if more {
		if f.Before != nil {
			srcs = srcs[1:]
		} else {
			srcs = srcs[:want]
		}
	}
	res.Sources = srcs
	if len(srcs) == 0 {
		return res, nil
	}
	first, last := SourceCursorOf(srcs[0]), SourceCursorOf(srcs[len(srcs)-1])
	if f.Before != nil {
		res.Next = &last
		if more {
			res.Prev = &first
		}
	} else {
		if more {
			res.Next = &last
		}
		if f.After != nil {
			res.Prev = &first
		}
	}
	return res, nil
}

// MaxSearch is the longest text search, in characters: longer is no
// phrase an article holds, and trigram searches cost with their length.
const MaxSearch = 200

// CheckSearch adds to v what is wrong with the text search s in the
// query parameter field: characters no text holds, or its length.
func CheckSearch(v *ValidationError, field, s string) {
	switch {
	case !textnorm.Valid(s):
		v.Add(field, "error.text.invalid", "")
	case utf8.RuneCountInString(s) > MaxSearch:
		v.AddDetail(field, "error.text.too_long", itoa(MaxSearch), ArgNumber)
	}
}
