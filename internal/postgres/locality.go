package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// localityColumns reads a locality with its parent, its province (the
// parent, or the grandparent for a commune) and its successor.
const localityColumns = `
	l.id, l.slug, l.name, l.prefix, l.level,
	coalesce(p.slug, ''), coalesce(p.name, ''), coalesce(p.prefix, ''),
	CASE WHEN l.level = 'province' THEN l.name
	     WHEN p.level = 'province' THEN p.name
	     ELSE coalesce(gp.name, '') END,
	l.valid_from, l.valid_to,
	coalesce(sx.slug, ''), coalesce(sx.name, ''), coalesce(sx.prefix, ''),
	l.note, l.focus`

const localityJoins = `
	LEFT JOIN localities p ON p.id = l.parent_id
	LEFT JOIN localities gp ON gp.id = p.parent_id
	LEFT JOIN localities sx ON sx.id = l.successor_id`

func scanLocality(row pgx.Row) (stats.Locality, error) {
	var l stats.Locality
	var from, to *time.Time
	err := row.Scan(&l.ID, &l.Slug, &l.Name, &l.Prefix, &l.Level,
		&l.ParentSlug, &l.ParentName, &l.ParentPrefix, &l.ProvinceName,
		&from, &to, &l.SuccessorSlug, &l.SuccessorName, &l.SuccessorPfx, &l.Note, &l.Focus)
	l.ValidFrom, l.ValidTo = from, to
	return l, err
}

// Localities lists every live locality (deleted ones: AdminLocalities), focus localities first, then by
// Vietnamese collation of their names.
func (db *DB) Localities(ctx context.Context) ([]stats.Locality, error) {
	return queryAll(ctx, db, "list localities", scanLocality, `SELECT `+localityColumns+` FROM localities l`+localityJoins+`
		WHERE l.deleted_at IS NULL ORDER BY l.focus DESC, l.name COLLATE "vi-x-icu", l.slug`)
}

// Locality finds a live locality by slug. Errors: stats.ErrNotFound (also when deleted).
func (db *DB) Locality(ctx context.Context, slug string) (stats.Locality, error) {
	l, err := scanLocality(db.pool.QueryRow(ctx, `SELECT `+localityColumns+` FROM localities l`+localityJoins+`
		WHERE l.slug = $1 AND l.deleted_at IS NULL`, slug))
	if err != nil {
		return l, fmt.Errorf("locality %q: %w", slug, translate(err))
	}
	return l, nil
}

// Children lists the localities directly below slug.
func (db *DB) Children(ctx context.Context, slug string) ([]stats.Locality, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+localityColumns+` FROM localities l`+localityJoins+`
		WHERE p.slug = $1 AND l.deleted_at IS NULL ORDER BY l.name COLLATE "vi-x-icu"`, slug)
	if err != nil {
		return nil, fmt.Errorf("children of %q: %w", slug, translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stats.Locality, error) { return scanLocality(r) })
	if err != nil {
		return nil, fmt.Errorf("children of %q: %w", slug, translate(err))
	}
	return out, nil
}

// LocalitiesBySlug finds the live localities with these slugs, in no
// particular order; slugs that name none are left out.
func (db *DB) LocalitiesBySlug(ctx context.Context, slugs []string) ([]stats.Locality, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	return queryAll(ctx, db, "find localities", scanLocality, `SELECT `+localityColumns+` FROM localities l`+localityJoins+`
		WHERE l.slug = ANY($1) AND l.deleted_at IS NULL`, slugs)
}

// FocusLocalities lists the live localities the overview compares when
// the reader chooses none, by name.
func (db *DB) FocusLocalities(ctx context.Context) ([]stats.Locality, error) {
	return queryAll(ctx, db, "list focus localities", scanLocality, `SELECT `+localityColumns+` FROM localities l`+localityJoins+`
		WHERE l.focus AND l.deleted_at IS NULL ORDER BY l.name COLLATE "vi-x-icu", l.slug`)
}

// ReportingProvinces lists the live provinces that have live figures, by
// name: the overview's default when no locality is a focus one.
func (db *DB) ReportingProvinces(ctx context.Context) ([]stats.Locality, error) {
	return queryAll(ctx, db, "list reporting provinces", scanLocality, `SELECT `+localityColumns+` FROM localities l`+localityJoins+`
		WHERE l.level = 'province' AND l.deleted_at IS NULL
			AND (l.valid_to IS NULL OR l.valid_to >= current_date)
			AND EXISTS (SELECT FROM figures f WHERE f.locality_id = l.id AND f.deleted_at IS NULL)
		ORDER BY l.name COLLATE "vi-x-icu", l.slug`)
}

// Provinces lists the live province-level localities of every period, by
// name then slug: the province map's areas.
func (db *DB) Provinces(ctx context.Context) ([]stats.Locality, error) {
	return queryAll(ctx, db, "list provinces", scanLocality, `SELECT `+localityColumns+` FROM localities l`+localityJoins+`
		WHERE l.level = 'province' AND l.deleted_at IS NULL
		ORDER BY l.name COLLATE "vi-x-icu", l.slug`)
}

// SearchLocalities finds live localities whose name, without diacritics
// and case, contains the query's text ("dien bien" finds Điện Biên and
// Điện Biên Đông), through a trigram index: provinces first, then by
// level, each by name; at most limit.
func (db *DB) SearchLocalities(ctx context.Context, query string, limit int) ([]stats.Locality, error) {
	return queryAll(ctx, db, "search localities", scanLocality, `SELECT `+localityColumns+` FROM localities l`+localityJoins+`
		WHERE fold(l.name) LIKE fold($1) AND l.deleted_at IS NULL
		ORDER BY fold(l.name) = fold($2) DESC,
			array_position(ARRAY['national', 'province', 'provincial_city', 'district', 'commune'], l.level),
			l.name COLLATE "vi-x-icu", l.slug
		LIMIT $3`, "%"+escapeLike(query)+"%", query, limit)
}
