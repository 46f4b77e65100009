package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// resolveLocalityRefs looks up the parent and successor the input names.
// A parent must be live and rank above the locality (a district's parent
// is a province), which also rules out loops; on update, the live parts
// must still rank below it. Cited rows are locked FOR SHARE.
func resolveLocalityRefs(ctx context.Context, tx pgx.Tx, in stats.LocalityInput) (parent, successor *int64, err error) {
	v := &stats.ValidationError{}
	find := func(field, slug string) (*int64, stats.Level, error) {
		var id int64
		var level stats.Level
		err := tx.QueryRow(ctx, `SELECT id, level FROM localities WHERE slug = $1 AND deleted_at IS NULL FOR SHARE`, slug).Scan(&id, &level)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			v.Add(field, "error.locality.unknown", slug)
			return nil, "", nil
		case err != nil:
			return nil, "", err
		case in.ID != 0 && id == in.ID:
			v.Add(field, "error.locality.self", "")
			return nil, "", nil
		}
		return &id, level, nil
	}
	if in.ParentSlug != "" {
		var level stats.Level
		if parent, level, err = find("parent", in.ParentSlug); err != nil {
			return nil, nil, err
		}
		if parent != nil && level.Rank() >= in.Level.Rank() {
			v.Add("parent", "error.locality.parent_level", "")
		}
	}
	if in.SuccessorSlug != "" {
		if successor, _, err = find("successor", in.SuccessorSlug); err != nil {
			return nil, nil, err
		}
	}
	if in.ID != 0 {
		rows, err := tx.Query(ctx, `SELECT level FROM localities WHERE parent_id = $1 AND deleted_at IS NULL`, in.ID)
		if err != nil {
			return nil, nil, err
		}
		levels, err := pgx.CollectRows(rows, pgx.RowTo[stats.Level])
		if err != nil {
			return nil, nil, err
		}
		for _, l := range levels {
			if l.Rank() <= in.Level.Rank() {
				v.Add("level", "error.locality.parts_level", "")
				break
			}
		}
	}
	return parent, successor, v.Err()
}

// localitySnapshot is what the history keeps of a locality.
func localitySnapshot(ctx context.Context, tx pgx.Tx, id int64) ([]byte, error) {
	var b []byte
	err := tx.QueryRow(ctx, `SELECT jsonb_build_object('slug', l.slug, 'name', l.name, 'prefix', l.prefix,
			'level', l.level, 'parent', p.slug, 'valid_from', l.valid_from, 'valid_to', l.valid_to,
			'successor', sx.slug, 'note', l.note, 'focus', l.focus,
			'deleted', l.deleted_at IS NOT NULL, 'version', l.version)
		FROM localities l LEFT JOIN localities p ON p.id = l.parent_id LEFT JOIN localities sx ON sx.id = l.successor_id
		WHERE l.id = $1`, id).Scan(&b)
	return b, err
}

// CreateLocality inserts a locality and its history row.
// Errors: *stats.ValidationError (unknown parent or successor, slug taken).
func (db *DB) CreateLocality(ctx context.Context, in stats.LocalityInput, by int64) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		parent, successor, err := resolveLocalityRefs(ctx, tx, in)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO localities (slug, name, prefix, level, parent_id, valid_from, valid_to,
				successor_id, note, focus)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (slug) DO NOTHING RETURNING id`,
			in.Slug, in.Name, in.Prefix, in.Level, parent, in.ValidFrom, in.ValidTo, successor, in.Note, in.Focus).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return keyTaken("slug", in.Slug)
		}
		if err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntityLocality, id, "create", by, nil)
	})
	if err != nil {
		return 0, fmt.Errorf("create locality: %w", translate(err))
	}
	return id, nil
}

// UpdateLocality changes a live locality at version; its slug stays.
// Errors: *stats.ValidationError, stats.ErrNotFound, stats.ErrConflict.
func (db *DB) UpdateLocality(ctx context.Context, in stats.LocalityInput, version, by int64) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockLive(ctx, tx, stats.EntityLocality, in.ID, version); err != nil {
			return err
		}
		parent, successor, err := resolveLocalityRefs(ctx, tx, in)
		if err != nil {
			return err
		}
		before, err := localitySnapshot(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE localities SET name = $2, prefix = $3, level = $4, parent_id = $5,
				valid_from = $6, valid_to = $7, successor_id = $8, note = $9, focus = $10, version = version + 1
			WHERE id = $1`,
			in.ID, in.Name, in.Prefix, in.Level, parent, in.ValidFrom, in.ValidTo, successor, in.Note, in.Focus); err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntityLocality, in.ID, "update", by, before)
	})
	if err != nil {
		return fmt.Errorf("update locality %d: %w", in.ID, translate(err))
	}
	return nil
}

const adminLocalitySelect = `SELECT ` + localityColumns + `, l.version, l.deleted_at,
		(SELECT count(*) FROM figures f WHERE f.locality_id = l.id AND f.deleted_at IS NULL)
		+ (SELECT count(*) FROM findings x WHERE x.locality_id = l.id AND x.deleted_at IS NULL)
		+ (SELECT count(*) FROM localities c WHERE (c.parent_id = l.id OR c.successor_id = l.id) AND c.deleted_at IS NULL AND c.id <> l.id)
	FROM localities l` + localityJoins

func scanAdminLocality(row pgx.Row) (stats.Locality, error) {
	var l stats.Locality
	var from, to, deleted *time.Time
	err := row.Scan(&l.ID, &l.Slug, &l.Name, &l.Prefix, &l.Level,
		&l.ParentSlug, &l.ParentName, &l.ParentPrefix, &l.ProvinceName,
		&from, &to, &l.SuccessorSlug, &l.SuccessorName, &l.SuccessorPfx, &l.Note, &l.Focus,
		&l.Version, &deleted, &l.Used)
	l.ValidFrom, l.ValidTo, l.DeletedAt = from, to, deleted
	return l, err
}

// AdminLocalities lists every locality, deleted ones included, by name,
// with how many live figures, findings and localities cite each.
func (db *DB) AdminLocalities(ctx context.Context) ([]stats.Locality, error) {
	return queryAll(ctx, db, "list localities", scanAdminLocality, adminLocalitySelect+` ORDER BY l.name COLLATE "vi-x-icu", l.slug`)
}

// AdminLocality finds a locality by id, deleted or not.
// Errors: stats.ErrNotFound.
func (db *DB) AdminLocality(ctx context.Context, id int64) (stats.Locality, error) {
	l, err := scanAdminLocality(db.pool.QueryRow(ctx, adminLocalitySelect+` WHERE l.id = $1`, id))
	if err != nil {
		return l, fmt.Errorf("locality %d: %w", id, translate(err))
	}
	return l, nil
}
