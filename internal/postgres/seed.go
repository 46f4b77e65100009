package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Seed inserts the rows of ds that do not exist yet (by slug, key or id) in
// one transaction, and leaves existing rows alone: running it twice changes
// nothing, and corrections made by editors since are never overwritten.
func (db *DB) Seed(ctx context.Context, ds stats.Dataset) (stats.SeedResult, error) {
	var res stats.SeedResult
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if res.Localities, err = seedLocalities(ctx, tx, ds.Localities); err != nil {
			return err
		}
		if res.Indicators, err = seedIndicators(ctx, tx, ds.Indicators); err != nil {
			return err
		}
		if res.Terms, err = seedTerms(ctx, tx, ds.Terms); err != nil {
			return err
		}
		if res.Sources, err = seedSources(ctx, tx, ds.Sources); err != nil {
			return err
		}
		if res.Figures, res.Refreshed, err = seedFigures(ctx, tx, ds.Figures); err != nil {
			return err
		}
		res.Findings, err = seedFindings(ctx, tx, ds.Findings)
		return err
	})
	if err != nil {
		return stats.SeedResult{}, fmt.Errorf("seed: %w", err)
	}
	return res, nil
}

func seedLocalities(ctx context.Context, tx pgx.Tx, ls []stats.Locality) (int, error) {
	n := 0
	for _, l := range ls {
		tag, err := tx.Exec(ctx, `INSERT INTO localities (slug, name, prefix, level, parent_id, valid_from, valid_to, note, focus)
			VALUES ($1, $2, $3, $4, (SELECT id FROM localities WHERE slug = nullif($5, '')), $6, $7, $8, $9)
			ON CONFLICT (slug) DO NOTHING`,
			l.Slug, l.Name, l.Prefix, l.Level, l.ParentSlug, l.ValidFrom, l.ValidTo, l.Note, l.Focus)
		if err != nil {
			return 0, fmt.Errorf("locality %s: %w", l.Slug, translate(err))
		}
		n += int(tag.RowsAffected())
	}
	// Successors may be listed after the units they succeed.
	for _, l := range ls {
		if l.SuccessorSlug == "" {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE localities SET successor_id = (SELECT id FROM localities WHERE slug = $2)
			WHERE slug = $1 AND successor_id IS NULL`, l.Slug, l.SuccessorSlug); err != nil {
			return 0, fmt.Errorf("successor of %s: %w", l.Slug, translate(err))
		}
	}
	return n, nil
}

func seedTerms(ctx context.Context, tx pgx.Tx, ts []stats.Term) (int, error) {
	n := 0
	for _, t := range ts {
		tag, err := tx.Exec(ctx, `INSERT INTO terms (key, name, name_en, kind, start_year, end_year)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`,
			t.Key, t.Name, t.NameEN, t.Kind, t.StartYear, t.EndYear)
		if err != nil {
			return 0, fmt.Errorf("term %s: %w", t.Key, translate(err))
		}
		n += int(tag.RowsAffected())
	}
	return n, nil
}

func seedSources(ctx context.Context, tx pgx.Tx, ss []stats.Source) (int, error) {
	n := 0
	for _, s := range ss {
		tag, err := tx.Exec(ctx, `INSERT INTO sources (key, title, outlet, author, published_on, published_time, published_text, url)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING`,
			s.Key, s.Title, s.Outlet, s.Author, s.PublishedOn, s.PublishedTime, s.PublishedText, s.URL)
		if err != nil {
			return 0, fmt.Errorf("source %s: %w", s.Key, translate(err))
		}
		n += int(tag.RowsAffected())
	}
	return n, nil
}

func seedIndicators(ctx context.Context, tx pgx.Tx, xs []stats.Indicator) (int, error) {
	n := 0
	for _, x := range xs {
		var id int64
		// A seeded indicator no editor has changed (version 1) follows the
		// seed file, so that a sharper definition reaches existing databases.
		err := tx.QueryRow(ctx, `INSERT INTO indicators AS i (key, category, unit, measure, name, name_en, definition,
				definition_en, includes, includes_en, excludes, excludes_en, denominator)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (key) DO UPDATE SET (category, unit, measure, name, name_en, definition, definition_en,
				includes, includes_en, excludes, excludes_en, denominator) =
				(EXCLUDED.category, EXCLUDED.unit, EXCLUDED.measure, EXCLUDED.name, EXCLUDED.name_en,
				EXCLUDED.definition, EXCLUDED.definition_en, EXCLUDED.includes, EXCLUDED.includes_en,
				EXCLUDED.excludes, EXCLUDED.excludes_en, EXCLUDED.denominator)
			WHERE i.version = 1 AND i.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM figures f WHERE f.indicator_id = i.id
					AND (f.created_by IS NOT NULL OR f.updated_by IS NOT NULL) AND (i.category, i.unit) <> (EXCLUDED.category, EXCLUDED.unit))
				AND (i.category, i.unit, i.measure, i.name, i.name_en, i.definition, i.definition_en, i.includes,
				i.includes_en, i.excludes, i.excludes_en, i.denominator) IS DISTINCT FROM
				(EXCLUDED.category, EXCLUDED.unit, EXCLUDED.measure, EXCLUDED.name, EXCLUDED.name_en,
				EXCLUDED.definition, EXCLUDED.definition_en, EXCLUDED.includes, EXCLUDED.includes_en,
				EXCLUDED.excludes, EXCLUDED.excludes_en, EXCLUDED.denominator)
			RETURNING id`,
			x.Key, x.Category, x.Unit, x.Measure, x.Name, x.NameEN, x.Definition, x.DefinitionEN,
			x.Includes, x.IncludesEN, x.Excludes, x.ExcludesEN, x.Denominator).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("indicator %s: %w", x.Key, translate(err))
		}
		after, err := indicatorSnapshot(ctx, tx, id)
		if err != nil {
			return 0, err
		}
		if err := addRevision(ctx, tx, "indicator", id, "seed", nil, nil, after); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// seedFigures keeps the seed's ids, so that exports, links and later
// imports refer to the same figure everywhere. Seeded figures start
// verified (a test checks each quote against its article) and are
// recorded in the history as seeded. A seeded figure no editor has
// touched is brought up to date with the seed file, so that corrections
// of the seed reach existing databases; one an editor changed is left as
// it is. It returns how many figures were inserted and refreshed.
func seedFigures(ctx context.Context, tx pgx.Tx, fs []stats.FigureInput) (inserted, refreshed int, err error) {
	for _, f := range fs {
		if f.ID <= 0 {
			return 0, 0, fmt.Errorf("seed figure without id (%s): %w", f.Subject, stats.ErrInvalid)
		}
		for _, ref := range []struct{ table, column, value string }{
			{"terms", "key", f.TermKey}, {"indicators", "key", f.IndicatorKey},
		} {
			if err := mustExist(ctx, tx, ref.table, ref.column, ref.value); err != nil {
				return 0, 0, fmt.Errorf("figure %d: %w", f.ID, err)
			}
		}
	}
	// Parents before their parts: a part names a figure that exists.
	done := map[int64]bool{}
	for len(done) < len(fs) {
		progress := false
		for _, f := range fs {
			waits := func(ref *int64) bool { return ref != nil && !done[*ref] && seeds(fs, *ref) }
			if done[f.ID] || waits(f.ParentID) || waits(f.SubUnitsID) || waits(f.BaseID) {
				continue
			}
			done[f.ID], progress = true, true
			ins, ref, err := seedFigure(ctx, tx, f)
			if err != nil {
				return 0, 0, fmt.Errorf("figure %d: %w", f.ID, translate(err))
			}
			inserted, refreshed = inserted+ins, refreshed+ref
		}
		if !progress {
			return 0, 0, fmt.Errorf("seed figures: parents form a cycle: %w", stats.ErrInvalid)
		}
	}
	if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('figures', 'id'), coalesce(max(id), 0) + 1, false) FROM figures`); err != nil {
		return 0, 0, fmt.Errorf("advance figure ids: %w", translate(err))
	}
	return inserted, refreshed, nil
}

func seeds(fs []stats.FigureInput, id int64) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

// seedFigure inserts f, or refreshes it if it exists and no editor has
// changed it (created_by and updated_by are set by every editor's write).
func seedFigure(ctx context.Context, tx pgx.Tx, f stats.FigureInput) (inserted, refreshed int, err error) {
	args := []any{f.ID, f.LocalitySlug, f.Category, f.Subject, f.Value, f.Unit, f.Qualifier, f.Denominator,
		f.PeriodStart, f.PeriodEnd, f.TermKey, string(f.FromLevel), string(f.ToLevel), f.SourceKey, f.Quote,
		f.IndicatorKey, f.Completeness, f.Rank, f.RankReason, f.Target, f.ParentID, f.Scope, f.SubUnitsID, f.BaseID}
	const values = `(SELECT id FROM localities WHERE slug = $2), $3, $4, $5, $6, $7, $8, $9, $10,
		(SELECT id FROM terms WHERE key = nullif($11, '')), nullif($12, ''), nullif($13, ''),
		(SELECT id FROM sources WHERE key = $14), $15,
		(SELECT id FROM indicators WHERE key = nullif($16, '')), $17, $18, $19, $20, $21, $22, $23, $24`
	tag, err := tx.Exec(ctx, `INSERT INTO figures (id, locality_id, category, subject, value, unit, qualifier,
			denominator, period_start, period_end, term_id, from_level, to_level, source_id, quote,
			indicator_id, completeness, rank, rank_reason, target, parent_id, scope, sub_units_id, base_id, verified_at)
		VALUES ($1, `+values+`, now())
		ON CONFLICT (id) DO NOTHING`, args...)
	if err != nil {
		return 0, 0, err
	}
	action := "seed"
	var before []byte
	if tag.RowsAffected() == 0 {
		if before, err = figureSnapshot(ctx, tx, f.ID); err != nil {
			return 0, 0, err
		}
		tag, err = tx.Exec(ctx, `UPDATE figures AS f SET (locality_id, category, subject, value, unit, qualifier,
				denominator, period_start, period_end, term_id, from_level, to_level, source_id, quote,
				indicator_id, completeness, rank, rank_reason, target, parent_id, scope, sub_units_id, base_id) = (`+values+`),
				updated_at = now(), version = version + 1
			WHERE id = $1 AND created_by IS NULL AND updated_by IS NULL
				AND (locality_id, category, subject, value, unit, qualifier, denominator, period_start, period_end,
					term_id, from_level, to_level, source_id, quote, indicator_id, completeness, rank, rank_reason,
					target, parent_id, scope, sub_units_id, base_id) IS DISTINCT FROM (`+values+`)`, args...)
		if err != nil || tag.RowsAffected() == 0 {
			return 0, 0, err
		}
		refreshed = 1
	} else {
		inserted = 1
	}
	after, err := figureSnapshot(ctx, tx, f.ID)
	if err != nil {
		return 0, 0, err
	}
	var b any
	if before != nil {
		b = before
	}
	return inserted, refreshed, addRevision(ctx, tx, "figure", f.ID, action, nil, b, after)
}

func seedFindings(ctx context.Context, tx pgx.Tx, xs []stats.Finding) (int, error) {
	n := 0
	for _, x := range xs {
		if err := mustExist(ctx, tx, "terms", "key", x.TermKey); err != nil {
			return 0, fmt.Errorf("finding %d: %w", x.ID, err)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO findings (id, locality_id, category, term_id, statement, statement_en, quote, source_id)
			VALUES ($1, (SELECT id FROM localities WHERE slug = $2), nullif($3, ''),
				(SELECT id FROM terms WHERE key = nullif($4, '')), $5, $6, $7,
				(SELECT id FROM sources WHERE key = $8))
			ON CONFLICT (id) DO NOTHING`,
			x.ID, x.LocalitySlug, x.Category, x.TermKey, x.Statement, x.StatementEN, x.Quote, x.Source.Key)
		if err != nil {
			return 0, fmt.Errorf("finding %d: %w", x.ID, translate(err))
		}
		n += int(tag.RowsAffected())
	}
	if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('findings', 'id'), coalesce(max(id), 0) + 1, false) FROM findings`); err != nil {
		return 0, fmt.Errorf("advance finding ids: %w", translate(err))
	}
	return n, nil
}

// mustExist fails with stats.ErrInvalid when an optional reference is given
// but unknown: a subquery would otherwise turn it into NULL silently.
// table and column are constants of this package, never user input.
func mustExist(ctx context.Context, tx pgx.Tx, table, column, value string) error {
	if value == "" {
		return nil
	}
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE `+column+` = $1)`, value).Scan(&ok)
	if err != nil {
		return translate(err)
	}
	if !ok {
		return fmt.Errorf("%w: unknown %s %q", stats.ErrInvalid, column, value)
	}
	return nil
}
