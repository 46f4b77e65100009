package pgtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/pglocal"
	"github.com/cadrestats/cadrestats/internal/postgres"
)

// pair is a private primary and a hot standby of it, started by the first
// NewReplicated of a test binary and stopped by Run. It is a cluster of
// its own: a standby replicates a whole cluster, and pausing its replay
// must not touch the databases other tests use.
var pair struct {
	mu       sync.Mutex // held by the one test using the pair
	started  bool
	err      error
	dir      string
	primary  *pglocal.Server
	standby  *pglocal.Server
	template string
	counter  int
}

// Replicated is one test's database on a primary and on a hot standby
// streaming from it. Tests using it run one at a time, since pausing
// replay or stopping the standby is for the whole cluster: NewReplicated
// waits for the previous one to end, so such a test must not call
// t.Parallel (it would wait holding the pair).
type Replicated struct {
	Primary    *pgxpool.Pool // the database on the primary
	Replica    *pgxpool.Pool // the same database on the standby
	PrimaryDSN string
	ReplicaDSN string

	t       testing.TB
	name    string
	paused  bool
	stopped bool
}

// NewReplicated returns a fresh seeded database on the primary, already
// replayed on the standby. The standby is restarted and its replay resumed
// when the test ends, whatever the test did to them.
func NewReplicated(t testing.TB) *Replicated {
	t.Helper()
	if _, err := pglocal.FindBinDir(); err != nil {
		// Like the launcher's own tests: a machine with TEST_DATABASE_URL
		// and no local server binaries skips these, CI does not.
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	pair.mu.Lock()
	t.Cleanup(pair.mu.Unlock)
	if !pair.started {
		pair.started = true
		pair.err = startPair(context.Background())
	}
	if pair.err != nil {
		t.Fatalf("no replicated test servers: %v", pair.err)
	}
	pair.counter++
	r := &Replicated{t: t, name: fmt.Sprintf("repl_%d", pair.counter)}
	t.Cleanup(r.restore)
	if err := execOn(t.Context(), pair.primary.DSN("postgres"), "CREATE DATABASE "+r.name+" TEMPLATE "+pair.template); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = execOn(context.Background(), pair.primary.DSN("postgres"), "DROP DATABASE IF EXISTS "+r.name+" WITH (FORCE)")
	})
	r.WaitReplayed()
	var err error
	r.PrimaryDSN = pair.primary.DSN(r.name)
	if r.Primary, err = postgres.Connect(t.Context(), r.PrimaryDSN); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Primary.Close)
	r.ReplicaDSN = pair.standby.DSN(r.name)
	if r.Replica, err = postgres.Connect(t.Context(), r.ReplicaDSN); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Replica.Close)
	return r
}

func startPair(ctx context.Context) error {
	start := time.Now()
	dir, err := os.MkdirTemp(tmpBase(), "cadrestats-replica-")
	if err != nil {
		return err
	}
	_ = os.Chmod(dir, 0o755)
	pair.dir = dir
	if pair.primary, err = pglocal.Start(ctx, pglocal.Options{Dir: filepath.Join(dir, "primary")}); err != nil {
		return err
	}
	// A table the standby must show before WaitReplayed returns.
	if err := execOn(ctx, pair.primary.DSN("postgres"), "CREATE TABLE replay_marker (n bigint NOT NULL); INSERT INTO replay_marker VALUES (0)"); err != nil {
		return err
	}
	pair.template = "repl_tpl"
	if err := execOn(ctx, pair.primary.DSN("postgres"), "CREATE DATABASE "+pair.template); err != nil {
		return err
	}
	pool, err := postgres.Connect(ctx, pair.primary.DSN(pair.template))
	if err != nil {
		return err
	}
	err = migrateAndSeed(ctx, pool, true)
	pool.Close()
	if err != nil {
		return fmt.Errorf("prepare %s: %w", pair.template, err)
	}
	if err := startStandby(ctx); err != nil {
		return err
	}
	if os.Getenv("PGTEST_VERBOSE") != "" {
		fmt.Fprintf(os.Stderr, "pgtest: primary and standby ready in %v\n", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func startStandby(ctx context.Context) error {
	var err error
	pair.standby, err = pglocal.Start(ctx, pglocal.Options{Dir: filepath.Join(pair.dir, "standby"), Primary: pair.primary.DSN("postgres")})
	return err
}

// stopPair stops the servers, the standby first: a primary shutting down
// waits for its standbys to receive the last WAL.
func stopPair() {
	if !pair.started {
		return
	}
	pair.standby.Stop()
	pair.primary.Stop()
	if pair.dir != "" {
		_ = os.RemoveAll(pair.dir)
	}
}

// PauseReplay stops the standby applying WAL: what the primary commits
// from now on is not visible on the standby until ResumeReplay.
func (r *Replicated) PauseReplay() {
	r.t.Helper()
	r.onStandby("SELECT pg_wal_replay_pause()")
	r.paused = true
}

// ResumeReplay lets the standby catch up.
func (r *Replicated) ResumeReplay() {
	r.t.Helper()
	r.onStandby("SELECT pg_wal_replay_resume()")
	r.paused = false
}

// WaitReplayed waits until the standby has replayed everything the
// primary committed before the call: it writes a marker on the primary,
// durably, and waits for the standby to show it (up to a minute: only a
// standby that never catches up takes that long, even on a loaded machine).
func (r *Replicated) WaitReplayed() {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var want int64
	err := withConn(ctx, pair.primary.DSN("postgres"), func(c *pgx.Conn) error {
		// Durably: test servers commit asynchronously, which would leave
		// the marker in the primary's buffers for up to 200 ms.
		if _, err := c.Exec(ctx, "SET synchronous_commit = on"); err != nil {
			return err
		}
		return c.QueryRow(ctx, "UPDATE replay_marker SET n = n + 1 RETURNING n").Scan(&want)
	})
	if err != nil {
		r.t.Fatalf("write the replay marker: %v", err)
	}
	err = withConn(ctx, pair.standby.DSN("postgres"), func(c *pgx.Conn) error {
		for {
			var got int64
			if err := c.QueryRow(ctx, "SELECT n FROM replay_marker").Scan(&got); err != nil {
				return err
			}
			if got >= want {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("the standby shows marker %d, want %d: %w", got, want, ctx.Err())
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	if err != nil {
		r.t.Fatalf("wait for the standby to replay: %v", err)
	}
}

// StopReplica stops the standby server (fast shutdown).
func (r *Replicated) StopReplica() {
	r.t.Helper()
	pair.standby.Stop()
	r.stopped = true
}

// StartReplica starts the standby again; it resumes streaming by itself.
func (r *Replicated) StartReplica() {
	r.t.Helper()
	if err := startStandby(context.Background()); err != nil {
		r.t.Fatalf("restart the standby: %v", err)
	}
	r.stopped, r.paused = false, false // a restarted standby replays
}

// restore leaves the pair as the next test expects it.
func (r *Replicated) restore() {
	if r.stopped {
		if err := startStandby(context.Background()); err != nil {
			pair.err = fmt.Errorf("restart the standby after %s: %w", r.t.Name(), err)
		}
		return
	}
	if r.paused {
		_ = execOn(context.Background(), pair.standby.DSN("postgres"), "SELECT pg_wal_replay_resume()")
	}
}

func (r *Replicated) onStandby(sql string) {
	r.t.Helper()
	if err := execOn(context.Background(), pair.standby.DSN("postgres"), sql); err != nil {
		r.t.Fatal(err)
	}
}

func execOn(ctx context.Context, dsn, sql string) error {
	return withConn(ctx, dsn, func(c *pgx.Conn) error {
		if _, err := c.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
		return nil
	})
}

func withConn(ctx context.Context, dsn string, fn func(*pgx.Conn) error) error {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	return fn(c)
}
