package stats

import (
	"context"

	"golang.org/x/sync/errgroup"
)

type connectionsKey struct{}

// WithConnections lets the reads of one request under ctx use up to n
// database connections at once; without it they use one. The server
// grants a second connection only when its share of the pool has one
// free and nobody waits for it, so that a request it let in never waits
// for a connection.
func WithConnections(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, connectionsKey{}, n)
}

func connections(ctx context.Context) int {
	if n, ok := ctx.Value(connectionsKey{}).(int); ok && n > 1 {
		return n
	}
	return 1
}

// both runs a and b, at once when ctx allows two connections (the page
// then waits for the longer of the two, not their sum), else one after
// the other. The first error wins and cancels the other.
func both(ctx context.Context, a, b func(context.Context) error) error {
	if connections(ctx) < 2 {
		if err := a(ctx); err != nil {
			return err
		}
		return b(ctx)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a(gctx) })
	g.Go(func() error { return b(gctx) })
	return g.Wait()
}
