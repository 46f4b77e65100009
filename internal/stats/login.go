package stats

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/cadrestats/cadrestats/internal/auth"
)

// LoginStore keeps the sign-in throttle's counters where every instance
// sees them; internal/postgres satisfies it.
type LoginStore interface {
	// now, when not nil, is the time to count by instead of the store's
	// own clock.
	CountLoginAttempt(ctx context.Context, keys []string, window time.Duration, now *time.Time,
		allow func(now time.Time, f map[string]auth.Failures) bool) error
	LoginSucceeded(ctx context.Context, reset, undo []string) error
	DeleteStaleLoginFailures(ctx context.Context, window time.Duration, now *time.Time) (int64, error)
}

// ThrottledError refuses a sign-in attempt for now: too many failures of
// this account from this address, or from this address on any accounts.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed sign-ins: retry after %s", e.RetryAfter.Round(time.Second))
}

// Login checks a password under the throttle (auth.DefaultThrottle): the
// attempt is counted as failed before the password is checked and taken
// back if it was right, so that parallel guesses see each other. When
// the account is under attack, the attempt is slowed by pause (the caller
// waits without holding resources others need).
// Errors: *ThrottledError, ErrBadCredentials, ctx's and pause's.
func (a *Accounts) Login(ctx context.Context, username, password, client string, pause func(time.Duration) error) (User, error) {
	username = NormalizeUsername(username)
	addr := clientKey(client)
	account, from, pair := "a:"+username, "c:"+addr, "p:"+username+"|"+addr
	var retry, delay time.Duration
	err := a.store.CountLoginAttempt(ctx, []string{account, from, pair}, a.throttle.Window, a.clock(),
		func(now time.Time, f map[string]auth.Failures) bool {
			retry = a.throttle.RetryAfter(f[pair], f[from], now)
			delay = a.throttle.Delay(f[account])
			return retry == 0
		})
	if err != nil {
		return User{}, err
	}
	if retry > 0 {
		return User{}, &ThrottledError{RetryAfter: retry}
	}
	if delay > 0 && pause != nil {
		if err := pause(delay); err != nil {
			return User{}, err
		}
	}
	u, err := a.Authenticate(ctx, username, password)
	if err != nil {
		return User{}, err // the failure is counted already
	}
	// The right password: this pair and the account start afresh; the
	// address keeps the failures it had before.
	if err := a.store.LoginSucceeded(ctx, []string{account, pair}, []string{from}); err != nil {
		return User{}, err
	}
	return u, nil
}

// DeleteStaleLoginFailures removes throttle counters that count zero.
func (a *Accounts) DeleteStaleLoginFailures(ctx context.Context) (int64, error) {
	return a.store.DeleteStaleLoginFailures(ctx, a.throttle.Window, a.clock())
}

// clientKey is the address a throttle counts by: an IPv6 client usually
// has a whole /64, so it is counted as one.
func clientKey(client string) string {
	a, err := netip.ParseAddr(client)
	if err != nil {
		return client
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
