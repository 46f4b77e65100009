package httpkit

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// minCompressSize is the smallest body worth compressing: below about one
// TCP segment, gzip's 20-byte frame and the CPU buy nothing.
const minCompressSize = 1400

// accepts tells whether an Accept-Encoding header allows coding (RFC 9110
// §12.5.3): named with a q above 0, or covered by "*" with a q above 0 and
// not named with q=0.
func accepts(header, coding string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				} else {
					q = 0 // a malformed weight is no consent
				}
			}
		}
		switch {
		case strings.EqualFold(name, coding):
			return q > 0
		case name == "*":
			star = q > 0
		}
	}
	return star
}

// compressible lists the media types worth gzipping: text the server
// writes. XLSX (a zip), images and anything unknown pass as they are.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "text/html", "text/plain", "text/csv", "text/css", "text/javascript", "application/javascript",
		"application/json", "image/svg+xml", "application/xml", "text/xml":
		return true
	}
	return false
}

// gzipLevel trades CPU for bytes per kind of answer: pages and API pages
// are small and read by people waiting (level 6: a 40 KB page takes 0.8 ms);
// CSV exports stream up to millions of rows, where level 6 would halve the
// rows per second and BestSpeed costs a fraction.
func gzipLevel(contentType string) int {
	if strings.HasPrefix(contentType, "text/csv") {
		return gzip.BestSpeed
	}
	return gzip.DefaultCompression
}

// compressor compresses dynamic answers with pooled gzip writers: a
// gzip.Writer allocates 0.8 MB (level 6) to 1.2 MB (BestSpeed) of state,
// more than compressing a page costs.
type compressor struct {
	pools map[int]*sync.Pool // by level
}

func newCompressor() *compressor {
	c := &compressor{pools: map[int]*sync.Pool{}}
	for _, level := range []int{gzip.BestSpeed, gzip.DefaultCompression} {
		c.pools[level] = &sync.Pool{New: func() any {
			w, _ := gzip.NewWriterLevel(io.Discard, level) // level is valid
			return w
		}}
	}
	return c
}

// middleware gzips HTML, JSON, CSV and other text answers for clients that
// accept it, streaming: a body is never held whole, so exports keep their
// flat memory. Answers that set Content-Encoding themselves (static assets,
// compressed once at start) and small bodies pass untouched.
func (z *compressor) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Path() == StaticRoute {
			return next(c)
		}
		res := c.Response()
		res.Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		if c.Request().Method == http.MethodHead || !accepts(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip") {
			return next(c)
		}
		w := &gzipWriter{ResponseWriter: res.Writer, z: z}
		res.Writer = w
		complete := false
		defer func() {
			// Also on a panic, so that the recovering middleware answers
			// through the plain writer.
			w.finish(complete)
			res.Writer = w.ResponseWriter
		}()
		err := next(c)
		// A handler that fails after its first bytes cannot change the
		// status: the stream is left unfinished.
		complete = err == nil || !res.Committed
		if err != nil {
			// Error pages are pages too: answer them now, through the
			// compressor, rather than after it is gone.
			c.Error(err)
		}
		return nil
	}
}

// gzipWriter decides at WriteHeader whether the answer is compressible,
// then holds up to minCompressSize bytes to see whether it is worth it.
type gzipWriter struct {
	http.ResponseWriter
	z       *compressor
	status  int  // held back until the coding is chosen
	pending bool // WriteHeader seen, coding not chosen yet
	plain   bool // passing through
	started bool // the header has gone out
	buf     []byte
	gz      *gzip.Writer
	level   int
}

func (w *gzipWriter) WriteHeader(code int) {
	if w.started || w.pending {
		return
	}
	h := w.Header()
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified ||
		h.Get(echo.HeaderContentEncoding) != "" || !compressible(h.Get(echo.HeaderContentType)) {
		w.plain, w.started = true, true
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.status, w.pending = code, true
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.started && !w.pending {
		w.WriteHeader(http.StatusOK) // as net/http does for a Write without WriteHeader
	}
	switch {
	case w.plain:
		return w.ResponseWriter.Write(b)
	case w.gz != nil:
		return w.gz.Write(b)
	}
	if len(w.buf)+len(b) < minCompressSize {
		w.buf = append(w.buf, b...)
		return len(b), nil
	}
	if err := w.startGzip(); err != nil {
		return 0, err
	}
	return w.gz.Write(b)
}

// startGzip sends the header with Content-Encoding and what was held.
func (w *gzipWriter) startGzip() error {
	h := w.Header()
	h.Set(echo.HeaderContentEncoding, "gzip")
	h.Del(echo.HeaderContentLength)
	// An ETag names one representation; the gzip one is another (RFC 9110
	// §8.8.3). Weak validators stay as they are.
	if et := h.Get(headerETag); strings.HasPrefix(et, `"`) {
		h.Set(headerETag, strings.TrimSuffix(et, `"`)+`-gzip"`)
	}
	w.level = gzipLevel(h.Get(echo.HeaderContentType))
	w.gz = w.z.pools[w.level].Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
	w.pending, w.started = false, true
	w.ResponseWriter.WriteHeader(w.status)
	if len(w.buf) > 0 {
		_, err := w.gz.Write(w.buf)
		w.buf = nil
		return err
	}
	return nil
}

// startPlain sends the header and what was held, uncompressed.
func (w *gzipWriter) startPlain() error {
	w.pending, w.plain, w.started = false, true, true
	if len(w.buf) > 0 {
		w.Header().Set(echo.HeaderContentLength, strconv.Itoa(len(w.buf)))
	}
	w.ResponseWriter.WriteHeader(w.status)
	_, err := w.ResponseWriter.Write(w.buf)
	w.buf = nil
	return err
}

// Flush sends what the handler wrote so far: a streaming answer that
// flushes early is compressed from its first bytes.
func (w *gzipWriter) Flush() {
	_ = w.FlushError()
}

// FlushError is what http.ResponseController (and so echo's Flush) calls.
func (w *gzipWriter) FlushError() error {
	if w.pending {
		if err := w.startGzip(); err != nil {
			return err
		}
	}
	if w.gz != nil {
		if err := w.gz.Flush(); err != nil {
			return err
		}
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection (deadlines).
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish ends the answer. complete false: the handler failed after its
// first bytes went out; the gzip stream is left without its end, so that
// the client sees a broken download rather than a short one that parses
// (a CSV cut between two rows looks whole).
func (w *gzipWriter) finish(complete bool) {
	if w.pending {
		_ = w.startPlain()
	}
	if w.gz == nil {
		return
	}
	if complete {
		_ = w.gz.Close()
	}
	w.gz.Reset(io.Discard)
	w.z.pools[w.level].Put(w.gz)
	w.gz = nil
}
