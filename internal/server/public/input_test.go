package public_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// TestBadInputOneRule: every page refuses a parameter it cannot use with
// 400 and a message naming the parameter and what is wrong, and builds
// its links (the language link included) only from valid values.
func TestBadInputOneRule(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	long := strings.Repeat("ă", 201) // characters, not bytes: 402 bytes
	tests := []struct {
		path string
		code int
		want []string
		not  []string // in the body, links included
	}{
		{"/figures?q=" + long, http.StatusBadRequest, []string{"Quá dài (tối đa 200 ký tự).", `maxlength="200"`}, []string{"không hợp lệ"}},
		{"/figures?q=" + long[:400], http.StatusOK, []string{`maxlength="200"`}, nil},
		{"/sources?q=" + long, http.StatusBadRequest, []string{"Quá dài (tối đa 200 ký tự).", `maxlength="200"`}, nil},
		{"/api/figures?q=" + long, http.StatusBadRequest, []string{"q: Quá dài (tối đa 200 ký tự)."}, nil},
		{"/figures?q=%ff%fe", http.StatusBadRequest, []string{"q: Không phải văn bản hợp lệ", `href="/figures?lang=en"`}, []string{"%FF", "%ff"}},
		{"/figures?q=%ff%fe&lang=en", http.StatusBadRequest, []string{"q: Not valid text"}, nil},
		{"/localities/%ff", http.StatusBadRequest, []string{"path: Không phải văn bản hợp lệ", `href="/?lang=en"`}, []string{"%FF", "%ff"}},
		{"/figures?x=%00", http.StatusBadRequest, []string{"x: Không phải văn bản hợp lệ"}, nil},
		{"/figures?q=%zz", http.StatusBadRequest, []string{"query: Có mã thoát"}, nil},
		// per and base are every page's parameters, not only the charts'.
		{"/?per=abc", http.StatusBadRequest, []string{"Cách tính theo kỳ không hợp lệ"}, []string{"per=abc"}},
		{"/figures?per=abc", http.StatusBadRequest, []string{"Cách tính theo kỳ không hợp lệ"}, []string{"per=abc"}},
		{"/figures?base=x&locality=dien-bien", http.StatusBadRequest, []string{"base"}, []string{"base=x"}},
		{"/localities/dien-bien?per=abc", http.StatusBadRequest, []string{"Cách tính theo kỳ không hợp lệ"}, []string{"per=abc"}},
		{"/export.csv?per=abc", http.StatusBadRequest, []string{"per: "}, nil},
		{"/figures?per=year&locality=dien-bien", http.StatusOK, []string{"per=year"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path[:min(len(tt.path), 60)], func(t *testing.T) {
			code, body, _ := servertest.Get(t, srv, tt.path)
			if code != tt.code {
				t.Fatalf("GET %s = %d, want %d\n%.2000s", tt.path, code, tt.code, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: no %q\n%.3000s", tt.path, w, body)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("GET %s: has %q", tt.path, w)
				}
			}
		})
	}
}
