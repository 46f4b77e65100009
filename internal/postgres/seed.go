package postgres

import (
	"context"
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
		if res.Terms, err = seedTerms(ctx, tx, ds.Terms); err != nil {
			return err
		}
		if res.Sources, err = seedSources(ctx, tx, ds.Sources); err != nil {
			return err
		}
		if res.Figures, err = seedFigures(ctx, tx, ds.Figures); err != nil {
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

// seedFigures keeps the seed's ids, so that exports, links and later
// imports refer to the same figure everywhere. Seeded figures start
// verified: a test checks each quote against its article.
func seedFigures(ctx context.Context, tx pgx.Tx, fs []stats.FigureInput) (int, error) {
	n := 0
	for _, f := range fs {
		if f.ID <= 0 {
			return 0, fmt.Errorf("seed figure without id (%s): %w", f.Subject, stats.ErrInvalid)
		}
		if err := mustExist(ctx, tx, "terms", "key", f.TermKey); err != nil {
			return 0, fmt.Errorf("figure %d: %w", f.ID, err)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO figures (id, locality_id, category, subject, value, unit, qualifier,
				denominator, period_start, period_end, term_id, from_level, to_level, source_id, quote, verified_at)
			VALUES ($1, (SELECT id FROM localities WHERE slug = $2), $3, $4, $5, $6, $7, $8, $9, $10,
				(SELECT id FROM terms WHERE key = nullif($11, '')), nullif($12, ''), nullif($13, ''),
				(SELECT id FROM sources WHERE key = $14), $15, now())
			ON CONFLICT (id) DO NOTHING`,
			f.ID, f.LocalitySlug, f.Category, f.Subject, f.Value, f.Unit, f.Qualifier, f.Denominator,
			f.PeriodStart, f.PeriodEnd, f.TermKey, string(f.FromLevel), string(f.ToLevel), f.SourceKey, f.Quote)
		if err != nil {
			return 0, fmt.Errorf("figure %d: %w", f.ID, translate(err))
		}
		n += int(tag.RowsAffected())
	}
	// Parents may come after their parts; link once all exist.
	for _, f := range fs {
		if f.ParentID == nil {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE figures SET parent_id = $2 WHERE id = $1 AND parent_id IS NULL`, f.ID, *f.ParentID); err != nil {
			return 0, fmt.Errorf("parent of figure %d: %w", f.ID, translate(err))
		}
	}
	if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('figures', 'id'), coalesce(max(id), 0) + 1, false) FROM figures`); err != nil {
		return 0, fmt.Errorf("advance figure ids: %w", translate(err))
	}
	return n, nil
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
