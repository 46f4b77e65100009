package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Categories lists the categories in display order.
func (db *DB) Categories(ctx context.Context) ([]stats.Category, error) {
	rows, err := db.pool.Query(ctx, `SELECT code, name_vi, name_en, measure, sort_order, context FROM categories ORDER BY sort_order`)
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stats.Category, error) {
		var c stats.Category
		err := r.Scan(&c.Code, &c.NameVI, &c.NameEN, &c.Measure, &c.Order, &c.Context)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", translate(err))
	}
	return out, nil
}

// Outlets lists the outlets of the live sources, in Vietnamese order. It
// reads sources alone: asking which a live figure cites joins every figure
// (a quarter of a second per 100.000, on each new data version).
func (db *DB) Outlets(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT outlet FROM sources WHERE deleted_at IS NULL
		GROUP BY outlet ORDER BY outlet COLLATE "vi-x-icu", outlet`)
	if err != nil {
		return nil, fmt.Errorf("list outlets: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list outlets: %w", translate(err))
	}
	return out, nil
}

// Terms lists the live terms, oldest first.
func (db *DB) Terms(ctx context.Context) ([]stats.Term, error) {
	return db.terms(ctx, `SELECT id, key, name, name_en, kind, start_year, end_year FROM terms WHERE deleted_at IS NULL
		ORDER BY start_year, end_year, key`)
}

// TermsInUse lists the live terms a live figure or finding is tagged
// with, and those named in keep, oldest first.
func (db *DB) TermsInUse(ctx context.Context, keep []string) ([]stats.Term, error) {
	return db.terms(ctx, `SELECT id, key, name, name_en, kind, start_year, end_year FROM terms t WHERE deleted_at IS NULL
		AND (EXISTS (SELECT FROM figures f WHERE f.term_id = t.id AND f.deleted_at IS NULL)
			OR EXISTS (SELECT FROM findings x WHERE x.term_id = t.id AND x.deleted_at IS NULL)
			OR t.key = ANY($1))
		ORDER BY start_year, end_year, key`, keep)
}

func (db *DB) terms(ctx context.Context, sql string, args ...any) ([]stats.Term, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list terms: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stats.Term, error) {
		var t stats.Term
		err := r.Scan(&t.ID, &t.Key, &t.Name, &t.NameEN, &t.Kind, &t.StartYear, &t.EndYear)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list terms: %w", translate(err))
	}
	return out, nil
}

const sourceColumns = `s.id, s.key, s.title, s.outlet, s.author, s.published_on, s.published_time, s.published_text, s.url`

func scanSource(row pgx.Row, extra ...any) (stats.Source, error) {
	var s stats.Source
	dest := append([]any{&s.ID, &s.Key, &s.Title, &s.Outlet, &s.Author, &s.PublishedOn, &s.PublishedTime, &s.PublishedText, &s.URL}, extra...)
	err := row.Scan(dest...)
	return s, err
}

// Source finds a live source by id. Errors: stats.ErrNotFound (also when deleted).
func (db *DB) Source(ctx context.Context, id int64) (stats.Source, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `SELECT `+sourceColumns+` FROM sources s WHERE s.id = $1 AND s.deleted_at IS NULL`, id))
	if err != nil {
		return s, fmt.Errorf("source %d: %w", id, translate(err))
	}
	return s, nil
}

// sourceQuery turns a source filter into conditions on "s".
func sourceQuery(flt stats.SourceFilter) *figureSQL {
	q := &figureSQL{conds: []string{"s.deleted_at IS NULL"}}
	if t := textnorm.Clean(flt.Query); t != "" {
		// The expression of sources_search_idx, trigram-indexed.
		q.conds = append(q.conds, "fold(s.title || ' ' || s.outlet || ' ' || s.author) LIKE fold("+q.arg("%"+escapeLike(t)+"%")+")")
		q.search = true
	}
	if flt.Key != "" {
		q.conds = append(q.conds, "s.key = "+q.arg(flt.Key))
	}
	if flt.Locality != "" {
		l := q.arg(flt.Locality)
		q.conds = append(q.conds, `s.id IN (
			SELECT f.source_id FROM figures f WHERE f.deleted_at IS NULL AND f.locality_id = (SELECT id FROM localities WHERE slug = `+l+`)
			UNION SELECT x.source_id FROM findings x WHERE x.deleted_at IS NULL AND x.locality_id = (SELECT id FROM localities WHERE slug = `+l+`))`)
	}
	return q
}

// SourcePage reads a page of live sources, newest first (published_on,
// then id, both descending: sources_published_idx), after or before a
// cursor (the caller turns a Before page around: it comes reversed here
// and is returned in the list's order), with how many live figures and
// findings cite each.
func (db *DB) SourcePage(ctx context.Context, flt stats.SourceFilter) ([]stats.Source, error) {
	q := sourceQuery(flt)
	cur, op, dir := flt.After, "<", "DESC"
	if flt.Before != nil {
		cur, op, dir = flt.Before, ">", "ASC"
	}
	if cur != nil {
		q.conds = append(q.conds, "(s.published_on, s.id) "+op+" ("+q.arg(cur.Key[0])+"::date, "+q.arg(cur.ID)+")")
	}
	sql := `SELECT ` + sourceColumns + `,
			(SELECT count(*) FROM figures f WHERE f.source_id = s.id AND f.deleted_at IS NULL),
			(SELECT count(*) FROM findings x WHERE x.source_id = s.id AND x.deleted_at IS NULL)
		FROM sources s` + q.where() + ` ORDER BY s.published_on ` + dir + `, s.id ` + dir
	if flt.Limit > 0 {
		sql += fmt.Sprintf(" LIMIT %d", flt.Limit)
	}
	out, err := queryAll(ctx, db, "list sources", func(r pgx.Row) (stats.Source, error) {
		var figs, finds int
		s, err := scanSource(r, &figs, &finds)
		s.Figures, s.Findings = figs, finds
		return s, err
	}, sql, q.params()...)
	if flt.Before != nil {
		slices.Reverse(out)
	}
	return out, err
}

// CountSources counts the live sources the filter selects, up to limit + 1.
func (db *DB) CountSources(ctx context.Context, flt stats.SourceFilter, limit int) (int, error) {
	q := sourceQuery(flt)
	var n int
	err := db.pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM (SELECT FROM sources s%s LIMIT %d) x`, q.where(), limit+1), q.params()...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sources: %w", translate(err))
	}
	return n, nil
}

// EachSource streams the sources with these ids, deleted or not (a live
// figure may cite one), oldest first (published, then key): the XLSX
// export's sources sheet.
func (db *DB) EachSource(ctx context.Context, ids []int64, fn func(stats.Source) error) error {
	rows, err := db.pool.Query(ctx, `SELECT `+sourceColumns+` FROM sources s WHERE s.id = ANY($1) ORDER BY s.published_on, s.key`, ids)
	if err != nil {
		return fmt.Errorf("list sources: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return fmt.Errorf("list sources: %w", translate(err))
		}
		if err := fn(src); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list sources: %w", translate(err))
	}
	return nil
}
