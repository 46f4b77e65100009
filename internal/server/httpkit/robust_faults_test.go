package httpkit_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/pglocal"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// TestDatabaseFaults stops and freezes a PostgreSQL of the test's own (the
// shared test server must not be touched) under a running site: every
// page answers 503 in the user's language within 2 s, never 500 nor a
// hang, and serves again within 5 s of the database's return, by itself.
func TestDatabaseFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts, stops and freezes a PostgreSQL server of its own: about 8 s")
	}
	if _, err := pglocal.FindBinDir(); err != nil {
		t.Skip(err)
	}
	base := ""
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		base = "/dev/shm"
	}
	dir, err := os.MkdirTemp(base, "cadrestats-faults-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	_ = os.Chmod(dir, 0o755)
	opts := pglocal.Options{Dir: dir + "/pg"}
	ctx := t.Context()
	pg, err := pglocal.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Thaw(); pg.Stop() })
	pool, err := postgres.Open(ctx, pg.DSN("postgres"), postgres.PoolConfig{MaxConns: 12})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	m, err := postgres.NewMigrator(pool)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	m.Close()
	probe := postgres.NewProbe(pool)
	t.Cleanup(probe.Close)
	site := servertest.NewRobustSite(t, pool, func(c *server.Config) { c.Database = probe })
	paths := []string{"/", "/figures", "/export.csv", "/api/figures"}

	// check requests the pages from four clients until ctx ends and
	// returns the slowest answer of each status.
	check := func(ctx context.Context, lang string) map[int]time.Duration {
		var mu sync.Mutex
		slowest := map[int]time.Duration{}
		var wg sync.WaitGroup
		c := &http.Client{Timeout: 10 * time.Second}
		for w := range 4 {
			wg.Go(func() {
				for i := w; ctx.Err() == nil; i++ {
					path := paths[i%len(paths)]
					req, _ := http.NewRequest(http.MethodGet, site.URL+path, nil)
					req.Header.Set("Accept-Language", lang)
					start := time.Now()
					resp, err := c.Do(req)
					if err != nil {
						t.Errorf("GET %s: %v", path, err)
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					took := time.Since(start)
					if resp.StatusCode == http.StatusServiceUnavailable && !strings.Contains(string(body), "The database is temporarily unavailable") {
						t.Errorf("GET %s: 503 without the English message:\n%.300s", path, body)
					}
					if resp.StatusCode == http.StatusOK && len(body) == 0 {
						t.Errorf("GET %s: 200 with an empty body", path)
					}
					mu.Lock()
					slowest[resp.StatusCode] = max(slowest[resp.StatusCode], took)
					mu.Unlock()
					time.Sleep(20 * time.Millisecond)
				}
			})
		}
		wg.Wait()
		return slowest
	}
	// backWithin polls a page until it answers 200, at most 5 s (the
	// monitor probes every 250 ms).
	backWithin := func(what string) {
		start := time.Now()
		for {
			resp, err := http.Get(site.URL + "/figures")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					t.Logf("%s: serving again %s after the database returned", what, time.Since(start).Round(time.Millisecond))
					return
				}
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("%s: not serving 5 s after the database returned", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	outage := func(name string, fail, recover func() error) {
		t.Run(name, func(t *testing.T) {
			if err := fail(); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 2500*time.Millisecond)
			slowest := check(ctx, "en")
			cancel()
			if err := recover(); err != nil {
				t.Fatal(err)
			}
			// Cut off by the monitor (which finds a frozen server within
			// 1.25 s), not by a page's deadline of 10 s: the log says which,
			// and the time only needs to be far from the deadline, however
			// loaded the machine.
			for code, took := range slowest {
				switch {
				case code != http.StatusServiceUnavailable && code != http.StatusOK:
					t.Errorf("status %d during the outage", code)
				case took > 5*time.Second:
					t.Errorf("a %d took %s during the outage, want well within a page's deadline of 10 s", code, took)
				}
			}
			if slowest[http.StatusServiceUnavailable] == 0 {
				t.Errorf("no 503 during the outage: %v", slowest)
			}
			t.Logf("slowest answers during the outage: %v", slowest)
			backWithin(name)
		})
	}

	ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	if s := check(ctx, "vi"); len(s) != 1 || s[http.StatusOK] == 0 {
		t.Fatalf("before any fault: %v, want only 200", s)
	}
	cancel()
	outage("frozen", pg.Freeze, pg.Thaw)
	outage("stopped", pg.Stop, func() error {
		var err error
		pg, err = pglocal.Start(t.Context(), opts)
		return err
	})
	for _, r := range site.Logs.Lines("request") {
		if r["status"] == float64(500) {
			t.Errorf("logged a 500: %v", r)
		}
		if strings.Contains(fmt.Sprint(r["err"]), "no answer within the request's deadline") {
			t.Errorf("a request waited out its deadline instead of being cut off when the database stopped answering: %v", r)
		}
	}
	if n := len(site.Logs.Lines("database does not answer; answering 503 until it does")); n != 2 {
		t.Errorf("the outages were logged %d times, want twice", n)
	}
}
