package auth_test

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/auth"
)

func TestHashAndVerify(t *testing.T) {
	h, err := auth.Hash("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Errorf("hash %q is not argon2id", h)
	}
	if !auth.Verify(h, "mật khẩu đủ dài") {
		t.Error("the right password was refused")
	}
	if auth.Verify(h, "mật khẩu sai rồi") {
		t.Error("a wrong password was accepted")
	}
	h2, _ := auth.Hash("mật khẩu đủ dài")
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$", "plain", "$argon2id$v=19$m=1,t=1,p=0$AA$AA"} {
		if auth.Verify(bad, "x") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	if auth.CheckPassword("short") == nil {
		t.Error("a 5-character password was accepted")
	}
	if err := auth.CheckPassword("đủ mười ký tự"); err != nil {
		t.Error(err)
	}
}

func TestThrottleNeverLocksAnAccount(t *testing.T) {
	th := auth.DefaultThrottle
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	none := auth.Failures{}
	tests := []struct {
		name         string
		pair, client auth.Failures
		want         time.Duration
	}{
		{"fresh", none, none, 0},
		{"two failures", auth.Failures{2, now}, auth.Failures{2, now}, 0},
		{"third failure: 1 s", auth.Failures{3, now}, auth.Failures{3, now}, time.Second},
		{"fifth: 4 s", auth.Failures{5, now}, auth.Failures{5, now}, 4 * time.Second},
		{"waited enough", auth.Failures{5, now.Add(-5 * time.Second)}, auth.Failures{5, now}, 0},
		{"capped at 15 min", auth.Failures{40, now}, none, 15 * time.Minute},
		{"an address spraying accounts", none, auth.Failures{21, now}, 2 * time.Second},
	}
	for _, tt := range tests {
		if got := th.RetryAfter(tt.pair, tt.client, now); got != tt.want {
			t.Errorf("%s: RetryAfter = %s, want %s", tt.name, got, tt.want)
		}
	}
	for n, want := range map[int]time.Duration{0: 0, 9: 0, 10: 250 * time.Millisecond, 12: time.Second, 1000: 3 * time.Second} {
		if got := th.Delay(auth.Failures{n, now}); got != want {
			t.Errorf("Delay after %d failures on the account = %s, want %s (a slowdown, never a lock)", n, got, want)
		}
	}
}

func TestHasherBoundsMemory(t *testing.T) {
	h := auth.NewHasher(2)
	hash, err := h.Hash(t.Context(), "mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if ok, err := h.Verify(t.Context(), hash, "sai mật khẩu rồi"); ok || err != nil {
				t.Errorf("Verify: %v %v", ok, err)
			}
		})
	}
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// 16 at once would need 16 × 19 MiB; two at a time, with the garbage
	// of earlier ones not yet collected, stay far below.
	if grown := int64(after.HeapSys) - int64(before.HeapSys); grown > 160<<20 {
		t.Errorf("heap grew by %d MiB for 16 parallel checks, two at a time", grown>>20)
	}
}
