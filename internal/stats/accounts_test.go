package stats_test

import (
	"errors"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
)

func TestEnsureAdmin(t *testing.T) {
	db := postgres.New(pgtest.NewDB(t))
	a := stats.NewAccounts(db)
	ctx := t.Context()

	pw, err := a.EnsureAdmin(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(pw) < 16 {
		t.Fatalf("first start generated %q, want a long random password", pw)
	}
	if _, err := a.Authenticate(ctx, "admin", pw); err != nil {
		t.Errorf("the generated password does not work: %v", err)
	}
	if again, err := a.EnsureAdmin(ctx, ""); err != nil || again != "" {
		t.Errorf("second start: %q, %v; want nothing generated", again, err)
	}

	if _, err := a.EnsureAdmin(ctx, "mật khẩu mới của admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(ctx, "admin", "mật khẩu mới của admin"); err != nil {
		t.Errorf("CADRESTATS_ADMIN_PASSWORD did not update admin: %v", err)
	}
	if _, err := a.Authenticate(ctx, "admin", pw); !errors.Is(err, stats.ErrBadCredentials) {
		t.Errorf("the old password still works: %v", err)
	}
	revs, err := db.Revisions(ctx, stats.RevisionFilter{Entity: "user"})
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 {
		t.Errorf("%d user revisions, want 2 (created, password set)", len(revs))
	}
	for _, r := range revs {
		if string(r.After) != "" && (containsHash(r.After) || containsHash(r.Before)) {
			t.Errorf("a password hash leaked into the history: %s", r.After)
		}
	}
}

func containsHash(b []byte) bool {
	for i := 0; i+9 <= len(b); i++ {
		if string(b[i:i+9]) == "$argon2id" {
			return true
		}
	}
	return false
}

func TestAuthenticateRefusesDisabledAndUnknown(t *testing.T) {
	db := postgres.New(pgtest.NewDB(t))
	a := stats.NewAccounts(db)
	ctx := t.Context()
	admin, err := a.Create(ctx, nil, "admin", stats.RoleAdmin, "mật khẩu quản trị")
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.Create(ctx, nil, "lan", stats.RoleEditor, "mật khẩu của lan")
	if err != nil {
		t.Fatal(err)
	}
	by := stats.User{ID: admin, Role: stats.RoleAdmin}
	if err := a.Update(ctx, by, id, stats.RoleEditor, true, ""); err != nil {
		t.Fatal(err)
	}
	for name, creds := range map[string][2]string{
		"disabled": {"lan", "mật khẩu của lan"},
		"unknown":  {"minh", "mật khẩu của lan"},
		"wrong":    {"admin", "mật khẩu sai"},
	} {
		if _, err := a.Authenticate(ctx, creds[0], creds[1]); !errors.Is(err, stats.ErrBadCredentials) {
			t.Errorf("%s: err = %v, want ErrBadCredentials", name, err)
		}
	}
	if err := a.Update(ctx, by, admin, stats.RoleEditor, false, ""); err == nil {
		t.Error("the admin demoted themself")
	}
	if _, err := a.Create(ctx, nil, "lan", stats.RoleEditor, "mật khẩu khác nữa"); !errors.Is(err, stats.ErrConflict) {
		t.Errorf("a taken name: err = %v, want ErrConflict", err)
	}
}
