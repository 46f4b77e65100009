package auth

import "time"

// Throttle is the policy for failed sign-ins. It counts failures per
// account+address pair, per address and per account, and never locks an
// account: a guesser is refused for a while that grows with each failure
// of their pair or address, while an account under attack from many
// addresses only answers more slowly, so that its owner, signing in from
// an address of their own, still gets in.
type Throttle struct {
	// Window: a counter starts again from zero after this long without a
	// failure.
	Window time.Duration
	// PairFree failures of one account from one address, and ClientFree
	// failures from one address on any accounts, are allowed before the
	// waits start: 1 s, then doubling with each failure, up to MaxWait.
	PairFree, ClientFree int
	MaxWait              time.Duration
	// After AccountFree failures on one account from anywhere, each
	// attempt on it is slowed by 250 ms, doubling with each failure, up
	// to MaxDelay: slowed, never refused.
	AccountFree int
	MaxDelay    time.Duration
}

// DefaultThrottle is the policy of the application.
var DefaultThrottle = Throttle{
	Window:   time.Hour,
	PairFree: 3, ClientFree: 20, MaxWait: 15 * time.Minute,
	AccountFree: 10, MaxDelay: 3 * time.Second,
}

// Failures is a counter: how many failures, the last one when.
type Failures struct {
	Count int
	Last  time.Time
}

// RetryAfter is how long, from now, an attempt of a pair and an address
// with these failures must wait; 0 means it may go ahead.
func (t Throttle) RetryAfter(pair, client Failures, now time.Time) time.Duration {
	wait := max(t.since(pair, t.PairFree, now), t.since(client, t.ClientFree, now))
	return max(wait, 0)
}

func (t Throttle) since(f Failures, free int, now time.Time) time.Duration {
	if f.Count < free {
		return 0
	}
	return f.Last.Add(grow(time.Second, f.Count-free, t.MaxWait)).Sub(now)
}

// Delay is how long an attempt on an account with these failures is
// slowed down before its password is checked.
func (t Throttle) Delay(account Failures) time.Duration {
	if account.Count < t.AccountFree {
		return 0
	}
	return grow(250*time.Millisecond, account.Count-t.AccountFree, t.MaxDelay)
}

// grow is base doubled n times, at most limit.
func grow(base time.Duration, n int, limit time.Duration) time.Duration {
	d := base
	for range n {
		if d >= limit {
			break
		}
		d *= 2
	}
	return min(d, limit)
}
