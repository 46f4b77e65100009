package public_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// memoryBound is what one process may take for its heap however many
// readers arrive at once (issue 20: 933–955 MB on this data before).
const memoryBound = 256 << 20

// TestColdRendersBoundMemory renders each heavy page of an editor's
// import (100.000 figures of Điện Biên in one period, see
// pgtest.NewImportedDB) cold, by 1, 8 and 64 readers at once, each a
// distinct URL so that neither the page cache nor coalescing shares a
// rendering, and fails if the heap ever exceeds memoryBound. Readers
// beyond what the pages' share of the pool admits wait for a slot or are
// told 503 with Retry-After; a single reader is always served.
func TestColdRendersBoundMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100.000 figures (about 15 s)")
	}
	srv := httptest.NewServer(servertest.NewServer(t, pgtest.NewImportedDB(t, 100_000)))
	t.Cleanup(srv.Close)
	var run atomic.Int64
	pages := []struct{ path, want string }{
		{"/?", "100.007"},
		{"/localities/dien-bien?", "có 100.007 số liệu"},
		{"/figures?q=luan+chuyen&", "hơn 1.000 số liệu"},
	}
	for _, pg := range pages {
		for _, readers := range []int{1, 8, 64} {
			t.Run(fmt.Sprintf("%s×%d", pg.path, readers), func(t *testing.T) {
				var served, busy atomic.Int32
				var firstBody atomic.Value
				_, heap := servertest.PeakMemory(func() {
					var wg sync.WaitGroup
					for range readers {
						wg.Go(func() {
							url := fmt.Sprintf("%s%sv=%d", srv.URL, pg.path, run.Add(1))
							resp, err := http.Get(url)
							if err != nil {
								t.Error(err)
								return
							}
							body, _ := io.ReadAll(resp.Body)
							resp.Body.Close()
							switch {
							case resp.StatusCode == http.StatusOK:
								served.Add(1)
								firstBody.CompareAndSwap(nil, string(body))
							case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
								busy.Add(1)
							default:
								t.Errorf("GET %s: %d\n%.500s", url, resp.StatusCode, body)
							}
						})
					}
					wg.Wait()
				})
				t.Logf("%d readers: %d served, %d told to retry; peak heap %.1f MB", readers, served.Load(), busy.Load(), float64(heap)/(1<<20))
				if heap > memoryBound {
					t.Errorf("peak heap %.1f MB, bound %d MB", float64(heap)/(1<<20), memoryBound>>20)
				}
				if served.Load() == 0 || (readers == 1 && served.Load() != 1) {
					t.Fatalf("%d of %d readers served", served.Load(), readers)
				}
				if b, _ := firstBody.Load().(string); !strings.Contains(b, pg.want) {
					t.Errorf("no %q in the page", pg.want)
				}
			})
		}
	}
}
