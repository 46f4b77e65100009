package servertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// waitBound is how long WaitFor waits: far longer than anything a test
// waits for takes on a loaded machine, so that it fails only when the
// thing never happens.
const waitBound = time.Minute

// WaitFor polls cond until it holds, failing the test if it still does not
// after a minute. Tests wait on what they need to have happened (a query
// blocked on a lock, a request queueing), never for a fixed time.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitBound)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", waitBound, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// WaitForLockWaiters waits until at least n queries on pool's database
// wait for a lock (LockFigures): the requests that run them have taken
// their database slot and are stuck there.
func WaitForLockWaiters(t testing.TB, pool *pgxpool.Pool, n int) {
	t.Helper()
	WaitFor(t, fmt.Sprintf("%d queries waiting on a lock", n), func() bool {
		var waiting int
		if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		return waiting >= n
	})
}
