package stats

import (
	"context"
	"time"
)

type statementTimeoutKey struct{}

// WithStatementTimeout lets each database statement run under ctx take up
// to d (0: no limit) instead of the storage's default, which is sized for
// public pages. Exports streaming to a slow client, imports and migrations
// need longer.
func WithStatementTimeout(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, statementTimeoutKey{}, d)
}

// StatementTimeout returns the limit WithStatementTimeout set on ctx.
func StatementTimeout(ctx context.Context) (time.Duration, bool) {
	d, ok := ctx.Value(statementTimeoutKey{}).(time.Duration)
	return d, ok
}
