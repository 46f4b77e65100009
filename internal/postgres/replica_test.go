package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
)

func TestParseLSNAndRecordEnd(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want uint64
	}{
		{"0/0", 0}, {"0/3000028", 0x3000028}, {"16/B374D848", 0x16<<32 | 0xB374D848}, {"FFFFFFFF/FFFFFFFF", 1<<64 - 1},
	} {
		if got, err := postgres.ParseLSN(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseLSN(%q) = %X, %v; want %X", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "0", "0/", "/1", "x/1", "1/2/3", "100000000/0"} {
		if _, err := postgres.ParseLSN(in); err == nil {
			t.Errorf("ParseLSN(%q): no error", in)
		}
	}
	const blk, seg = 8192, 16 << 20
	for _, tt := range []struct {
		name       string
		next, want uint64
	}{
		{"mid-page", 0x3000128, 0x3000128},
		{"after a segment's long header", 0x3000028, 0x3000000}, // seen after pg_basebackup's WAL switch
		{"after a page's short header", 0x3002018, 0x3002000},
		{"page offset 40 is not a segment start", 0x3002028, 0x3002028},
		{"segment offset 24 is inside the long header", 0x3000018, 0x3000018},
	} {
		if got := postgres.RecordEnd(tt.next, blk, seg); got != tt.want {
			t.Errorf("%s: RecordEnd(%X) = %X, want %X", tt.name, tt.next, got, tt.want)
		}
	}
}

// clock is a test clock: the replica's lag is measured with it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time             { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration)        { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }
func newClock() *clock                      { return &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} }
func usable(st postgres.ReplicaStatus) bool { return st.Usable }

func newReplica(t *testing.T, r *pgtest.Replicated, opts postgres.ReplicaOptions) (*postgres.Replica, *postgres.DB) {
	t.Helper()
	rep, err := postgres.NewReplica(r.Primary, r.ReplicaDSN, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rep.Close)
	return rep, postgres.New(r.Primary).WithReplica(rep)
}

// waitBound bounds the waits for something that must happen (a standby
// catching up, a monitor's check): a minute, which it takes only when it
// never happens, even on a loaded machine.
const waitBound = time.Minute

// checkUntil checks the replica until ok says yes: background WAL (the
// checkpointer, autovacuum) can put the primary a few bytes ahead of the
// replica for a moment.
func checkUntil(t *testing.T, rep *postgres.Replica, ok func(postgres.ReplicaStatus) bool) postgres.ReplicaStatus {
	t.Helper()
	deadline := time.Now().Add(waitBound)
	for {
		st := rep.Check(t.Context())
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica status after %s: %+v", waitBound, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReplicaServesOnlyMarkedReads(t *testing.T) {
	r := pgtest.NewReplicated(t)
	rep, db := newReplica(t, r, postgres.ReplicaOptions{MaxLag: time.Minute})
	ctx := t.Context()
	if _, ok := rep.ReplicaContext(ctx, 0); ok {
		t.Fatal("the replica serves reads before any check")
	}
	st := checkUntil(t, rep, usable)
	marked, ok := rep.ReplicaContext(ctx, 0)
	if !ok {
		t.Fatalf("a replica checked usable (%+v) is refused", st)
	}
	other, err := postgres.NewReplica(r.Primary, r.ReplicaDSN, postgres.ReplicaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	checkUntil(t, other, usable)
	markedByOther, _ := other.ReplicaContext(ctx, 0)

	tests := []struct {
		name        string
		ctx         context.Context
		read        func(context.Context) (bool, error)
		wantStandby bool
	}{
		{"one row, marked", marked, db.InRecoveryRow, true},
		{"rows, marked", marked, db.InRecoveryRows, true},
		{"one row, not marked", ctx, db.InRecoveryRow, false},
		{"rows, not marked", ctx, db.InRecoveryRows, false},
		{"transaction, marked", marked, db.InRecoveryTx, false},
		{"marked for another replica", markedByOther, db.InRecoveryRow, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.read(tt.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.wantStandby {
				t.Errorf("pg_is_in_recovery() = %v, want %v", got, tt.wantStandby)
			}
		})
	}
	if err := db.ExecWrites(marked); err != nil {
		t.Errorf("a write with a marked context did not go to the primary: %v", err)
	}
	if _, err := r.Primary.Exec(ctx, "CREATE SEQUENCE probe_seq"); err != nil {
		t.Fatal(err)
	}
	r.WaitReplayed()
	if n, err := db.NextvalRow(marked, "probe_seq"); err != nil || n != 1 {
		t.Errorf("a write in a marked one-row read: %d, %v; want it run on the primary", n, err)
	}
	if !rep.Status().Usable {
		t.Error("a write refused by the replica marked it down")
	}
	if _, err := db.Categories(marked); err != nil {
		t.Errorf("a domain read on the replica: %v", err)
	}
	if err := db.Ping(marked); err != nil {
		t.Errorf("ping: %v", err)
	}
	// A client that wrote after the check must wait for the replay.
	if _, ok := rep.ReplicaContext(ctx, st.Replayed+1); ok {
		t.Error("reads after an unreplayed position go to the replica")
	}
}

func TestReplicaLaggingBeyondTheBound(t *testing.T) {
	r := pgtest.NewReplicated(t)
	clk := newClock()
	rep, _ := newReplica(t, r, postgres.ReplicaOptions{MaxLag: 2 * time.Second, Now: clk.Now})
	ctx := t.Context()
	checkUntil(t, rep, func(st postgres.ReplicaStatus) bool { return st.Usable && st.Lag == 0 })

	r.PauseReplay()
	paused := clk.Now()
	if _, err := r.Primary.Exec(ctx, "CREATE TABLE written_while_paused (x int)"); err != nil {
		t.Fatal(err)
	}
	written, err := rep.PrimaryPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		advance   time.Duration
		check     bool
		wantReads bool // does a client that did not write read from the replica?
		wantLag   time.Duration
	}{
		{0, true, true, 0}, // the write was just seen
		{1500 * time.Millisecond, true, true, 1500 * time.Millisecond}, // behind, within the bound
		{600 * time.Millisecond, false, false, 0},                      // 2.1 s: beyond, even before the next check
		{0, true, false, 2100 * time.Millisecond},                      // and the check says so
	} {
		clk.Add(step.advance)
		if step.check {
			st := rep.Check(ctx)
			if st.Lag != step.wantLag || st.Usable != step.wantReads {
				t.Fatalf("after %v: status %+v, want lag %v, usable %v", clk.Now().Sub(paused), st, step.wantLag, step.wantReads)
			}
		}
		if _, ok := rep.ReplicaContext(ctx, 0); ok != step.wantReads {
			t.Errorf("after %v: reads on the replica = %v, want %v", clk.Now().Sub(paused), ok, step.wantReads)
		}
		if _, ok := rep.ReplicaContext(ctx, written); ok {
			t.Errorf("after %v: the writer reads from a replica that has not replayed its write", clk.Now().Sub(paused))
		}
	}
	if st := rep.Status(); !strings.Contains(st.Reason, "lags more than 2s") {
		t.Errorf("reason %q does not say the replica lags", st.Reason)
	}

	// Caught up, it serves reads again, the writer's included.
	r.ResumeReplay()
	r.WaitReplayed()
	st := checkUntil(t, rep, func(st postgres.ReplicaStatus) bool { return st.Usable && st.Lag == 0 })
	if st.Replayed < written {
		t.Errorf("replayed %X, before the write at %X", st.Replayed, written)
	}
	if _, ok := rep.ReplicaContext(ctx, written); !ok {
		t.Error("the writer does not read from the replica once it has caught up")
	}
}

// TestIdlePrimaryIsNoLag: with nothing to replay, the replica is not late
// however long the primary stays idle, even right after a WAL segment
// switch, where the primary's insert position and the replica's replay
// position are written differently (RecordEnd).
func TestIdlePrimaryIsNoLag(t *testing.T) {
	r := pgtest.NewReplicated(t)
	clk := newClock()
	rep, _ := newReplica(t, r, postgres.ReplicaOptions{MaxLag: time.Second, Now: clk.Now})
	checkUntil(t, rep, usable)
	if _, err := r.Primary.Exec(t.Context(), "SELECT pg_switch_wal()"); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	st := checkUntil(t, rep, func(st postgres.ReplicaStatus) bool { return st.Usable && st.Lag == 0 })
	clk.Add(time.Hour)
	if _, ok := rep.ReplicaContext(t.Context(), 0); ok {
		t.Error("a check an hour old still sends reads to the replica")
	}
	checkUntil(t, rep, func(st postgres.ReplicaStatus) bool { return st.Usable && st.Lag == 0 })
	if pos, err := rep.PrimaryPosition(t.Context()); err != nil || pos > st.Replayed {
		t.Errorf("idle primary at %X (%v), replica replayed %X", pos, err, st.Replayed)
	}
}

func TestReplicaDownFallsBackAndReturns(t *testing.T) {
	r := pgtest.NewReplicated(t)
	rep, db := newReplica(t, r, postgres.ReplicaOptions{MaxLag: time.Second}) // checks every 200 ms
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { rep.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitStatus := func(want bool) time.Duration {
		t.Helper()
		start := time.Now()
		for rep.Status().Usable != want {
			if time.Since(start) > waitBound {
				t.Fatalf("replica status after %s: %+v, want usable %v", waitBound, rep.Status(), want)
			}
			time.Sleep(10 * time.Millisecond)
		}
		return time.Since(start)
	}
	waitStatus(true)
	marked, _ := rep.ReplicaContext(ctx, 0)
	// A connection used within the last second is handed out without a
	// ping, its statement prepared: pgx finds the server gone only when it
	// reads the rows.
	if standby, err := db.InRecoveryRows(marked); err != nil || !standby {
		t.Fatalf("marked read: standby %v, err %v", standby, err)
	}

	r.StopReplica()
	// A request that was sent to the replica before anyone noticed is
	// answered by the primary, and the next ones go there at once.
	for _, read := range []struct {
		name string
		fn   func(context.Context) (bool, error)
	}{{"rows", db.InRecoveryRows}, {"one row", db.InRecoveryRow}} {
		if standby, err := read.fn(marked); err != nil || standby {
			t.Errorf("%s on a stopped replica: standby %v, err %v; want the primary's answer", read.name, standby, err)
		}
	}
	if rep.Status().Usable {
		t.Error("a failed read did not mark the replica down")
	}
	if _, ok := rep.ReplicaContext(ctx, 0); ok {
		t.Error("reads still go to a stopped replica")
	}
	// The monitor's next check (after the failed reads') says so too.
	failed := rep.Status().Checked
	for start := time.Now(); !rep.Status().Checked.After(failed); time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > waitBound {
			t.Fatalf("no check of the stopped replica in %s: %+v", waitBound, rep.Status())
		}
	}
	if st := rep.Status(); st.Usable || !strings.Contains(st.Reason, "unavailable") {
		t.Errorf("status of a stopped replica: %+v", st)
	}

	r.StartReplica()
	t.Logf("back on the replica %v after its restart", waitStatus(true).Round(time.Millisecond))
	marked, ok := rep.ReplicaContext(ctx, 0)
	if standby, err := db.InRecoveryRow(marked); !ok || err != nil || !standby {
		t.Errorf("after the restart: marked %v, standby %v, err %v; want reads on the replica", ok, standby, err)
	}
}
