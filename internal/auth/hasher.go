package auth

import "context"

// Hasher runs Hash and Verify at most n at a time. Each takes 19 MiB and
// about 50 ms of one CPU: unbounded, 48 parallel sign-ins with wrong
// passwords took 760 MiB; bounded, they queue and memory stays flat.
type Hasher struct {
	slots chan struct{}
}

// NewHasher allows n hashes at once (at least 1).
func NewHasher(n int) *Hasher { return &Hasher{slots: make(chan struct{}, max(n, 1))} }

func (h *Hasher) enter(ctx context.Context) (func(), error) {
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Hash is Hash under the limit. Errors: ctx's.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	done, err := h.enter(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	return Hash(password)
}

// Verify is Verify under the limit. Errors: ctx's.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	done, err := h.enter(ctx)
	if err != nil {
		return false, err
	}
	defer done()
	return Verify(hash, password), nil
}

// VerifyNobody is VerifyNobody under the limit. Errors: ctx's.
func (h *Hasher) VerifyNobody(ctx context.Context, password string) error {
	done, err := h.enter(ctx)
	if err != nil {
		return err
	}
	defer done()
	VerifyNobody(password)
	return nil
}
