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
	// run runs two halves that note when they start and end. With meet,
	// each waits until the other has started (a minute at most): only
	// halves run at once get past that.
	run := func(ctx context.Context, meet bool) (order []string, overlapped bool) {
		var mu sync.Mutex
		var running int
		started := map[string]chan struct{}{"a": make(chan struct{}), "b": make(chan struct{})}
		step := func(name, other string) func(context.Context) error {
			return func(context.Context) error {
				mu.Lock()
				running++
				overlapped = overlapped || running > 1
				order = append(order, name+" starts")
				mu.Unlock()
				close(started[name])
				if meet {
					select {
					case <-started[other]:
					case <-time.After(time.Minute):
					}
				} else {
					// Time for the other to start, were they run at once.
					time.Sleep(20 * time.Millisecond)
				}
				mu.Lock()
				running--
				order = append(order, name+" ends")
				mu.Unlock()
				return nil
			}
		}
		if err := both(ctx, step("a", "b"), step("b", "a")); err != nil {
			t.Fatal(err)
		}
		return order, overlapped
	}
	if order, overlapped := run(t.Context(), false); overlapped || !slices.Equal(order, []string{"a starts", "a ends", "b starts", "b ends"}) {
		t.Errorf("one connection: %q, overlapped %v", order, overlapped)
	}
	if _, overlapped := run(WithConnections(t.Context(), 2), true); !overlapped {
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
