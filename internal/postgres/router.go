package postgres

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// router is what DB runs its statements through: a read whose context
// ReplicaContext marked goes to the replica, everything else (writes,
// transactions, pings, reads without the mark) to the primary. It has the
// methods of a pgxpool.Pool that DB uses, so the queries need not know.
type router struct {
	primary *pgxpool.Pool
	replica *Replica // nil: no replica
}

// onReplica: a context is only marked after a check reached the replica,
// so its pool exists.
func (rt *router) onReplica(ctx context.Context) bool {
	return rt.replica != nil && ctx.Value(replicaKey{}) == rt.replica
}

// Query runs a read. A replica that fails for want of a server before the
// first row hands the query to the primary; once rows flow, an error is
// the caller's.
func (rt *router) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if !rt.onReplica(ctx) {
		return rt.primary.Query(ctx, sql, args...)
	}
	rows, err := rt.replica.pool.Load().Query(ctx, sql, args...)
	if err != nil && rt.retryOnPrimary(err) {
		return rt.primary.Query(ctx, sql, args...)
	}
	if err != nil {
		return rows, err
	}
	return &replicaRows{Rows: rows, rt: rt, ctx: ctx, sql: sql, args: args}, nil
}

// replicaRows are rows from the replica. pgx sends a cached statement
// lazily, so a replica that has gone away often shows it only at the first
// Next: the query then runs on the primary, whose rows take over.
type replicaRows struct {
	pgx.Rows
	rt      *router
	ctx     context.Context // rows live within their query's call
	sql     string
	args    []any
	started bool
}

func (r *replicaRows) Next() bool {
	if r.Rows.Next() {
		r.started = true
		return true
	}
	if r.started {
		return false
	}
	r.started = true
	if err := r.Rows.Err(); err == nil || !r.rt.retryOnPrimary(err) {
		return false
	}
	r.Rows.Close()
	r.Rows, _ = r.rt.primary.Query(r.ctx, r.sql, r.args...) // on error, rows that report it
	return r.Rows.Next()
}

// QueryRow runs a read of one row; a replica that fails for want of a
// server, or cancels the read for a replay conflict, hands it to the
// primary (a read is safe to repeat, and no value reached the caller).
func (rt *router) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if !rt.onReplica(ctx) {
		return rt.primary.QueryRow(ctx, sql, args...)
	}
	return &replicaRow{rt: rt, ctx: ctx, sql: sql, args: args, row: rt.replica.pool.Load().QueryRow(ctx, sql, args...)}
}

type replicaRow struct {
	rt   *router
	ctx  context.Context // the row lives for one call: it is scanned at once
	sql  string
	args []any
	row  pgx.Row
}

func (r *replicaRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if err != nil && r.rt.retryOnPrimary(err) {
		return r.rt.primary.QueryRow(r.ctx, r.sql, r.args...).Scan(dest...)
	}
	return err
}

// Exec writes: always on the primary.
func (rt *router) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return rt.primary.Exec(ctx, sql, args...)
}

// Begin opens a transaction on the primary: transactions are where
// writes happen, and where several reads must agree with them.
func (rt *router) Begin(ctx context.Context) (pgx.Tx, error) { return rt.primary.Begin(ctx) }

// Ping checks the primary: readiness is about the server that takes writes.
func (rt *router) Ping(ctx context.Context) error { return rt.primary.Ping(ctx) }

// retryOnPrimary reports whether a read that failed on the replica should
// be repeated on the primary, and marks the replica down when the failure
// says it is gone.
func (rt *router) retryOnPrimary(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "40001": // canceled by a replay conflict: the replica itself is fine
			return true
		case pgErr.Code == "25006": // a write inside a read (nextval, INSERT … RETURNING): it belongs on the primary
			return true
		case pgErr.Code[:2] == "08", pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03":
			// connection exception; shutting down, crashed, starting up
		default:
			return false // the query's own fault: the primary would say the same
		}
	} else {
		var connErr *pgconn.ConnectError
		var netErr net.Error
		if !errors.As(err, &connErr) && !pgconn.SafeToRetry(err) && !errors.As(err, &netErr) &&
			!errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return false
		}
	}
	rt.replica.failed(err)
	return true
}
