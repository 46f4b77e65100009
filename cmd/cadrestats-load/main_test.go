package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRefusesOtherHostsAndUnboundedRuns(t *testing.T) {
	for _, args := range [][]string{
		{"-url", "http://10.0.0.1:8080"},
		{"-url", "http://example.com"},
		{"-c", "0"},
		{"-c", "1000"},
		{"-d", "1h"},
		{"-n", "0"},
	} {
		if err := run(args, io.Discard); err == nil {
			t.Errorf("run(%q) accepted", args)
		}
	}
}

func TestReportsEveryPath(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	var out strings.Builder
	if err := run([]string{"-url", srv.URL, "-c", "2", "-n", "40", "-paths", "/,/missing"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	var ok, missing string
	for _, l := range lines {
		switch f := strings.Fields(l); {
		case len(f) > 0 && f[0] == "/":
			ok = l
		case len(f) > 0 && f[0] == "/missing":
			missing = l
		}
	}
	if f := strings.Fields(ok); len(f) < 7 || f[1] != "20" || f[6] != "0" {
		t.Errorf("line for / = %q, want 20 requests and no errors", ok)
	}
	if f := strings.Fields(missing); len(f) < 7 || f[6] != "20" {
		t.Errorf("line for /missing = %q, want 20 errors", missing)
	}
}
