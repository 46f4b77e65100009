package render

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// With returns a copy of q with key set to value (removed when empty).
func With(q url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	if value == "" {
		out.Del(key)
	} else {
		out.Set(key, value)
	}
	return out
}

// ShareableParams keeps the query parameters that choose what a page
// shows (filters and display choices), in a stable order: they travel to
// chart CSVs and exports. Paging and language do not, nor values a page
// refuses (links are built only from valid values): text that is not
// UTF-8 or holds a NUL, and what ValidParam rejects.
func ShareableParams(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"locality", "category", "indicator", "term", "from", "to", "q", "source", "sort", "dir", "per", "base", "verified"} {
		for _, v := range q[k] {
			if v != "" && ValidParam(k, v) {
				out.Add(k, v)
			}
		}
	}
	return out
}

// ValidParam reports whether v can be the value of the query parameter k
// as far as the parameter alone tells (whether a locality exists is the
// service's to say).
func ValidParam(k, v string) bool {
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return false
	}
	switch k {
	case "per":
		return slices.Contains(stats.Pers, v)
	case "base":
		return slices.Contains(stats.Bases, v)
	case "era":
		_, err := stats.ParseEra(v)
		return err == nil
	case "levels":
		_, err := stats.ParseLevels(v)
		return err == nil
	case "dir":
		return v == "asc" || v == "desc"
	case "verified":
		return slices.Contains([]string{"0", "1", "true", "false"}, v)
	case "q":
		e := &stats.ValidationError{}
		stats.CheckSearch(e, k, v)
		return e.Err() == nil
	}
	return true
}

func WithParams(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// withQuery returns u's path and query with key set to value, keeping
// only what ValidParam accepts (the language link of a page that refused
// its input must not carry it again); a path that is not UTF-8 becomes
// the home page.
func withQuery(u *url.URL, key, value string) string {
	path := u.Path
	if !utf8.ValidString(path) || strings.ContainsRune(path, 0) {
		path = "/"
	}
	q := url.Values{}
	for k, vs := range u.Query() {
		if !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
			continue
		}
		for _, v := range vs {
			if ValidParam(k, v) {
				q.Add(k, v)
			}
		}
	}
	q.Set(key, value)
	return path + "?" + q.Encode()
}
