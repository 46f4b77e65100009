package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/multitracer"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// PoolConfig sizes a pool and bounds its waits; zero fields take the
// defaults below.
type PoolConfig struct {
	// MaxConns is the pool size (default 12; pgx's own default is 4 on a
	// 2-core machine, which four slow export readers used to exhaust).
	MaxConns int32
	// AcquireTimeout bounds the wait for a free connection (default 3 s):
	// a query that cannot get one fails as unavailable instead of hanging.
	AcquireTimeout time.Duration
	// StatementTimeout is the server-side limit on each statement (default
	// 5 s), unless the context carries another (stats.WithStatementTimeout).
	StatementTimeout time.Duration
}

// Defaults of PoolConfig.
const (
	DefaultMaxConns         = 12
	DefaultAcquireTimeout   = 3 * time.Second
	DefaultStatementTimeout = 5 * time.Second
)

// Connect opens a pool with the default PoolConfig.
func Connect(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	return Open(ctx, dsn, PoolConfig{})
}

// Open opens a pool and checks that the server answers. Every pool of the
// application is made here, so that all get the same limits.
func Open(ctx context.Context, dsn string, pc PoolConfig) (*pgxpool.Pool, error) {
	if pc.MaxConns <= 0 {
		pc.MaxConns = DefaultMaxConns
	}
	if pc.AcquireTimeout <= 0 {
		pc.AcquireTimeout = DefaultAcquireTimeout
	}
	if pc.StatementTimeout <= 0 {
		pc.StatementTimeout = DefaultStatementTimeout
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	cfg.MaxConns = pc.MaxConns
	// An idle connection is pinged before reuse; a frozen server must not
	// hold that ping longer than the acquire wait.
	cfg.PingTimeout = min(time.Second, pc.AcquireTimeout)
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(pc.StatementTimeout.Milliseconds())
	cfg.ConnConfig.Tracer = &multitracer.Tracer{
		QueryTracers:       []pgx.QueryTracer{tracer{}}, // times the queries of requests that ask (timing.go)
		PoolAcquireTracers: []pgxpool.AcquireTracer{acquireTimeout(pc.AcquireTimeout)},
	}
	// Parallel workers take the cores the server needs to format what they
	// read: on two cores a million-row export streams faster without them
	// (5,9 s against 7,0 s), and pages never need them. A DSN may say otherwise.
	if _, set := cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"]; !set {
		cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		c.PgConn().CustomData()[statementTimeoutData] = pc.StatementTimeout
		return nil
	}
	cfg.PrepareConn = func(ctx context.Context, c *pgx.Conn) (bool, error) {
		return setStatementTimeout(ctx, c, pc.StatementTimeout)
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

const statementTimeoutData = "cadrestats.statement_timeout"

// setStatementTimeout gives the connection the statement timeout the
// context asks for. Connections remember theirs, so only a change costs a
// round trip.
func setStatementTimeout(ctx context.Context, c *pgx.Conn, def time.Duration) (bool, error) {
	want, ok := stats.StatementTimeout(ctx)
	if !ok {
		want = def
	}
	data := c.PgConn().CustomData()
	if cur, ok := data[statementTimeoutData].(time.Duration); ok && cur == want {
		return true, nil
	}
	if _, err := c.Exec(ctx, fmt.Sprintf("SET statement_timeout = %d", want.Milliseconds())); err != nil {
		return false, fmt.Errorf("set statement timeout: %w", err)
	}
	data[statementTimeoutData] = want
	return true, nil
}

// acquireTimeout bounds the wait for a pool connection: pgxpool has no
// such setting, but it acquires under the context its tracer returns,
// while the query itself runs under the caller's.
type acquireTimeout time.Duration

type acquireCancelKey struct{}

func (d acquireTimeout) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
	return context.WithValue(ctx, acquireCancelKey{}, cancel)
}

func (acquireTimeout) TraceAcquireEnd(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireEndData) {
	if cancel, ok := ctx.Value(acquireCancelKey{}).(context.CancelFunc); ok {
		cancel()
	}
}

// pgx accepts a tracer only if it traces queries; these do nothing.
func (acquireTimeout) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}
func (acquireTimeout) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
