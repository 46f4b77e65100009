package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// LocalityCounts counts a locality's live figures per category and
// indicator, and the sources they cite, from figures_coverage_idx alone.
func (db *DB) LocalityCounts(ctx context.Context, loc stats.Locality) ([]stats.IndicatorCount, int, error) {
	rows, err := db.pool.Query(ctx, `SELECT f.category, coalesce(i.key, ''), count(*) FROM figures f
		LEFT JOIN indicators i ON i.id = f.indicator_id
		WHERE f.locality_id = $1 AND f.deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`, loc.ID)
	if err != nil {
		return nil, 0, fmt.Errorf("count figures of %s: %w", loc.Slug, translate(err))
	}
	var out []stats.IndicatorCount
	var c stats.IndicatorCount
	if _, err := pgx.ForEachRow(rows, []any{&c.Category, &c.Indicator, &c.Figures}, func() error {
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, 0, fmt.Errorf("count figures of %s: %w", loc.Slug, translate(err))
	}
	var sources int
	if err := db.pool.QueryRow(ctx, `SELECT count(DISTINCT f.source_id) FROM figures f WHERE f.locality_id = $1 AND f.deleted_at IS NULL`,
		loc.ID).Scan(&sources); err != nil {
		return nil, 0, fmt.Errorf("count sources of %s: %w", loc.Slug, translate(err))
	}
	return out, sources, nil
}

// LatestFigures reads a locality's n latest live figures (by period end,
// then id) of each indicator and direction, and of those that fit no
// indicator, each followed by its live parts: a skip scan of
// figures_latest_idx, however many figures the locality has.
func (db *DB) LatestFigures(ctx context.Context, loc stats.Locality, n int) ([]stats.Figure, error) {
	const live = `f.completeness <> 'part' AND f.deleted_at IS NULL`
	sql := `WITH RECURSIVE keys (ind, fl, tl) AS (
		(SELECT ` + latestKey + ` FROM figures f WHERE f.locality_id = $1 AND f.indicator_id IS NOT NULL AND ` + live + `
			ORDER BY ` + latestKey + ` LIMIT 1)
		UNION ALL
		SELECT x.* FROM keys k CROSS JOIN LATERAL (
			SELECT ` + latestKey + ` FROM figures f
			WHERE f.locality_id = $1 AND (` + latestKey + `) > (k.ind, k.fl, k.tl) AND ` + live + `
			ORDER BY ` + latestKey + ` LIMIT 1) x
	), chosen AS (
		SELECT x.id FROM keys k CROSS JOIN LATERAL (
			SELECT f.id FROM figures f WHERE f.locality_id = $1 AND f.indicator_id = k.ind
				AND coalesce(f.from_level, '') = k.fl AND coalesce(f.to_level, '') = k.tl AND ` + live + `
			ORDER BY f.period_end DESC, f.id DESC LIMIT $2) x
		UNION ALL
		(SELECT f.id FROM figures f WHERE f.locality_id = $1 AND f.indicator_id IS NULL AND ` + live + `
			ORDER BY f.period_end DESC, f.id DESC LIMIT $2)
	)
	` + figureSelect + `
	WHERE f.id IN (SELECT id FROM chosen)
		OR (f.parent_id IN (SELECT id FROM chosen) AND f.deleted_at IS NULL)
	ORDER BY f.id`
	var out []stats.Figure
	err := db.scanFigures(ctx, sql, []any{loc.ID, n}, func(f stats.Figure) error { out = append(out, f); return nil })
	if err != nil {
		return nil, fmt.Errorf("latest figures of %s: %w", loc.Slug, err)
	}
	return out, nil
}
