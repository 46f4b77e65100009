// Package pgtest gives tests a real PostgreSQL: one private server per test
// binary (or the server at TEST_DATABASE_URL) and a fresh database per
// test, cloned from a template that is migrated (and seeded) once.
package pgtest

import (
	"context"
	"fmt"
	"iter"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/pglocal"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/synth"
	"github.com/cadrestats/cadrestats/seed"
)

// harness is per test binary: Run sets it up before any test runs.
var harness struct {
	admin    *pgx.ConnConfig // maintenance connection (database "postgres")
	dsn      string
	prefix   string // names of this binary's databases
	counter  atomic.Int64
	mu       sync.Mutex // CREATE DATABASE … TEMPLATE must not overlap on one template
	startErr error
}

// Run starts the server, prepares the templates, runs the tests and stops
// the server. Use it from TestMain: os.Exit(pgtest.Run(m)).
func Run(m *testing.M) int {
	defer stopPair() // the replicated servers, if a test started them
	ctx := context.Background()
	var srv *pglocal.Server
	dsn := os.Getenv("TEST_DATABASE_URL")
	if dsn == "" {
		dir, err := os.MkdirTemp(tmpBase(), "cadrestats-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		_ = os.Chmod(dir, 0o755)
		srv, err = pglocal.Start(ctx, pglocal.Options{Dir: dir + "/pg"})
		if err != nil {
			// Tests that need no database still run; NewDB reports this.
			harness.startErr = err
		} else {
			defer srv.Stop()
			dsn = srv.DSN("postgres")
		}
	}
	if harness.startErr == nil {
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: TEST_DATABASE_URL:", err)
			return 1
		}
		harness.admin, harness.dsn = cfg, dsn
		harness.prefix = fmt.Sprintf("cst_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
		if err := prepareTemplates(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
			return 1
		}
		defer dropAll(ctx)
	}
	return m.Run()
}

func tmpBase() string {
	// tmpfs makes CREATE DATABASE and migrations several times faster.
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		return "/dev/shm"
	}
	return ""
}

func templateName(seeded bool) string {
	if seeded {
		return harness.prefix + "_tpl_seeded"
	}
	return harness.prefix + "_tpl"
}

func prepareTemplates(ctx context.Context) error {
	for _, seeded := range []bool{false, true} {
		name := templateName(seeded)
		if err := adminExec(ctx, "CREATE DATABASE "+name); err != nil {
			return err
		}
		pool, err := postgres.Connect(ctx, dsnFor(name))
		if err != nil {
			return err
		}
		err = migrateAndSeed(ctx, pool, seeded)
		pool.Close()
		if err != nil {
			return fmt.Errorf("prepare %s: %w", name, err)
		}
	}
	return nil
}

func migrateAndSeed(ctx context.Context, pool *pgxpool.Pool, seeded bool) error {
	m, err := postgres.NewMigrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Up(ctx); err != nil {
		return err
	}
	if !seeded {
		return nil
	}
	ds, err := seed.Load(seed.Files())
	if err != nil {
		return err
	}
	_, err = postgres.New(pool).Seed(ctx, ds)
	return err
}

func dropAll(ctx context.Context) {
	conn, err := pgx.ConnectConfig(ctx, harness.admin)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE $1", harness.prefix+"%")
	if err != nil {
		return
	}
	names, _ := pgx.CollectRows(rows, pgx.RowTo[string])
	for _, n := range names {
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)")
	}
}

func adminExec(ctx context.Context, sql string) error {
	conn, err := pgx.ConnectConfig(ctx, harness.admin)
	if err != nil {
		return fmt.Errorf("connect to test server: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// dsnFor names another database on the same server: a later dbname
// setting overrides the earlier one in both DSN forms.
func dsnFor(db string) string {
	switch {
	case !strings.Contains(harness.dsn, "://"):
		return harness.dsn + " dbname=" + db
	case strings.Contains(harness.dsn, "?"):
		return harness.dsn + "&dbname=" + db
	default:
		return harness.dsn + "?dbname=" + db
	}
}

// NewDB returns a pool on a fresh, migrated, empty database, dropped when
// the test ends.
func NewDB(t testing.TB) *pgxpool.Pool { return newDB(t, false) }

// NewSeededDB returns a pool on a fresh database holding the seed data.
func NewSeededDB(t testing.TB) *pgxpool.Pool { return newDB(t, true) }

// DSN returns a connection string for a fresh database created from the
// given template ("" for an empty, unmigrated database), dropped when the
// test ends: for tests that open their own connections (CLI, migrations).
func DSN(t testing.TB, kind string) string {
	t.Helper()
	name := createDB(t, kind)
	return dsnFor(name)
}

func newDB(t testing.TB, seeded bool) *pgxpool.Pool {
	t.Helper()
	kind := "migrated"
	if seeded {
		kind = "seeded"
	}
	name := createDB(t, kind)
	pool, err := postgres.Connect(t.Context(), dsnFor(name))
	if err != nil {
		t.Fatalf("connect to test database: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// createDB makes a database; kind is "", "migrated" or "seeded".
func createDB(t testing.TB, kind string) string {
	t.Helper()
	if harness.startErr != nil {
		t.Fatalf("no test database: %v", harness.startErr)
	}
	if harness.admin == nil {
		t.Fatal("pgtest: call pgtest.Run from TestMain")
	}
	name := fmt.Sprintf("%s_%d", harness.prefix, harness.counter.Add(1))
	sql := "CREATE DATABASE " + name
	if kind != "" {
		sql += " TEMPLATE " + templateName(kind == "seeded")
	}
	harness.mu.Lock()
	err := adminExec(context.Background(), sql)
	harness.mu.Unlock()
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		_ = adminExec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return name
}

// sizedTemplates are template databases filled once per test binary and
// size, on top of the migrated (or seeded) template.
type sizedTemplates struct {
	mu     sync.Mutex
	built  map[int]string
	kind   string
	seeded bool
	fill   func(ctx context.Context, pool *pgxpool.Pool, n int) error
}

func (s *sizedTemplates) template(n int) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name, ok := s.built[n]; ok {
		return name, nil
	}
	if harness.startErr != nil {
		return "", harness.startErr
	}
	ctx := context.Background()
	name := fmt.Sprintf("%s_tpl_%s_%d", harness.prefix, s.kind, n)
	harness.mu.Lock()
	err := adminExec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+templateName(s.seeded))
	harness.mu.Unlock()
	if err != nil {
		return "", err
	}
	pool, err := postgres.Connect(ctx, dsnFor(name))
	if err != nil {
		return "", err
	}
	defer pool.Close()
	if err := s.fill(ctx, pool, n); err != nil {
		return "", fmt.Errorf("fill %s template with %d figures: %w", s.kind, n, err)
	}
	if s.built == nil {
		s.built = map[int]string{}
	}
	s.built[n] = name
	return name, nil
}

// clone returns a fresh database cloned from the sized template of n,
// dropped when the test ends.
func (s *sizedTemplates) clone(t testing.TB, n int) *pgxpool.Pool {
	t.Helper()
	name, err := s.template(n)
	if err != nil {
		t.Fatalf("%s database: %v", s.kind, err)
	}
	db := fmt.Sprintf("%s_%d", harness.prefix, harness.counter.Add(1))
	harness.mu.Lock()
	err = adminExec(context.Background(), "CREATE DATABASE "+db+" TEMPLATE "+name)
	harness.mu.Unlock()
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { _ = adminExec(context.Background(), "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)") })
	pool, err := postgres.Connect(t.Context(), dsnFor(db))
	if err != nil {
		t.Fatalf("connect to test database: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// synthetic: cadrestats synth into a migrated database with the seed's
// reference data.
var synthetic = &sizedTemplates{kind: "synth", fill: func(ctx context.Context, pool *pgxpool.Pool, n int) error {
	return LoadSynthetic(ctx, pool, 1, n)
}}

// NewSyntheticDB returns a fresh database holding the seed's localities,
// indicators and terms and n synthetic figures (seed 1), cloned from a
// template built once per test binary and size.
func NewSyntheticDB(t testing.TB, n int) *pgxpool.Pool {
	t.Helper()
	return synthetic.clone(t, n)
}

// LoadSynthetic does what cadrestats synth does to a migrated database:
// the seed's reference data, the synthetic country, its sources and n
// figures.
func LoadSynthetic(ctx context.Context, pool *pgxpool.Pool, seedN uint64, n int) error {
	ds, err := seed.Load(seed.Files())
	if err != nil {
		return err
	}
	db := postgres.New(pool)
	if _, err := db.Seed(ctx, stats.Dataset{Localities: ds.Localities, Indicators: ds.Indicators, Terms: ds.Terms}); err != nil {
		return err
	}
	known, err := db.Localities(ctx)
	if err != nil {
		return err
	}
	_, err = db.BulkLoad(ctx, synth.Localities(seedN, known), func(refs stats.BulkRefs) (iter.Seq[stats.Source], iter.Seq[stats.LoadFigure], error) {
		g, err := synth.New(synth.Options{Seed: seedN, Figures: n}, refs)
		if err != nil {
			return nil, nil, err
		}
		return g.Sources(), g.Figures(), nil
	})
	return err
}

// imported: the seed plus an editor's bulk import, one per size.
var imported = &sizedTemplates{kind: "imported", seeded: true, fill: ImportCopies}

// ImportedLocality is the locality NewImportedDB imports into.
const ImportedLocality = synth.ImportedLocality

// NewImportedDB returns a fresh database holding the seed and n more
// figures of Điện Biên shaped as an editor's import leaves them (see
// ImportCopies): copies of its own rotation rows, one period, every copy
// complete, so that the indicator's total (164) and the part the copies
// promote (126) disagree 100.000 times over. This is the data shape that
// filled memory in issue 20: all of a locality's figures tied on one
// latest period. Cloned from a template built once per size.
func NewImportedDB(t testing.TB, n int) *pgxpool.Pool {
	t.Helper()
	return imported.clone(t, n)
}

// ImportCopies adds n figures to ImportedLocality as an editor's import
// shapes them (synth.ImportCopies, which the benchmark shares).
func ImportCopies(ctx context.Context, pool *pgxpool.Pool, n int) error {
	return synth.ImportCopies(ctx, postgres.New(pool), n)
}
