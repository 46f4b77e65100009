package postgres

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// CountFigures by origin: how many figures (deleted ones too) cite a
// synthetic source, and how many do not.
func (db *DB) FigureOrigins(ctx context.Context) (synthetic, real int, err error) {
	err = db.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE s.key LIKE $1 || '%'), count(*) FILTER (WHERE s.key NOT LIKE $1 || '%')
		FROM figures f JOIN sources s ON s.id = f.source_id`, stats.SyntheticSourcePrefix).Scan(&synthetic, &real)
	if err != nil {
		return 0, 0, fmt.Errorf("count figures by origin: %w", translate(err))
	}
	return synthetic, real, nil
}

// copyChunk bounds one COPY statement: PostgreSQL queues a foreign-key
// check per row until the statement ends.
const copyChunk = 100_000

// BulkLoad writes a bulk load in one transaction with COPY, not through
// the editors' pipeline: no revisions are recorded. Every constraint and
// trigger applies as to any other write (the period trigger too). The
// localities whose slug is not stored yet are inserted first, with their
// parents and successors; plan is then given what the figures may cite
// and returns the sources and figures, which must cite only those and
// list each part after its total. Errors: stats.ErrInvalid (a row breaks
// a constraint), stats.ErrUnavailable.
func (db *DB) BulkLoad(ctx context.Context, locs []stats.Locality,
	plan func(stats.BulkRefs) (iter.Seq[stats.Source], iter.Seq[stats.LoadFigure], error)) (stats.BulkLoad, error) {
	var res stats.BulkLoad
	// COPYs of a hundred thousand rows each: not bound by the statement
	// timeout sized for pages.
	ctx = stats.WithStatementTimeout(ctx, 0)
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		refs, n, err := bulkLocalities(ctx, tx, locs)
		if err != nil {
			return err
		}
		res.Localities = n
		if refs.Indicators, err = queryTx(ctx, tx, scanIndicator, `SELECT `+indicatorFields+`, 0 FROM indicators i
			WHERE i.deleted_at IS NULL ORDER BY i.id`); err != nil {
			return err
		}
		if refs.Terms, err = queryTx(ctx, tx, func(r pgx.Row) (stats.Term, error) {
			var t stats.Term
			return t, r.Scan(&t.ID, &t.Key, &t.Name, &t.NameEN, &t.Kind, &t.StartYear, &t.EndYear)
		}, `SELECT id, key, name, name_en, kind, start_year, end_year FROM terms WHERE deleted_at IS NULL ORDER BY id`); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM sources`).Scan(&refs.FirstSourceID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT greatest(coalesce(max(id), 0), 1000) + 1 FROM figures`).Scan(&refs.FirstFigureID); err != nil {
			return err
		}
		sources, figures, err := plan(refs)
		if err != nil {
			return err
		}
		if res.Sources, err = copySources(ctx, tx, sources); err != nil {
			return err
		}
		// Building the secondary indexes after the rows is several times
		// faster than keeping them row by row (the trigram index above
		// all). Those that back a constraint stay; a unique index that is
		// rebuilt checks its rule again.
		indexes, err := queryTx(ctx, tx, func(r pgx.Row) ([2]string, error) {
			var ix [2]string
			return ix, r.Scan(&ix[0], &ix[1])
		}, `SELECT quote_ident(indexname), indexdef FROM pg_indexes i WHERE schemaname = current_schema() AND tablename = 'figures'
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass) ORDER BY indexname`)
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.Exec(ctx, `DROP INDEX `+ix[0]); err != nil {
				return err
			}
		}
		if res.Figures, err = copyFigures(ctx, tx, figures); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.Exec(ctx, ix[1]); err != nil {
				return fmt.Errorf("rebuild index %s: %w", ix[0], err)
			}
		}
		for _, t := range []string{"localities", "sources", "figures"} {
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), coalesce(max(id), 0) + 1, false) FROM `+t); err != nil {
				return fmt.Errorf("advance %s ids: %w", t, err)
			}
		}
		return nil
	})
	if err != nil {
		return stats.BulkLoad{}, fmt.Errorf("bulk load: %w", translate(err))
	}
	// Statistics for the planner and a visibility map for index-only
	// scans, which the pages' aggregates rely on.
	for _, t := range []string{"localities", "sources", "figures"} {
		if _, err := db.pool.Exec(ctx, `VACUUM (ANALYZE) `+t); err != nil {
			return res, fmt.Errorf("vacuum %s: %w", t, translate(err))
		}
	}
	return res, nil
}

func queryTx[T any](ctx context.Context, tx pgx.Tx, scan func(pgx.Row) (T, error), sql string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
}

// bulkLocalities inserts the localities whose slug is new, with ids
// chosen here so that parents and successors anywhere in the list can be
// named, and returns all of them with their ids.
func bulkLocalities(ctx context.Context, tx pgx.Tx, locs []stats.Locality) (stats.BulkRefs, int, error) {
	var refs stats.BulkRefs
	ids := map[string]int64{}
	rows, err := tx.Query(ctx, `SELECT slug, id FROM localities`)
	if err != nil {
		return refs, 0, err
	}
	var slug string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&slug, &id}, func() error { ids[slug] = id; return nil }); err != nil {
		return refs, 0, err
	}
	var next int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM localities`).Scan(&next); err != nil {
		return refs, 0, err
	}
	var fresh []stats.Locality
	for _, l := range locs {
		if id, ok := ids[l.Slug]; ok {
			l.ID = id
		} else {
			l.ID, next = next, next+1
			ids[l.Slug] = l.ID
			fresh = append(fresh, l)
		}
		refs.Localities = append(refs.Localities, l)
	}
	ref := func(slug string) any {
		if slug == "" {
			return nil
		}
		if id, ok := ids[slug]; ok {
			return id
		}
		return int64(-1) // unknown: the foreign key refuses it
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"localities"},
		[]string{"id", "slug", "name", "prefix", "level", "parent_id", "valid_from", "valid_to", "successor_id", "note", "focus"},
		pgx.CopyFromSlice(len(fresh), func(i int) ([]any, error) {
			l := fresh[i]
			return []any{l.ID, l.Slug, l.Name, l.Prefix, string(l.Level), ref(l.ParentSlug), l.ValidFrom, l.ValidTo,
				ref(l.SuccessorSlug), l.Note, l.Focus}, nil
		}))
	if err != nil {
		return refs, 0, fmt.Errorf("copy localities: %w", err)
	}
	return refs, int(n), nil
}

func copySources(ctx context.Context, tx pgx.Tx, sources iter.Seq[stats.Source]) (int, error) {
	next, stop := iter.Pull(sources)
	defer stop()
	row := make([]any, 9)
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"sources"},
		[]string{"id", "key", "title", "outlet", "author", "published_on", "published_time", "published_text", "url"},
		pgx.CopyFromFunc(func() ([]any, error) {
			s, ok := next()
			if !ok {
				return nil, nil
			}
			row[0], row[1], row[2], row[3], row[4] = s.ID, s.Key, s.Title, s.Outlet, s.Author
			row[5], row[6], row[7], row[8] = s.PublishedOn, s.PublishedTime, s.PublishedText, s.URL
			return row, nil
		}))
	if err != nil {
		return 0, fmt.Errorf("copy sources: %w", err)
	}
	return int(n), nil
}

var figureCopyColumns = []string{"id", "locality_id", "category", "subject", "value", "unit", "qualifier", "denominator",
	"period_start", "period_end", "term_id", "from_level", "to_level", "parent_id", "source_id", "quote",
	"indicator_id", "completeness", "rank", "rank_reason", "target", "verified_at", "deleted_at", "scope"}

func copyFigures(ctx context.Context, tx pgx.Tx, figures iter.Seq[stats.LoadFigure]) (int, error) {
	next, stop := iter.Pull(figures)
	defer stop()
	now := time.Now()
	row := make([]any, len(figureCopyColumns))
	opt := func(id int64) any {
		if id == 0 {
			return nil
		}
		return id
	}
	level := func(l stats.Level) any {
		if l == "" {
			return nil
		}
		return string(l)
	}
	total := 0
	for done := false; !done; {
		inChunk := 0
		n, err := tx.CopyFrom(ctx, pgx.Identifier{"figures"}, figureCopyColumns, pgx.CopyFromFunc(func() ([]any, error) {
			if inChunk == copyChunk {
				return nil, nil
			}
			f, ok := next()
			if !ok {
				done = true
				return nil, nil
			}
			inChunk++
			row[0], row[1], row[2], row[3], row[4], row[5], row[6] = f.ID, f.LocalityID, f.Category, f.Subject, f.Value, f.Unit, f.Qualifier
			row[7], row[8], row[9], row[10] = f.Denominator, f.PeriodStart, f.PeriodEnd, opt(f.TermID)
			row[11], row[12], row[13], row[14], row[15] = level(f.FromLevel), level(f.ToLevel), f.ParentID, f.SourceID, f.Quote
			row[16], row[17], row[18], row[19], row[20] = opt(f.IndicatorID), f.Completeness, f.Rank, f.RankReason, f.Target
			row[21], row[22], row[23] = nil, nil, f.Scope
			if f.Scope == "" {
				row[23] = stats.ScopeOwn
			}
			if f.Verified {
				row[21] = now
			}
			if f.Deleted {
				row[22] = now
			}
			return row, nil
		}))
		total += int(n)
		if err != nil {
			return total, fmt.Errorf("copy figures: %w", err)
		}
	}
	return total, nil
}
