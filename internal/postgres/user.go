package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

const userColumns = `id, username, role, disabled, password_hash, created_at, password_changed_at`

func scanUser(row pgx.Row) (stats.User, error) {
	var u stats.User
	err := row.Scan(&u.ID, &u.Username, &u.Role, &u.Disabled, &u.PasswordHash, &u.CreatedAt, &u.PasswordChangedAt)
	return u, err
}

// UserByName finds a user. Errors: stats.ErrNotFound.
func (db *DB) UserByName(ctx context.Context, username string) (stats.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE username = $1`, username))
	if err != nil {
		return u, fmt.Errorf("user %q: %w", username, translate(err))
	}
	return u, nil
}

// User finds a user by id. Errors: stats.ErrNotFound.
func (db *DB) User(ctx context.Context, id int64) (stats.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, translate(err))
	}
	return u, nil
}

// Users lists every user by name.
func (db *DB) Users(ctx context.Context) ([]stats.User, error) {
	return queryAll(ctx, db, "list users", scanUser, `SELECT `+userColumns+` FROM users ORDER BY username`)
}

// CountUsers counts the users.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", translate(err))
	}
	return n, nil
}

// CreateUser adds a user. Errors: stats.ErrConflict if the name is taken.
func (db *DB) CreateUser(ctx context.Context, u stats.User, by *int64) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
			ON CONFLICT (username) DO NOTHING RETURNING id`, u.Username, u.PasswordHash, u.Role).Scan(&id)
		if err == pgx.ErrNoRows {
			return fmt.Errorf("%w: user %q exists", stats.ErrConflict, u.Username)
		}
		if err != nil {
			return err
		}
		return addRevision(ctx, tx, "user", id, "create", by, nil, userSnapshot(u))
	})
	if err != nil {
		return 0, fmt.Errorf("create user %q: %w", u.Username, translate(err))
	}
	return id, nil
}

// UpdateUser sets a user's role, disabled flag and, when hash is not
// empty, password. Errors: stats.ErrNotFound.
func (db *DB) UpdateUser(ctx context.Context, u stats.User, by *int64) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, u.ID))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE users SET role = $2, disabled = $3,
				password_hash = CASE WHEN $4 = '' THEN password_hash ELSE $4 END,
				password_changed_at = CASE WHEN $4 = '' THEN password_changed_at ELSE now() END
			WHERE id = $1`, u.ID, u.Role, u.Disabled, u.PasswordHash)
		if err != nil {
			return err
		}
		after := u
		after.Username = before.Username
		return addRevision(ctx, tx, "user", u.ID, "update", by, userSnapshot(before), userSnapshot(after))
	})
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, translate(err))
	}
	return nil
}

// userSnapshot is what the history keeps of a user: never the hash.
func userSnapshot(u stats.User) map[string]any {
	return map[string]any{"username": u.Username, "role": u.Role, "disabled": u.Disabled,
		"password_changed": u.PasswordHash != ""}
}

// DeleteExpiredSessions removes sessions past their expiry; the session
// store never serves them, this only reclaims the rows.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", translate(err))
	}
	return tag.RowsAffected(), nil
}

// MarkFiguresSeen records that the user looked at the list of figures now.
func (db *DB) MarkFiguresSeen(ctx context.Context, user int64) error {
	if _, err := db.pool.Exec(ctx, `UPDATE users SET figures_seen_at = now() WHERE id = $1`, user); err != nil {
		return fmt.Errorf("mark figures seen by %d: %w", user, translate(err))
	}
	return nil
}

// FiguresSeenAt is when the user last marked the list seen (nil: never).
func (db *DB) FiguresSeenAt(ctx context.Context, user int64) (*time.Time, error) {
	var t *time.Time
	if err := db.pool.QueryRow(ctx, `SELECT figures_seen_at FROM users WHERE id = $1`, user).Scan(&t); err != nil {
		return nil, fmt.Errorf("figures seen by %d: %w", user, translate(err))
	}
	return t, nil
}
