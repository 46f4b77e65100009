package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Findings lists statements without numbers, by locality then id.
func (db *DB) Findings(ctx context.Context, flt stats.FindingFilter) ([]stats.Finding, error) {
	conds := []string{"x.deleted_at IS NULL"} // deleted findings: AdminFindings
	var args []any
	if len(flt.Localities) > 0 {
		args = append(args, flt.Localities)
		conds = append(conds, "l.slug = ANY($"+strconv.Itoa(len(args))+")")
	}
	if flt.SourceID != 0 {
		args = append(args, flt.SourceID)
		conds = append(conds, "x.source_id = $"+strconv.Itoa(len(args)))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := db.pool.Query(ctx, `SELECT x.id, l.slug, l.name, coalesce(x.category, ''), coalesce(t.key, ''),
			x.statement, x.statement_en, x.quote, `+sourceColumns+`
		FROM findings x
		JOIN localities l ON l.id = x.locality_id
		LEFT JOIN terms t ON t.id = x.term_id
		JOIN sources s ON s.id = x.source_id`+where+`
		ORDER BY l.focus DESC, l.name COLLATE "vi-x-icu", x.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stats.Finding, error) {
		var x stats.Finding
		s := &x.Source
		err := r.Scan(&x.ID, &x.LocalitySlug, &x.LocalityName, &x.Category, &x.TermKey,
			&x.Statement, &x.StatementEN, &x.Quote,
			&s.ID, &s.Key, &s.Title, &s.Outlet, &s.Author, &s.PublishedOn, &s.PublishedTime, &s.PublishedText, &s.URL)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", translate(err))
	}
	return out, nil
}
