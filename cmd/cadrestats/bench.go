package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pglocal"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/synth"
)

const benchSynopsis = `bench [-size 1m] [-repeats 7] [-data DIR] [-wrk 10s]

Measures the dashboard at national scale on this machine and prints each
figure beside its limit: it starts a private PostgreSQL (cold start: initdb,
migrate, seed; then a warm start), builds a synthetic database (cadrestats
synth; kept in -data DIR for the next run), then times each page (median
of -repeats renders) against the time PostgreSQL needs for that page's own
queries (the same statements replayed, rows read raw), the overview's
throughput under wrk at 64 connections against a static file, the CSV
export against COPY of the same query, the XLSX export, and the memory of
a serving process (idle, eight readers, exports). Loopback only.`

func benchCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", benchSynopsis+"\n", stderr)
	size := fs.String("size", "1m", "synthetic figures: 100k, 1m or 10m, or several in a row (100k,1m,10m) for a table of growth")
	repeats := fs.Int("repeats", 7, "renders per page; the first warms up and the median of the rest counts")
	dataDir := fs.String("data", "", "keep the private server and its synthetic database here (built once, reused); with several sizes, one directory per size in it")
	wrkFor := fs.Duration("wrk", 10*time.Second, "how long each wrk run lasts")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the page renders to this file (go tool pprof)")
	jsonOut := fs.String("json", "", "also write every figure measured to this file (JSON), for -table")
	table := fs.String("table", "", "measure nothing: print the table of growth of earlier runs' -json files (comma-separated, smallest size first)")
	skipImport := fs.Bool("skip-import", false, "skip the memory phase on an editor's import (100.000 figures in one locality)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *table != "" {
		var runs []sizeRun
		for _, f := range strings.Split(*table, ",") {
			b, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			var rs []sizeRun
			if err := json.Unmarshal(b, &rs); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			runs = append(runs, rs...)
		}
		printGrowth(stdout, runs)
		return nil
	}
	var sizes []string
	for _, sz := range strings.Split(strings.ToLower(*size), ",") {
		if _, ok := synth.Sizes[sz]; !ok {
			return usageError{"bench: -size is 100k, 1m or 10m (or several, comma-separated)"}
		}
		sizes = append(sizes, sz)
	}
	if *repeats < 2 || *wrkFor <= 0 {
		return usageError{"bench: -repeats at least 2, -wrk positive"}
	}
	// Its own statements (COPY of a million rows, replays) are
	// measurements, not pages: no page statement timeout.
	ctx = stats.WithStatementTimeout(ctx, 0)
	b := &bench{out: stdout, log: newLogger("text", io.Discard), repeats: *repeats, wrkFor: *wrkFor, cpuProfile: *cpuProfile,
		where: map[string]string{}, jsonOut: *jsonOut}
	b.printf("cadrestats bench: %s synthetic figures, %d repeats, %d CPUs, %s, load average %s\n", strings.Join(sizes, ", "), *repeats,
		runtime.NumCPU(), runtime.Version(), loadAverage())
	defer func() { b.printf("load average at the end: %s\n", loadAverage()) }()
	b.size = "start"
	if err := b.startTimes(ctx); err != nil {
		return err
	}
	for i, sz := range sizes {
		dir := *dataDir
		if dir != "" && len(sizes) > 1 {
			dir = filepath.Join(dir, sz)
		}
		if err := b.run(ctx, sz, dir, i == 0 && !*skipImport); err != nil {
			return fmt.Errorf("bench -size %s: %w", sz, err)
		}
	}
	b.summary()
	if len(sizes) > 1 {
		printGrowth(stdout, b.runs())
	}
	return b.writeJSON()
}

// writeJSON writes what was measured so far to -json's file: after every
// figure, so that a run stopped halfway (ten million figures take an
// hour) keeps what it measured.
func (b *bench) writeJSON() error {
	if b.jsonOut == "" {
		return nil
	}
	js, err := json.MarshalIndent(b.runs(), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(b.jsonOut, js, 0o644)
}

// run measures one size on the private server kept in dir (a temporary
// directory on tmpfs when dir is empty); withImport adds the memory phase
// on an editor's import, in the same server.
func (b *bench) run(ctx context.Context, size, dir string, withImport bool) error {
	n := synth.Sizes[size]
	b.size = size
	if dir == "" {
		d, err := os.MkdirTemp(tmpfs(), "cadrestats-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	_ = os.MkdirAll(dir, 0o755)
	_ = os.Chmod(dir, 0o755)
	b.printf("\n== %s synthetic figures, database in %s (%s)\n", size, dir, fsKind(dir))
	b.where[size] = fsKind(dir)
	srv, err := pglocal.Start(ctx, pglocal.Options{Dir: filepath.Join(dir, "pg"), Logger: b.log})
	if err != nil {
		return err
	}
	defer srv.Stop()
	dsn, err := b.syntheticDatabase(ctx, srv, n)
	if err != nil {
		return err
	}
	pool, err := postgres.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := b.pages(ctx, pool, dsn); err != nil {
		return err
	}
	// Memory before the exports: those take longest (ten million rows,
	// four times over).
	if err := b.coldMemory(ctx, "synthetic", dsn); err != nil {
		return err
	}
	if err := b.serving(ctx, pool, dsn); err != nil {
		return err
	}
	if withImport {
		if err := b.imported(ctx, srv); err != nil {
			return err
		}
	}
	return nil
}

// fsKind says whether dir is in memory (tmpfs) or on disk: the figures of
// a database on tmpfs leave the disk out.
func fsKind(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return "unknown"
	}
	if st.Type == 0x01021994 { // TMPFS_MAGIC
		return "tmpfs"
	}
	return "disk"
}

// tmpfs is where the benchmark's databases go: memory, when the machine
// has it, as the tests do (the figures are about the server, not the disk).
func tmpfs() string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		return "/dev/shm"
	}
	return ""
}

type bench struct {
	size    string            // the size being measured, "start" for the start times
	where   map[string]string // where each size's database is: "disk" or "tmpfs"
	key     string            // the next figure's key (as)
	jsonOut string            // -json: where the figures go as they are measured
	out     io.Writer
	log     *slog.Logger
	repeats int
	wrkFor  time.Duration
	results []result
	// cpuProfile, when set, receives a CPU profile of the page renders.
	cpuProfile string
}

// result is one measured figure beside its limit.
type result struct {
	Size     string  `json:"size"`
	Key      string  `json:"key"` // the same figure at every size (names count the figures)
	Name     string  `json:"name"`
	Measured string  `json:"measured"`
	Limit    string  `json:"limit,omitempty"`
	Ratio    float64 `json:"ratio,omitempty"` // measured / limit: at most 1 meets it
	OK       bool    `json:"ok"`
	Note     string  `json:"note,omitempty"`
}

func (b *bench) printf(format string, args ...any) { fmt.Fprintf(b.out, format, args...) }

// check records a figure: lower is better, limit the most allowed.
func (b *bench) check(name string, measured, limit float64, unit, note string) {
	r := result{Name: name, Measured: fmtUnit(measured, unit), Limit: "≤ " + fmtUnit(limit, unit), OK: measured <= limit, Note: note}
	if limit > 0 {
		r.Ratio = measured / limit
	}
	b.add(r)
}

// atLeast records a figure where higher is better.
func (b *bench) atLeast(name string, measured, limit float64, unit, note string) {
	r := result{Name: name, Measured: fmtUnit(measured, unit), Limit: "≥ " + fmtUnit(limit, unit), OK: measured >= limit, Note: note}
	if measured > 0 {
		r.Ratio = limit / measured
	}
	b.add(r)
}

func (b *bench) info(name, measured, note string) {
	b.add(result{Name: name, Measured: measured, OK: true, Note: note})
}

// as names the next figure recorded for the table of growth, when its
// name counts what the size changes ("(99874 figures)").
func (b *bench) as(key string) *bench {
	b.key = key
	return b
}

func (b *bench) add(r result) {
	r.Size, r.Key, b.key = b.size, cmp.Or(b.key, r.Name), ""
	b.results = append(b.results, r)
	mark := "ok  "
	if !r.OK {
		mark = "FAIL"
	}
	if r.Limit == "" {
		mark = "    "
	}
	ratio := ""
	if r.Ratio > 0 {
		ratio = fmt.Sprintf("%.2f", r.Ratio)
	}
	b.printf("%s %-58s %14s %14s %6s  %s\n", mark, r.Name, r.Measured, r.Limit, ratio, r.Note)
	if err := b.writeJSON(); err != nil {
		b.printf("-json: %v\n", err)
	}
}

func fmtUnit(v float64, unit string) string {
	switch unit {
	case "ms":
		return fmt.Sprintf("%.1f ms", v)
	case "s":
		return fmt.Sprintf("%.2f s", v)
	case "MB":
		return fmt.Sprintf("%.1f MB", v)
	case "x":
		return fmt.Sprintf("%.2f ×", v)
	case "req/s":
		return fmt.Sprintf("%.0f req/s", v)
	case "rows/s":
		return fmt.Sprintf("%.0fk rows/s", v/1000)
	}
	return fmt.Sprintf("%.3g %s", v, unit)
}

func (b *bench) summary() {
	var failed []string
	for _, r := range b.results {
		if !r.OK {
			failed = append(failed, r.Size+": "+r.Name)
		}
	}
	if len(failed) == 0 {
		b.printf("\nevery figure within its limit\n")
		return
	}
	b.printf("\nnot met (%d): %s\n", len(failed), strings.Join(failed, "; "))
}

// startTimes measures a cold start (initdb, start, migrate, seed) and a
// warm one (start, migrate and seed finding nothing to do) on disk, as a
// first `go run ./cmd/cadrestats` does.
func (b *bench) startTimes(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "cadrestats-start-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	_ = os.Chmod(dir, 0o755)
	open := func() (time.Duration, error) {
		start := time.Now()
		srv, err := pglocal.Start(ctx, pglocal.Options{Dir: filepath.Join(dir, "data"), Durable: true, Logger: b.log})
		if err != nil {
			return 0, err
		}
		defer srv.Stop()
		pool, err := postgres.Connect(ctx, srv.DSN("postgres"))
		if err != nil {
			return 0, err
		}
		defer pool.Close()
		if err := migrateUp(ctx, pool); err != nil {
			return 0, err
		}
		if err := seedDatabase(ctx, pool, b.log); err != nil {
			return 0, err
		}
		return time.Since(start), nil
	}
	cold, err := open()
	if err != nil {
		return err
	}
	warm, err := open()
	if err != nil {
		return err
	}
	b.check("cold start: initdb, start, migrate, seed", cold.Seconds(), 3, "s", "on disk, durable")
	b.check("warm start: start, migrate and seed (nothing to do)", warm.Seconds(), 1, "s", "")
	return nil
}

// syntheticDatabase creates (or finds, when kept) the database "bench"
// with n synthetic figures and returns its DSN.
func (b *bench) syntheticDatabase(ctx context.Context, srv *pglocal.Server, n int) (string, error) {
	admin, err := pgx.Connect(ctx, srv.DSN("postgres"))
	if err != nil {
		return "", err
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = 'bench')`).Scan(&exists); err != nil {
		return "", err
	}
	dsn := srv.DSN("bench")
	if exists {
		pool, err := postgres.Connect(ctx, dsn)
		if err != nil {
			return "", err
		}
		defer pool.Close()
		if err := migrateUp(ctx, pool); err != nil {
			return "", err
		}
		syn, _, err := postgres.New(pool).FigureOrigins(ctx)
		if err != nil {
			return "", err
		}
		if syn == n {
			b.info("synthetic database", fmt.Sprintf("%d figures", syn), "kept from an earlier run")
			return dsn, nil
		}
		pool.Close()
		if _, err := admin.Exec(ctx, `DROP DATABASE bench WITH (FORCE)`); err != nil {
			return "", err
		}
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE bench`); err != nil {
		return "", err
	}
	pool, err := postgres.Connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer pool.Close()
	if err := migrateUp(ctx, pool); err != nil {
		return "", err
	}
	start := time.Now()
	res, err := loadSynthetic(ctx, pool, 1, n, false)
	if err != nil {
		return "", err
	}
	el := time.Since(start)
	b.info("synthetic database: cadrestats synth", fmt.Sprintf("%.0f s", el.Seconds()),
		fmt.Sprintf("%d localities, %d sources, %d figures, %.0f figures/s", res.Localities, res.Sources, res.Figures, float64(res.Figures)/el.Seconds()))
	return dsn, nil
}

// pages renders each page in the process (no network) with its queries
// recorded, then replays those statements on a connection of its own
// (the application's settings), reading the rows without decoding them:
// what PostgreSQL needs for the page, against what the page takes.
func (b *bench) pages(ctx context.Context, pool *pgxpool.Pool, dsn string) error {
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	db := postgres.New(pool)
	var mu sync.Mutex
	var timing *postgres.Timing
	srv, err := server.New(server.Config{Stats: stats.NewService(db), Catalog: catalog, Versions: db, NoPageCache: true,
		Timing: func(ctx context.Context) (context.Context, func() (int, time.Duration)) {
			ctx, t := postgres.WithTiming(ctx, true)
			mu.Lock()
			timing = t
			mu.Unlock()
			return ctx, t.Result
		}})
	if err != nil {
		return err
	}
	// The replays run with the application's own session settings (plan
	// cache mode, parallel workers, timeouts): its pools are all made by
	// postgres.Open, and so is this one.
	replayPool, err := postgres.Open(ctx, dsn, postgres.PoolConfig{MaxConns: 1})
	if err != nil {
		return err
	}
	defer replayPool.Close()
	held, err := replayPool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer held.Release()
	replay := held.Conn()
	var small string
	if err := pool.QueryRow(ctx, `SELECT l.slug FROM localities l JOIN figure_key_counts k ON k.locality_id = l.id
		WHERE l.level = 'commune' GROUP BY l.slug HAVING sum(k.figures) BETWEEN 3 AND 10 ORDER BY l.slug LIMIT 1`).Scan(&small); err != nil {
		return fmt.Errorf("a small locality: %w", err)
	}
	var heavy int
	if err := pool.QueryRow(ctx, `SELECT coalesce(sum(k.figures), 0) FROM figure_key_counts k JOIN localities l ON l.id = k.locality_id
		WHERE l.slug = $1`, synth.HeavySlug).Scan(&heavy); err != nil {
		return err
	}
	total, err := db.CountFigures(ctx, stats.FigureFilter{}, 1<<30)
	if err != nil {
		return err
	}
	deep, err := db.Figures(ctx, stats.FigureFilter{Limit: 1, Offset: total * 8 / 10})
	if err != nil || len(deep) == 0 {
		return fmt.Errorf("a figure at 80 %%: %v", err)
	}
	cursor := stats.CursorOf(deep[0], "", false).String()
	b.printf("\npages (server time: median of %d renders; SQL: the same statements replayed; limit 1,5 × SQL + 5 ms and 100 ms)\n", b.repeats-1)
	if b.cpuProfile != "" {
		f, err := os.Create(b.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, pg := range []struct{ key, name, path string }{
		{"/", "/ (the five focus localities, " + strconv.Itoa(heavy) + " figures in " + synth.HeavySlug + ")", "/"},
		{"/localities/" + synth.HeavySlug, "/localities/" + synth.HeavySlug + " (" + strconv.Itoa(heavy) + " figures)", "/localities/" + synth.HeavySlug},
		{"a commune's page (a few figures)", "/localities/" + small + " (a few figures)", "/localities/" + small},
		{"", "/figures (first page)", "/figures"},
		{"", "/figures?after= (80 % deep)", "/figures?after=" + cursor},
		{"", "/figures?q=điều động", "/figures?q=%C4%91i%E1%BB%81u+%C4%91%E1%BB%99ng"},
		{"", "/figures?q=xuân quang (a rare phrase)", "/figures?q=xu%C3%A2n+quang"},
		{"", "/api/figures (100 figures)", "/api/figures"},
		{"", "/api/figures?limit=1000&after= (80 % deep)", "/api/figures?limit=1000&after=" + cursor},
	} {
		var app, sql []float64
		var queries int
		for i := range b.repeats {
			rec := httptest.NewRecorder()
			start := time.Now()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, pg.path, nil))
			el := time.Since(start)
			if rec.Code != http.StatusOK {
				return fmt.Errorf("%s: status %d", pg.path, rec.Code)
			}
			mu.Lock()
			sts := timing.Statements()
			mu.Unlock()
			d, err := replayStatements(ctx, replay, sts)
			if err != nil {
				return fmt.Errorf("%s: replay: %w", pg.path, err)
			}
			if i == 0 {
				continue // warms caches and plans
			}
			app, sql, queries = append(app, ms(el)), append(sql, ms(d)), len(sts)
		}
		a, q := median(app), median(sql)
		b.as(pg.key).check(pg.name, a, min(1.5*q+5, 100), "ms", fmt.Sprintf("SQL %.1f ms in %d queries; %.2f × SQL", q, queries, a/max(q, 0.001)))
	}
	// A repeat visit: answered before the handler runs.
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	var times []float64
	for range b.repeats {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
		r2 := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(r2, req)
		times = append(times, ms(time.Since(start)))
		if r2.Code != http.StatusNotModified {
			return fmt.Errorf("a repeat visit of / answered %d, not 304", r2.Code)
		}
	}
	b.check("/ repeat visit: 304 Not Modified from the ETag", median(times), 5, "ms", "")
	return nil
}

// replayStatements runs each statement as the page did, reading every row
// as raw bytes, and returns the time they took in all.
func replayStatements(ctx context.Context, conn *pgx.Conn, sts []postgres.Statement) (time.Duration, error) {
	var total time.Duration
	for _, st := range sts {
		start := time.Now()
		rows, err := conn.Query(ctx, st.SQL, st.Args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			_ = rows.RawValues()
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		total += time.Since(start)
	}
	return total, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// serving runs `cadrestats serve` on the synthetic database as its own
// process and measures it from outside: memory, throughput, exports. Each
// measure of memory starts a fresh process: Go returns memory to the
// system slowly, and one phase's peak would otherwise show in the next.
func (b *bench) serving(ctx context.Context, pool *pgxpool.Pool, dsn string) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	base, pid, stop, err := startServe(ctx, client, dsn)
	if err != nil {
		return err
	}
	time.Sleep(time.Second)
	b.printf("\nserving (cadrestats serve in its own process)\n")
	b.info("idle memory (RSS) after start", fmt.Sprintf("%.1f MB", rssMB(pid)), "")

	// Eight readers rendering the overview and the large locality afresh.
	peak := watchRSS(pid)
	var done atomic.Int64
	var wg sync.WaitGroup
	until := time.Now().Add(10 * time.Second)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := "/"
			if i%2 == 1 {
				path = "/localities/" + synth.HeavySlug
			}
			for time.Now().Before(until) {
				req, _ := http.NewRequest(http.MethodGet, base+path, nil)
				req.Header.Set("Cache-Control", "no-cache")
				req.Header.Set("Accept-Encoding", "gzip")
				if resp, err := client.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	b.check("RSS with eight readers rendering / and "+synth.HeavySlug+" for 10 s", peak(), 128, "MB",
		fmt.Sprintf("%d renders, %.0f/s", done.Load(), float64(done.Load())/10))

	// Throughput under wrk: the overview as a first visit (answered from
	// the page cache after its first render), against a static file.
	if wrk, err := exec.LookPath("wrk"); err != nil {
		b.info("overview throughput", "not measured", "wrk is not installed (apt-get install wrk)")
	} else {
		asset, err := assetURL(client, base)
		if err != nil {
			stop()
			return err
		}
		static := runWrk(ctx, wrk, base+asset, b.wrkFor)
		page := runWrk(ctx, wrk, base+"/", b.wrkFor)
		etag := ""
		if resp, err := client.Get(base + "/"); err == nil {
			etag = resp.Header.Get("ETag")
			resp.Body.Close()
		}
		revisit := runWrk(ctx, wrk, base+"/", b.wrkFor, "If-None-Match: "+etag)
		fresh := runWrk(ctx, wrk, base+"/", b.wrkFor, "Cache-Control: no-cache")
		b.info("wrk -c 64: a static file (the stylesheet, gzipped)", fmt.Sprintf("%.0f req/s", static), asset)
		b.atLeast("wrk -c 64: / first visits against the static file", page/max(static, 1), 0.5, "x",
			fmt.Sprintf("%.0f req/s (rendered once, then the page cache)", page))
		b.atLeast("wrk -c 64: / repeat visits (304) against the static file", revisit/max(static, 1), 0.5, "x",
			fmt.Sprintf("%.0f req/s", revisit))
		b.info("wrk -c 64: / rendered every time (no-cache)", fmt.Sprintf("%.0f req/s", fresh),
			fmt.Sprintf("%.3f × the static file", fresh/max(static, 1)))
	}
	stop()

	// Exports, each in a fresh process, against COPY of the same statement.
	db := postgres.New(pool)
	for _, e := range []struct {
		name string
		flt  stats.FigureFilter
		q    string
	}{{"of " + synth.HeavySlug, stats.FigureFilter{Localities: []string{synth.HeavySlug}}, "?locality=" + synth.HeavySlug},
		{"all", stats.FigureFilter{}, ""}} {
		base, pid, stop, err := startServe(ctx, client, dsn)
		if err != nil {
			return err
		}
		rows, _, el, rss, err := download(client, base+"/export.csv"+e.q, pid)
		stop()
		if err != nil {
			return err
		}
		copyEl, err := copyExport(ctx, pool, db, e.flt)
		if err != nil {
			return err
		}
		rate, copyRate := float64(rows)/el.Seconds(), float64(rows)/copyEl.Seconds()
		b.as("CSV export "+e.name+": rows/s against COPY's").atLeast(fmt.Sprintf("CSV export %s (%d rows): rows/s against COPY's", e.name, rows), rate/copyRate, 0.7, "x",
			fmt.Sprintf("%.2f s (%.0fk rows/s); COPY %.2f s (%.0fk rows/s)", el.Seconds(), rate/1000, copyEl.Seconds(), copyRate/1000))
		b.as("CSV export "+e.name+": peak RSS").check(fmt.Sprintf("CSV export %s (%d rows): peak RSS", e.name, rows), rss, 64, "MB", "")
	}
	base, pid, stop, err = startServe(ctx, client, dsn)
	if err != nil {
		return err
	}
	size, sheets, el, rss, err := download(client, base+"/export.xlsx", pid)
	stop()
	if err != nil {
		return err
	}
	total, err := db.CountFigures(ctx, stats.FigureFilter{}, 1<<30)
	if err != nil {
		return err
	}
	// 15 s a million figures (the limit set at a million): the export
	// streams, its time can only grow with its rows.
	perMillion := max(1, float64(total)/1e6)
	b.check("XLSX export, all: time", el.Seconds(), 15*perMillion, "s",
		fmt.Sprintf("%.1f MB written; %.1f s a million figures", float64(size)/1e6, el.Seconds()/perMillion))
	b.check("XLSX export, all: peak RSS", rss, 128, "MB", "")
	// A sheet holds 1.048.576 rows, its header one of them; the sources
	// follow on sheets of their own.
	need := (total+excelSheetRows-1)/excelSheetRows + 1
	b.add(result{Name: "XLSX export, all: sheets", Measured: strconv.Itoa(sheets), Limit: "≥ " + strconv.Itoa(need),
		OK: sheets >= need, Note: fmt.Sprintf("%d figures, at most %d rows below the header a sheet", total, excelSheetRows)})
	return nil
}

// excelSheetRows is how many rows below its header an Excel sheet holds.
const excelSheetRows = 1<<20 - 1

// sheetCounter counts the worksheets of a zip stream as it passes: each
// is a local file header ("PK\x03\x04", 26 bytes, then the name
// xl/worksheets/sheetN.xml), the names stored as they are.
type sheetCounter struct {
	tail   []byte // the end of the previous write, for a header cut in two
	sheets int
}

var sheetName = []byte("xl/worksheets/sheet")

func (c *sheetCounter) Write(p []byte) (int, error) {
	buf := append(c.tail, p...)
	for i := 0; ; {
		j := bytes.Index(buf[i:], sheetName)
		if j < 0 {
			break
		}
		at := i + j
		if at >= 30 && at+len(sheetName) > len(c.tail) && bytes.Equal(buf[at-30:at-26], []byte("PK\x03\x04")) {
			c.sheets++
		}
		i = at + 1
	}
	keep := min(len(buf), 64)
	c.tail = append(c.tail[:0], buf[len(buf)-keep:]...)
	return len(p), nil
}

// startServe starts `cadrestats serve` on dsn at a free loopback port and
// waits until it is ready.
func startServe(ctx context.Context, client *http.Client, dsn string) (base string, pid int, stop func(), err error) {
	exe, err := os.Executable()
	if err != nil {
		return "", 0, nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", 0, nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.CommandContext(ctx, exe, "serve", "-skip-migrate")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "CADRESTATS_ADDR="+addr, "CADRESTATS_LOG_FORMAT=json",
		"CADRESTATS_ADMIN_PASSWORD=bench-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return "", 0, nil, err
	}
	stop = func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}
	base = "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, cmd.Process.Pid, stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return "", 0, nil, errors.New("cadrestats serve did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var cssHref = regexp.MustCompile(`href="(/static/[^"]+\.css)"`)

func assetURL(client *http.Client, base string) (string, error) {
	resp, err := client.Get(base + "/")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := cssHref.FindSubmatch(body)
	if m == nil {
		return "", errors.New("no stylesheet on /")
	}
	return string(m[1]), nil
}

var wrkRate = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

// runWrk runs wrk with 64 connections on two threads, as a browser asks
// (gzip accepted), and returns the requests per second.
func runWrk(ctx context.Context, wrk, url string, d time.Duration, headers ...string) float64 {
	args := []string{"-t", "2", "-c", "64", "-d", fmt.Sprintf("%ds", int(d.Seconds())), "-H", "Accept-Encoding: gzip"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	out, err := exec.CommandContext(ctx, wrk, append(args, url)...).CombinedOutput()
	if err != nil {
		return 0
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// download reads an export whole, counting its lines (or, for XLSX, its
// bytes and worksheets), and watches the server's memory meanwhile.
func download(client *http.Client, url string, pid int) (int, int, time.Duration, float64, error) {
	peak := watchRSS(pid)
	start := time.Now()
	resp, err := client.Get(url)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, 0, 0, 0, fmt.Errorf("%s: %s", url, resp.Status)
	}
	var sheets sheetCounter
	n := 0
	if strings.HasSuffix(strings.SplitN(url, "?", 2)[0], ".csv") {
		sc := bufio.NewReaderSize(resp.Body, 1<<20)
		for {
			line, err := sc.ReadSlice('\n')
			if len(line) > 0 && line[len(line)-1] == '\n' {
				n++
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil {
				break
			}
		}
		n-- // the header
	} else {
		c, err := io.Copy(&sheets, resp.Body)
		if err != nil {
			return 0, 0, 0, 0, err
		}
		n = int(c)
	}
	return n, sheets.sheets, time.Since(start), peak(), nil
}

// copyExport runs the export's own statement under COPY … TO STDOUT WITH
// CSV, reading it all: the fastest PostgreSQL can hand over those rows.
func copyExport(ctx context.Context, pool *pgxpool.Pool, db *postgres.DB, flt stats.FigureFilter) (time.Duration, error) {
	sql, args, err := db.ExportQuery(ctx, flt)
	if err != nil {
		return 0, err
	}
	// COPY takes no parameters: the filter's ids and keys go in as literals.
	for i := len(args); i >= 1; i-- {
		lit := ""
		switch v := args[i-1].(type) {
		case int64:
			lit = strconv.FormatInt(v, 10)
		case []int64:
			parts := make([]string, len(v))
			for j, x := range v {
				parts[j] = strconv.FormatInt(x, 10)
			}
			lit = "'{" + strings.Join(parts, ",") + "}'::bigint[]"
		default:
			return 0, fmt.Errorf("copy export: argument %T", v)
		}
		sql = strings.ReplaceAll(sql, "$"+strconv.Itoa(i), lit)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	start := time.Now()
	if _, err := conn.Conn().PgConn().CopyTo(ctx, io.Discard, "COPY ("+sql+") TO STDOUT WITH CSV"); err != nil {
		return 0, fmt.Errorf("copy export: %w", err)
	}
	return time.Since(start), nil
}

// loadAverage is the machine's load, from /proc: the figures are only as
// good as the machine was quiet.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// rssMB is a process's resident memory now, from /proc.
func rssMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// watchRSS samples a process's memory every 10 ms until the returned
// function is called, which tells the highest seen.
func watchRSS(pid int) func() float64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if v := uint64(rssMB(pid) * 1024); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(stop)
		<-done
		return float64(peak.Load()) / 1024
	}
}
