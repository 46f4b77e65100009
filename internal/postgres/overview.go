package postgres

import (
	"context"
	"fmt"
	"slices"
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
// verified), of the figures of the latest period the one stats.Compare
// chooses and its first stats.MaxOthers conflicting values, with how
// many conflicting values there are in all: what stats.CompareLatest
// needs, however many figures one period holds. Figures are ordered by
// indicator, direction, locality, id.
func (db *DB) LatestComparable(ctx context.Context, locs []stats.Locality, flt stats.FigureFilter) (stats.Latest, error) {
	out := stats.Latest{Conflicting: map[int64]int{}}
	if len(locs) == 0 {
		return out, nil
	}
	q, err := db.figureQuery(ctx, stats.FigureFilter{Terms: flt.Terms, From: flt.From, To: flt.To, VerifiedOnly: flt.VerifiedOnly})
	if err != nil {
		return out, err
	}
	q.conds = append(q.conds, comparableCond)
	cond := strings.Join(q.conds, " AND ")
	ids := q.arg(localityIDs(locs))
	others := q.arg(stats.MaxOthers)
	// The figures of group g's latest period (figures_choice_idx).
	group := func(g string) string {
		return `f.locality_id = ` + g + `.loc AND f.indicator_id = ` + g + `.ind AND coalesce(f.from_level, '') = ` + g + `.fl
			AND coalesce(f.to_level, '') = ` + g + `.tl AND f.period_end = ` + g + `.latest AND ` + cond
	}
	// A skip scan finds each locality's keys, then each key's latest
	// period, each one index descent. (The latest period in the skip
	// scan's own step, ORDER BY … period_end DESC, read every entry of
	// the key to sort them: 2.100 a key, 830.000 for the overview at ten
	// million figures.) Then stats.choose's order (the preferred value, then
	// the latest source's, then the lowest id) is taken per source: each
	// group's sources with their first figure and first preferred one,
	// a pass over index entries that joins only the few sources. The
	// conflicting values (same start, another value) are, in that order,
	// the first of each source merged; the count is one more pass.
	sql := `WITH RECURSIVE keyset (loc, ind, fl, tl) AS (
		SELECT x.* FROM unnest(` + ids + `::bigint[]) AS loc (id) CROSS JOIN LATERAL (
			SELECT f.locality_id, ` + latestKey + ` FROM figures f
			WHERE f.locality_id = loc.id AND ` + cond + `
			ORDER BY ` + latestKey + ` LIMIT 1) x
		UNION ALL
		SELECT x.* FROM keyset k CROSS JOIN LATERAL (
			SELECT f.locality_id, ` + latestKey + ` FROM figures f
			WHERE f.locality_id = k.loc AND (` + latestKey + `) > (k.ind, k.fl, k.tl) AND ` + cond + `
			ORDER BY ` + latestKey + ` LIMIT 1) x
	), keys AS MATERIALIZED (
		SELECT k.*, (SELECT max(f.period_end) FROM figures f WHERE f.locality_id = k.loc AND f.indicator_id = k.ind
			AND coalesce(f.from_level, '') = k.fl AND coalesce(f.to_level, '') = k.tl AND ` + cond + `) AS latest
		FROM keyset k
	), bysource AS (
		SELECT k.*, x.* FROM keys k CROSS JOIN LATERAL (
			SELECT f.source_id, min(f.id) AS first, min(f.id) FILTER (WHERE f.rank = 'preferred') AS preferred
			FROM figures f WHERE ` + group("k") + ` GROUP BY f.source_id) x
	), chosen AS (
		SELECT c.*, f.period_start AS start, f.value FROM (
			SELECT DISTINCT ON (b.loc, b.ind, b.fl, b.tl) b.loc, b.ind, b.fl, b.tl, b.latest, coalesce(b.preferred, b.first) AS id
			FROM bysource b JOIN sources s ON s.id = b.source_id
			ORDER BY b.loc, b.ind, b.fl, b.tl, b.preferred IS NULL, s.published_on DESC, coalesce(b.preferred, b.first)) c
		JOIN figures f ON f.id = c.id
	), conflicting AS (
		SELECT c.id AS chosen, y.id FROM chosen c CROSS JOIN LATERAL (
			SELECT x.id FROM bysource b JOIN sources s ON s.id = b.source_id CROSS JOIN LATERAL (
				SELECT f.id, f.rank = 'preferred' AS pref FROM figures f
				WHERE ` + group("b") + ` AND f.source_id = b.source_id AND f.period_start = c.start AND f.value <> c.value
				ORDER BY f.rank = 'preferred' DESC, f.id LIMIT ` + others + `) x
			WHERE (b.loc, b.ind, b.fl, b.tl) = (c.loc, c.ind, c.fl, c.tl)
			ORDER BY x.pref DESC, s.published_on DESC, x.id LIMIT ` + others + `) y
	), shown AS (
		SELECT k.id, k.ind, k.fl, k.tl, (SELECT count(*) FROM figures f
			WHERE ` + group("k") + ` AND f.period_start = k.start AND f.value <> k.value) AS n FROM chosen k
		UNION ALL
		SELECT o.id, k.ind, k.fl, k.tl, NULL FROM conflicting o JOIN chosen k ON k.id = o.chosen
	) ` + strings.Replace(thinSelect("shown JOIN figures f ON f.id = shown.id"), "SELECT ", "SELECT shown.n, ", 1) + `
	ORDER BY shown.ind, shown.fl, shown.tl, f.locality_id, f.id`
	refs, err := db.loadThinRefs(ctx, locs)
	if err != nil {
		return out, err
	}
	var n *int
	err = db.scanThinWith(ctx, refs, sql, q.args, []any{&n}, func(f stats.Figure) error {
		out.Figures = append(out.Figures, f)
		if n != nil {
			out.Conflicting[f.ID] = *n
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("latest comparable figures: %w", err)
	}
	return out, nil
}

// overviewFiltered: the overview's own filters (period, terms,
// verified) select among the figures, which the counts tables do not
// know; without them, counts come from those tables alone.
func overviewFiltered(flt stats.FigureFilter) bool {
	return flt.From != nil || flt.To != nil || len(flt.Terms) > 0 || flt.VerifiedOnly
}

// overviewConds are the overview's filters as conditions on "f".
func (db *DB) overviewConds(ctx context.Context, flt stats.FigureFilter) (*figureSQL, error) {
	return db.figureQuery(ctx, stats.FigureFilter{Terms: flt.Terms, From: flt.From, To: flt.To, VerifiedOnly: flt.VerifiedOnly})
}

// Uncompared lists, per category, the figures of the localities that no
// comparison holds (stats.Uncompared's rule: not a part, and not
// comparable on one of the compared keys), within the filter: how many,
// and the shown most recent ones (latest period end first). The groups of
// figures come from figure_key_counts; each group's latest are one index
// range (figures_latest_idx, or figures_deprecated_idx), so that a
// locality with 100.000 figures is never read whole.
func (db *DB) Uncompared(ctx context.Context, locs []stats.Locality, flt stats.FigureFilter,
	compared []stats.CompareKey, shown int) ([]stats.Uncompared, error) {
	if len(locs) == 0 {
		return nil, nil
	}
	keys, err := db.indicatorIDs(ctx, compared)
	if err != nil {
		return nil, err
	}
	var froms, tos []string
	for _, k := range compared {
		froms, tos = append(froms, string(k.FromLevel)), append(tos, string(k.ToLevel))
	}
	q, err := db.overviewConds(ctx, flt)
	if err != nil {
		return nil, err
	}
	ids := q.arg(localityIDs(locs))
	ki, kf, kt := q.arg(keys), q.arg(froms), q.arg(tos)
	// The groups of figures no comparison holds: every kind but parts,
	// less the comparable figures of the compared keys.
	groups := `SELECT * FROM figure_key_counts g WHERE g.locality_id = ANY(` + ids + `::bigint[]) AND g.figures > 0
		AND g.kind <> 'part' AND NOT (g.kind = 'comparable' AND (g.indicator_id, g.from_level, g.to_level) IN (
			SELECT * FROM unnest(` + ki + `::bigint[], ` + kf + `::text[], ` + kt + `::text[])))`
	cond := strings.Join(append(slices.Clone(q.conds), "f.completeness <> 'part'"), " AND ")
	n := q.arg(shown)
	sql := `WITH g AS (` + groups + `),
		latest AS (
			SELECT x.* FROM g CROSS JOIN LATERAL (
				SELECT f.id, f.category, f.period_end FROM figures f
				WHERE f.locality_id = g.locality_id AND f.indicator_id = g.indicator_id
					AND coalesce(f.from_level, '') = g.from_level AND coalesce(f.to_level, '') = g.to_level
					AND f.rank <> 'deprecated' AND ` + cond + `
				ORDER BY f.period_end DESC, f.id DESC LIMIT ` + n + `) x
			WHERE g.kind = 'comparable'
			UNION ALL
			SELECT x.* FROM (SELECT DISTINCT locality_id, category FROM g WHERE kind = 'none') g CROSS JOIN LATERAL (
				SELECT f.id, f.category, f.period_end FROM figures f
				WHERE f.locality_id = g.locality_id AND f.indicator_id IS NULL AND f.category = g.category AND ` + cond + `
				ORDER BY f.period_end DESC, f.id DESC LIMIT ` + n + `) x
			UNION ALL
			SELECT f.id, f.category, f.period_end FROM figures f
			WHERE f.locality_id = ANY(` + ids + `::bigint[]) AND f.rank = 'deprecated' AND f.indicator_id IS NOT NULL AND ` + cond + `),
		top AS (SELECT id, row_number() OVER (PARTITION BY category ORDER BY period_end DESC, id DESC) AS rn FROM latest)
	` + thinSelect("top JOIN figures f ON f.id = top.id") + ` WHERE top.rn <= ` + n + `
	ORDER BY f.category, f.period_end DESC, f.id DESC`
	refs, err := db.loadThinRefs(ctx, locs)
	if err != nil {
		return nil, err
	}
	figs := map[string][]stats.Figure{}
	var cats []stats.Category
	err = db.scanThin(ctx, refs, sql, q.args, func(f stats.Figure) error {
		if len(figs[f.Category.Code]) == 0 {
			cats = append(cats, f.Category)
		}
		figs[f.Category.Code] = append(figs[f.Category.Code], f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("uncompared figures: %w", err)
	}
	// How many: from the counts, or with the filter from the index.
	var countSQL string
	var args []any
	if overviewFiltered(flt) {
		cq, err := db.overviewConds(ctx, flt)
		if err != nil {
			return nil, err
		}
		cond := strings.Join(append(cq.conds, "f.completeness <> 'part'"), " AND ")
		countSQL = `SELECT f.category, count(*) FROM figures f WHERE f.locality_id = ANY(` + cq.arg(localityIDs(locs)) + `::bigint[])
			AND ` + cond + ` AND NOT (f.indicator_id IS NOT NULL AND f.rank <> 'deprecated' AND (` + latestKey + `) IN (
				SELECT * FROM unnest(` + cq.arg(keys) + `::bigint[], ` + cq.arg(froms) + `::text[], ` + cq.arg(tos) + `::text[]))) GROUP BY 1`
		args = cq.args
	} else {
		countSQL = `SELECT g.category, sum(g.figures) FROM figure_key_counts g WHERE g.locality_id = ANY($1::bigint[]) AND g.figures > 0
			AND g.kind <> 'part' AND NOT (g.kind = 'comparable' AND (g.indicator_id, g.from_level, g.to_level) IN (
				SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[]))) GROUP BY 1`
		args = []any{localityIDs(locs), keys, froms, tos}
	}
	rows, err := db.pool.Query(ctx, countSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("count uncompared figures: %w", translate(err))
	}
	totals := map[string]int{}
	var code string
	var total int
	if _, err := pgx.ForEachRow(rows, []any{&code, &total}, func() error { totals[code] = total; return nil }); err != nil {
		return nil, fmt.Errorf("count uncompared figures: %w", translate(err))
	}
	slices.SortStableFunc(cats, func(a, b stats.Category) int { return a.Order - b.Order })
	out := make([]stats.Uncompared, len(cats))
	for i, c := range cats {
		out[i] = stats.Uncompared{Category: c, Figures: figs[c.Code], Total: totals[c.Code]}
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
	if !overviewFiltered(flt) {
		return db.countedCoverage(ctx, locs, maxSpans, maxSources)
	}
	q, err := db.overviewConds(ctx, flt)
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
	cov, byID := newCoverage(locs)
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

// newCoverage lists the localities once each, in their order, with an
// index by id.
func newCoverage(locs []stats.Locality) (stats.Coverage, map[int64]*stats.LocalityCoverage) {
	var cov stats.Coverage
	seen := map[int64]bool{}
	for _, l := range locs {
		if !seen[l.ID] {
			seen[l.ID] = true
			cov.Localities = append(cov.Localities, stats.LocalityCoverage{Locality: l})
		}
	}
	byID := map[int64]*stats.LocalityCoverage{}
	for i := range cov.Localities {
		byID[cov.Localities[i].Locality.ID] = &cov.Localities[i]
	}
	return cov, byID
}

// countedCoverage is Coverage without filters, from the counts tables:
// each locality's maxSpans largest periods are the first entries of
// figure_span_counts_top_idx.
func (db *DB) countedCoverage(ctx context.Context, locs []stats.Locality, maxSpans, maxSources int) (stats.Coverage, error) {
	cov, byID := newCoverage(locs)
	ids := localityIDs(locs)
	rows, err := db.pool.Query(ctx, `SELECT loc.id, x.period_start, x.period_end, x.figures,
			coalesce((SELECT array_agg(c.category COLLATE "C" ORDER BY c.category COLLATE "C") FROM figure_span_category_counts c
				WHERE (c.locality_id, c.period_start, c.period_end) = (loc.id, x.period_start, x.period_end) AND c.figures > 0), '{}')
		FROM unnest($1::bigint[]) AS loc (id) CROSS JOIN LATERAL (
			SELECT s.period_start, s.period_end, s.figures FROM figure_span_counts s
			WHERE s.locality_id = loc.id AND s.figures > 0
			ORDER BY s.figures DESC, s.period_end DESC, s.period_start LIMIT $2) x
		ORDER BY 1, 2, 3`, ids, maxSpans)
	if err != nil {
		return cov, fmt.Errorf("coverage: %w", translate(err))
	}
	var id int64
	var sp stats.Span
	if _, err := pgx.ForEachRow(rows, []any{&id, &sp.Start, &sp.End, &sp.Figures, &sp.Categories}, func() error {
		byID[id].Spans = append(byID[id].Spans, sp)
		return nil
	}); err != nil {
		return cov, fmt.Errorf("coverage: %w", translate(err))
	}
	rows, err = db.pool.Query(ctx, `SELECT loc.id,
			(SELECT coalesce(sum(k.figures), 0) FROM figure_key_counts k WHERE k.locality_id = loc.id),
			(SELECT count(*) FROM figure_span_counts s WHERE s.locality_id = loc.id AND s.figures > 0),
			(SELECT s.period_start FROM figure_span_counts s WHERE s.locality_id = loc.id AND s.figures > 0
				ORDER BY s.period_start LIMIT 1),
			(SELECT s.period_end FROM figure_span_counts s WHERE s.locality_id = loc.id AND s.figures > 0
				ORDER BY s.period_end DESC LIMIT 1)
		FROM unnest($1::bigint[]) AS loc (id)`, ids)
	if err != nil {
		return cov, fmt.Errorf("coverage totals: %w", translate(err))
	}
	var figures, spans int
	var first, last *time.Time
	if _, err := pgx.ForEachRow(rows, []any{&id, &figures, &spans, &first, &last}, func() error {
		lc := byID[id]
		lc.Figures, lc.OtherSpans, lc.OtherFigures = figures, spans-len(lc.Spans), figures
		for _, s := range lc.Spans {
			lc.OtherFigures -= s.Figures
		}
		if first != nil && last != nil {
			lc.First, lc.Last = *first, *last
		}
		return nil
	}); err != nil {
		return cov, fmt.Errorf("coverage totals: %w", translate(err))
	}
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT source_id FROM figure_source_counts
		WHERE locality_id = ANY($1::bigint[]) AND figures > 0 GROUP BY source_id) x`, ids).Scan(&cov.SourceCount); err != nil {
		return cov, fmt.Errorf("count coverage sources: %w", translate(err))
	}
	if cov.SourceCount > 0 && cov.SourceCount <= maxSources {
		cov.Sources, err = queryAll(ctx, db, "coverage sources", func(r pgx.Row) (stats.Source, error) { return scanSource(r) },
			`SELECT `+sourceColumns+` FROM sources s WHERE s.id IN (SELECT source_id FROM figure_source_counts
				WHERE locality_id = ANY($1::bigint[]) AND figures > 0)
			ORDER BY s.published_on DESC, s.id`, ids)
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

// thinFigures reads figures without joining their reference data: the
// overview's reads know their localities, and categories, indicators and
// terms are a few rows read once. A figure row then costs two relations
// (figures, sources) instead of ten, to plan and to join. Nor do they
// read the quote, which the overview does not show (Quote stays empty),
// nor a part's total (the overview has no parts).
const thinFigureColumns = `f.id, f.locality_id, f.category, f.indicator_id, f.term_id,
	f.subject, f.value::float8, f.unit, f.qualifier, f.denominator::float8, f.period_start, f.period_end,
	coalesce(f.from_level, ''), coalesce(f.to_level, ''), f.parent_id, f.completeness, f.scope, f.sub_units_id, f.base_id,
	f.rank, f.rank_reason, f.target, ` + sourceColumns + `, f.updated_at, f.version, f.verified_at IS NOT NULL, f.created_at`

// thinSelect reads thinFigureColumns through from (which names f).
func thinSelect(from string) string {
	return `SELECT ` + thinFigureColumns + ` FROM ` + from + ` JOIN sources s ON s.id = f.source_id`
}

// thinRefs are the reference data thin rows are completed with.
type thinRefs struct {
	locs  map[int64]stats.Locality
	cats  map[string]stats.Category
	inds  map[int64]*stats.Indicator
	terms map[int64]*stats.Term
}

func (db *DB) loadThinRefs(ctx context.Context, locs []stats.Locality) (*thinRefs, error) {
	r := &thinRefs{locs: map[int64]stats.Locality{}, cats: map[string]stats.Category{},
		inds: map[int64]*stats.Indicator{}, terms: map[int64]*stats.Term{}}
	for _, l := range locs {
		r.locs[l.ID] = l
	}
	cats, err := db.Categories(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		r.cats[c.Code] = c
	}
	// Deleted indicators and terms too: a live figure may still cite one.
	inds, err := queryAll(ctx, db, "list indicators", scanIndicator, `SELECT `+indicatorFields+`, 0 FROM indicators i`)
	if err != nil {
		return nil, err
	}
	for i := range inds {
		r.inds[inds[i].ID] = &inds[i]
	}
	terms, err := queryAll(ctx, db, "list terms", func(row pgx.Row) (stats.Term, error) {
		var t stats.Term
		return t, row.Scan(&t.ID, &t.Key, &t.Name, &t.NameEN, &t.Kind, &t.StartYear, &t.EndYear)
	}, `SELECT id, key, name, name_en, kind, start_year, end_year FROM terms`)
	if err != nil {
		return nil, err
	}
	for i := range terms {
		r.terms[terms[i].ID] = &terms[i]
	}
	return r, nil
}

// scanThin reads thin rows and completes each figure from refs.
func (db *DB) scanThin(ctx context.Context, refs *thinRefs, sql string, args []any, fn func(stats.Figure) error) error {
	return db.scanThinWith(ctx, refs, sql, args, nil, fn)
}

// scanThinWith is scanThin for rows that start with the columns extra
// scans into, before the thin columns.
func (db *DB) scanThinWith(ctx context.Context, refs *thinRefs, sql string, args []any, extra []any, fn func(stats.Figure) error) error {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	var f stats.Figure
	var locID int64
	var cat string
	var indID, termID *int64
	dest := append(extra, &f.ID, &locID, &cat, &indID, &termID,
		&f.Subject, &f.Value, &f.Unit, &f.Qualifier, &f.Denominator, &f.PeriodStart, &f.PeriodEnd,
		&f.FromLevel, &f.ToLevel, &f.ParentID, &f.Completeness, &f.Scope, &f.SubUnitsID, &f.BaseID,
		&f.Rank, &f.RankReason, &f.Target, &f.Source.ID, &f.Source.Key, &f.Source.Title, &f.Source.Outlet, &f.Source.Author,
		&f.Source.PublishedOn, &f.Source.PublishedTime, &f.Source.PublishedText, &f.Source.URL,
		&f.UpdatedAt, &f.Version, &f.Verified, &f.CreatedAt)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return translate(err)
		}
		out := f
		out.Locality, out.Category = refs.locs[locID], refs.cats[cat]
		if indID != nil {
			ind := *refs.inds[*indID]
			out.Indicator = &ind
		}
		if termID != nil {
			t := *refs.terms[*termID]
			out.Term = &t
		}
		if err := fn(out); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}
