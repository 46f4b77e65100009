package httpkit

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

func TestAccepts(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"gzip", true},
		{"deflate, gzip;q=1.0, *;q=0.5", true},
		{"gzip;q=0.001", true},
		{"", false},
		{"identity", false},
		{"br, zstd", false},
		{"gzip;q=0", false},
		{"gzip ; Q=0.0", false},
		{"gzip;q=zero", false},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"gzip;q=0, *", false},
		{"x-gzip", false},
	}
	for _, tt := range tests {
		if got := accepts(tt.header, "gzip"); got != tt.want {
			t.Errorf("accepts(%q, gzip) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestETagMatch(t *testing.T) {
	const et = `W/"7-abc"`
	tests := []struct {
		header string
		want   bool
	}{
		{`W/"7-abc"`, true},
		{`"7-abc"`, true}, // weak comparison
		{`"x", W/"7-abc"`, true},
		{`*`, true},
		{``, false},
		{`W/"8-abc"`, false},
		{`W/"7-abc-gzip"`, false},
	}
	for _, tt := range tests {
		if got := etagMatch(tt.header, et); got != tt.want {
			t.Errorf("etagMatch(%q, %s) = %v, want %v", tt.header, et, got, tt.want)
		}
	}
}

// gzipServer serves handler behind the compressor, as the app does.
func gzipServer(t *testing.T, handler echo.HandlerFunc) string {
	t.Helper()
	e := echo.New()
	e.Logger.SetOutput(io.Discard) // the recovered panic's stack
	e.Use(middleware.Recover())
	e.Use(newCompressor().middleware)
	e.GET("/", handler)
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	return ts.URL
}

func getGzip(t *testing.T, url string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// TestGzipStreams: what a streaming handler flushes reaches the client,
// compressed, before the handler goes on; the body is never held whole.
func TestGzipStreams(t *testing.T) {
	chunk := bytes.Repeat([]byte("id,locality,value\n1,Sông Lô,7200\n"), 200)
	proceed := make(chan struct{})
	url := gzipServer(t, func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		c.Response().WriteHeader(http.StatusOK)
		c.Response().Write(chunk)
		c.Response().Flush()
		select {
		case <-proceed:
		case <-time.After(time.Minute): // only if it never comes
			return errors.New("the client never read the first chunk")
		}
		c.Response().Write(chunk)
		return nil
	})
	res := getGzip(t, url)
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, len(chunk))
	if _, err := io.ReadFull(zr, first); err != nil || !bytes.Equal(first, chunk) {
		t.Fatalf("first chunk: %v", err)
	}
	close(proceed) // only now does the handler write the rest
	rest, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(rest, chunk) {
		t.Fatalf("rest: %d bytes, %v", len(rest), err)
	}
}

// TestGzipLateError: a handler failing after its first bytes leaves the
// stream unfinished, so the client sees a broken download, not a short one.
func TestGzipLateError(t *testing.T) {
	url := gzipServer(t, func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, "text/csv")
		c.Response().WriteHeader(http.StatusOK)
		c.Response().Write(bytes.Repeat([]byte("1,2,3\n"), 1000))
		return errors.New("database gone")
	})
	zr, err := gzip.NewReader(getGzip(t, url).Body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(zr); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading the cut stream: %v, want unexpected EOF", err)
	}
}

// TestGzipErrorsAndPanics: errors returned before the first byte and
// panics are answered in full.
func TestGzipErrorsAndPanics(t *testing.T) {
	t.Run("error", func(t *testing.T) {
		url := gzipServer(t, func(c echo.Context) error {
			return echo.NewHTTPError(http.StatusBadRequest, strings.Repeat("no ", 1000))
		})
		res := getGzip(t, url)
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("%d: %v", res.StatusCode, err)
		}
		b, err := io.ReadAll(zr)
		if res.StatusCode != http.StatusBadRequest || err != nil || !strings.Contains(string(b), "no no") {
			t.Errorf("%d, %v, %.40q", res.StatusCode, err, b)
		}
	})
	t.Run("panic", func(t *testing.T) {
		url := gzipServer(t, func(c echo.Context) error { panic("boom") })
		res := getGzip(t, url)
		b, err := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusInternalServerError || err != nil {
			t.Errorf("%d, %v, %q", res.StatusCode, err, b)
		}
	})
}
