package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Timing adds up the time a request's queries take, as the client sees
// it (from sending a statement to the last row read): what PostgreSQL
// needs for a page, beside what the page takes in all. A context carries
// it (WithTiming); queries without one are not timed.
type Timing struct {
	mu         sync.Mutex
	queries    int
	total      time.Duration
	capture    bool
	statements []Statement
}

// Statement is a query a timed request ran, when capturing.
type Statement struct {
	SQL  string
	Args []any
}

type timingKey struct{}
type startKey struct{}

// WithTiming returns a context whose queries are timed; capture also
// keeps each statement (the benchmark replays them).
func WithTiming(ctx context.Context, capture bool) (context.Context, *Timing) {
	t := &Timing{capture: capture}
	return context.WithValue(ctx, timingKey{}, t), t
}

// Result is how many queries ran and how long they took in all.
func (t *Timing) Result() (int, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.queries, t.total
}

// Statements are the captured statements, in the order they ran.
func (t *Timing) Statements() []Statement {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Statement(nil), t.statements...)
}

// tracer is the pool's pgx.QueryTracer: two clock readings per timed query.
type tracer struct{}

func (tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	t, _ := ctx.Value(timingKey{}).(*Timing)
	if t == nil {
		return ctx
	}
	if t.capture {
		t.mu.Lock()
		t.statements = append(t.statements, Statement{SQL: data.SQL, Args: append([]any(nil), data.Args...)})
		t.mu.Unlock()
	}
	return context.WithValue(ctx, startKey{}, time.Now())
}

func (tracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	t, _ := ctx.Value(timingKey{}).(*Timing)
	start, ok := ctx.Value(startKey{}).(time.Time)
	if t == nil || !ok {
		return
	}
	d := time.Since(start)
	t.mu.Lock()
	t.queries++
	t.total += d
	t.mu.Unlock()
}
