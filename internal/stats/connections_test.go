package stats

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// A page granted two connections reads its two halves at once; without
// the grant, one after the other, so that it never holds more than the
// server gave it.
func TestBothUsesTheConnectionsGranted(t *testing.T) {
	run := func(ctx context.Context) (order []string, overlapped bool) {
		var mu sync.Mutex
		var running int
		step := func(name string) func(context.Context) error {
			return func(context.Context) error {
				mu.Lock()
				running++
				overlapped = overlapped || running > 1
				order = append(order, name+" starts")
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
				mu.Lock()
				running--
				order = append(order, name+" ends")
				mu.Unlock()
				return nil
			}
		}
		if err := both(ctx, step("a"), step("b")); err != nil {
			t.Fatal(err)
		}
		return order, overlapped
	}
	if order, overlapped := run(t.Context()); overlapped || !slices.Equal(order, []string{"a starts", "a ends", "b starts", "b ends"}) {
		t.Errorf("one connection: %q, overlapped %v", order, overlapped)
	}
	if _, overlapped := run(WithConnections(t.Context(), 2)); !overlapped {
		t.Error("two connections: the halves ran one after the other")
	}

	// The first error is the answer, and the other half is told to stop.
	boom := errors.New("boom")
	err := both(WithConnections(t.Context(), 2), func(context.Context) error { return boom }, func(ctx context.Context) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second):
			return errors.New("not cancelled")
		}
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
	if err := both(t.Context(), func(context.Context) error { return boom }, func(context.Context) error {
		t.Error("one connection: the second half ran after the first failed")
		return nil
	}); !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
}
