package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// entityTables are the tables of the entities editors soft-delete. Table
// names are these constants, never input.
var entityTables = map[stats.Entity]string{
	stats.EntitySource:    "sources",
	stats.EntityFinding:   "findings",
	stats.EntityLocality:  "localities",
	stats.EntityTerm:      "terms",
	stats.EntityIndicator: "indicators",
}

// lockRow reads a row's version for update and checks the caller acts on
// the version it saw. Errors: stats.ErrNotFound, stats.ErrConflict.
func lockRow(ctx context.Context, tx pgx.Tx, e stats.Entity, id, version int64) (deleted bool, err error) {
	table, ok := entityTables[e]
	if !ok {
		return false, fmt.Errorf("%w: entity %q", stats.ErrNotFound, e)
	}
	var current int64
	err = tx.QueryRow(ctx, `SELECT version, deleted_at IS NOT NULL FROM `+table+` WHERE id = $1 FOR UPDATE`, id).
		Scan(&current, &deleted)
	if err != nil {
		return false, err
	}
	if version != current {
		return false, fmt.Errorf("%w: %s %d is at version %d, the edit was made on version %d",
			stats.ErrConflict, e, id, current, version)
	}
	return deleted, nil
}

// lockLive is lockRow for an update: a deleted row is restored before it
// is edited. Errors: stats.ErrNotFound, stats.ErrConflict.
func lockLive(ctx context.Context, tx pgx.Tx, e stats.Entity, id, version int64) error {
	deleted, err := lockRow(ctx, tx, e, id, version)
	if err != nil {
		return err
	}
	if deleted {
		return fmt.Errorf("%w: %s %d is deleted", stats.ErrNotFound, e, id)
	}
	return nil
}

func entitySnapshot(ctx context.Context, tx pgx.Tx, e stats.Entity, id int64) ([]byte, error) {
	switch e {
	case stats.EntitySource:
		return sourceSnapshot(ctx, tx, id)
	case stats.EntityFinding:
		return findingSnapshot(ctx, tx, id)
	case stats.EntityLocality:
		return localitySnapshot(ctx, tx, id)
	case stats.EntityTerm:
		return termSnapshot(ctx, tx, id)
	case stats.EntityIndicator:
		return indicatorSnapshot(ctx, tx, id)
	}
	return nil, fmt.Errorf("%w: entity %q", stats.ErrNotFound, e)
}

// recordRevision snapshots the entity as it now is and records the change
// from before, in the transaction that made it.
func recordRevision(ctx context.Context, tx pgx.Tx, e stats.Entity, id int64, action string, by int64, before []byte) error {
	after, err := entitySnapshot(ctx, tx, e, id)
	if err != nil {
		return err
	}
	var b any
	if before != nil {
		b = before
	}
	return addRevision(ctx, tx, string(e), id, action, &by, b, after)
}

// SetEntityDeleted deletes (softly) or restores a source, finding,
// locality or term at version, with its history row. Deleting a record
// that live figures, findings or localities cite is refused: public pages
// would show figures whose source or locality is gone. Restoring a record
// whose own references are deleted is refused for the same reason.
// Deleting twice changes nothing. Errors: stats.ErrNotFound,
// stats.ErrConflict, *stats.InUseError, *stats.ValidationError.
func (db *DB) SetEntityDeleted(ctx context.Context, e stats.Entity, id, version int64, deleted bool, by int64) error {
	action := "delete"
	if !deleted {
		action = "restore"
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		isDeleted, err := lockRow(ctx, tx, e, id, version)
		if err != nil {
			return err
		}
		if isDeleted == deleted {
			return nil
		}
		if deleted {
			err = checkUnused(ctx, tx, e, id)
		} else {
			err = checkRefsLive(ctx, tx, e, id)
		}
		if err != nil {
			return err
		}
		before, err := entitySnapshot(ctx, tx, e, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE `+entityTables[e]+` SET deleted_at = CASE WHEN $2 THEN now() END,
				version = version + 1 WHERE id = $1`, id, deleted); err != nil {
			return err
		}
		return recordRevision(ctx, tx, e, id, action, by, before)
	})
	if err != nil {
		return fmt.Errorf("%s %s %d: %w", action, e, id, translate(err))
	}
	return nil
}

// checkUnused refuses to delete what live records cite. The row is locked
// (lockRow) and writers of figures and findings lock what they cite FOR
// SHARE, so nothing can start citing it before this transaction ends.
func checkUnused(ctx context.Context, tx pgx.Tx, e stats.Entity, id int64) error {
	var use stats.InUseError
	use.Entity = e
	var q string
	switch e {
	case stats.EntitySource:
		q = `SELECT (SELECT count(*) FROM figures WHERE source_id = $1 AND deleted_at IS NULL),
			(SELECT count(*) FROM findings WHERE source_id = $1 AND deleted_at IS NULL), 0`
	case stats.EntityTerm:
		q = `SELECT (SELECT count(*) FROM figures WHERE term_id = $1 AND deleted_at IS NULL),
			(SELECT count(*) FROM findings WHERE term_id = $1 AND deleted_at IS NULL), 0`
	case stats.EntityIndicator:
		q = `SELECT (SELECT count(*) FROM figures WHERE indicator_id = $1 AND deleted_at IS NULL), 0, 0`
	case stats.EntityLocality:
		q = `SELECT (SELECT count(*) FROM figures WHERE locality_id = $1 AND deleted_at IS NULL),
			(SELECT count(*) FROM findings WHERE locality_id = $1 AND deleted_at IS NULL),
			(SELECT count(*) FROM localities WHERE (parent_id = $1 OR successor_id = $1) AND deleted_at IS NULL AND id <> $1)`
	default:
		return nil // nothing cites a finding
	}
	if err := tx.QueryRow(ctx, q, id).Scan(&use.Figures, &use.Findings, &use.Localities); err != nil {
		return err
	}
	if use.Figures+use.Findings+use.Localities > 0 {
		return &use
	}
	return nil
}

// checkRefsLive refuses to restore a finding or a locality that cites a
// deleted record; the cited rows are locked FOR SHARE so that they cannot
// be deleted meanwhile.
func checkRefsLive(ctx context.Context, tx pgx.Tx, e stats.Entity, id int64) error {
	type ref struct{ field, table, column string }
	var refs []ref
	var owner string
	switch e {
	case stats.EntityFinding:
		owner = "findings"
		refs = []ref{{"locality", "localities", "locality_id"}, {"source_id", "sources", "source_id"}, {"term", "terms", "term_id"}}
	case stats.EntityLocality:
		owner = "localities"
		refs = []ref{{"parent", "localities", "parent_id"}, {"successor", "localities", "successor_id"}}
	default:
		return nil
	}
	v := &stats.ValidationError{}
	for _, r := range refs {
		var dead bool
		err := tx.QueryRow(ctx, `SELECT t.deleted_at IS NOT NULL FROM `+owner+` o JOIN `+r.table+` t ON t.id = o.`+r.column+`
			WHERE o.id = $1 FOR SHARE OF t`, id).Scan(&dead)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // no such reference (optional column)
		}
		if err != nil {
			return err
		}
		if dead {
			v.Add(r.field, "error.ref.deleted", "")
		}
	}
	return v.Err()
}

// checkFigureRefsLive refuses to restore a figure whose locality, source
// or term was deleted while the figure was: the figure would reappear on
// public pages citing something that is gone.
func checkFigureRefsLive(ctx context.Context, tx pgx.Tx, id int64) error {
	v := &stats.ValidationError{}
	for _, r := range []struct{ field, table, column string }{
		{"locality_slug", "localities", "locality_id"}, {"source_key", "sources", "source_id"}, {"term", "terms", "term_id"},
		{"indicator", "indicators", "indicator_id"},
	} {
		var dead bool
		err := tx.QueryRow(ctx, `SELECT t.deleted_at IS NOT NULL FROM figures f JOIN `+r.table+` t ON t.id = f.`+r.column+`
			WHERE f.id = $1 FOR SHARE OF t`, id).Scan(&dead)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if dead {
			v.Add(r.field, "error.ref.deleted", "")
		}
	}
	return v.Err()
}
