package auth_test

import (
	"strings"
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

func TestThrottleBlocksPerAccountAndPerClient(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	th := auth.NewThrottle(15*time.Minute, 3, 5, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		th.Fail("admin", "10.0.0.1")
	}
	if ok, _ := th.Allowed("admin", "10.0.0.9"); ok {
		t.Error("the account is not blocked after 3 failures from anywhere")
	}
	if ok, _ := th.Allowed("editor", "10.0.0.1"); !ok {
		t.Error("another account from the same client is blocked too early")
	}
	th.Fail("a", "10.0.0.1")
	th.Fail("b", "10.0.0.1")
	if ok, _ := th.Allowed("c", "10.0.0.1"); ok {
		t.Error("the client is not blocked after 5 failures on different accounts")
	}
	now = now.Add(16 * time.Minute)
	if ok, _ := th.Allowed("admin", "10.0.0.1"); !ok {
		t.Error("still blocked after the window")
	}
}
