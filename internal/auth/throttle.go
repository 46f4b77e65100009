package auth

import (
	"sync"
	"time"
)

// Throttle limits failed logins per account and per client address within
// a sliding window, so that guessing passwords is slow whichever of the
// two an attacker varies.
type Throttle struct {
	mu         sync.Mutex
	window     time.Duration
	perAccount int
	perClient  int
	failures   map[string][]time.Time
	now        func() time.Time
}

// NewThrottle allows perAccount failures for one user name and perClient
// for one address within window.
func NewThrottle(window time.Duration, perAccount, perClient int, now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{window: window, perAccount: perAccount, perClient: perClient,
		failures: map[string][]time.Time{}, now: now}
}

// Allowed reports whether a login may be tried now, and if not, how long
// until it may.
func (t *Throttle) Allowed(account, client string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	wait := max(t.blocked("u:"+account, t.perAccount, now), t.blocked("c:"+client, t.perClient, now))
	return wait == 0, wait
}

// Fail records a failed attempt.
func (t *Throttle) Fail(account, client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range []string{"u:" + account, "c:" + client} {
		t.failures[k] = append(t.prune(k, now), now)
	}
	if len(t.failures) > 100000 { // bound memory under a spray of names
		for k := range t.failures {
			if len(t.prune(k, now)) == 0 {
				delete(t.failures, k)
			}
		}
	}
}

// Succeed forgets an account's failures after a good login.
func (t *Throttle) Succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, "u:"+account)
}

func (t *Throttle) prune(key string, now time.Time) []time.Time {
	fs := t.failures[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= t.window {
		i++
	}
	fs = fs[i:]
	t.failures[key] = fs
	return fs
}

func (t *Throttle) blocked(key string, limit int, now time.Time) time.Duration {
	fs := t.prune(key, now)
	if len(fs) < limit {
		return 0
	}
	return t.window - now.Sub(fs[len(fs)-limit])
}
