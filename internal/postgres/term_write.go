package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// termSnapshot is what the history keeps of a term.
func termSnapshot(ctx context.Context, tx pgx.Tx, id int64) ([]byte, error) {
	var b []byte
	err := tx.QueryRow(ctx, `SELECT jsonb_build_object('key', key, 'name', name, 'name_en', name_en, 'kind', kind,
			'start_year', start_year, 'end_year', end_year, 'deleted', deleted_at IS NOT NULL, 'version', version)
		FROM terms WHERE id = $1`, id).Scan(&b)
	return b, err
}

// CreateTerm inserts a term and its history row.
// Errors: *stats.ValidationError (key taken).
func (db *DB) CreateTerm(ctx context.Context, t stats.Term, by int64) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO terms (key, name, name_en, kind, start_year, end_year)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING id`,
			t.Key, t.Name, t.NameEN, t.Kind, t.StartYear, t.EndYear).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return keyTaken("key", t.Key)
		}
		if err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntityTerm, id, "create", by, nil)
	})
	if err != nil {
		return 0, fmt.Errorf("create term: %w", translate(err))
	}
	return id, nil
}

// UpdateTerm changes a live term at version; its key stays.
// Errors: stats.ErrNotFound, stats.ErrConflict.
func (db *DB) UpdateTerm(ctx context.Context, t stats.Term, version, by int64) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockLive(ctx, tx, stats.EntityTerm, t.ID, version); err != nil {
			return err
		}
		before, err := termSnapshot(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE terms SET name = $2, name_en = $3, kind = $4, start_year = $5, end_year = $6,
				version = version + 1 WHERE id = $1`, t.ID, t.Name, t.NameEN, t.Kind, t.StartYear, t.EndYear); err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntityTerm, t.ID, "update", by, before)
	})
	if err != nil {
		return fmt.Errorf("update term %d: %w", t.ID, translate(err))
	}
	return nil
}

const adminTermSelect = `SELECT t.id, t.key, t.name, t.name_en, t.kind, t.start_year, t.end_year, t.version, t.deleted_at,
		(SELECT count(*) FROM figures f WHERE f.term_id = t.id AND f.deleted_at IS NULL)
		+ (SELECT count(*) FROM findings x WHERE x.term_id = t.id AND x.deleted_at IS NULL)
	FROM terms t`

func scanAdminTerm(row pgx.Row) (stats.Term, error) {
	var t stats.Term
	var deleted *time.Time
	err := row.Scan(&t.ID, &t.Key, &t.Name, &t.NameEN, &t.Kind, &t.StartYear, &t.EndYear, &t.Version, &deleted, &t.Used)
	t.DeletedAt = deleted
	return t, err
}

// AdminTerms lists every term, deleted ones included, oldest first.
func (db *DB) AdminTerms(ctx context.Context) ([]stats.Term, error) {
	return queryAll(ctx, db, "list terms", scanAdminTerm, adminTermSelect+` ORDER BY t.start_year, t.end_year, t.key`)
}

// AdminTerm finds a term by id, deleted or not. Errors: stats.ErrNotFound.
func (db *DB) AdminTerm(ctx context.Context, id int64) (stats.Term, error) {
	t, err := scanAdminTerm(db.pool.QueryRow(ctx, adminTermSelect+` WHERE t.id = $1`, id))
	if err != nil {
		return t, fmt.Errorf("term %d: %w", id, translate(err))
	}
	return t, nil
}
