package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

const figureSelect = `SELECT f.id, ` + localityColumns + `,
	c.code, c.name_vi, c.name_en, c.measure, c.sort_order, c.context,
	i.id, i.key, i.name, i.name_en, i.measure, i.definition, i.definition_en, i.denominator,
	f.subject, f.value::float8, f.unit, f.qualifier, f.denominator::float8,
	f.period_start, f.period_end,
	t.id, t.key, t.name, t.name_en, t.kind, t.start_year, t.end_year,
	coalesce(f.from_level, ''), coalesce(f.to_level, ''), f.parent_id,
	f.completeness, f.scope, f.sub_units_id, f.base_id, f.rank, f.rank_reason, f.target,
	` + sourceColumns + `, f.quote, f.updated_at, f.version,
	f.verified_at IS NOT NULL, f.deleted_at, f.created_by, f.updated_by, f.verified_by, f.created_at,
	f.returned_at, f.return_reason, coalesce(pf.subject, ''), pf.value::float8
FROM figures f
LEFT JOIN figures pf ON pf.id = f.parent_id
JOIN localities l ON l.id = f.locality_id` + localityJoins + `
JOIN categories c ON c.code = f.category
LEFT JOIN indicators i ON i.id = f.indicator_id
LEFT JOIN terms t ON t.id = f.term_id
JOIN sources s ON s.id = f.source_id`

// figureSelectFrom is figureSelect reading its figures through another
// relation first ("chosen JOIN figures f ON f.id = chosen.id"): with
// more joins than the planner reorders (join_collapse_limit), the first
// relation written is where it starts.
func figureSelectFrom(from string) string {
	return strings.Replace(figureSelect, "\nFROM figures f\n", "\nFROM "+from+"\n", 1)
}

// figureRow scans into reused destinations: streaming exports call it
// once per row.
type figureRow struct {
	f                     stats.Figure
	indID                 *int64
	indKey, indName       *string
	indNameEN, indMeasure *string
	indDef, indDefEN      *string
	indDenom              *string
	termID                *int64
	termKey, termName     *string
	termNameEN, termKnd   *string
	termStart, termEnd    *int
}

func (r *figureRow) dest() []any {
	f := &r.f
	l := &f.Locality
	return []any{&f.ID,
		&l.ID, &l.Slug, &l.Name, &l.Prefix, &l.Level, &l.ParentSlug, &l.ParentName, &l.ParentPrefix, &l.ProvinceName,
		&l.ValidFrom, &l.ValidTo, &l.SuccessorSlug, &l.SuccessorName, &l.SuccessorPfx, &l.Note, &l.Focus,
		&f.Category.Code, &f.Category.NameVI, &f.Category.NameEN, &f.Category.Measure, &f.Category.Order, &f.Category.Context,
		&r.indID, &r.indKey, &r.indName, &r.indNameEN, &r.indMeasure, &r.indDef, &r.indDefEN, &r.indDenom,
		&f.Subject, &f.Value, &f.Unit, &f.Qualifier, &f.Denominator,
		&f.PeriodStart, &f.PeriodEnd,
		&r.termID, &r.termKey, &r.termName, &r.termNameEN, &r.termKnd, &r.termStart, &r.termEnd,
		&f.FromLevel, &f.ToLevel, &f.ParentID,
		&f.Completeness, &f.Scope, &f.SubUnitsID, &f.BaseID, &f.Rank, &f.RankReason, &f.Target,
		&f.Source.ID, &f.Source.Key, &f.Source.Title, &f.Source.Outlet, &f.Source.Author,
		&f.Source.PublishedOn, &f.Source.PublishedTime, &f.Source.PublishedText, &f.Source.URL,
		&f.Quote, &f.UpdatedAt, &f.Version,
		&f.Verified, &f.DeletedAt, &f.CreatedBy, &f.UpdatedBy, &f.VerifiedBy, &f.CreatedAt,
		&f.ReturnedAt, &f.ReturnReason, &f.ParentSubject, &f.ParentValue}
}

func (r *figureRow) figure() stats.Figure {
	f := r.f
	f.Indicator = nil
	if r.indID != nil {
		f.Indicator = &stats.Indicator{ID: *r.indID, Key: *r.indKey, Category: f.Category.Code, Unit: f.Unit,
			Measure: stats.Measure(*r.indMeasure), Name: *r.indName, NameEN: *r.indNameEN,
			Definition: *r.indDef, DefinitionEN: *r.indDefEN, Denominator: *r.indDenom}
	}
	f.Term = nil
	if r.termID != nil {
		f.Term = &stats.Term{ID: *r.termID, Key: *r.termKey, Name: *r.termName, NameEN: *r.termNameEN,
			Kind: *r.termKnd, StartYear: *r.termStart, EndYear: *r.termEnd}
	}
	return f
}

// figureSQL is a filter turned into conditions on "f" (the figures
// table) and their arguments.
type figureSQL struct {
	conds  []string
	args   []any
	locIDs []int64 // the localities the filter names, resolved
	search bool    // a text search: see params
}

// params are the statement's arguments. A text search is planned for its
// pattern every time it runs (an unnamed statement): pgx prepares
// statements once per connection, and after five runs PostgreSQL may
// switch a prepared statement to a generic plan, made without the
// pattern, which cannot tell a rare phrase from a common word; one took a
// search from 40 ms to 1,7 s over a million figures. Other statements
// keep their cached plans (planning the locality page's latest figures
// takes 3 to 5 ms).
func (q *figureSQL) params() []any {
	if !q.search {
		return q.args
	}
	return append([]any{pgx.QueryExecModeDescribeExec}, q.args...)
}

func (q *figureSQL) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *figureSQL) where() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

// eq compares a column with one value or a list: a single value keeps
// the (column, id) index ordered, which a list (= ANY) would not.
func (q *figureSQL) eq(col string, vals any, n int) {
	if n == 1 {
		switch v := vals.(type) {
		case []int64:
			q.conds = append(q.conds, col+" = "+q.arg(v[0]))
			return
		case []string:
			q.conds = append(q.conds, col+" = "+q.arg(v[0]))
			return
		}
	}
	q.conds = append(q.conds, col+" = ANY("+q.arg(vals)+")")
}

// figureQuery turns a filter into conditions. Slugs and keys become ids
// first (one small query), so that the conditions are plain comparisons
// the indexes serve in order.
func (db *DB) figureQuery(ctx context.Context, flt stats.FigureFilter) (*figureSQL, error) {
	q := &figureSQL{}
	if !flt.IncludeDeleted {
		q.conds = append(q.conds, "f.deleted_at IS NULL")
	}
	if flt.VerifiedOnly {
		q.conds = append(q.conds, "f.verified_at IS NOT NULL")
	}
	if len(flt.Localities) > 0 || len(flt.Indicators) > 0 || len(flt.Terms) > 0 {
		var locs, inds, terms []int64
		err := db.pool.QueryRow(ctx, `SELECT
				coalesce((SELECT array_agg(id) FROM localities WHERE slug = ANY($1)), '{}'),
				coalesce((SELECT array_agg(id) FROM indicators WHERE key = ANY($2)), '{}'),
				coalesce((SELECT array_agg(id) FROM terms WHERE key = ANY($3)), '{}')`,
			flt.Localities, flt.Indicators, flt.Terms).Scan(&locs, &inds, &terms)
		if err != nil {
			return nil, fmt.Errorf("resolve filter: %w", translate(err))
		}
		q.locIDs = locs
		// A name that matches nothing selects nothing (the service
		// refuses unknown names before this).
		for _, r := range []struct {
			col  string
			want int
			ids  []int64
		}{{"f.locality_id", len(flt.Localities), locs}, {"f.indicator_id", len(flt.Indicators), inds}, {"f.term_id", len(flt.Terms), terms}} {
			switch {
			case r.want == 0:
			case len(r.ids) == 0:
				q.conds = append(q.conds, "false")
			default:
				q.eq(r.col, r.ids, len(r.ids))
			}
		}
	}
	if len(flt.Categories) > 0 {
		q.eq("f.category", flt.Categories, len(flt.Categories))
	}
	if flt.From != nil {
		q.conds = append(q.conds, "f.period_end >= "+q.arg(*flt.From))
	}
	if flt.To != nil {
		q.conds = append(q.conds, "f.period_start <= "+q.arg(*flt.To))
	}
	if flt.SourceID != 0 {
		q.conds = append(q.conds, "f.source_id = "+q.arg(flt.SourceID))
	}
	switch flt.Status {
	case "unverified":
		// A figure sent back waits for its author, not for a reviewer
		// ("returned"), until an edit clears returned_at.
		q.conds = append(q.conds, "f.verified_at IS NULL", "f.returned_at IS NULL", "f.deleted_at IS NULL")
	case "verified":
		q.conds = append(q.conds, "f.verified_at IS NOT NULL", "f.deleted_at IS NULL")
	case "returned":
		q.conds = append(q.conds, "f.returned_at IS NOT NULL", "f.verified_at IS NULL", "f.deleted_at IS NULL")
	case "deleted":
		q.conds = append(q.conds, "f.deleted_at IS NOT NULL")
	}
	if flt.By != 0 {
		p := q.arg(flt.By)
		q.conds = append(q.conds, "(f.created_by = "+p+" OR f.updated_by = "+p+")")
	}
	if flt.NotBy != 0 {
		p := q.arg(flt.NotBy)
		q.conds = append(q.conds, "f.created_by IS DISTINCT FROM "+p, "f.updated_by IS DISTINCT FROM "+p)
	}
	if flt.ChangedSince != nil {
		q.conds = append(q.conds, "f.updated_at > "+q.arg(*flt.ChangedSince))
	}
	if s := textnorm.Clean(flt.Query); s != "" {
		// f.search is the subject and quote folded (no diacritics, lower
		// case) and trigram-indexed: "luan chuyen" finds "luân chuyển".
		q.conds = append(q.conds, "f.search LIKE fold("+q.arg("%"+escapeLike(s)+"%")+")")
		q.search = true
	}
	return q, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// sortSpec is how a list is ordered: the columns before f.id, and the
// types a cursor's values are read as.
type sortSpec struct {
	cols  []string
	types []string
}

var figureSorts = map[string]sortSpec{
	"":         {},
	"id":       {},
	"value":    {[]string{"f.value"}, []string{"numeric"}},
	"period":   {[]string{"f.period_start"}, []string{"date"}},
	"subject":  {[]string{`f.subject COLLATE "vi-x-icu"`}, []string{"text"}},
	"locality": {[]string{`l.name COLLATE "vi-x-icu"`, "l.id"}, []string{"text", "bigint"}},
	"category": {[]string{"c.sort_order", "c.code"}, []string{"int", "text"}},
	"updated":  {[]string{"f.updated_at"}, []string{"timestamptz"}},
}

// listSQL is the query of one page (or of everything, without Limit), in
// the filter's order after After, or in the reverse order before Before
// (the caller turns it around). Every sort seeks through an index: on the
// figures' own columns directly; by locality or category unit by unit
// when nothing narrower filters (byUnit).
func (q *figureSQL) listSQL(flt stats.FigureFilter) (sql string, reversed bool) {
	spec := figureSorts[flt.Sort]
	desc, cur := flt.Desc, flt.After
	if flt.Before != nil {
		desc, cur, reversed = !desc, flt.Before, true
	}
	dir, op := " ASC", ">"
	if desc {
		dir, op = " DESC", "<"
	}
	if flt.Limit > 0 && (flt.Sort == "locality" || flt.Sort == "category") && unitByUnit(flt) {
		return q.byUnit(flt, cur, dir, op), reversed
	}
	cols := append(slices.Clone(spec.cols), "f.id")
	if cur != nil {
		vals := make([]string, len(cols))
		for i, k := range cur.Key {
			vals[i] = q.arg(k) + "::" + spec.types[i]
		}
		vals[len(vals)-1] = q.arg(cur.ID)
		q.conds = append(q.conds, "("+strings.Join(cols, ", ")+") "+op+" ("+strings.Join(vals, ", ")+")")
	}
	order := make([]string, len(cols))
	for i, c := range cols {
		order[i] = c + dir
	}
	sql = figureSelect + q.where() + " ORDER BY " + strings.Join(order, ", ")
	if flt.Limit > 0 {
		sql += fmt.Sprintf(" LIMIT %d", flt.Limit)
		if flt.Offset > 0 && cur == nil {
			sql += fmt.Sprintf(" OFFSET %d", flt.Offset)
		}
	}
	return sql, reversed
}

// unitByUnit: the filter selects from most units, so walking them in
// order finds a page quickly; a narrower filter (a locality, a source, a
// text) is better read whole and sorted.
func unitByUnit(flt stats.FigureFilter) bool {
	return flt.Query == "" && flt.SourceID == 0 && len(flt.Indicators) == 0 && len(flt.Terms) == 0 && flt.Offset == 0 &&
		(flt.Sort != "category" || len(flt.Localities) == 0)
}

// byUnit seeks a page sorted by a joined table's column (locality name,
// category order): the units in that order from the cursor's, and for
// each the next figures by id through (unit, id), until the page is full.
// PostgreSQL's incremental sort keeps the units' order and stops early.
func (q *figureSQL) byUnit(flt stats.FigureFilter, cur *stats.Cursor, dir, op string) string {
	unit, key1, key2, fcol := "localities u", `u.name COLLATE "vi-x-icu"`, "u.id", "f.locality_id = u.id"
	types := []string{"text", "bigint"}
	if flt.Sort == "category" {
		unit, key1, key2, fcol = "categories u", "u.sort_order", "u.code", "f.category = u.code"
		types = []string{"int", "text"}
	}
	inner := append(slices.Clone(q.conds), fcol)
	var outer []string
	// Only the units the filter names, when it names them.
	switch {
	case flt.Sort == "locality" && len(flt.Localities) > 0:
		outer = append(outer, "u.id = ANY("+q.arg(q.locIDs)+"::bigint[])")
	case flt.Sort == "category" && len(flt.Categories) > 0:
		outer = append(outer, "u.code = ANY("+q.arg(flt.Categories)+"::text[])")
	}
	if cur != nil {
		k1, k2 := q.arg(cur.Key[0])+"::"+types[0], q.arg(cur.Key[1])+"::"+types[1]
		outer = append(outer, "("+key1+", "+key2+") "+op+"= ("+k1+", "+k2+")")
		inner = append(inner, "("+key2+" <> "+k2+" OR f.id "+op+" "+q.arg(cur.ID)+")")
	}
	where := ""
	if len(outer) > 0 {
		where = " WHERE " + strings.Join(outer, " AND ")
	}
	n := flt.Limit
	page := fmt.Sprintf(`(
		SELECT %[1]s AS k1, %[2]s AS k2, x.id AS fid FROM %[3]s CROSS JOIN LATERAL (
			SELECT f.id FROM figures f WHERE %[4]s ORDER BY f.id%[5]s LIMIT %[6]d) x%[7]s
		ORDER BY %[1]s%[5]s, %[2]s%[5]s, x.id%[5]s LIMIT %[6]d) pg JOIN figures f ON f.id = pg.fid`,
		key1, key2, unit, strings.Join(inner, " AND "), dir, n, where)
	// The page first: the figures' joins follow it, one row at a time.
	return figureSelectFrom(page) + fmt.Sprintf(` ORDER BY pg.k1%s%s, pg.k2%s, pg.fid%s`,
		collateIf(flt.Sort == "locality"), dir, dir, dir)
}

func collateIf(b bool) string {
	if b {
		return ` COLLATE "vi-x-icu"`
	}
	return ""
}

// EachFigure streams the figures the filter selects to fn, one row at a
// time, so that exports use constant memory. fn's error stops the scan.
// With Before, the page still comes in the filter's order.
func (db *DB) EachFigure(ctx context.Context, flt stats.FigureFilter, fn func(stats.Figure) error) error {
	q, err := db.figureQuery(ctx, flt)
	if err != nil {
		return err
	}
	sql, reversed := q.listSQL(flt)
	if reversed {
		// A page is small: read it whole and turn it around.
		var page []stats.Figure
		if err := db.scanFigures(ctx, sql, q.params(), func(f stats.Figure) error { page = append(page, f); return nil }); err != nil {
			return err
		}
		for i := len(page) - 1; i >= 0; i-- {
			if err := fn(page[i]); err != nil {
				return err
			}
		}
		return nil
	}
	return db.scanFigures(ctx, sql, q.params(), fn)
}

func (db *DB) scanFigures(ctx context.Context, sql string, args []any, fn func(stats.Figure) error) error {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("query figures: %w", translate(err))
	}
	defer rows.Close()
	var r figureRow
	dest := r.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan figure: %w", translate(err))
		}
		if err := fn(r.figure()); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read figures: %w", translate(err))
	}
	return nil
}

// Figures returns the figures the filter selects.
func (db *DB) Figures(ctx context.Context, flt stats.FigureFilter) ([]stats.Figure, error) {
	var out []stats.Figure
	err := db.EachFigure(ctx, flt, func(f stats.Figure) error {
		out = append(out, f)
		return nil
	})
	return out, err
}

// CountFigures counts the figures the filter selects, ignoring its limit,
// up to limit + 1: reading a million index entries to print "1.000.000"
// costs more than the page.
func (db *DB) CountFigures(ctx context.Context, flt stats.FigureFilter, limit int) (int, error) {
	flt.After, flt.Before = nil, nil
	q, err := db.figureQuery(ctx, flt)
	if err != nil {
		return 0, err
	}
	var n int
	// In id order, so that the count reads an index (the filter's, or the
	// primary key) rather than the table, however it is filtered.
	err = db.pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM (SELECT FROM figures f%s ORDER BY f.id LIMIT %d) x`, q.where(), limit+1),
		q.params()...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count figures: %w", translate(err))
	}
	return n, nil
}

// Figure finds one figure. Errors: stats.ErrNotFound.
func (db *DB) Figure(ctx context.Context, id int64) (stats.Figure, error) {
	var r figureRow
	err := db.pool.QueryRow(ctx, figureSelect+" WHERE f.id = $1", id).Scan(r.dest()...)
	if err != nil {
		return stats.Figure{}, fmt.Errorf("figure %d: %w", id, translate(err))
	}
	return r.figure(), nil
}

// FiguresByID reads the given figures, deleted ones included.
func (db *DB) FiguresByID(ctx context.Context, ids []int64) ([]stats.Figure, error) {
	rows, err := db.pool.Query(ctx, figureSelect+" WHERE f.id = ANY($1) ORDER BY f.id", ids)
	if err != nil {
		return nil, fmt.Errorf("figures %v: %w", ids[:min(len(ids), 5)], translate(err))
	}
	defer rows.Close()
	var out []stats.Figure
	var r figureRow
	for rows.Next() {
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, fmt.Errorf("figures: %w", translate(err))
		}
		out = append(out, r.figure())
	}
	return out, translate(rows.Err())
}
