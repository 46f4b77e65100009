package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// insertSource adds a source, making its key unique by a suffix when an
// outlet published two articles the same day (the figure form's inline
// source, whose key nobody typed).
func insertSource(ctx context.Context, tx pgx.Tx, src stats.Source, by int64) (int64, error) {
	base := src.Key
	if base == "" {
		base = "source"
	}
	var id int64
	for i := 1; ; i++ {
		key := base
		if i > 1 {
			key = fmt.Sprintf("%s-%d", base, i)
		}
		err := tx.QueryRow(ctx, `INSERT INTO sources (key, title, outlet, author, published_on, published_time, published_text, url)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING RETURNING id`,
			key, src.Title, src.Outlet, src.Author, src.PublishedOn, src.PublishedTime, src.PublishedText, src.URL).Scan(&id)
		if err == nil {
			break
		}
		if !errors.Is(err, pgx.ErrNoRows) || i > 50 {
			return 0, fmt.Errorf("insert source: %w", err)
		}
	}
	return id, recordRevision(ctx, tx, stats.EntitySource, id, "create", by, nil)
}

// sourceSnapshot is what the history keeps of a source.
func sourceSnapshot(ctx context.Context, tx pgx.Tx, id int64) ([]byte, error) {
	var b []byte
	err := tx.QueryRow(ctx, `SELECT jsonb_build_object('key', key, 'title', title, 'outlet', outlet,
			'author', author, 'published_on', published_on, 'published_time', published_time,
			'published_text', published_text, 'url', url, 'deleted', deleted_at IS NOT NULL, 'version', version)
		FROM sources WHERE id = $1`, id).Scan(&b)
	return b, err
}

// CreateSource adds a source with its history row. The key is the one
// entered (or derived from outlet and date): a key taken already, by a
// live or a deleted source, is a field error rather than a silent suffix.
// Errors: *stats.ValidationError.
func (db *DB) CreateSource(ctx context.Context, src stats.Source, by int64) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO sources (key, title, outlet, author, published_on, published_time, published_text, url)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING RETURNING id`,
			src.Key, src.Title, src.Outlet, src.Author, src.PublishedOn, src.PublishedTime, src.PublishedText, src.URL).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return keyTaken("key", src.Key)
		}
		if err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntitySource, id, "create", by, nil)
	})
	if err != nil {
		return 0, fmt.Errorf("create source: %w", translate(err))
	}
	return id, nil
}

func keyTaken(field, key string) error {
	v := &stats.ValidationError{}
	v.Add(field, "error.key.taken", key)
	return v
}

// UpdateSource changes a live source at version; its key stays.
// Errors: stats.ErrNotFound (or deleted), stats.ErrConflict.
func (db *DB) UpdateSource(ctx context.Context, src stats.Source, version, by int64) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockLive(ctx, tx, stats.EntitySource, src.ID, version); err != nil {
			return err
		}
		before, err := sourceSnapshot(ctx, tx, src.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE sources SET title = $2, outlet = $3, author = $4, published_on = $5,
				published_time = $6, published_text = $7, url = $8, version = version + 1 WHERE id = $1`,
			src.ID, src.Title, src.Outlet, src.Author, src.PublishedOn, src.PublishedTime, src.PublishedText, src.URL); err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntitySource, src.ID, "update", by, before)
	})
	if err != nil {
		return fmt.Errorf("update source %d: %w", src.ID, translate(err))
	}
	return nil
}

const adminSourceSelect = `SELECT ` + sourceColumns + `, s.version, s.deleted_at,
		(SELECT count(*) FROM figures f WHERE f.source_id = s.id AND f.deleted_at IS NULL),
		(SELECT count(*) FROM findings x WHERE x.source_id = s.id AND x.deleted_at IS NULL)
	FROM sources s`

func scanAdminSource(row pgx.Row) (stats.Source, error) {
	var version int64
	var deleted *time.Time
	var figs, finds int
	s, err := scanSource(row, &version, &deleted, &figs, &finds)
	s.Version, s.DeletedAt, s.Figures, s.Findings = version, deleted, figs, finds
	return s, err
}

// AdminSources lists every source, deleted ones included, newest first,
// with the live figures and findings citing each.
func (db *DB) AdminSources(ctx context.Context) ([]stats.Source, error) {
	return queryAll(ctx, db, "list sources", scanAdminSource, adminSourceSelect+` ORDER BY s.published_on DESC, s.id`)
}

// AdminSource finds a source, deleted or not. Errors: stats.ErrNotFound.
func (db *DB) AdminSource(ctx context.Context, id int64) (stats.Source, error) {
	s, err := scanAdminSource(db.pool.QueryRow(ctx, adminSourceSelect+` WHERE s.id = $1`, id))
	if err != nil {
		return s, fmt.Errorf("source %d: %w", id, translate(err))
	}
	return s, nil
}
