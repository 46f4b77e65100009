package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

const indicatorFields = `i.id, i.key, i.category, i.unit, i.measure, i.name, i.name_en, i.definition, i.definition_en,
	i.includes, i.includes_en, i.excludes, i.excludes_en, i.denominator, i.version, i.deleted_at`

const indicatorColumns = indicatorFields + `,
	(SELECT count(*) FROM figures f WHERE f.indicator_id = i.id AND f.deleted_at IS NULL)`

func scanIndicator(row pgx.Row) (stats.Indicator, error) {
	var ind stats.Indicator
	var deleted *time.Time
	err := row.Scan(&ind.ID, &ind.Key, &ind.Category, &ind.Unit, &ind.Measure, &ind.Name, &ind.NameEN,
		&ind.Definition, &ind.DefinitionEN, &ind.Includes, &ind.IncludesEN, &ind.Excludes, &ind.ExcludesEN,
		&ind.Denominator, &ind.Version, &deleted, &ind.Used)
	ind.DeletedAt = deleted
	return ind, err
}

// Indicators lists the live indicators by category, then name, without
// counting their figures (Used is 0): public pages list them on every
// request, and at a million figures the counts cost more than the page.
func (db *DB) Indicators(ctx context.Context) ([]stats.Indicator, error) {
	return queryAll(ctx, db, "list indicators", scanIndicator, `SELECT `+indicatorFields+`, 0 FROM indicators i
		JOIN categories c ON c.code = i.category WHERE i.deleted_at IS NULL
		ORDER BY c.sort_order, i.name COLLATE "vi-x-icu", i.key`)
}

// AdminIndicators lists every indicator, deleted ones included.
func (db *DB) AdminIndicators(ctx context.Context) ([]stats.Indicator, error) {
	return queryAll(ctx, db, "list indicators", scanIndicator, `SELECT `+indicatorColumns+` FROM indicators i
		JOIN categories c ON c.code = i.category ORDER BY c.sort_order, i.name COLLATE "vi-x-icu", i.key`)
}

// AdminIndicator finds an indicator by id, deleted or not. Errors: stats.ErrNotFound.
func (db *DB) AdminIndicator(ctx context.Context, id int64) (stats.Indicator, error) {
	ind, err := scanIndicator(db.pool.QueryRow(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.id = $1`, id))
	if err != nil {
		return ind, fmt.Errorf("indicator %d: %w", id, translate(err))
	}
	return ind, nil
}

func indicatorSnapshot(ctx context.Context, tx pgx.Tx, id int64) ([]byte, error) {
	var b []byte
	err := tx.QueryRow(ctx, `SELECT jsonb_build_object('key', key, 'category', category, 'unit', unit, 'measure', measure,
			'name', name, 'name_en', name_en, 'definition', definition, 'definition_en', definition_en,
			'includes', includes, 'includes_en', includes_en, 'excludes', excludes, 'excludes_en', excludes_en,
			'denominator', denominator, 'deleted', deleted_at IS NOT NULL, 'version', version)
		FROM indicators WHERE id = $1`, id).Scan(&b)
	return b, err
}

// checkIndicatorCategory reports an unknown category as a field error.
func checkIndicatorCategory(ctx context.Context, tx pgx.Tx, code string) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM categories WHERE code = $1)`, code).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		v := &stats.ValidationError{}
		v.Add("category", "error.category.unknown", code)
		return v
	}
	return nil
}

// CreateIndicator inserts an indicator and its history row.
// Errors: *stats.ValidationError (key taken, unknown category).
func (db *DB) CreateIndicator(ctx context.Context, ind stats.Indicator, by int64) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkIndicatorCategory(ctx, tx, ind.Category); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO indicators (key, category, unit, measure, name, name_en, definition,
				definition_en, includes, includes_en, excludes, excludes_en, denominator)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (key) DO NOTHING RETURNING id`,
			ind.Key, ind.Category, ind.Unit, ind.Measure, ind.Name, ind.NameEN, ind.Definition, ind.DefinitionEN,
			ind.Includes, ind.IncludesEN, ind.Excludes, ind.ExcludesEN, ind.Denominator).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return keyTaken("key", ind.Key)
		}
		if err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntityIndicator, id, "create", by, nil)
	})
	if err != nil {
		return 0, fmt.Errorf("create indicator: %w", translate(err))
	}
	return id, nil
}

// UpdateIndicator changes a live indicator at version; its key stays. Its
// category and unit cannot change while live figures cite it: they were
// counted in that unit. Errors: stats.ErrNotFound, stats.ErrConflict,
// *stats.ValidationError.
func (db *DB) UpdateIndicator(ctx context.Context, ind stats.Indicator, version, by int64) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockLive(ctx, tx, stats.EntityIndicator, ind.ID, version); err != nil {
			return err
		}
		if err := checkIndicatorCategory(ctx, tx, ind.Category); err != nil {
			return err
		}
		var used int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM figures f JOIN indicators i ON i.id = f.indicator_id
			WHERE i.id = $1 AND (i.category <> $2 OR i.unit <> $3)`, ind.ID, ind.Category, ind.Unit).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			v := &stats.ValidationError{}
			v.Add("unit", "error.indicator.in_use", fmt.Sprint(used))
			return v
		}
		before, err := indicatorSnapshot(ctx, tx, ind.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE indicators SET category = $2, unit = $3, measure = $4, name = $5, name_en = $6,
				definition = $7, definition_en = $8, includes = $9, includes_en = $10, excludes = $11, excludes_en = $12,
				denominator = $13, version = version + 1 WHERE id = $1`,
			ind.ID, ind.Category, ind.Unit, ind.Measure, ind.Name, ind.NameEN, ind.Definition, ind.DefinitionEN,
			ind.Includes, ind.IncludesEN, ind.Excludes, ind.ExcludesEN, ind.Denominator); err != nil {
			return err
		}
		return recordRevision(ctx, tx, stats.EntityIndicator, ind.ID, "update", by, before)
	})
	if err != nil {
		return fmt.Errorf("update indicator %d: %w", ind.ID, translate(err))
	}
	return nil
}
