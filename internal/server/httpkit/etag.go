package httpkit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// DataVersioner reports the version of the data public pages show: it
// changes with every committed write, on whichever instance made it.
// internal/postgres.DB satisfies it.
type DataVersioner interface {
	DataVersion(ctx context.Context) (int64, error)
}

// Echo names neither header.
const (
	headerETag        = "ETag"
	headerIfNoneMatch = "If-None-Match"
)

// Cache-Control of public answers: a browser may keep them but asks each
// time whether they are current, which costs a 304 when nothing changed.
// Answers that depend on who is signed in stay out of shared caches.
const (
	cachePublic  = "no-cache"
	cachePrivate = "private, no-cache"
)

// Revalidate gives public pages, API answers and exports an ETag and
// answers a request that presents the current one with 304 Not Modified
// before the handler runs: no query but the version's, nothing rendered.
//
// The ETag covers everything an answer depends on: the data's version (read
// first, so that the content is never older than the ETag it is stored
// under), the code serving it (build), the language, the viewer, the path
// and query, and the day (exports are named after it). Only 200 answers
// carry it: a client must not keep an error page and have it confirmed.
func (s *Kit) Revalidate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if s.versions == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) || !revalidated(c.Path()) {
			return next(c)
		}
		v, err := s.versions.DataVersion(r.Context())
		if err != nil {
			return next(c) // the handler answers the outage in the user's language
		}
		viewer := s.viewer(c)
		etag := s.etag(c, v, viewer)
		cc := cachePublic
		if viewer != "" {
			cc = cachePrivate
		}
		h := c.Response().Header()
		if etagMatch(r.Header.Get(headerIfNoneMatch), etag) {
			h.Set(headerETag, etag)
			h.Set(echo.HeaderCacheControl, cc)
			return c.NoContent(http.StatusNotModified)
		}
		res := c.Response()
		res.Before(func() {
			// A handler's own choice stands.
			if res.Status == http.StatusOK && h.Get(headerETag) == "" && h.Get(echo.HeaderCacheControl) == "" {
				h.Set(headerETag, etag)
				h.Set(echo.HeaderCacheControl, cc)
			}
		})
		return next(c)
	}
}

// revalidated tells which routes get validators: every GET but static
// files (their own, immutable), health checks and the signed-in area.
func revalidated(route string) bool {
	switch {
	case route == "", route == StaticRoute, route == "/healthz", route == "/readyz",
		route == "/login", route == "/logout", route == "/admin", strings.HasPrefix(route, "/admin/"):
		return false
	}
	return true
}

// viewer names what, about the person asking, changes a public answer:
// public pages show edit links to a signed-in editor. It is read before
// any handler, from the session cookie alone (no database): the answer of
// a browser with a session is keyed by that session and private; everyone
// else shares one.
func (s *Kit) viewer(c echo.Context) string {
	if s.sessionCookie == "" {
		return ""
	}
	ck, err := c.Request().Cookie(s.sessionCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(ck.Value))
	return "s" + hex.EncodeToString(sum[:8])
}

// etag is a weak validator: the same data renders the same page, though not
// always byte for byte, and a gzip and a plain answer share it.
func (s *Kit) etag(c echo.Context, version int64, viewer string) string {
	r := c.Request()
	lang := Lang(c)
	h := sha256.New()
	for _, part := range []string{s.build, string(lang), viewer, s.now().Format(time.DateOnly), r.URL.Path, r.URL.RawQuery} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return `W/"` + strconv.FormatInt(version, 10) + "-" + hex.EncodeToString(h.Sum(nil)[:8]) + `"`
}

// etagMatch is the weak comparison of If-None-Match (RFC 9110 §13.1.2).
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for cand := range strings.SplitSeq(header, ",") {
		cand = strings.TrimSpace(cand)
		if cand == "*" || strings.TrimPrefix(cand, "W/") == want {
			return true
		}
	}
	return false
}

// buildID names the code serving, so that a deploy (new templates, new
// asset addresses) revalidates every page although the data did not change.
// A build stamped with a clean VCS revision is named by it, so that several
// instances of one release agree; any other build by its start time.
func buildID() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" && modified == "false" {
			return rev
		}
	}
	return "dev-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}
