package httpkit

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Replication sends public reads to a read replica; postgres.Replica
// satisfies it. Without one, every query goes to the primary.
type Replication interface {
	// PrimaryPosition is the primary's WAL position now: after a write,
	// what the replica must have replayed before it serves that client.
	PrimaryPosition(ctx context.Context) (uint64, error)
	// ReplicaContext marks ctx so that the storage reads from the replica,
	// if the replica is usable and has replayed after; otherwise it
	// returns ctx unchanged and false.
	ReplicaContext(ctx context.Context, after uint64) (context.Context, bool)
	// ReadYourWritesWindow is how long a client that wrote may have to
	// read from the primary.
	ReadYourWritesWindow() time.Duration
}

// positionCookie holds, for a client that just wrote, the primary's WAL
// position after its write, until the replica has replayed it.
const positionCookie = "cadrestats_lsn"

// RouteReads decides, once per request, which server answers its reads.
// Public pages, exports and the API may read from the replica; the
// signed-in area, every write and a client's reads right after its own
// write (read-your-writes) go to the primary. Requests are for the
// primary unless marked here, so that nothing reads stale data by
// omission.
func (s *Kit) RouteReads(next echo.HandlerFunc) echo.HandlerFunc {
	if s.replication == nil {
		return next
	}
	return func(c echo.Context) error {
		r := c.Request()
		read := r.Method == http.MethodGet || r.Method == http.MethodHead
		switch {
		case r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch || r.Method == http.MethodDelete:
			c.Response().Before(func() { s.rememberWrite(c) })
		case read && !signedInArea(c.Path()):
			after, pinned := writePosition(c)
			if ctx, ok := s.replication.ReplicaContext(r.Context(), after); ok {
				c.SetRequest(r.WithContext(ctx))
				if pinned {
					c.SetCookie(s.positionCookie(c, "", -1)) // caught up: no longer needed
				}
			}
		}
		return next(c)
	}
}

// signedInArea: pages whose reads must see every write at once.
func signedInArea(path string) bool {
	return path == "/login" || path == "/logout" || path == "/admin" || strings.HasPrefix(path, "/admin/")
}

// rememberWrite runs as the response to a write starts, after its
// transaction committed: the handlers answer once their work is done.
// Refused requests (4xx, 5xx) wrote nothing and get no cookie.
func (s *Kit) rememberWrite(c echo.Context) {
	if c.Response().Status >= http.StatusBadRequest {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), time.Second)
	defer cancel()
	pos, err := s.replication.PrimaryPosition(ctx)
	if err != nil {
		// Not knowing where the write ended, read from the primary for
		// the whole window.
		s.log.Warn("read the primary's WAL position after a write", "err", err)
		pos = math.MaxUint64
	}
	window := s.replication.ReadYourWritesWindow()
	c.SetCookie(s.positionCookie(c, formatLSN(pos), int(math.Ceil(window.Seconds()))))
}

// writePosition is the position in the client's cookie; a malformed one
// is ignored. The cookie only chooses which server answers this client's
// reads: a forged one can at most send them to the primary.
func writePosition(c echo.Context) (uint64, bool) {
	ck, err := c.Cookie(positionCookie)
	if err != nil {
		return 0, false
	}
	pos, err := parseLSN(ck.Value)
	if err != nil {
		return 0, true // deleted once the replica serves this client
	}
	return pos, true
}

func (s *Kit) positionCookie(c echo.Context, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: positionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request().TLS != nil}
}

// formatLSN writes a WAL position as PostgreSQL does ("16/B374D848"), so
// that it can be compared with pg_stat_replication by eye.
func formatLSN(pos uint64) string { return fmt.Sprintf("%X/%X", pos>>32, uint32(pos)) }

func parseLSN(s string) (uint64, error) {
	hi, lo, ok := strings.Cut(s, "/")
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if !ok || err1 != nil || err2 != nil {
		return 0, fmt.Errorf("WAL position %q", s)
	}
	return h<<32 | l, nil
}
