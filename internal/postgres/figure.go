package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

const figureSelect = `SELECT f.id, ` + localityColumns + `,
	c.code, c.name_vi, c.name_en, c.measure, c.sort_order, c.context,
	i.id, i.key, i.name, i.name_en, i.measure, i.definition, i.definition_en,
	f.subject, f.value::float8, f.unit, f.qualifier, f.denominator::float8,
	f.period_start, f.period_end,
	t.id, t.key, t.name, t.name_en, t.kind, t.start_year, t.end_year,
	coalesce(f.from_level, ''), coalesce(f.to_level, ''), f.parent_id,
	f.completeness, f.rank, f.rank_reason, f.target,
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

// figureRow scans into reused destinations: streaming exports call it
// once per row.
type figureRow struct {
	f                     stats.Figure
	indID                 *int64
	indKey, indName       *string
	indNameEN, indMeasure *string
	indDef, indDefEN      *string
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
		&r.indID, &r.indKey, &r.indName, &r.indNameEN, &r.indMeasure, &r.indDef, &r.indDefEN,
		&f.Subject, &f.Value, &f.Unit, &f.Qualifier, &f.Denominator,
		&f.PeriodStart, &f.PeriodEnd,
		&r.termID, &r.termKey, &r.termName, &r.termNameEN, &r.termKnd, &r.termStart, &r.termEnd,
		&f.FromLevel, &f.ToLevel, &f.ParentID,
		&f.Completeness, &f.Rank, &f.RankReason, &f.Target,
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
			Definition: *r.indDef, DefinitionEN: *r.indDefEN}
	}
	f.Term = nil
	if r.termID != nil {
		f.Term = &stats.Term{ID: *r.termID, Key: *r.termKey, Name: *r.termName, NameEN: *r.termNameEN,
			Kind: *r.termKnd, StartYear: *r.termStart, EndYear: *r.termEnd}
	}
	return f
}

// figureQuery turns a filter into a WHERE clause and its arguments.
func figureQuery(flt stats.FigureFilter) (where string, args []any) {
	conds := []string{"f.deleted_at IS NULL"}
	if flt.IncludeDeleted {
		conds = conds[:0]
	}
	if flt.VerifiedOnly {
		conds = append(conds, "f.verified_at IS NOT NULL")
	}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(flt.Localities) > 0 {
		conds = append(conds, "f.locality_id IN (SELECT id FROM localities WHERE slug = ANY("+arg(flt.Localities)+"))")
	}
	if len(flt.Categories) > 0 {
		conds = append(conds, "f.category = ANY("+arg(flt.Categories)+")")
	}
	if len(flt.Indicators) > 0 {
		conds = append(conds, "f.indicator_id IN (SELECT id FROM indicators WHERE key = ANY("+arg(flt.Indicators)+"))")
	}
	if len(flt.Terms) > 0 {
		conds = append(conds, "f.term_id IN (SELECT id FROM terms WHERE key = ANY("+arg(flt.Terms)+"))")
	}
	if flt.From != nil {
		conds = append(conds, "f.period_end >= "+arg(*flt.From))
	}
	if flt.To != nil {
		conds = append(conds, "f.period_start <= "+arg(*flt.To))
	}
	if flt.SourceID != 0 {
		conds = append(conds, "f.source_id = "+arg(flt.SourceID))
	}
	switch flt.Status {
	case "unverified":
		// A figure sent back waits for its author, not for a reviewer
		// ("returned"), until an edit clears returned_at.
		conds = append(conds, "f.verified_at IS NULL", "f.returned_at IS NULL", "f.deleted_at IS NULL")
	case "verified":
		conds = append(conds, "f.verified_at IS NOT NULL", "f.deleted_at IS NULL")
	case "returned":
		conds = append(conds, "f.returned_at IS NOT NULL", "f.verified_at IS NULL", "f.deleted_at IS NULL")
	case "deleted":
		conds = append(conds, "f.deleted_at IS NOT NULL")
	}
	if flt.By != 0 {
		p := arg(flt.By)
		conds = append(conds, "(f.created_by = "+p+" OR f.updated_by = "+p+")")
	}
	if flt.NotBy != 0 {
		p := arg(flt.NotBy)
		conds = append(conds, "f.created_by IS DISTINCT FROM "+p, "f.updated_by IS DISTINCT FROM "+p)
	}
	if flt.ChangedSince != nil {
		conds = append(conds, "f.updated_at > "+arg(*flt.ChangedSince))
	}
	if q := textnorm.Clean(flt.Query); q != "" {
		// f.search is the subject and quote folded (no diacritics, lower
		// case) and trigram-indexed: "luan chuyen" finds "luân chuyển".
		conds = append(conds, "f.search LIKE fold("+arg("%"+escapeLike(q)+"%")+")")
	}
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	return where, args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

var figureOrder = map[string]string{
	"id":       "f.id",
	"locality": `l.name COLLATE "vi-x-icu"`,
	"category": "c.sort_order",
	"subject":  `f.subject COLLATE "vi-x-icu"`,
	"value":    "f.value",
	"period":   "f.period_start",
	"updated":  "f.updated_at",
}

func orderBy(flt stats.FigureFilter) string {
	col, ok := figureOrder[flt.Sort]
	if !ok {
		col = "f.id" // the order figures were entered: stable across exports
	}
	dir := " ASC"
	if flt.Desc {
		dir = " DESC"
	}
	return " ORDER BY " + col + dir + ", f.id" + dir
}

// EachFigure streams the figures the filter selects to fn, one row at a
// time, so that exports use constant memory. fn's error stops the scan.
func (db *DB) EachFigure(ctx context.Context, flt stats.FigureFilter, fn func(stats.Figure) error) error {
	where, args := figureQuery(flt)
	q := figureSelect + where + orderBy(flt)
	if flt.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", flt.Limit, max(flt.Offset, 0))
	}
	rows, err := db.pool.Query(ctx, q, args...)
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

// CountFigures counts the figures the filter selects, ignoring its limit.
func (db *DB) CountFigures(ctx context.Context, flt stats.FigureFilter) (int, error) {
	where, args := figureQuery(flt)
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM figures f`+where, args...).Scan(&n)
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
