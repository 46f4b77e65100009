package httpkit

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/web"
)

// assets serves the embedded static files under a content hash, so that a
// file can be cached for a year and a new build is fetched at once. Each
// file is read, hashed and gzipped once, at start (the ECharts bundle at
// the best level takes about 25 ms); requests only choose which bytes to
// send.
type assets struct {
	files map[string]*asset // by path under static/
}

type asset struct {
	hash  string // first 12 hex digits of the SHA-256 of body
	ctype string
	body  []byte
	gzip  []byte // nil when gzip would not save a tenth
}

func loadAssets() (*assets, error) {
	fsys, err := fs.Sub(web.Static, "static")
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	a := &assets{files: map[string]*asset{}}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		f := &asset{hash: hex.EncodeToString(sum[:6]), ctype: contentType(p), body: b}
		if compressible(f.ctype) {
			if f.gzip, err = gzipBest(b); err != nil {
				return fmt.Errorf("gzip %s: %w", p, err)
			}
			if len(f.gzip) > len(b)*9/10 {
				f.gzip = nil
			}
		}
		a.files[p] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return a, nil
}

func contentType(p string) string {
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		return "application/octet-stream"
	}
	if strings.HasPrefix(ctype, "text/") && !strings.Contains(ctype, "charset") {
		ctype += "; charset=utf-8"
	}
	return ctype
}

func gzipBest(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// url is the versioned address of a static file; templates call it as
// {{asset "css/app.css"}}. An unknown path is a build error.
func (a *assets) url(p string) (string, error) {
	f, ok := a.files[p]
	if !ok {
		return "", fmt.Errorf("no static asset %q", p)
	}
	return "/static/" + f.hash + "/" + p, nil
}

// StaticRoute is where static answers are served; the compression and
// revalidation middleware leave it alone.
const StaticRoute = "/static/:hash/*"

func (s *Kit) Static(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	f, ok := s.assets.files[p]
	if !ok {
		return stats.ErrNotFound
	}
	if c.Param("hash") != f.hash {
		// An old page asks for an old version: send the current one, but
		// Do not let it be cached under the old address.
		return c.Redirect(http.StatusFound, "/static/"+f.hash+"/"+p)
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	body, etag := f.body, `"`+f.hash+`"`
	if f.gzip != nil {
		hd.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		if accepts(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip") {
			body, etag = f.gzip, `"`+f.hash+`-gzip"`
			hd.Set(echo.HeaderContentEncoding, "gzip")
		}
	}
	hd.Set(headerETag, etag)
	// Either coding's ETag names the same content: the one the client
	// holds is current.
	if inm := c.Request().Header.Get(headerIfNoneMatch); inm != "" &&
		(etagMatch(inm, `"`+f.hash+`"`) || etagMatch(inm, `"`+f.hash+`-gzip"`)) {
		hd.Del(echo.HeaderContentEncoding)
		return c.NoContent(http.StatusNotModified)
	}
	hd.Set(echo.HeaderContentType, f.ctype)
	hd.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	c.Response().WriteHeader(http.StatusOK)
	_, err := c.Response().Write(body)
	return err
}
