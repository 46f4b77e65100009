package servertest

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// NewServer serves the public pages over pool, as cmd/cadrestats does.
func NewServer(tb testing.TB, pool *pgxpool.Pool) *server.Server {
	tb.Helper()
	catalog, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	db := postgres.New(pool)
	srv, err := server.New(server.Config{Stats: stats.NewService(db), Catalog: catalog, Versions: db})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

// Get answers path; lang, when set, is sent as ?lang= would remember it.
func Get(tb testing.TB, h http.Handler, path string) (int, string, http.Header) {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	// Unescaped, so that tests read the text a person reads ("19 + 4",
	// which html/template writes as "19 &#43; 4").
	return rec.Code, html.UnescapeString(string(body)), rec.Header()
}

// Discard is a ResponseWriter that keeps nothing, so that the benchmark
// measures the export and not a buffer holding its output.
type Discard struct {
	h http.Header
	N int64
}

func (d *Discard) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}

func (d *Discard) WriteHeader(int) {}

func (d *Discard) Write(p []byte) (int, error) {
	d.N += int64(len(p))
	return len(p), nil
}

// PeakMemory runs fn while sampling the heap every millisecond and returns
// the largest live heap (what a GC during fn found reachable: what the
// export holds on to) and the largest heap including garbage not yet
// collected, which the GC lets grow to about twice the live heap.
func PeakMemory(fn func()) (live, heap uint64) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(samples)
		live = max(live, samples[0].Value.Uint64())
		heap = max(heap, samples[1].Value.Uint64())
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	read()
	return live, heap
}

// PlanFigures is the size at which plans are what they are at a million:
// below, PostgreSQL rightly prefers reading a small table whole.
const PlanFigures = 100_000

// VI is the Vietnamese printer, for the texts a test expects.
func VI(t *testing.T) *i18n.Printer {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Printer(i18n.VI)
}
