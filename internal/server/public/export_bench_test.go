package public_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// benchRows are the sizes compared: if memory does not grow with the
// number of figures, peak-live-B stays flat across them.
var benchRows = []int{50, 2_000, 20_000, 60_000} // 50: the seed alone

func BenchmarkExportCSV(b *testing.B)  { benchmarkExport(b, "/export.csv") }
func BenchmarkExportXLSX(b *testing.B) { benchmarkExport(b, "/export.xlsx") }
func BenchmarkAPIFigures(b *testing.B) { benchmarkExport(b, "/api/figures?limit=1000") }

func benchmarkExport(b *testing.B, target string) {
	for _, n := range benchRows {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			pool := pgtest.NewSeededDB(b)
			// Copies of the 50 seeded figures, each with its own subject.
			_, err := pool.Exec(b.Context(), `INSERT INTO figures (locality_id, category, subject, value, unit,
					qualifier, denominator, period_start, period_end, term_id, from_level, to_level, source_id, quote)
				SELECT f.locality_id, f.category, f.subject || ' #' || g, f.value, f.unit, f.qualifier, f.denominator,
					f.period_start, f.period_end, f.term_id, f.from_level, f.to_level, f.source_id, f.quote
				FROM generate_series(1, $1::int) g JOIN figures f ON f.id = 1 + g % 50`, n-50)
			if err != nil {
				b.Fatal(err)
			}
			srv := exportServer(b, pool)
			get := func() int64 {
				w := &servertest.Discard{}
				srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
				if w.N == 0 {
					b.Fatal("empty export")
				}
				return w.N
			}
			get() // warm up the pool and the caches
			peakLive, peakHeap := servertest.PeakMemory(func() { get() })
			var size int64
			for b.Loop() {
				size = get()
			}
			b.ReportMetric(float64(peakLive), "peak-live-B")
			b.ReportMetric(float64(peakHeap), "peak-heap-B")
			b.ReportMetric(float64(size), "resp-B")
		})
	}
}
