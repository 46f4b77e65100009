package pglocal_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/pglocal"
)

// tempDir is reachable by the postgres user when tests run as root
// (t.TempDir's parent is 0700).
func tempDir(t *testing.T) string {
	t.Helper()
	base := ""
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		base = "/dev/shm"
	}
	d, err := os.MkdirTemp(base, "pglocal-test-")
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(d, 0o755)
	t.Cleanup(func() { os.RemoveAll(d) })
	return filepath.Join(d, "data")
}

func needBinaries(t *testing.T) {
	t.Helper()
	if _, err := pglocal.FindBinDir(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

func query(t *testing.T, dsn string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM kept").Scan(&n); err != nil {
		t.Fatalf("query: %v", err)
	}
	return n
}

func TestDataSurvivesRestartAndCrash(t *testing.T) {
	needBinaries(t)
	dir := tempDir(t)
	srv, err := pglocal.Start(t.Context(), pglocal.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(t.Context(), srv.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), "CREATE TABLE kept (x int); INSERT INTO kept VALUES (1), (2)"); err != nil {
		t.Fatal(err)
	}
	conn.Close(t.Context())
	srv.Stop()
	if _, err := os.Stat(filepath.Join(dir, "pgdata", "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid still there after Stop: %v", err)
	}

	srv, err = pglocal.Start(t.Context(), pglocal.Options{Dir: dir})
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	if n := query(t, srv.DSN("postgres")); n != 2 {
		t.Errorf("after restart: %d rows, want 2", n)
	}

	// A crash leaves postmaster.pid behind; the next start must recover.
	pid := postmasterPID(t, dir)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGone(pid)
	if _, err := os.Stat(filepath.Join(dir, "pgdata", "postmaster.pid")); err != nil {
		t.Fatalf("expected a stale postmaster.pid after the crash: %v", err)
	}
	srv2, err := pglocal.Start(t.Context(), pglocal.Options{Dir: dir})
	if err != nil {
		t.Fatalf("start after crash: %v", err)
	}
	defer srv2.Stop()
	if n := query(t, srv2.DSN("postgres")); n != 2 {
		t.Errorf("after crash: %d rows, want 2", n)
	}
	srv.Stop() // its process is gone already: must not hang or panic
}

func TestSecondStartSharesTheRunningServer(t *testing.T) {
	needBinaries(t)
	dir := tempDir(t)
	first, err := pglocal.Start(t.Context(), pglocal.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Stop()
	second, err := pglocal.Start(t.Context(), pglocal.Options{Dir: dir})
	if err != nil {
		t.Fatalf("second start (e.g. `cadrestats export` beside `serve`): %v", err)
	}
	second.Stop() // must not stop the first one's server
	conn, err := pgx.Connect(t.Context(), first.DSN("postgres"))
	if err != nil {
		t.Fatalf("the first server was stopped by the second's Stop: %v", err)
	}
	conn.Close(t.Context())
}

func TestMissingBinariesSayWhatToDo(t *testing.T) {
	_, err := pglocal.Start(t.Context(), pglocal.Options{Dir: t.TempDir(), BinDir: t.TempDir()})
	if !errors.Is(err, pglocal.ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	for _, hint := range []string{"apt-get install postgresql", "DATABASE_URL", "docker compose up"} {
		if !strings.Contains(err.Error(), hint) {
			t.Errorf("message %q does not mention %q", err, hint)
		}
	}
}

func postmasterPID(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "pgdata", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	for _, c := range strings.SplitN(string(b), "\n", 2)[0] {
		pid = pid*10 + int(c-'0')
	}
	return pid
}

func waitGone(pid int) {
	for i := 0; i < 500; i++ {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		syscall.Nanosleep(&syscall.Timespec{Nsec: 10e6}, nil)
	}
}

// TestRootWithAClosedHome: as root, a data directory under a folder other
// users cannot enter (root's home) is kept where the postgres user can
// reach it, rather than failing.
func TestRootWithAClosedHome(t *testing.T) {
	needBinaries(t)
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to the postgres user")
	}
	closed := filepath.Dir(tempDir(t))
	if err := os.Chmod(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	fallback := filepath.Dir(tempDir(t))
	srv, err := pglocal.Start(t.Context(), pglocal.Options{Dir: filepath.Join(closed, "project", ".data"), FallbackDir: fallback})
	if err != nil {
		t.Fatalf("start under a closed folder: %v", err)
	}
	defer srv.Stop()
	conn, err := pgx.Connect(t.Context(), srv.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	conn.Close(t.Context())
	if !strings.HasPrefix(srv.DSN("postgres"), "host="+fallback) {
		t.Errorf("DSN %q: the data is not under the fallback %s", srv.DSN("postgres"), fallback)
	}
}
