package inbrowser_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// TestLoginNextInBrowser signs in through the real form with next= values
// that a browser would turn into another origin (it drops tabs and
// newlines and reads a backslash as a slash): Chromium must land on this
// Site, and the other origin, a second local server, must see no request.
func TestLoginNextInBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	site := servertest.NewRobustSite(t, pgtest.NewDB(t), nil)
	var hits atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("<!doctype html><title>evil</title>"))
	}))
	t.Cleanup(evil.Close)
	other := strings.TrimPrefix(evil.URL, "http://") // 127.0.0.1:port: another origin, no DNS needed
	origin := browsertest.Eval[string](b.Visit(t, site.URL+"/about"), `location.origin`)

	for _, tt := range []struct{ name, next, want string }{
		{"same-site path", "/admin/figures/new", "/admin/figures/new"},
		{"scheme-relative", "//" + other + "/x", "/admin"},
		{"backslash", "/\\" + other + "/x", "/admin"},
		{"tab", "/\t/" + other + "/x", "/admin"},
		{"newline", "/\n/" + other + "/x", "/admin"},
		{"two backslashes", "\\\\" + other + "/x", "/admin"},
		{"leading space", " //" + other + "/x", "/admin"},
		{"absolute", evil.URL + "/x", "/admin"},
		{"scheme only", "http:" + other + "/x", "/admin"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The query is read when the form is shown; the hidden field is
			// set again by hand, as a forged form would post it.
			p := b.Visit(t, site.URL+"/login?lang=vi&next="+url.QueryEscape(tt.next))
			p.SetValue("input[name=next]", tt.next)
			p.SetValue("#username", "editor1")
			p.SetValue("#password", servertest.RobustPassword)
			p.Submit(`form[action="/login"] button[type=submit]`)
			at := browsertest.Eval[string](p, `location.origin + location.pathname`)
			if at != origin+tt.want {
				t.Errorf("next=%q: landed on %s, want %s", tt.next, at, origin+tt.want)
			}
		})
	}
	if n := hits.Load(); n > 0 {
		t.Errorf("the other origin was requested %d times", n)
	}
}
