package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

type findingRefs struct {
	locality int64
	term     *int64
	source   int64
}

// resolveFindingRefs looks up what the input names, each unknown or
// deleted reference a field error. The rows found are locked FOR SHARE:
// they cannot be deleted before this transaction ends.
func resolveFindingRefs(ctx context.Context, tx pgx.Tx, in stats.FindingInput) (findingRefs, error) {
	var r findingRefs
	v := &stats.ValidationError{}
	missing := func(err error, field, key, arg string) error {
		if errors.Is(err, pgx.ErrNoRows) {
			v.Add(field, key, arg)
			return nil
		}
		return err
	}
	err := tx.QueryRow(ctx, `SELECT id FROM localities WHERE slug = $1 AND deleted_at IS NULL FOR SHARE`, in.LocalitySlug).Scan(&r.locality)
	if err := missing(err, "locality", "error.locality.unknown", in.LocalitySlug); err != nil {
		return r, err
	}
	if in.Category != "" {
		var code string
		err := tx.QueryRow(ctx, `SELECT code FROM categories WHERE code = $1`, in.Category).Scan(&code)
		if err := missing(err, "category", "error.category.unknown", in.Category); err != nil {
			return r, err
		}
	}
	if in.TermKey != "" {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM terms WHERE key = $1 AND deleted_at IS NULL FOR SHARE`, in.TermKey).Scan(&id)
		if err == nil {
			r.term = &id
		}
		if err := missing(err, "term", "error.term.unknown", in.TermKey); err != nil {
			return r, err
		}
	}
	err = tx.QueryRow(ctx, `SELECT id FROM sources WHERE id = $1 AND deleted_at IS NULL FOR SHARE`, in.SourceID).Scan(&r.source)
	if err := missing(err, "source_id", "error.source.unknown", ""); err != nil {
		return r, err
	}
	return r, v.Err()
}

// findingSnapshot is what the history keeps of a finding: references by
// slug and key, readable without joins.
func findingSnapshot(ctx context.Context, tx pgx.Tx, id int64) ([]byte, error) {
	var b []byte
	err := tx.QueryRow(ctx, `SELECT jsonb_build_object('locality', l.slug, 'category', x.category, 'term', t.key,
			'statement', x.statement, 'statement_en', x.statement_en, 'quote', x.quote, 'source', s.key,
			'deleted', x.deleted_at IS NOT NULL, 'version', x.version)
		FROM findings x JOIN localities l ON l.id = x.locality_id JOIN sources s ON s.id = x.source_id
		LEFT JOIN terms t ON t.id = x.term_id WHERE x.id = $1`, id).Scan(&b)
	return b, err
}

// CreateFinding inserts a finding and its history row.
// Errors: *stats.ValidationError (an unknown or deleted reference).
func (db *DB) CreateFinding(ctx context.Context, in stats.FindingInput, by int64) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		refs, err := resolveFindingRefs(ctx, tx, in)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO findings (locality_id, category, term_id, statement, statement_en, quote, source_id)
			VALUES ($1, nullif($2, ''), $3, $4, $5, $6, $7) RETURNING id`,
			refs.locality, in.Category, refs.term, in.Statement, in.StatementEN, in.Quote, refs.source).Scan(&id); err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntityFinding, id, "create", by, nil)
	})
	if err != nil {
		return 0, fmt.Errorf("create finding: %w", translate(err))
	}
	return id, nil
}

// UpdateFinding changes a live finding at version.
// Errors: *stats.ValidationError, stats.ErrNotFound, stats.ErrConflict.
func (db *DB) UpdateFinding(ctx context.Context, in stats.FindingInput, version, by int64) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockLive(ctx, tx, stats.EntityFinding, in.ID, version); err != nil {
			return err
		}
		refs, err := resolveFindingRefs(ctx, tx, in)
		if err != nil {
			return err
		}
		before, err := findingSnapshot(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE findings SET locality_id = $2, category = nullif($3, ''), term_id = $4,
				statement = $5, statement_en = $6, quote = $7, source_id = $8, version = version + 1 WHERE id = $1`,
			in.ID, refs.locality, in.Category, refs.term, in.Statement, in.StatementEN, in.Quote, refs.source); err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntityFinding, in.ID, "update", by, before)
	})
	if err != nil {
		return fmt.Errorf("update finding %d: %w", in.ID, translate(err))
	}
	return nil
}

const adminFindingSelect = `SELECT x.id, l.slug, l.name, coalesce(x.category, ''), coalesce(t.key, ''),
		x.statement, x.statement_en, x.quote, ` + sourceColumns + `, x.version, x.deleted_at
	FROM findings x
	JOIN localities l ON l.id = x.locality_id
	LEFT JOIN terms t ON t.id = x.term_id
	JOIN sources s ON s.id = x.source_id`

func scanAdminFinding(row pgx.Row) (stats.Finding, error) {
	var x stats.Finding
	var deleted *time.Time
	s := &x.Source
	err := row.Scan(&x.ID, &x.LocalitySlug, &x.LocalityName, &x.Category, &x.TermKey,
		&x.Statement, &x.StatementEN, &x.Quote,
		&s.ID, &s.Key, &s.Title, &s.Outlet, &s.Author, &s.PublishedOn, &s.PublishedTime, &s.PublishedText, &s.URL,
		&x.Version, &deleted)
	x.DeletedAt = deleted
	return x, err
}

// AdminFindings lists every finding, deleted ones included, newest first.
func (db *DB) AdminFindings(ctx context.Context) ([]stats.Finding, error) {
	return queryAll(ctx, db, "list findings", scanAdminFinding, adminFindingSelect+` ORDER BY x.id DESC`)
}

// AdminFinding finds a finding, deleted or not. Errors: stats.ErrNotFound.
func (db *DB) AdminFinding(ctx context.Context, id int64) (stats.Finding, error) {
	x, err := scanAdminFinding(db.pool.QueryRow(ctx, adminFindingSelect+` WHERE x.id = $1`, id))
	if err != nil {
		return x, fmt.Errorf("finding %d: %w", id, translate(err))
	}
	return x, nil
}
