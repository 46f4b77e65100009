package httpkit

import (
	"context"
	"net/http"
)

// HeadAsGet routes HEAD as GET without the body, wherever GET is (on a
// copy: net/http's own writer also drops HEAD bodies).
func HeadAsGet(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request) {
	if r.Method != http.MethodHead {
		return w, r
	}
	g := r.WithContext(context.WithValue(r.Context(), headKey{}, true))
	g.Method = http.MethodGet
	return headWriter{w}, g
}

type headKey struct{}

func isHead(r *http.Request) bool { v, _ := r.Context().Value(headKey{}).(bool); return v }

// headWriter drops the body of a HEAD answer.
type headWriter struct{ http.ResponseWriter }

func (h headWriter) Write(p []byte) (int, error) { return len(p), nil }
func (h headWriter) Unwrap() http.ResponseWriter { return h.ResponseWriter }
