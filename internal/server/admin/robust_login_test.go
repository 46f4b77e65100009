package admin_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
	"github.com/cadrestats/cadrestats/internal/stats"
)

const wrongPassword = "không phải mật khẩu"

// behindProxy trusts the loopback proxy, so that each client can name its
// own address in X-Forwarded-For.
func behindProxy(c *server.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
}

func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewDB(t), nil)
	for _, tt := range []struct{ next, want string }{
		{"/admin/figures/new", "/admin/figures/new"},
		{"/admin/figures?q=%C4%90%C3%A0o", "/admin/figures?q=%C4%90%C3%A0o"},
		{"", "/admin"},
		{"//evil.example/", "/admin"},
		{"/\\evil.example", "/admin"},
		{"/\t/evil.example", "/admin"},
		{"/\n/evil.example", "/admin"},
		{"/\r\n/evil.example", "/admin"},
		{"\t//evil.example", "/admin"},
		{" //evil.example", "/admin"},
		{"\\\\evil.example", "/admin"},
		{"https://evil.example/", "/admin"},
		{"https:evil.example", "/admin"},
		{"javascript:alert(1)", "/admin"},
		{"/%2F%2Fevil.example", "/admin"}, // our own redirects would decode it
		{"/a\x00b", "/admin"},
		{"/\u00a0/evil.example", "/admin"},
		{"/\u2028/evil.example", "/admin"},
		{"evil.example", "/admin"},
	} {
		cl := site.Client(t)
		resp, body := cl.Login("editor1", servertest.RobustPassword, tt.next)
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != tt.want {
			t.Errorf("next=%q: %d to %q, want 303 to %q\n%.200s", tt.next, resp.StatusCode, got, tt.want, body)
		}
	}
}

func TestLoginThrottleTrustsOnlyTheSocket(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewDB(t), nil) // no proxy trusted
	for i := range 6 {
		cl := site.Client(t)
		cl.XFF = fmt.Sprintf("203.0.113.%d", i+1) // made up: must not count as another address
		resp, _ := cl.Login("editor1", wrongPassword, "")
		if i >= 3 && resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("attempt %d with a forged X-Forwarded-For: %d, want 429", i+1, resp.StatusCode)
		}
	}
	// The first wait is a second: once past it, the next guess is heard
	// (and refused for its password).
	site.Clock.Advance(1100 * time.Millisecond)
	if resp, _ := site.Client(t).Login("editor1", wrongPassword, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a guess after the wait: %d, want 401", resp.StatusCode)
	}
}

func TestLoginThrottleNeverLocksTheOwnerOut(t *testing.T) {
	t.Parallel()
	site := servertest.NewRobustSite(t, pgtest.NewDB(t), behindProxy)
	attacker := site.Client(t)
	attacker.XFF = "198.51.100.7"
	var codes []int
	for range 6 {
		resp, _ := attacker.Login("admin", wrongPassword, "")
		codes = append(codes, resp.StatusCode)
	}
	if fmt.Sprint(codes[:3]) != "[401 401 401]" || codes[5] != http.StatusTooManyRequests {
		t.Errorf("a guesser's attempts answered %v, want three 401 then 429", codes)
	}
	resp, body := attacker.Login("admin", servertest.RobustPassword, "")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, "Quá nhiều lần đăng nhập sai") {
		t.Errorf("the right password from the guesser's address: %d, want 429 with Retry-After and why", resp.StatusCode)
	}
	owner := site.Client(t)
	owner.XFF = "192.0.2.10"
	if resp, _ := owner.Login("admin", servertest.RobustPassword, ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner from another address: %d, want 303 (signed in)", resp.StatusCode)
	}

	// Many addresses on one account: its sign-ins are slowed, not refused.
	for i := range 11 {
		cl := site.Client(t)
		cl.XFF = fmt.Sprintf("198.18.0.%d", i+1)
		if resp, _ := cl.Login("editor1", wrongPassword, ""); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("guess %d from a fresh address: %d, want 401", i+1, resp.StatusCode)
		}
	}
	owner.XFF = "192.0.2.11"
	start := time.Now()
	resp, _ = owner.Login("editor1", servertest.RobustPassword, "")
	took := time.Since(start)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner of an account under attack: %d, want 303", resp.StatusCode)
	}
	// The rule is in the log (how long the attempt was held), the wall
	// clock only checks that the wait was real: it can be longer on a
	// loaded machine, never shorter.
	var slowed []any
	for _, r := range site.Logs.Requests("/login") {
		if r["method"] == http.MethodPost && r["status"] == float64(http.StatusSeeOther) && r["username"] == "editor1" {
			slowed = append(slowed, r["slowed"])
		}
	}
	if len(slowed) != 1 || slowed[0] != float64(500*time.Millisecond) || took < 500*time.Millisecond {
		t.Errorf("signing in to an account with 11 failures: slowed by %v ns, took %s; want slowed by 0.5 s (of at most 3 s)", slowed, took)
	}
}

func TestParallelLoginsDoNotExhaustMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("48 argon2id hashes take a few seconds on 2 cores")
	}
	site := servertest.NewRobustSite(t, pgtest.NewDB(t), behindProxy)
	clients := make([]*servertest.Client, 48)
	for i := range clients {
		clients[i] = site.Client(t)
		clients[i].XFF = fmt.Sprintf("198.18.1.%d", i+1)
		clients[i].Do(http.MethodGet, "/login", nil)
	}
	runtime.GC()
	codes := make([]int, len(clients))
	peak := peakHeapDuring(func() {
		var wg sync.WaitGroup
		for i, cl := range clients {
			wg.Go(func() {
				resp, _ := cl.Do(http.MethodPost, "/login", map[string][]string{"username": {fmt.Sprintf("guess%d", i)},
					"password": {wrongPassword}, "_csrf": {cl.CSRF}})
				codes[i] = resp.StatusCode
			})
		}
		wg.Wait()
	})
	hashed := 0
	for _, c := range codes {
		switch c {
		case http.StatusUnauthorized:
			hashed++
		case http.StatusServiceUnavailable: // waited too long for a login slot: bounded, fine
		default:
			t.Errorf("a parallel wrong login answered %d", c)
		}
	}
	t.Logf("48 parallel wrong passwords: %d checked, the rest 503; heap peaked at %d MiB", hashed, peak>>20)
	// The first two to take a hashing slot are always checked; how many more
	// finish before the others give up depends on the machine's speed, so it
	// is logged, not asserted.
	if hashed < 2 {
		t.Errorf("only %d of 48 logins were checked", hashed)
	}
	// 48 × 19 MiB at once would be 912 MiB.
	if peak > 200<<20 {
		t.Errorf("heap peaked at %d MiB", peak>>20)
	}
}

// peakHeapDuring samples the heap (objects, garbage included) every
// millisecond while fn runs.
func peakHeapDuring(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	return peak
}

func TestTwoInstancesShareSessionsAndThrottle(t *testing.T) {
	t.Parallel()
	poolA := pgtest.NewDB(t)
	// The second instance has a pool of its own on the same database, as a
	// second process behind a load balancer would.
	poolB, err := postgres.Connect(t.Context(), poolA.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(poolB.Close)
	a := servertest.NewRobustSite(t, poolA, behindProxy)
	b := servertest.StartRobustSite(t, poolB, stats.NewAccounts(postgres.New(poolB)).WithClock(a.Clock.Now), behindProxy)

	// Signed in on A, signed in on B; a form read on A posts on B.
	cl := a.Client(t)
	if resp, _ := cl.Login("editor1", servertest.RobustPassword, ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on A: %d", resp.StatusCode)
	}
	cl.Do(http.MethodGet, "/admin/password", nil)
	onB := cl.On(b)
	if resp, _ := onB.Do(http.MethodGet, "/admin", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("A's session on B: %d, want 200", resp.StatusCode)
	}
	resp, _ := onB.Do(http.MethodPost, "/admin/password", map[string][]string{"_csrf": {cl.CSRF},
		"current_password": {wrongPassword}, "new_password": {"mật khẩu mới rất dài"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a form read on A posted on B: %d, want 422 (CSRF accepted, wrong password)", resp.StatusCode)
	}
	if resp, _ := onB.Do(http.MethodPost, "/logout", map[string][]string{"_csrf": {cl.CSRF}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout on B: %d", resp.StatusCode)
	}
	if resp, _ := cl.Do(http.MethodGet, "/admin", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout on B, A: %d, want 303 to the login", resp.StatusCode)
	}

	// Failures on A count on B.
	guess := a.Client(t)
	guess.XFF = "198.51.100.9"
	for range 3 {
		guess.Login("admin", wrongPassword, "")
	}
	onB = guess.On(b)
	if resp, _ := onB.Login("admin", wrongPassword, ""); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a fourth guess on B after three on A: %d, want 429", resp.StatusCode)
	}
}
