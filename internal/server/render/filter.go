package render

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// FigureFilter reads the filter shared by pages, charts and exports from a
// query string. Each parameter may repeat or hold a comma-separated list.
// Unknown values are refused later by the service, which knows what exists.
func FigureFilter(q url.Values, lang i18n.Lang) (stats.FigureFilter, error) {
	v := &stats.ValidationError{}
	f := stats.FigureFilter{
		Localities: list(q, "locality"),
		Categories: list(q, "category"),
		Indicators: list(q, "indicator"),
		Terms:      list(q, "term"),
		Sort:       strings.TrimSpace(q.Get("sort")),
		Desc:       q.Get("dir") == "desc",
	}
	if s := q.Get("q"); s != "" {
		stats.CheckSearch(v, "q", s)
		f.Query = textnorm.Clean(s)
	}
	f.From = dateParam(v, q, "from", false, lang)
	f.To = dateParam(v, q, "to", true, lang)
	if s := q.Get("source"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add("source", "error.id.invalid", s)
		}
		f.SourceID = id
	}
	switch q.Get("verified") {
	case "", "0", "false":
	case "1", "true":
		f.VerifiedOnly = true
	default:
		v.Add("verified", "error.query.invalid", q.Get("verified"))
	}
	if d := q.Get("dir"); d != "" && d != "asc" && d != "desc" {
		v.Add("dir", "error.query.invalid", d)
	}
	// The view parameters are every page's, as the filter is: one rule
	// for them wherever they arrive (a list has no charts, but keeps them
	// in its links).
	if _, err := stats.ParseView(q.Get("per"), q.Get("base")); err != nil {
		CollectFields(err, v)
	}
	for _, k := range []string{"after", "before"} {
		if s := q.Get(k); s != "" {
			c, err := stats.ParseCursor(k, s)
			if err != nil {
				CollectFields(err, v)
				continue
			}
			if k == "after" {
				f.After = c
			} else {
				f.Before = c
			}
		}
	}
	return f, v.Err()
}

func list(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// dateParam reads a year (2019) or a date: ISO 8601 (2019-06-30) in
// every language, and as the page writes dates (30/06/2019 in Vietnamese,
// 30 Jun 2019 in English). A year means its first day for "from" and its
// last day for "to".
func dateParam(v *stats.ValidationError, q url.Values, key string, end bool, lang i18n.Lang) *time.Time {
	s := strings.TrimSpace(q.Get(key))
	if s == "" {
		return nil
	}
	if y, err := strconv.Atoi(s); err == nil && len(s) == 4 {
		t := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
		if end {
			t = time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC)
		}
		return &t
	}
	if t, ok := i18n.ParseDate(s, lang); ok {
		return &t
	}
	v.Add(key, "error.filter.date", s)
	return nil
}
