package browsertest

import (
	"slices"
	"testing"
)

func TestForeign(t *testing.T) {
	requests := []string{
		"http://127.0.0.1:4321/charts",
		"http://127.0.0.1:4321/static/css/app.css",
		"data:image/png;base64,AAAA",
		"blob:http://127.0.0.1:4321/0b1c",
		"http://127.0.0.1:9999/other-port",
		"https://cdn.example/echarts.min.js",
	}
	want := []string{"http://127.0.0.1:9999/other-port", "https://cdn.example/echarts.min.js"}
	for _, allowed := range []string{"127.0.0.1:4321", "http://127.0.0.1:4321"} {
		if got := foreign(requests, allowed); !slices.Equal(got, want) {
			t.Errorf("foreign(…, %q) = %q, want %q", allowed, got, want)
		}
	}
}
