package pglocal_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cadrestats/cadrestats/internal/pglocal"
)

// TestStandbyStreamsFromThePrimary: a standby copied with pg_basebackup
// answers read-only queries, receives what the primary writes next, and
// resumes streaming after a restart.
func TestStandbyStreamsFromThePrimary(t *testing.T) {
	needBinaries(t)
	start := time.Now()
	primary, err := pglocal.Start(t.Context(), pglocal.Options{Dir: tempDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { primary.Stop() })
	exec(t, primary.DSN("postgres"), "CREATE TABLE kept (x int); INSERT INTO kept VALUES (1)")

	standbyDir := tempDir(t)
	opts := pglocal.Options{Dir: standbyDir, Primary: primary.DSN("postgres")}
	t0 := time.Now()
	standby, err := pglocal.Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("primary ready in %v, standby (pg_basebackup + start) in %v",
		t0.Sub(start).Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))
	t.Cleanup(func() { standby.Stop() }) // before the primary: cleanups run last first

	var inRecovery bool
	queryRow(t, standby.DSN("postgres"), "SELECT pg_is_in_recovery()", &inRecovery)
	if !inRecovery {
		t.Fatal("the standby is not in recovery: it is a second primary")
	}
	if n := query(t, standby.DSN("postgres")); n != 1 {
		t.Errorf("the standby has %d rows of the copy, want 1", n)
	}
	exec(t, primary.DSN("postgres"), "INSERT INTO kept VALUES (2)")
	waitRows(t, standby.DSN("postgres"), 2)

	err = execErr(t, standby.DSN("postgres"), "INSERT INTO kept VALUES (3)")
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "25006" { // read_only_sql_transaction
		t.Errorf("write on the standby: %v, want SQLSTATE 25006", err)
	}

	// Stopped, it misses a write; started again, it catches up by itself.
	standby.Stop()
	exec(t, primary.DSN("postgres"), "INSERT INTO kept VALUES (3)")
	if standby, err = pglocal.Start(t.Context(), opts); err != nil {
		t.Fatalf("restart the standby: %v", err)
	}
	t.Cleanup(func() { standby.Stop() })
	waitRows(t, standby.DSN("postgres"), 3)
	queryRow(t, standby.DSN("postgres"), "SELECT pg_is_in_recovery()", &inRecovery)
	if !inRecovery {
		t.Error("after a restart the standby is no longer in recovery")
	}
}

func exec(t *testing.T, dsn, sql string) {
	t.Helper()
	if err := execErr(t, dsn, sql); err != nil {
		t.Fatal(err)
	}
}

func execErr(t *testing.T, dsn, sql string) error {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(t.Context(), sql)
	return err
}

func queryRow(t *testing.T, dsn, sql string, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(t.Context(), sql).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// waitRows waits for the standby to replay up to n rows: up to a minute,
// which it takes only if it never does, even on a loaded machine.
func waitRows(t *testing.T, dsn string, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		got := query(t, dsn)
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby has %d rows after a minute, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
