package postgres

import (
	"context"
	"fmt"
	"strings"
	"unsafe"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// exportSelect reads what the exports write, and no more: the export
// columns (internal/export/columns.go), the JSON answer's period and
// source. A third of figureSelect's columns and half its joins.
const exportSelect = `SELECT f.id, l.name, l.level,
	CASE WHEN l.level = 'province' THEN l.name WHEN p.level = 'province' THEN p.name ELSE coalesce(gp.name, '') END,
	f.category, f.subject, f.value::float8, f.unit, f.qualifier, f.period_start, f.period_end,
	t.key, t.kind, t.start_year, t.end_year,
	s.id, s.key, s.title, s.outlet, s.author, s.published_on, s.url,
	f.quote, l.slug, f.denominator::float8, coalesce(f.from_level, ''), coalesce(f.to_level, ''), f.parent_id,
	coalesce(i.measure, c.measure), i.key, f.completeness, f.rank, f.rank_reason, f.target,
	f.scope, f.sub_units_id, f.base_id
FROM figures f
JOIN localities l ON l.id = f.locality_id
LEFT JOIN localities p ON p.id = l.parent_id
LEFT JOIN localities gp ON gp.id = p.parent_id
JOIN categories c ON c.code = f.category
LEFT JOIN indicators i ON i.id = f.indicator_id
LEFT JOIN terms t ON t.id = f.term_id
JOIN sources s ON s.id = f.source_id`

// StreamFigures streams the figures the filter selects for an export:
// only the fields the exports write are set, and the figure's strings
// point into the driver's buffer, valid only until fn returns: fn must
// copy what it keeps (strings.Clone). Nothing is allocated per row, so a
// million figures stream in constant memory and at nearly COPY's pace.
func (db *DB) StreamFigures(ctx context.Context, flt stats.FigureFilter, fn func(stats.Figure) error) error {
	q, err := db.figureQuery(ctx, flt)
	if err != nil {
		return err
	}
	sql, reversed := q.listSQL(flt)
	if reversed || !strings.HasPrefix(sql, figureSelect) {
		// A page before a cursor, or sorted unit by unit: the general path.
		return db.EachFigure(ctx, flt, fn)
	}
	sql = exportSelect + sql[len(figureSelect):]
	rows, err := db.pool.Query(ctx, sql, q.params()...)
	if err != nil {
		return fmt.Errorf("query figures: %w", translate(err))
	}
	defer rows.Close()
	var f stats.Figure
	var ind stats.Indicator
	var term stats.Term
	// Value types, not pointers: a pointer scan allocates per row.
	var termStart, termEnd pgtype.Int4
	var denom pgtype.Float8
	var parent, subUnits, base pgtype.Int8
	var subUnitsV, baseV int64
	var denomV float64
	var parentV int64
	var (
		name, level, province, category, subject, unit, qualifier                      pgtype.DriverBytes
		termKey, termKind, srcKey, srcTitle, srcOutlet, srcAuthor, srcURL, quote, slug pgtype.DriverBytes
		from, to, measure, indKey, completeness, rank, rankReason, scope               pgtype.DriverBytes
	)
	dest := []any{&f.ID, &name, &level, &province, &category, &subject, &f.Value, &unit, &qualifier,
		&f.PeriodStart, &f.PeriodEnd, &termKey, &termKind, &termStart, &termEnd,
		&f.Source.ID, &srcKey, &srcTitle, &srcOutlet, &srcAuthor, &f.Source.PublishedOn, &srcURL,
		&quote, &slug, &denom, &from, &to, &parent, &measure, &indKey, &completeness, &rank, &rankReason, &f.Target,
		&scope, &subUnits, &base}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan figure: %w", translate(err))
		}
		f.Locality.Name, f.Locality.Level, f.Locality.ProvinceName = str(name), stats.Level(str(level)), str(province)
		f.Locality.Slug = str(slug)
		f.Category.Code, f.Category.Measure = str(category), stats.Measure(str(measure))
		f.Subject, f.Unit, f.Qualifier, f.Quote = str(subject), str(unit), str(qualifier), str(quote)
		f.Source.Key, f.Source.Title, f.Source.Outlet = str(srcKey), str(srcTitle), str(srcOutlet)
		f.Source.Author, f.Source.URL = str(srcAuthor), str(srcURL)
		f.FromLevel, f.ToLevel = stats.Level(str(from)), stats.Level(str(to))
		f.Completeness, f.Rank, f.RankReason = str(completeness), str(rank), str(rankReason)
		f.Scope = str(scope)
		f.SubUnitsID, f.BaseID = nil, nil
		if subUnits.Valid {
			subUnitsV = subUnits.Int64
			f.SubUnitsID = &subUnitsV
		}
		if base.Valid {
			baseV = base.Int64
			f.BaseID = &baseV
		}
		f.Denominator, f.ParentID = nil, nil
		if denom.Valid {
			denomV = denom.Float64
			f.Denominator = &denomV
		}
		if parent.Valid {
			parentV = parent.Int64
			f.ParentID = &parentV
		}
		f.Indicator = nil
		if indKey != nil {
			ind.Key, ind.Measure = str(indKey), f.Category.Measure
			f.Indicator = &ind
		}
		f.Term = nil
		if termKey != nil {
			term.Key, term.Kind = str(termKey), str(termKind)
			term.StartYear, term.EndYear = int(termStart.Int32), int(termEnd.Int32)
			f.Term = &term
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read figures: %w", translate(err))
	}
	return nil
}

// str reads driver bytes as a string without copying them: valid only
// while the row is (see StreamFigures).
func str(b pgtype.DriverBytes) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// ExportQuery is the statement StreamFigures runs for flt, with its
// arguments: the benchmark runs it under COPY to compare.
func (db *DB) ExportQuery(ctx context.Context, flt stats.FigureFilter) (string, []any, error) {
	q, err := db.figureQuery(ctx, flt)
	if err != nil {
		return "", nil, err
	}
	sql, _ := q.listSQL(flt)
	if !strings.HasPrefix(sql, figureSelect) {
		return "", nil, fmt.Errorf("export query for %+v: %w", flt, stats.ErrInvalid)
	}
	return exportSelect + sql[len(figureSelect):], q.args, nil
}
