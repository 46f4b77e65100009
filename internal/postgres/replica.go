package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Replica is a hot standby streaming from the primary, and what decides
// whether reads may use it. A monitor (Run, or Check in tests) compares
// the primary's WAL position with the replica's replay position; reads go
// to the replica only when a request context says they may
// (ReplicaContext) and the replica is within the lag bound and has
// replayed what that client wrote. Everything else, writes and
// transactions included, goes to the primary.
type Replica struct {
	primary  *pgxpool.Pool
	dsn      string
	pool     atomic.Pointer[pgxpool.Pool] // nil until the replica first answers
	maxLag   time.Duration
	interval time.Duration
	timeout  time.Duration
	now      func() time.Time
	log      *slog.Logger

	mu         sync.Mutex  // one check at a time: the samples are its memory
	samples    []walSample // primary positions not yet replayed, oldest first
	replayedAt time.Time   // when the newest replayed sample was taken
	primaryID  uint64      // the primary cluster's system identifier, 0 until seen

	state atomic.Pointer[ReplicaStatus]
}

// ReplicaOptions tune the monitor; zero values take the defaults.
type ReplicaOptions struct {
	// MaxLag is how far behind the primary the replica may be and still
	// serve reads (default 5 s).
	MaxLag time.Duration
	// Interval between checks: default a fifth of MaxLag, from 100 ms to 1 s.
	Interval time.Duration
	// Now is the clock the lag is measured with: time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
}

// ReplicaStatus is what the last check found.
type ReplicaStatus struct {
	Usable bool
	// Lag bounds how stale the replica's data was at the check: whatever
	// the primary had written Lag before was replayed.
	Lag      time.Duration
	Replayed uint64 // the replica's replay position (an LSN)
	Reason   string // why it is not usable
	Checked  time.Time
}

type walSample struct {
	at  time.Time
	lsn uint64
}

// maxSamples bounds the monitor's memory while the replica is down or
// paused and the primary keeps writing.
const maxSamples = 64

// NewReplica watches the standby at dsn, a replica of primary. It does
// not connect: the checks do (Run, Check), so that a replica that is down
// when the application starts only sends reads to the primary. Until a
// check finds the replica usable, reads go to the primary. Close closes
// its connections.
//
// It fails only for a dsn that does not parse.
func NewReplica(primary *pgxpool.Pool, dsn string, opts ReplicaOptions) (*Replica, error) {
	if _, err := pgxpool.ParseConfig(dsn); err != nil {
		return nil, fmt.Errorf("parse replica database URL: %w", err)
	}
	if opts.MaxLag <= 0 {
		opts.MaxLag = 5 * time.Second
	}
	if opts.Interval <= 0 {
		opts.Interval = min(max(opts.MaxLag/5, 100*time.Millisecond), time.Second)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Replica{primary: primary, dsn: dsn, maxLag: opts.MaxLag, interval: opts.Interval,
		timeout: time.Second, now: opts.Now, log: opts.Logger}, nil
}

// Close closes the connections to the replica; call it after Run returns.
func (r *Replica) Close() {
	if p := r.pool.Load(); p != nil {
		p.Close()
	}
}

// WithReplica returns storage that sends the reads a context allows
// (Replica.ReplicaContext) to r, and everything else to db's pool.
func (db *DB) WithReplica(r *Replica) *DB {
	return &DB{pool: &router{primary: db.pool.primary, replica: r}}
}

// Run checks the replica every interval until ctx ends.
func (r *Replica) Run(ctx context.Context) {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		r.Check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Status is the result of the last check.
func (r *Replica) Status() ReplicaStatus {
	if st := r.state.Load(); st != nil {
		return *st
	}
	return ReplicaStatus{Reason: "not checked yet"}
}

// ReadYourWritesWindow is how long a client that wrote must at most read
// from the primary: after that, either the replica has replayed the write,
// or it lags beyond the bound and every client reads from the primary.
func (r *Replica) ReadYourWritesWindow() time.Duration { return r.maxLag }

// PrimaryPosition is the end of the WAL the primary has written so far:
// after a commit, the position the replica must replay before this
// client's reads may go there.
func (r *Replica) PrimaryPosition(ctx context.Context) (uint64, error) {
	lsn, _, err := r.primaryPosition(ctx)
	return lsn, err
}

type replicaKey struct{}

// ReplicaContext returns ctx marked so that reads through storage built
// WithReplica(r) use the replica, when the last check found it usable,
// its lag cannot have passed the bound since, and it had replayed after
// (0: no requirement). Otherwise it returns ctx unchanged and false.
func (r *Replica) ReplicaContext(ctx context.Context, after uint64) (context.Context, bool) {
	st := r.state.Load()
	if st == nil || !st.Usable || after > st.Replayed {
		return ctx, false
	}
	// The replica may have stopped replaying right after the check: its
	// lag is at most what the check found plus the time since.
	if st.Lag+r.now().Sub(st.Checked) > r.maxLag {
		return ctx, false
	}
	return context.WithValue(ctx, replicaKey{}, r), true
}

// Check asks the primary for its WAL position and the replica for its
// replay position, and updates the status. Lag is measured against the
// primary's positions seen by earlier checks: it is the time since the
// newest position the replica has replayed was seen (zero when it has
// replayed everything), so an idle primary never makes a replica look
// late, and a replica that stops replaying looks later at every check.
func (r *Replica) Check(ctx context.Context) ReplicaStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	pos, id, errPrimary := r.primaryPosition(ctx)
	if errPrimary == nil {
		r.primaryID = id
		if n := len(r.samples); n == 0 || pos > r.samples[n-1].lsn {
			r.samples = append(r.samples, walSample{at: now, lsn: pos})
		}
	}
	st := ReplicaStatus{Checked: now}
	inRecovery, replayed, replicaID, err := r.replayPosition(ctx)
	switch {
	case err != nil:
		st.Reason = fmt.Sprintf("unavailable: %v", err)
	case !inRecovery:
		st.Reason = "not a standby (promoted, or a primary of its own)"
	case r.primaryID == 0:
		st.Reason = fmt.Sprintf("the primary has not answered yet: %v", errPrimary)
	case replicaID != r.primaryID:
		st.Reason = fmt.Sprintf("a standby of another cluster (system identifier %d, the primary's is %d)", replicaID, r.primaryID)
	default:
		st.Replayed = replayed
		for len(r.samples) > 0 && r.samples[0].lsn <= replayed {
			r.replayedAt = r.samples[0].at
			r.samples = r.samples[1:]
		}
		switch {
		case len(r.samples) == 0:
			st.Lag = 0
		case r.replayedAt.IsZero(): // behind since the first check: how far is unknown
			st.Lag = time.Duration(math.MaxInt64)
		default:
			st.Lag = now.Sub(r.replayedAt)
		}
		st.Usable = st.Lag <= r.maxLag
		switch {
		case st.Usable:
		case r.replayedAt.IsZero():
			st.Reason = "has not yet replayed what the primary had written when the monitor started"
		default:
			st.Reason = fmt.Sprintf("lags more than %v behind the primary", r.maxLag)
		}
	}
	if len(r.samples) > maxSamples {
		// Merge the two oldest into the earlier time and the later
		// position: the lag can only come out larger, never smaller.
		r.samples[1].at = r.samples[0].at
		r.samples = r.samples[1:]
	}
	r.publish(st)
	return st
}

// failed is called when a read on the replica failed for want of a
// server: reads go to the primary until a check finds the replica again.
func (r *Replica) failed(err error) {
	r.publish(ReplicaStatus{Checked: r.now(), Reason: fmt.Sprintf("a read failed: %v", err)})
}

func (r *Replica) publish(st ReplicaStatus) {
	prev := r.state.Swap(&st)
	switch {
	case st.Usable && (prev == nil || !prev.Usable):
		r.log.Info("public reads go to the replica", "lag", st.Lag)
	case !st.Usable && prev == nil:
		r.log.Info("public reads go to the primary", "replica", st.Reason)
	case !st.Usable && prev.Usable:
		r.log.Warn("public reads go to the primary", "replica", st.Reason)
		// Connections to a replica that went away are dead; drop them so
		// that a restarted replica is not first met through them.
		if p := r.pool.Load(); p != nil {
			p.Reset()
		}
	}
}

// primaryPosition returns the end of the last WAL record the primary
// inserted (not only wrote or flushed: with synchronous_commit off a
// commit returns before its record is written) and the cluster's system
// identifier.
func (r *Replica) primaryPosition(ctx context.Context) (lsn, systemID uint64, err error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var next string
	var block, segment int64
	var id int64
	err = r.primary.QueryRow(ctx, `SELECT pg_current_wal_insert_lsn()::text,
		current_setting('wal_block_size')::int8,
		(SELECT setting::int8 FROM pg_settings WHERE name = 'wal_segment_size'),
		(SELECT system_identifier FROM pg_control_system())`).Scan(&next, &block, &segment, &id)
	if err != nil {
		return 0, 0, fmt.Errorf("primary WAL position: %w", translate(err))
	}
	p, err := parseLSN(next)
	if err != nil {
		return 0, 0, err
	}
	return recordEnd(p, uint64(block), uint64(segment)), uint64(id), nil
}

func (r *Replica) replayPosition(ctx context.Context) (inRecovery bool, replayed, systemID uint64, err error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	pool := r.pool.Load()
	if pool == nil {
		if pool, err = Connect(ctx, r.dsn); err != nil {
			return false, 0, 0, err
		}
		r.pool.Store(pool)
	}
	var lsn string
	var id int64
	err = pool.QueryRow(ctx, `SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn()::text, ''),
		(SELECT system_identifier FROM pg_control_system())`).Scan(&inRecovery, &lsn, &id)
	if err != nil {
		return false, 0, 0, translate(err)
	}
	if !inRecovery {
		return false, 0, uint64(id), nil
	}
	replayed, err = parseLSN(lsn)
	return true, replayed, uint64(id), err
}

// recordEnd turns the position where the next WAL record will start (what
// pg_current_wal_insert_lsn reports) into where the last one ended (what
// pg_last_wal_replay_lsn reports). They differ when the last record filled
// its page: the next one starts after the next page's header.
func recordEnd(next, blockSize, segmentSize uint64) uint64 {
	// MAXALIGNed sizes of XLogLongPageHeaderData, which opens each
	// segment, and XLogPageHeaderData, which opens every other page.
	const longHeader, shortHeader = 40, 24
	if blockSize == 0 || segmentSize == 0 {
		return next
	}
	switch off := next % segmentSize; {
	case off == longHeader:
		return next - longHeader
	case off >= blockSize && next%blockSize == shortHeader:
		return next - shortHeader
	}
	return next
}

// parseLSN reads PostgreSQL's text form of a WAL position, "16/B374D848".
func parseLSN(s string) (uint64, error) {
	hi, lo, ok := strings.Cut(s, "/")
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if !ok || err1 != nil || err2 != nil {
		return 0, fmt.Errorf("WAL position %q: want two hexadecimal numbers, as in 16/B374D848", s)
	}
	return h<<32 | l, nil
}
