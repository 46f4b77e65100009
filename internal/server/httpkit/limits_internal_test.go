package httpkit

import (
	"testing"
	"time"
)

// A page's second connection comes only from a share with a slot free:
// it never makes another request wait.
func TestSpareSlotOnlyWhenFree(t *testing.T) {
	g := newGate(2)
	first, err := g.enter(t.Context(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	extra, ok := g.spare()
	if !ok {
		t.Fatal("one slot of two free, but no spare")
	}
	if _, ok := g.spare(); ok {
		t.Fatal("a spare beyond the share")
	}
	if _, err := g.enter(t.Context(), 10*time.Millisecond); err != errBusy {
		t.Fatalf("a third request: %v, want busy", err)
	}
	extra()
	extra() // given back once
	if _, err := g.enter(t.Context(), 10*time.Millisecond); err != nil {
		t.Fatalf("after the spare was given back: %v", err)
	}
	if _, ok := g.spare(); ok {
		t.Fatal("a spare while the share is full")
	}
	first()
}
