package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/auth"
)

// CountLoginAttempt locks the throttle counters of keys, passes their
// failures within window (and the database's clock) to allow, and if allow
// says yes counts one more failure on each before unlocking. Attempts on
// the same counters thus take turns, and each sees the ones before it:
// parallel guesses cannot all slip through before the first is counted.
// The time is now, or when nil the database's clock (every instance's).
func (db *DB) CountLoginAttempt(ctx context.Context, keys []string, window time.Duration, now *time.Time,
	allow func(now time.Time, f map[string]auth.Failures) bool) error {
	keys = slices.Sorted(slices.Values(keys)) // one lock order for all
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO login_throttle (key) SELECT unnest($1::text[])
			ON CONFLICT (key) DO NOTHING`, keys); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT key,
				CASE WHEN last_at < coalesce($3::timestamptz, now()) - make_interval(secs => $2) THEN 0 ELSE failures END, last_at,
				coalesce($3::timestamptz, now())
			FROM login_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE`, keys, window.Seconds(), now)
		if err != nil {
			return err
		}
		f := map[string]auth.Failures{}
		var at time.Time
		for rows.Next() {
			var k string
			var c auth.Failures
			if err := rows.Scan(&k, &c.Count, &c.Last, &at); err != nil {
				rows.Close()
				return err
			}
			f[k] = c
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if !allow(at, f) {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE login_throttle SET last_at = $3::timestamptz,
				failures = CASE WHEN last_at < $3::timestamptz - make_interval(secs => $2) THEN 1 ELSE failures + 1 END
			WHERE key = ANY($1)`, keys, window.Seconds(), at)
		return err
	})
	if err != nil {
		return fmt.Errorf("count login attempt: %w", err)
	}
	return nil
}

// LoginSucceeded takes back the failure counted for an attempt that
// turned out right: the counters of reset go back to zero, those of undo
// lose one.
func (db *DB) LoginSucceeded(ctx context.Context, reset, undo []string) error {
	_, err := db.pool.Exec(ctx, `UPDATE login_throttle SET failures = CASE
			WHEN key = ANY($1) THEN 0 ELSE greatest(failures - 1, 0) END
		WHERE key = ANY($1) OR key = ANY($2)`, reset, undo)
	if err != nil {
		return fmt.Errorf("record login: %w", translate(err))
	}
	return nil
}

// DeleteStaleLoginFailures removes counters without a failure for longer
// than window: they count zero anyway, and names sprayed by a guesser
// would otherwise pile up.
func (db *DB) DeleteStaleLoginFailures(ctx context.Context, window time.Duration, now *time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM login_throttle WHERE last_at < coalesce($2::timestamptz, now()) - make_interval(secs => $1)`,
		window.Seconds(), now)
	if err != nil {
		return 0, fmt.Errorf("delete stale login failures: %w", translate(err))
	}
	return tag.RowsAffected(), nil
}
