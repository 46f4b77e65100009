package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
)

func TestPoolAcquireIsBounded(t *testing.T) {
	pool, err := postgres.Open(t.Context(), pgtest.DSN(t, "migrated"), postgres.PoolConfig{MaxConns: 1, AcquireTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	held, err := pool.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The caller allows a minute: an answer after ten seconds did not come
	// from the pool's bound of 200 ms, however loaded the machine.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	start := time.Now()
	err = postgres.New(pool).Ping(ctx)
	waited := time.Since(start)
	if !errors.Is(err, stats.ErrUnavailable) {
		t.Errorf("query with the pool exhausted: %v, want ErrUnavailable", err)
	}
	if waited < 200*time.Millisecond || waited > 10*time.Second {
		t.Errorf("waited %s for a connection, want the pool's 200ms", waited)
	}
	held.Release()
	if err := postgres.New(pool).Ping(t.Context()); err != nil {
		t.Errorf("once the connection is free: %v", err)
	}
}

func TestStatementTimeout(t *testing.T) {
	pool, err := postgres.Open(t.Context(), pgtest.DSN(t, "migrated"), postgres.PoolConfig{MaxConns: 2, StatementTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ctx := t.Context()
	_, err = pool.Exec(ctx, "SELECT pg_sleep(1)")
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
		t.Errorf("a 1 s statement under the 100 ms default: %v, want query_canceled (57014)", err)
	}
	long := stats.WithStatementTimeout(ctx, 30*time.Second) // far beyond 0.3 s on any machine
	if _, err := pool.Exec(long, "SELECT pg_sleep(0.3)"); err != nil {
		t.Errorf("a 0.3 s statement allowed 30 s: %v", err)
	}
	for _, tt := range []struct {
		name string
		ctx  bool
		want string
	}{{"default again", false, "100ms"}, {"no limit", true, "0"}, {"default after no limit", false, "100ms"}} {
		c := ctx
		if tt.ctx {
			c = stats.WithStatementTimeout(ctx, 0)
		}
		var got string
		if err := pool.QueryRow(c, "SHOW statement_timeout").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s: statement_timeout %s, want %s", tt.name, got, tt.want)
		}
	}
}

// A text search is planned for its pattern every time: after five runs on
// a connection PostgreSQL would otherwise switch the prepared statement to
// a generic plan, made without the pattern, which took a search for a rare
// phrase from 40 ms to 1,7 s over a million figures.
func TestTextSearchIsPlannedForItsPattern(t *testing.T) {
	pool, err := postgres.Open(t.Context(), pgtest.DSN(t, "migrated"), postgres.PoolConfig{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ctx := t.Context()
	db := postgres.New(pool)
	for i := range 8 {
		f := stats.FigureFilter{Query: fmt.Sprintf("luan chuyen %d", i), Limit: 20}
		if _, err := db.Figures(ctx, f); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CountFigures(ctx, f, 1000); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SourcePage(ctx, stats.SourceFilter{Query: fmt.Sprintf("xay dung %d", i), Limit: 20}); err != nil {
			t.Fatal(err)
		}
	}
	var generic int64
	if err := pool.QueryRow(ctx, `SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements
		WHERE statement LIKE '%LIKE fold($%' AND statement NOT LIKE '%pg_prepared_statements%'`).Scan(&generic); err != nil {
		t.Fatal(err)
	}
	if generic != 0 {
		t.Errorf("8 searches on one connection: %d ran with a generic plan", generic)
	}
	// Other statements keep their plans: a locality page's are costly to make.
	for range 7 {
		if _, err := db.Figures(ctx, stats.FigureFilter{Localities: []string{"song-lo"}, Limit: 20}); err != nil {
			t.Fatal(err)
		}
	}
	var cached int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%f.locality_id%'`).Scan(&cached); err != nil {
		t.Fatal(err)
	}
	if cached == 0 {
		t.Error("a locality's list is not a prepared statement")
	}
}
