package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// importSelect reads figures as import inputs: references by slug and key.
const importSelect = `SELECT f.id, l.slug, f.category, f.subject, f.value::float8, f.unit, f.qualifier,
	f.denominator::float8, f.period_start, f.period_end, coalesce(t.key, ''), coalesce(f.from_level, ''),
	coalesce(f.to_level, ''), f.parent_id, s.key, f.quote, coalesce(i.key, ''), f.completeness, f.rank,
	f.rank_reason, f.target, f.scope, f.sub_units_id, f.base_id, f.deleted_at IS NOT NULL
FROM figures f JOIN localities l ON l.id = f.locality_id JOIN sources s ON s.id = f.source_id
LEFT JOIN terms t ON t.id = f.term_id LEFT JOIN indicators i ON i.id = f.indicator_id`

// eachImportFigure scans importSelect rows into one reused input.
func eachImportFigure(ctx context.Context, q querier, where string, args []any, fn func(id int64, deleted bool, in *stats.FigureInput)) error {
	rows, err := q.Query(ctx, importSelect+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		id      int64
		deleted bool
		in      stats.FigureInput
	)
	dest := []any{&id, &in.LocalitySlug, &in.Category, &in.Subject, &in.Value, &in.Unit, &in.Qualifier,
		&in.Denominator, &in.PeriodStart, &in.PeriodEnd, &in.TermKey, &in.FromLevel, &in.ToLevel, &in.ParentID,
		&in.SourceKey, &in.Quote, &in.IndicatorKey, &in.Completeness, &in.Rank, &in.RankReason, &in.Target,
		&in.Scope, &in.SubUnitsID, &in.BaseID, &deleted}
	for rows.Next() {
		in.Denominator, in.ParentID, in.SubUnitsID, in.BaseID = nil, nil, nil, nil
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		fn(id, deleted, &in)
	}
	return rows.Err()
}

// importBase reads what import rows are checked against. Deleted
// localities, terms and sources cannot be named by an imported row.
func importBase(ctx context.Context, q querier) (*stats.ImportBase, error) {
	b := &stats.ImportBase{Localities: map[string]int64{}, Categories: map[string]bool{},
		Indicators: map[string]stats.Indicator{}, Terms: map[string]stats.Term{},
		Sources: map[string]stats.SourceRef{}, Figures: map[int64]stats.ImportedFigure{}}
	var (
		key  string
		id   int64
		ind  stats.Indicator
		term stats.Term
		src  stats.SourceRef
	)
	reads := []struct {
		sql  string
		dest []any
		keep func()
	}{
		{`SELECT slug, id FROM localities WHERE deleted_at IS NULL`, []any{&key, &id},
			func() { b.Localities[key] = id }},
		{`SELECT code FROM categories`, []any{&key}, func() { b.Categories[key] = true }},
		{`SELECT key, id, category, unit, measure, denominator FROM indicators WHERE deleted_at IS NULL`,
			[]any{&ind.Key, &ind.ID, &ind.Category, &ind.Unit, &ind.Measure, &ind.Denominator}, func() { b.Indicators[ind.Key] = ind }},
		{`SELECT key, id, start_year, end_year FROM terms WHERE deleted_at IS NULL`,
			[]any{&term.Key, &term.ID, &term.StartYear, &term.EndYear}, func() { b.Terms[term.Key] = term }},
		{`SELECT key, id, published_on FROM sources WHERE deleted_at IS NULL`, []any{&key, &src.ID, &src.Published},
			func() { b.Sources[key] = src }},
	}
	for _, r := range reads {
		rows, err := q.Query(ctx, r.sql)
		if err != nil {
			return nil, err
		}
		if _, err := pgx.ForEachRow(rows, r.dest, func() error { r.keep(); return nil }); err != nil {
			return nil, err
		}
	}
	err := eachImportFigure(ctx, q, "", nil, func(id int64, deleted bool, in *stats.FigureInput) {
		// The indicator's kind is the map's string: a 100.000-figure base
		// keeps no copy of it per figure.
		f := stats.ImportedFigure{Sum: in.Fingerprint(), Deleted: deleted, Locality: b.Localities[in.LocalitySlug],
			DenomKind: b.Indicators[in.IndicatorKey].Denominator}
		if in.ParentID != nil {
			f.Parent = *in.ParentID
		}
		b.Figures[id] = f
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// ImportBase reads the references and fingerprints of every figure.
func (db *DB) ImportBase(ctx context.Context) (*stats.ImportBase, error) {
	b, err := importBase(ctx, db.pool)
	if err != nil {
		return nil, fmt.Errorf("read figures to compare an import with: %w", translate(err))
	}
	return b, nil
}

// ImportFigures returns the stored values of the given figures.
func (db *DB) ImportFigures(ctx context.Context, ids []int64) (map[int64]stats.FigureInput, error) {
	out := make(map[int64]stats.FigureInput, len(ids))
	err := eachImportFigure(ctx, db.pool, " WHERE f.id = ANY($1)", []any{ids}, func(id int64, _ bool, in *stats.FigureInput) {
		out[id] = *in
	})
	if err != nil {
		return nil, fmt.Errorf("read figures %v: %w", ids[:min(len(ids), 5)], translate(err))
	}
	return out, nil
}

var importColumns = []string{"line", "id", "locality_id", "category", "subject", "value", "unit", "qualifier",
	"denominator", "period_start", "period_end", "term_id", "from_level", "to_level", "parent_id", "source_id", "quote",
	"indicator_id", "completeness", "rank", "rank_reason", "target", "scope", "sub_units_id", "base_id"}

var errImportStopped = errors.New("import stopped")

// ApplyImport runs plan in one transaction. The table of figures is
// locked against other writers (readers go on) so that the rows are
// classified against exactly what they will change; a second import
// waits for the first. The rows to write are copied into a temporary
// table as plan streams them, then written with a few set-based
// statements, each change with its revision.
func (db *DB) ApplyImport(ctx context.Context, by int64, plan stats.ImportPlan) (stats.ImportResult, error) {
	var res stats.ImportResult
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE figures IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		base, err := importBase(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_rows (
				line int NOT NULL, id bigint, locality_id bigint, category text, subject text, value float8,
				unit text, qualifier text, denominator float8, period_start date, period_end date, term_id bigint,
				from_level text, to_level text, parent_id bigint, source_id bigint, quote text,
				indicator_id bigint, completeness text, rank text, rank_reason text, target boolean,
				scope text, sub_units_id bigint, base_id bigint) ON COMMIT DROP`); err != nil {
			return err
		}
		if err := copyImportRows(ctx, tx, base, plan); err != nil {
			return err
		}
		if res.Updated, err = updateImported(ctx, tx, by); err != nil {
			return err
		}
		res.Created, err = insertImported(ctx, tx, by)
		return err
	})
	if err != nil {
		return stats.ImportResult{}, fmt.Errorf("import figures: %w", translate(err))
	}
	return res, nil
}

// copyImportRows streams plan's writes into import_rows: plan pushes rows,
// COPY pulls them, and iter.Pull joins the two without a buffer.
func copyImportRows(ctx context.Context, tx pgx.Tx, base *stats.ImportBase, plan stats.ImportPlan) error {
	var planErr error
	next, stop := iter.Pull(func(yield func(stats.ImportWrite) bool) {
		planErr = plan(base, func(w stats.ImportWrite) error {
			if !yield(w) {
				return errImportStopped
			}
			return nil
		})
	})
	row := make([]any, len(importColumns))
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_rows"}, importColumns, pgx.CopyFromFunc(func() ([]any, error) {
		w, ok := next()
		if !ok {
			return nil, planErr
		}
		in := w.Input
		var id, term, ind *int64
		if w.ID > 0 {
			id = &w.ID
		}
		if t, ok := base.Terms[in.TermKey]; ok && in.TermKey != "" {
			term = &t.ID
		}
		if i, ok := base.Indicators[in.IndicatorKey]; ok && in.IndicatorKey != "" {
			ind = &i.ID
		}
		row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = int32(w.Line), id,
			base.Localities[in.LocalitySlug], in.Category, in.Subject, in.Value, in.Unit, in.Qualifier
		row[8], row[9], row[10], row[11], row[12], row[13], row[14], row[15], row[16] = in.Denominator,
			in.PeriodStart, in.PeriodEnd, term, nullString(string(in.FromLevel)), nullString(string(in.ToLevel)),
			in.ParentID, base.Sources[in.SourceKey].ID, in.Quote
		row[17], row[18], row[19], row[20], row[21] = ind, in.Completeness, in.Rank, in.RankReason, in.Target
		row[22], row[23], row[24] = in.Scope, in.SubUnitsID, in.BaseID
		return row, nil
	}))
	stop()
	if planErr != nil && !errors.Is(planErr, errImportStopped) {
		return planErr // the plan's own reason (an invalid row, a changed file) beats COPY's report of it
	}
	return err
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// updateImported applies the changed rows, recording the values before
// and after, and refuses a file whose rows together make a figure its own
// ancestor. Changed figures need checking again: they become unverified.
func updateImported(ctx context.Context, tx pgx.Tx, by int64) (int, error) {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_before ON COMMIT DROP AS
		SELECT f.id, `+figureSnapshotSQL+` AS snap`+figureSnapshotFrom+`
		WHERE f.id IN (SELECT id FROM import_rows WHERE id IS NOT NULL)`); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, `UPDATE figures f SET locality_id = r.locality_id, category = r.category,
			subject = r.subject, value = r.value, unit = r.unit, qualifier = r.qualifier, denominator = r.denominator,
			period_start = r.period_start, period_end = r.period_end, term_id = r.term_id,
			from_level = r.from_level, to_level = r.to_level, parent_id = r.parent_id, source_id = r.source_id,
			quote = r.quote, indicator_id = r.indicator_id, completeness = r.completeness, rank = r.rank,
			rank_reason = r.rank_reason, target = r.target, scope = r.scope, sub_units_id = r.sub_units_id,
			base_id = r.base_id, updated_by = $1, updated_at = now(), version = f.version + 1,
			`+unreviewed+`
		FROM import_rows r WHERE r.id = f.id`, by)
	if err != nil {
		return 0, err
	}
	if tag.RowsAffected() == 0 {
		return 0, nil
	}
	var line int
	var id int64
	err = tx.QueryRow(ctx, `WITH RECURSIVE up(start, id, depth) AS (
			SELECT f.id, f.parent_id, 1 FROM figures f JOIN import_rows r ON r.id = f.id WHERE f.parent_id IS NOT NULL
			UNION ALL
			SELECT up.start, f.parent_id, up.depth + 1 FROM up JOIN figures f ON f.id = up.id
			WHERE f.parent_id IS NOT NULL AND up.id <> up.start AND up.depth < 1000)
		SELECT r.line, up.start FROM up JOIN import_rows r ON r.id = up.start WHERE up.id = up.start
		ORDER BY r.line LIMIT 1`).Scan(&line, &id)
	switch {
	case err == nil:
		return 0, &stats.ImportRowError{Line: line,
			Fields: []stats.FieldError{{Field: "parent_id", Key: "error.parent.cycle", Arg: fmt.Sprint(id)}}}
	case !errors.Is(err, pgx.ErrNoRows):
		return 0, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO revisions (entity, entity_id, action, user_id, before, after)
		SELECT 'figure', f.id, 'import', $1, b.snap, `+figureSnapshotSQL+figureSnapshotFrom+`
		JOIN import_before b ON b.id = f.id ORDER BY f.id`, by)
	return int(tag.RowsAffected()), err
}

// insertImported adds the new rows in file order, unverified, each with
// its revision.
func insertImported(ctx context.Context, tx pgx.Tx, by int64) (int, error) {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_new (id bigint) ON COMMIT DROP`); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, `WITH ins AS (
			INSERT INTO figures (locality_id, category, subject, value, unit, qualifier, denominator,
				period_start, period_end, term_id, from_level, to_level, parent_id, source_id, quote,
				indicator_id, completeness, rank, rank_reason, target, scope, sub_units_id, base_id, created_by, updated_by)
			SELECT locality_id, category, subject, value, unit, qualifier, denominator, period_start, period_end,
				term_id, from_level, to_level, parent_id, source_id, quote,
				indicator_id, completeness, rank, rank_reason, target, scope, sub_units_id, base_id, $1, $1
			FROM import_rows WHERE id IS NULL ORDER BY line
			RETURNING id)
		INSERT INTO import_new SELECT id FROM ins`, by)
	if err != nil {
		return 0, err
	}
	if tag.RowsAffected() == 0 {
		return 0, nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO revisions (entity, entity_id, action, user_id, before, after)
		SELECT 'figure', f.id, 'import', $1, NULL, `+figureSnapshotSQL+figureSnapshotFrom+`
		WHERE f.id IN (SELECT id FROM import_new) ORDER BY f.id`, by)
	return int(tag.RowsAffected()), err
}

// LocalityFiguresToLoad returns a locality's live figures of one category
// as a bulk load takes them (inputs with their ids resolved), oldest
// first: what synth.ImportCopies copies.
func (db *DB) LocalityFiguresToLoad(ctx context.Context, slug, category string) ([]stats.LoadFigure, error) {
	rows, err := db.pool.Query(ctx, `SELECT f.id, f.locality_id, coalesce(f.indicator_id, 0), coalesce(f.term_id, 0), f.source_id
		FROM figures f JOIN localities l ON l.id = f.locality_id
		WHERE l.slug = $1 AND f.category = $2 AND f.deleted_at IS NULL ORDER BY f.id`, slug, category)
	if err != nil {
		return nil, fmt.Errorf("figures of %s: %w", slug, translate(err))
	}
	type ref struct{ id, loc, ind, term, src int64 }
	refs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ref, error) {
		var x ref
		return x, r.Scan(&x.id, &x.loc, &x.ind, &x.term, &x.src)
	})
	if err != nil {
		return nil, fmt.Errorf("figures of %s: %w", slug, translate(err))
	}
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.id
	}
	inputs, err := db.ImportFigures(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]stats.LoadFigure, len(refs))
	for i, r := range refs {
		out[i] = stats.LoadFigure{FigureInput: inputs[r.id], LocalityID: r.loc, IndicatorID: r.ind, TermID: r.term, SourceID: r.src}
		out[i].ID = r.id
	}
	return out, nil
}
