package stats

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/auth"
)

// UserStore is the storage of accounts.
type UserStore interface {
	UserByName(ctx context.Context, username string) (User, error)
	User(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, u User, by *int64) (int64, error)
	UpdateUser(ctx context.Context, u User, by *int64) error
	LoginStore // the sign-in throttle (login.go)
}

// ErrBadCredentials is the one answer to a wrong user name, a wrong
// password and a disabled account alike: it tells a guesser nothing.
var ErrBadCredentials = errors.New("wrong user name or password")

// Accounts manages users and checks passwords.
type Accounts struct {
	store    UserStore
	hasher   *auth.Hasher
	throttle auth.Throttle
	// now is the throttle's clock; nil is the database's, which every
	// instance shares. Tests set theirs (WithClock) so that a rule about
	// seconds never depends on how fast the machine runs.
	now func() time.Time
}

// WithClock makes the sign-in throttle read time from now instead of the
// database's clock, and returns a.
func (a *Accounts) WithClock(now func() time.Time) *Accounts {
	a.now = now
	return a
}

// clock is the time the throttle's rules use; nil: the database's.
func (a *Accounts) clock() *time.Time {
	if a.now == nil {
		return nil
	}
	t := a.now()
	return &t
}

// hashesAtOnce bounds the memory password hashing takes: 19 MiB each.
const hashesAtOnce = 2

// NewAccounts wraps a store.
func NewAccounts(store UserStore) *Accounts {
	return &Accounts{store: store, hasher: auth.NewHasher(hashesAtOnce), throttle: auth.DefaultThrottle}
}

// NormalizeUsername is how names are stored and compared.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Authenticate returns the user whose password this is.
// Errors: ErrBadCredentials.
func (a *Accounts) Authenticate(ctx context.Context, username, password string) (User, error) {
	u, err := a.store.UserByName(ctx, NormalizeUsername(username))
	if errors.Is(err, ErrNotFound) {
		// Same time as a wrong password.
		if err := a.hasher.VerifyNobody(ctx, password); err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	ok, err := a.hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return User{}, err
	}
	if !ok || u.Disabled {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// User returns an account by id. Errors: ErrNotFound.
func (a *Accounts) User(ctx context.Context, id int64) (User, error) { return a.store.User(ctx, id) }

// Users lists the accounts.
func (a *Accounts) Users(ctx context.Context) ([]User, error) { return a.store.Users(ctx) }

// Create adds an account. Errors: *ValidationError, ErrConflict (taken).
func (a *Accounts) Create(ctx context.Context, by *User, username string, role Role, password string) (int64, error) {
	if by != nil {
		if err := by.May(ActManageUsers, nil); err != nil {
			return 0, err
		}
	}
	username = NormalizeUsername(username)
	v := &ValidationError{}
	if !UsernamePattern.MatchString(username) {
		v.Add("username", "error.username.invalid", "")
	}
	if !role.Valid() {
		v.Add("role", "error.role.unknown", "")
	}
	if auth.CheckPassword(password) != nil {
		v.Add("password", "error.password.weak", "")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	hash, err := a.hasher.Hash(ctx, password)
	if err != nil {
		return 0, err
	}
	return a.store.CreateUser(ctx, User{Username: username, Role: role, PasswordHash: hash}, idOf(by))
}

// Update changes an account's role, disabled flag and (when not empty)
// password. Only admins may; an admin cannot disable or demote themself,
// so that a site never loses its last admin by accident.
// Errors: ErrForbidden, *ValidationError, ErrNotFound.
func (a *Accounts) Update(ctx context.Context, by User, id int64, role Role, disabled bool, password string) error {
	if err := by.May(ActManageUsers, nil); err != nil {
		return err
	}
	v := &ValidationError{}
	if !role.Valid() {
		v.Add("role", "error.role.unknown", "")
	}
	if id == by.ID && (disabled || role != RoleAdmin) {
		v.Add("role", "error.user.self_demote", "")
	}
	if password != "" && auth.CheckPassword(password) != nil {
		v.Add("password", "error.password.weak", "")
	}
	if err := v.Err(); err != nil {
		return err
	}
	u := User{ID: id, Role: role, Disabled: disabled}
	if password != "" {
		hash, err := a.hasher.Hash(ctx, password)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
	}
	return a.store.UpdateUser(ctx, u, &by.ID)
}

// ChangePassword lets a user replace their own password, given the current
// one. Errors: ErrBadCredentials, *ValidationError.
func (a *Accounts) ChangePassword(ctx context.Context, by User, current, next string) error {
	u, err := a.store.User(ctx, by.ID)
	if err != nil {
		return err
	}
	ok, err := a.hasher.Verify(ctx, u.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		v := &ValidationError{}
		v.Add("current_password", "error.password.wrong", "")
		return v
	}
	if auth.CheckPassword(next) != nil {
		v := &ValidationError{}
		v.Add("new_password", "error.password.weak", "")
		return v
	}
	hash, err := a.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return a.store.UpdateUser(ctx, u, &by.ID)
}

// EnsureAdmin makes the "admin" account usable at start: with a password
// given, it creates admin or sets its password; with none and no users at
// all, it creates admin with a random password and returns it (to be shown
// once). Otherwise it does nothing.
func (a *Accounts) EnsureAdmin(ctx context.Context, password string) (generated string, err error) {
	if password != "" {
		u, err := a.store.UserByName(ctx, "admin")
		switch {
		case errors.Is(err, ErrNotFound):
			_, err = a.Create(ctx, nil, "admin", RoleAdmin, password)
			return "", err
		case err != nil:
			return "", err
		}
		ok, err := a.hasher.Verify(ctx, u.PasswordHash, password)
		if err != nil {
			return "", err
		}
		if ok && !u.Disabled && u.Role == RoleAdmin {
			return "", nil // unchanged: no history row on every start
		}
		if auth.CheckPassword(password) != nil {
			return "", fmt.Errorf("CADRESTATS_ADMIN_PASSWORD: %w", auth.ErrWeakPassword)
		}
		hash, err := a.hasher.Hash(ctx, password)
		if err != nil {
			return "", err
		}
		return "", a.store.UpdateUser(ctx, User{ID: u.ID, Role: RoleAdmin, PasswordHash: hash}, nil)
	}
	n, err := a.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	pw, err := auth.RandomPassword()
	if err != nil {
		return "", err
	}
	if _, err := a.Create(ctx, nil, "admin", RoleAdmin, pw); err != nil {
		return "", err
	}
	return pw, nil
}

func idOf(u *User) *int64 {
	if u == nil {
		return nil
	}
	return &u.ID
}
