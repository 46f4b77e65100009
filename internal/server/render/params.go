package render

import (
	"net/url"
	"slices"
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
// chart CSVs and exports. Paging and language do not.
func ShareableParams(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"locality", "category", "indicator", "term", "from", "to", "q", "source", "sort", "dir", "per", "base", "verified"} {
		for _, v := range q[k] {
			if v != "" {
				out.Add(k, v)
			}
		}
	}
	return out
}

func WithParams(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// withQuery returns u's path and query with key set to value.
func withQuery(u *url.URL, key, value string) string {
	q := u.Query()
	q.Set(key, value)
	return u.Path + "?" + q.Encode()
}
