package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/pglocal"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/synth"
)

// importedFigures is how many figures the memory phase imports into one
// locality: issue 20's editor's import.
const importedFigures = 100_000

// memoryBoundMB is what a serving process may take however many first
// visits arrive at once (the bound TestColdRendersBoundMemory holds the
// heap to).
const memoryBoundMB = 256

// coldPages are the pages an import into one locality makes heavy.
var coldPages = []string{"/", "/localities/" + synth.ImportedLocality, "/figures?q=luan+chuyen"}

// imported builds (once: the data directory keeps it) the database
// "imported": the seed and 100.000 figures of Điện Biên shaped as an
// editor's import leaves them (synth.ImportCopies, the tests' shape), and
// measures serve's memory on it with cold renders.
func (b *bench) imported(ctx context.Context, srv *pglocal.Server) error {
	b.printf("\nmemory on an editor's import (%d figures of %s, one period, every copy complete)\n", importedFigures, synth.ImportedLocality)
	admin, err := pgx.Connect(ctx, srv.DSN("postgres"))
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = 'imported')`).Scan(&exists); err != nil {
		return err
	}
	dsn := srv.DSN("imported")
	if exists {
		pool, err := postgres.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		n, err := postgres.New(pool).CountFigures(ctx, stats.FigureFilter{Localities: []string{synth.ImportedLocality}}, 1<<30)
		pool.Close()
		if err == nil && n >= importedFigures {
			b.info("imported database", fmt.Sprintf("%d figures", n), "kept from an earlier run")
			return b.coldMemory(ctx, "an editor's import", dsn)
		}
		if _, err := admin.Exec(ctx, `DROP DATABASE imported WITH (FORCE)`); err != nil {
			return err
		}
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE imported`); err != nil {
		return err
	}
	pool, err := postgres.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer pool.Close()
	start := time.Now()
	if err := migrateUp(ctx, pool); err != nil {
		return err
	}
	if err := seedDatabase(ctx, pool, b.log); err != nil {
		return err
	}
	if err := synth.ImportCopies(ctx, postgres.New(pool), importedFigures); err != nil {
		return err
	}
	b.info("imported database: migrate, seed, import", fmt.Sprintf("%.0f s", time.Since(start).Seconds()), "")
	pool.Close()
	return b.coldMemory(ctx, "an editor's import", dsn)
}

// coldMemory measures serve's resident memory while 1, 8 and 64 readers
// at once each ask a heavy page at a URL of their own (/?v=N: the page
// cache and coalescing share nothing), a fresh process for each count, so
// that one's peak does not show in the next. Readers beyond what the
// pages' share of the pool admits wait or are told 503 with Retry-After.
func (b *bench) coldMemory(ctx context.Context, data, dsn string) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	var v atomic.Int64
	for _, page := range coldPages {
		for _, readers := range []int{1, 8, 64} {
			base, pid, stop, err := startServe(ctx, client, dsn)
			if err != nil {
				return err
			}
			idle := rssMB(pid)
			peak := watchRSS(pid)
			var served, busy, other atomic.Int32
			start := time.Now()
			var wg sync.WaitGroup
			for range readers {
				wg.Go(func() {
					sep := "?"
					if page == coldPages[2] {
						sep = "&"
					}
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s%s%sv=%d", base, page, sep, v.Add(1)), nil)
					req.Header.Set("Accept-Encoding", "gzip")
					resp, err := client.Do(req)
					if err != nil {
						other.Add(1)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					switch {
					case resp.StatusCode == http.StatusOK:
						served.Add(1)
					case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
						busy.Add(1)
					default:
						other.Add(1)
					}
				})
			}
			wg.Wait()
			el := time.Since(start)
			rss := peak()
			stop()
			name := fmt.Sprintf("RSS, %s: %s × %d cold", data, page, readers)
			r := result{Name: name, Measured: fmtUnit(rss, "MB"), Limit: "≤ " + fmtUnit(memoryBoundMB, "MB"), Ratio: rss / memoryBoundMB,
				OK:   rss <= memoryBoundMB && served.Load() > 0 && other.Load() == 0,
				Note: fmt.Sprintf("idle %.0f MB; %d served, %d told to retry, %d failed, in %.2f s", idle, served.Load(), busy.Load(), other.Load(), el.Seconds())}
			b.add(r)
		}
	}
	return nil
}
