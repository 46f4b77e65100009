// Package postgres is the only package that speaks SQL. It implements the
// storage the stats services need, over a pgx pool.
package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// DB is the storage. It holds no state but the pool.
type DB struct {
	pool *router // the primary's pool, and a replica for some reads (router.go)
}

// New wraps a pool.
func New(pool *pgxpool.Pool) *DB { return &DB{pool: &router{primary: pool}} }

// Connect opens a pool and checks that the server answers.
func Connect(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	cfg.ConnConfig.Tracer = tracer{} // times the queries of requests that ask (timing.go)
	// Parallel workers take the cores the server needs to format what they
	// read: on two cores a million-row export streams faster without them
	// (5,9 s against 7,0 s), and pages never need them. A DSN may say otherwise.
	if _, set := cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"]; !set {
		cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return pool, nil
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("%w: %v", stats.ErrUnavailable, err)
	}
	return nil
}

// queryAll runs a query and scans every row with scan; what says what is
// listed, for the error.
func queryAll[T any](ctx context.Context, db *DB, what string, scan func(pgx.Row) (T, error), sql string, args ...any) ([]T, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, translate(err))
	}
	return out, nil
}

// inTx runs fn in a transaction, committed only if fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return translate(pgx.BeginFunc(ctx, db.pool, fn))
}

// translate maps driver errors onto the domain's sentinels, so that callers
// never see SQL and the HTTP layer can pick a status.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %v", stats.ErrNotFound, err)
	}
	// Cannot connect (server down, database gone) or shutting down: the
	// database is unavailable, whatever the server said while refusing.
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) || pgconn.Timeout(err) || errors.Is(err, puddle.ErrClosedPool) {
		return fmt.Errorf("%w: %v", stats.ErrUnavailable, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code[:2] {
		case "23": // integrity constraint violation
			return fmt.Errorf("%w: %s (%s)", stats.ErrInvalid, pgErr.Message, pgErr.ConstraintName)
		case "08", "57": // connection exception, operator intervention
			return fmt.Errorf("%w: %v", stats.ErrUnavailable, err)
		}
		return err
	}
	return err
}
