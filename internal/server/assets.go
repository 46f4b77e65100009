package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/web"
)

// assets serves the embedded static files under a content hash, so that a
// file can be cached for a year and a new build is fetched at once.
type assets struct {
	fsys fs.FS
	hash map[string]string // path → first 12 hex digits of its SHA-256
}

func loadAssets() (*assets, error) {
	fsys, err := fs.Sub(web.Static, "static")
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	a := &assets{fsys: fsys, hash: map[string]string{}}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hash[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash static assets: %w", err)
	}
	return a, nil
}

// url is the versioned address of a static file; templates call it as
// {{asset "css/app.css"}}. An unknown path is a build error.
func (a *assets) url(p string) (string, error) {
	h, ok := a.hash[p]
	if !ok {
		return "", fmt.Errorf("no static asset %q", p)
	}
	return "/static/" + h + "/" + p, nil
}

func (s *Server) static(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	h, ok := s.assets.hash[p]
	if !ok {
		return stats.ErrNotFound
	}
	if c.Param("hash") != h {
		// An old page asks for an old version: send the current one, but
		// do not let it be cached under the old address.
		return c.Redirect(http.StatusFound, "/static/"+h+"/"+p)
	}
	b, err := fs.ReadFile(s.assets.fsys, p)
	if err != nil {
		return fmt.Errorf("read asset %s: %w", p, err)
	}
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if strings.HasPrefix(ctype, "text/") && !strings.Contains(ctype, "charset") {
		ctype += "; charset=utf-8"
	}
	hd := c.Response().Header()
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", `"`+h+`"`)
	if c.Request().Header.Get("If-None-Match") == `"`+h+`"` {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, ctype, b)
}
