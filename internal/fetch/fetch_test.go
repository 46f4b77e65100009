package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/extract"
	"github.com/cadrestats/cadrestats/internal/fetch"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// site serves the saved pages and the hostile ones.
func site(t *testing.T) *httptest.Server {
	t.Helper()
	page, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/bai-viet", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/chuyen-huong", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/bai-viet", http.StatusFound)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) { // no Content-Length: chunked
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>Năm 2021 có 27 đồng chí.</p>", 1000))
		for range 200 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/huge-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", fmt.Sprint(1<<30))
		w.Write([]byte("<p>"))
	})
	mux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	for path, to := range map[string]string{
		"/to-private":  "http://10.0.0.7/bai-viet",
		"/to-metadata": "http://169.254.169.254/latest/meta-data/",
		"/to-loopback": "http://127.0.0.1:1/bai-viet", // the server's host, another port: not allowed
		"/to-ipv6":     "http://[::1]:1/",
		"/to-file":     "file:///etc/passwd",
		"/loop":        "/loop",
	} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) })
	}
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><title>Ảnh</title></head><body><img src="a.png" alt=""></body></html>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// fetcher fetches from srv only. Its time limit is generous: a page that
// must be read is read however loaded the machine (TestArticleRefused
// takes a short one for the slow drip).
func fetcher(srv *httptest.Server) *fetch.Fetcher {
	return fetcherWithin(srv, 30*time.Second)
}

func fetcherWithin(srv *httptest.Server, limit time.Duration) *fetch.Fetcher {
	return fetch.New(fetch.Config{Timeout: limit, MaxBytes: 1 << 20, Allow: []string{srv.Listener.Addr().String()}})
}

func TestArticle(t *testing.T) {
	srv := site(t)
	for _, path := range []string{"/bai-viet", "/chuyen-huong"} {
		t.Run(path, func(t *testing.T) {
			p, err := fetcher(srv).Article(t.Context(), srv.URL+path)
			if err != nil {
				t.Fatal(err)
			}
			want := fetch.Page{URL: srv.URL + "/bai-viet", Title: "Bình Giang nâng cao chất lượng đội ngũ cán bộ", Outlet: "Báo Tỉnh A",
				Published: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)}
			if p.URL != want.URL || p.Title != want.Title || p.Outlet != want.Outlet || !p.Published.Equal(want.Published) {
				t.Errorf("page %q %q %q %v, want %q %q %q %v", p.URL, p.Title, p.Outlet, p.Published, want.URL, want.Title,
					want.Outlet, want.Published)
			}
			for _, bad := range []string{"999", "Trang chủ", "Bản quyền", "Đọc nhiều", "5 tin mới"} {
				if strings.Contains(p.Text, bad) {
					t.Errorf("main text keeps %q (script, menu, footer or sidebar):\n%s", bad, p.Text)
				}
			}
		})
	}
}

// A pasted link gives the candidates of the pasted text.
func TestArticleSameAsPasted(t *testing.T) {
	srv := site(t)
	p, err := fetcher(srv).Article(t.Context(), srv.URL+"/bai-viet")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		t.Fatal(err)
	}
	input := func(text string) extract.Input {
		return extract.Input{Text: text, Locality: "binh-giang", Published: p.Published,
			Localities: []extract.Locality{{Slug: "binh-giang", Name: "Bình Giang", Level: "district"}}}
	}
	pasted := extract.Extract(input(textnorm.Canonical(string(b))))
	linked := extract.Extract(input(p.Text))
	show := func(r extract.Result) []string {
		var out []string
		for _, c := range r.Candidates {
			out = append(out, fmt.Sprintf("%v %s %s/%s parent %d count %d %q", c.Value, c.Unit, c.Category, c.Indicator,
				c.Parent, c.Count, c.Quote))
		}
		return out
	}
	got, want := show(linked), show(pasted)
	if len(want) < 10 {
		t.Fatalf("the pasted text gives %d candidates, want at least 10: %q", len(want), want)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("from the link:\n%s\n\npasted:\n%s\n\npage text:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), p.Text)
	}
}

func TestArticleRefused(t *testing.T) {
	srv := site(t)
	tests := []struct {
		name, url, reason string
	}{
		{"huge body", srv.URL + "/huge", fetch.ReasonSize},
		{"huge declared", srv.URL + "/huge-declared", fetch.ReasonSize},
		{"slow drip", srv.URL + "/drip", fetch.ReasonTimeout},
		{"redirect to a private address", srv.URL + "/to-private", fetch.ReasonPrivate},
		{"redirect to cloud metadata", srv.URL + "/to-metadata", fetch.ReasonPrivate},
		{"redirect to another loopback port", srv.URL + "/to-loopback", fetch.ReasonPrivate},
		{"redirect to IPv6 loopback", srv.URL + "/to-ipv6", fetch.ReasonPrivate},
		{"redirect to a file", srv.URL + "/to-file", fetch.ReasonAddress},
		{"redirect loop", srv.URL + "/loop", fetch.ReasonRedirect},
		{"not a page", srv.URL + "/pdf", fetch.ReasonType},
		{"no article", srv.URL + "/empty", fetch.ReasonContent},
		{"missing", srv.URL + "/khong-co", fetch.ReasonStatus},
		{"file scheme", "file:///etc/passwd", fetch.ReasonAddress},
		{"ftp", "ftp://example.org/a.html", fetch.ReasonAddress},
		{"credentials", "http://user:pass@example.org/", fetch.ReasonAddress},
		{"not an address", "bài viết", fetch.ReasonAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The caller allows a minute: a refusal that comes after ten
			// seconds did not come from the fetch's own limit of a second.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			start := time.Now()
			_, err := fetcherWithin(srv, time.Second).Article(ctx, tt.url)
			var fe *fetch.Error
			if !errors.As(err, &fe) || fe.Reason != tt.reason {
				t.Fatalf("Article(%q): %v, want reason %s", tt.url, err, tt.reason)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v, want within the fetch's limit of a second", d)
			}
		})
	}
	t.Run("loopback refused by default", func(t *testing.T) {
		_, err := fetch.New(fetch.Config{}).Article(t.Context(), srv.URL+"/bai-viet")
		var fe *fetch.Error
		if !errors.As(err, &fe) || fe.Reason != fetch.ReasonPrivate {
			t.Fatalf("%v, want reason %s", err, fetch.ReasonPrivate)
		}
	})
}

// A saved page reads as the fetched one: no address, so no outlet by host.
func TestRead(t *testing.T) {
	f, err := os.Open("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := fetch.Read(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Bình Giang nâng cao chất lượng đội ngũ cán bộ" || p.URL != "" || !strings.Contains(p.Text, "132 lượt cán bộ") {
		t.Errorf("read %q %q:\n%s", p.Title, p.URL, p.Text)
	}
}
