package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// The overview's reads at national scale. None loads every figure of the
// compared localities: the comparisons read one entry of figures_latest_idx
// per locality, indicator and direction (a skip scan), the rest are
// aggregates over index entries. The rules stay in stats (Compare,
// Uncompared); these queries only select what the rules need.

func localityIDs(locs []stats.Locality) []int64 {
	ids := make([]int64, len(locs))
	for i, l := range locs {
		ids[i] = l.ID
	}
	return ids
}

// comparableCond is stats.Figure.Comparable in SQL; figures_latest_idx
// holds no parts.
const comparableCond = `f.indicator_id IS NOT NULL AND f.completeness <> 'part' AND f.rank <> 'deprecated'`

const latestKey = `f.indicator_id, coalesce(f.from_level, ''), coalesce(f.to_level, '')`

// LatestComparable returns, for each locality and each indicator and
// direction it reports comparably within the filter (its period, terms,
// verified), the figures of the latest period: all that stats.Compare
// chooses from. Ordered by indicator, direction, locality, id.
func (db *DB) LatestComparable(ctx context.Context, locs []stats.Locality, flt stats.FigureFilter) ([]stats.Figure, error) {
	if len(locs) == 0 {
		return nil, nil
	}
	q, err := db.figureQuery(ctx, stats.FigureFilter{Terms: flt.Terms, From: flt.From, To: flt.To, VerifiedOnly: flt.VerifiedOnly})
	if err != nil {
		return nil, err
	}
	q.conds = append(q.conds, comparableCond)
	cond := strings.Join(q.conds, " AND ")
	ids := q.arg(localityIDs(locs))
	// A skip scan: the first key of each locality, then from each key
	// the next, each one index descent that also finds its latest period.
	sql := `WITH RECURSIVE keys (loc, ind, fl, tl, latest) AS (
		SELECT x.* FROM unnest(` + ids + `::bigint[]) AS loc (id) CROSS JOIN LATERAL (
			SELECT f.locality_id, ` + latestKey + `, f.period_end FROM figures f
			WHERE f.locality_id = loc.id AND ` + cond + `
			ORDER BY ` + latestKey + `, f.period_end DESC LIMIT 1) x
		UNION ALL
		SELECT x.* FROM keys k CROSS JOIN LATERAL (
			SELECT f.locality_id, ` + latestKey + `, f.period_end FROM figures f
			WHERE f.locality_id = k.loc AND (` + latestKey + `) > (k.ind, k.fl, k.tl) AND ` + cond + `
			ORDER BY ` + latestKey + `, f.period_end DESC LIMIT 1) x
	) ` + figureSelect + `
	JOIN keys k ON f.locality_id = k.loc AND f.indicator_id = k.ind AND coalesce(f.from_level, '') = k.fl
		AND coalesce(f.to_level, '') = k.tl AND f.period_end = k.latest
	WHERE ` + cond + `
	ORDER BY k.ind, k.fl, k.tl, f.locality_id, f.id`
	var out []stats.Figure
	err = db.scanFigures(ctx, sql, q.args, func(f stats.Figure) error { out = append(out, f); return nil })
	if err != nil {
		return nil, fmt.Errorf("latest comparable figures: %w", err)
	}
	return out, nil
}

// Uncompared lists, per category, the figures of the localities that no
// comparison holds (stats.Uncompared's rule: not a part, and not
// comparable on one of the compared keys), within the filter: how many,
// and the shown most recent ones (latest period end first).
func (db *DB) Uncompared(ctx context.Context, locs []stats.Locality, flt stats.FigureFilter,
	compared []stats.CompareKey, shown int) ([]stats.Uncompared, error) {
	if len(locs) == 0 {
		return nil, nil
	}
	q, err := db.figureQuery(ctx, stats.FigureFilter{Terms: flt.Terms, From: flt.From, To: flt.To, VerifiedOnly: flt.VerifiedOnly})
	if err != nil {
		return nil, err
	}
	var inds []int64
	var froms, tos []string
	keys, err := db.indicatorIDs(ctx, compared)
	if err != nil {
		return nil, err
	}
	for i, k := range compared {
		inds, froms, tos = append(inds, keys[i]), append(froms, string(k.FromLevel)), append(tos, string(k.ToLevel))
	}
	q.conds = append(q.conds, "f.locality_id = ANY("+q.arg(localityIDs(locs))+"::bigint[])", "f.completeness <> 'part'",
		`NOT (f.indicator_id IS NOT NULL AND f.rank <> 'deprecated' AND (`+latestKey+`) IN (
			SELECT * FROM unnest(`+q.arg(inds)+`::bigint[], `+q.arg(froms)+`::text[], `+q.arg(tos)+`::text[])))`)
	sql := `WITH u AS MATERIALIZED (SELECT f.id, f.category, f.period_end FROM figures f` + q.where() + `),
		n AS (SELECT category, count(*) AS n FROM u GROUP BY category),
		top AS (SELECT id, row_number() OVER (PARTITION BY category ORDER BY period_end DESC, id DESC) AS rn FROM u)
	` + figureSelect + ` JOIN top ON top.id = f.id AND top.rn <= ` + q.arg(shown) + `
	JOIN n ON n.category = f.category
	ORDER BY c.sort_order, f.period_end DESC, f.id DESC`
	// The count rides on each row: figureSelect's columns, then n.
	sql = strings.Replace(sql, figureSelect, strings.Replace(figureSelect, "SELECT f.id, ", "SELECT n.n, f.id, ", 1), 1)
	rows, err := db.pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, fmt.Errorf("uncompared figures: %w", translate(err))
	}
	defer rows.Close()
	var out []stats.Uncompared
	var r figureRow
	var n int
	dest := append([]any{&n}, r.dest()...)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("uncompared figures: %w", translate(err))
		}
		f := r.figure()
		if len(out) == 0 || out[len(out)-1].Category.Code != f.Category.Code {
			out = append(out, stats.Uncompared{Category: f.Category, Total: n})
		}
		out[len(out)-1].Figures = append(out[len(out)-1].Figures, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("uncompared figures: %w", translate(err))
	}
	return out, nil
}

// indicatorIDs resolves the comparisons' indicator keys.
func (db *DB) indicatorIDs(ctx context.Context, keys []stats.CompareKey) ([]int64, error) {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Indicator
	}
	var ids []int64
	err := db.pool.QueryRow(ctx, `SELECT coalesce(array_agg(i.id ORDER BY k.n), '{}') FROM unnest($1::text[]) WITH ORDINALITY AS k (key, n)
		JOIN indicators i ON i.key = k.key`, names).Scan(&ids)
	if err != nil {
		return nil, fmt.Errorf("resolve indicators: %w", translate(err))
	}
	if len(ids) != len(keys) {
		return nil, fmt.Errorf("resolve indicators %v: %w", names, stats.ErrNotFound)
	}
	return ids, nil
}

// Coverage counts, per locality, the figures within the filter and the
// periods they describe (the spans with the most figures, at most
// maxSpans each), and the sources they cite (listed when at most
// maxSources), all from figures_coverage_idx.
func (db *DB) Coverage(ctx context.Context, locs []stats.Locality, flt stats.FigureFilter, maxSpans, maxSources int) (stats.Coverage, error) {
	var cov stats.Coverage
	if len(locs) == 0 {
		return cov, nil
	}
	q, err := db.figureQuery(ctx, stats.FigureFilter{Terms: flt.Terms, From: flt.From, To: flt.To, VerifiedOnly: flt.VerifiedOnly})
	if err != nil {
		return cov, err
	}
	q.conds = append(q.conds, "f.locality_id = ANY("+q.arg(localityIDs(locs))+"::bigint[])")
	where := q.where()
	rows, err := db.pool.Query(ctx, `WITH s AS (
			SELECT f.locality_id, f.period_start, f.period_end, count(*) AS n,
				array_agg(DISTINCT f.category COLLATE "C" ORDER BY f.category COLLATE "C") AS cats FROM figures f`+where+` GROUP BY 1, 2, 3),
		r AS (SELECT s.*, row_number() OVER (PARTITION BY locality_id ORDER BY n DESC, period_end DESC, period_start) AS rn,
				sum(n) OVER w AS total, count(*) OVER w AS spans, min(period_start) OVER w AS first, max(period_end) OVER w AS last
			FROM s WINDOW w AS (PARTITION BY locality_id))
		SELECT locality_id, period_start, period_end, n, cats, total, spans, first, last FROM r
		WHERE rn <= `+strconv.Itoa(maxSpans)+` ORDER BY locality_id, period_start, period_end`, q.args...)
	if err != nil {
		return cov, fmt.Errorf("coverage: %w", translate(err))
	}
	byID := map[int64]*stats.LocalityCoverage{}
	for _, l := range locs {
		if byID[l.ID] == nil {
			cov.Localities = append(cov.Localities, stats.LocalityCoverage{Locality: l})
		}
	}
	for i := range cov.Localities {
		byID[cov.Localities[i].Locality.ID] = &cov.Localities[i]
	}
	var id int64
	var sp stats.Span
	var total, spans int
	var first, last time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &sp.Start, &sp.End, &sp.Figures, &sp.Categories, &total, &spans, &first, &last}, func() error {
		lc := byID[id]
		lc.Figures, lc.First, lc.Last = total, first, last
		lc.Spans = append(lc.Spans, sp)
		lc.OtherSpans = spans - len(lc.Spans)
		return nil
	})
	if err != nil {
		return cov, fmt.Errorf("coverage: %w", translate(err))
	}
	for i := range cov.Localities {
		lc := &cov.Localities[i]
		lc.OtherFigures = lc.Figures
		for _, s := range lc.Spans {
			lc.OtherFigures -= s.Figures
		}
	}
	// The sources: counted, and listed when few.
	if err := db.pool.QueryRow(ctx, `SELECT count(DISTINCT f.source_id) FROM figures f`+where, q.args...).Scan(&cov.SourceCount); err != nil {
		return cov, fmt.Errorf("count coverage sources: %w", translate(err))
	}
	if cov.SourceCount > 0 && cov.SourceCount <= maxSources {
		cov.Sources, err = queryAll(ctx, db, "coverage sources", func(r pgx.Row) (stats.Source, error) { return scanSource(r) },
			`SELECT `+sourceColumns+` FROM sources s WHERE s.id IN (SELECT f.source_id FROM figures f`+where+`)
			ORDER BY s.published_on DESC, s.id`, q.args...)
		if err != nil {
			return cov, err
		}
	}
	return cov, nil
}

// FindingCounts counts the live findings of each locality, by slug.
func (db *DB) FindingCounts(ctx context.Context, locs []stats.Locality) (map[string]int, error) {
	out := map[string]int{}
	rows, err := db.pool.Query(ctx, `SELECT l.slug, count(*) FROM findings x JOIN localities l ON l.id = x.locality_id
		WHERE x.locality_id = ANY($1) AND x.deleted_at IS NULL GROUP BY l.slug`, localityIDs(locs))
	if err != nil {
		return nil, fmt.Errorf("count findings: %w", translate(err))
	}
	var slug string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&slug, &n}, func() error { out[slug] = n; return nil }); err != nil {
		return nil, fmt.Errorf("count findings: %w", translate(err))
	}
	return out, nil
}
