package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// LocalityCounts counts a locality's live figures per category and
// indicator, and the sources they cite up to sourceCap, from the counts
// tables (see migration 00008): as fast for 100.000 figures as for ten.
func (db *DB) LocalityCounts(ctx context.Context, loc stats.Locality, sourceCap int) ([]stats.IndicatorCount, int, error) {
	rows, err := db.pool.Query(ctx, `SELECT k.category, coalesce(i.key, ''), sum(k.figures) FROM figure_key_counts k
		LEFT JOIN indicators i ON i.id = k.indicator_id
		WHERE k.locality_id = $1 AND k.figures > 0 GROUP BY 1, 2 ORDER BY 1, 2`, loc.ID)
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
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM figure_source_counts
		WHERE locality_id = $1 AND figures > 0 LIMIT $2) x`, loc.ID, sourceCap).Scan(&sources); err != nil {
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
	), shown AS (
		SELECT id FROM chosen
		UNION SELECT f.id FROM chosen JOIN figures f ON f.parent_id = chosen.id WHERE f.deleted_at IS NULL
	) ` + figureSelectFrom("shown JOIN figures f ON f.id = shown.id") + `
	ORDER BY f.id`
	var out []stats.Figure
	err := db.scanFigures(ctx, sql, []any{loc.ID, n}, func(f stats.Figure) error { out = append(out, f); return nil })
	if err != nil {
		return nil, fmt.Errorf("latest figures of %s: %w", loc.Slug, err)
	}
	return out, nil
}
