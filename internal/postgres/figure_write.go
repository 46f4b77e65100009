package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// figureRefs are the ids an input's slugs and keys name.
type figureRefs struct {
	locality  int64
	indicator *int64
	term      *int64
	source    int64
}

// resolveFigureRefs looks up what the input names, reporting each unknown
// reference as a field error, then applies the domain's rules that
// involve them (stats.FigureInput.CheckRefs). What it reads is locked FOR
// SHARE so that nobody deletes it before the figure is written.
func resolveFigureRefs(ctx context.Context, tx pgx.Tx, in stats.FigureInput, by int64) (figureRefs, error) {
	var r figureRefs
	var checks stats.FigureRefs
	v := &stats.ValidationError{}
	lookup := func(field, what, key, arg, sql string, dest ...any) error {
		err := tx.QueryRow(ctx, sql, key).Scan(dest...)
		if errors.Is(err, pgx.ErrNoRows) {
			v.Add(field, "error."+what+".unknown", arg)
			return nil
		}
		return err
	}
	if err := lookup("locality_slug", "locality", in.LocalitySlug, in.LocalitySlug,
		`SELECT id FROM localities WHERE slug = $1 AND deleted_at IS NULL FOR SHARE`, &r.locality); err != nil {
		return r, err
	}
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM categories WHERE code = $1)`, in.Category).Scan(&ok); err != nil {
		return r, err
	}
	if !ok {
		v.Add("category", "error.category.unknown", in.Category)
	}
	if in.IndicatorKey != "" {
		var ind stats.Indicator
		if err := lookup("indicator", "indicator", in.IndicatorKey, in.IndicatorKey,
			`SELECT id, key, category, unit, measure FROM indicators WHERE key = $1 AND deleted_at IS NULL FOR SHARE`,
			&ind.ID, &ind.Key, &ind.Category, &ind.Unit, &ind.Measure); err != nil {
			return r, err
		}
		if ind.ID != 0 {
			r.indicator, checks.Indicator = &ind.ID, &ind
		}
	}
	if in.TermKey != "" {
		var t stats.Term
		if err := lookup("term", "term", in.TermKey, in.TermKey,
			`SELECT id, key, start_year, end_year FROM terms WHERE key = $1 AND deleted_at IS NULL FOR SHARE`,
			&t.ID, &t.Key, &t.StartYear, &t.EndYear); err != nil {
			return r, err
		}
		if t.ID != 0 {
			r.term, checks.Term = &t.ID, &t
		}
	}
	if in.NewSource == nil {
		if err := lookup("source_key", "source", in.SourceKey, "",
			`SELECT id, published_on FROM sources WHERE key = $1 AND deleted_at IS NULL FOR SHARE`,
			&r.source, &checks.SourcePublished); err != nil {
			return r, err
		}
	} else {
		checks.SourcePublished = in.NewSource.PublishedOn
	}
	if in.ParentID != nil {
		if err := checkParent(ctx, tx, in.ID, *in.ParentID); err != nil {
			var fe *stats.ValidationError
			if !errors.As(err, &fe) {
				return r, err
			}
			v.Fields = append(v.Fields, fe.Fields...)
		}
	}
	for _, d := range []struct {
		id  *int64
		dst **stats.DenominatorRef
	}{{in.SubUnitsID, &checks.SubUnits}, {in.BaseID, &checks.Base}} {
		if d.id == nil {
			continue
		}
		ref, err := denominatorRef(ctx, tx, *d.id)
		if err != nil {
			return r, err
		}
		*d.dst = &ref
	}
	in.CheckRefs(checks, v)
	if err := v.Err(); err != nil {
		return r, err
	}
	if in.NewSource != nil {
		// Only now: a source is not created for a figure that will not be saved.
		id, err := insertSource(ctx, tx, *in.NewSource, by)
		if err != nil {
			return r, err
		}
		r.source = id
	}
	return r, nil
}

// checkParent refuses a parent that does not exist or would make a cycle
// (a figure part of its own part).
func checkParent(ctx context.Context, tx pgx.Tx, id, parent int64) error {
	v := &stats.ValidationError{}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM figures WHERE id = $1 AND deleted_at IS NULL)`, parent).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		v.Add("parent_id", "error.parent.unknown", "")
		return v
	}
	if id == 0 {
		return nil
	}
	var cycle bool
	err := tx.QueryRow(ctx, `WITH RECURSIVE up(id) AS (
			SELECT $1::bigint UNION SELECT f.parent_id FROM figures f JOIN up ON f.id = up.id WHERE f.parent_id IS NOT NULL)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = $2)`, parent, id).Scan(&cycle)
	if err != nil {
		return err
	}
	if cycle {
		v.Add("parent_id", "error.parent.cycle", "")
		return v
	}
	return nil
}

// denominatorRef reads what the rules need of a figure named as a
// denominator; an unknown id reads as not live.
func denominatorRef(ctx context.Context, tx pgx.Tx, id int64) (stats.DenominatorRef, error) {
	var d stats.DenominatorRef
	err := tx.QueryRow(ctx, `SELECT l.slug, coalesce(i.denominator, ''), f.deleted_at IS NULL
		FROM figures f JOIN localities l ON l.id = f.locality_id LEFT JOIN indicators i ON i.id = f.indicator_id
		WHERE f.id = $1 FOR SHARE OF f`, id).Scan(&d.LocalitySlug, &d.Kind, &d.Live)
	if errors.Is(err, pgx.ErrNoRows) {
		return stats.DenominatorRef{}, nil
	}
	return d, err
}

// figureSnapshot is what the history keeps of a figure: its values by the
// names of stats.FigureFields, readable without joins.
func figureSnapshot(ctx context.Context, tx pgx.Tx, id int64) ([]byte, error) {
	var b []byte
	err := tx.QueryRow(ctx, `SELECT `+figureSnapshotSQL+figureSnapshotFrom+` WHERE f.id = $1`, id).Scan(&b)
	return b, err
}

// figureSnapshotSQL builds the history object of figures f (joined as in
// figureSnapshotFrom), for one figure or many at once.
const figureSnapshotSQL = `jsonb_build_object(
	'locality_slug', l.slug, 'category', f.category, 'indicator', i.key, 'subject', f.subject, 'value', f.value,
	'unit', f.unit, 'qualifier', f.qualifier, 'completeness', f.completeness, 'denominator', f.denominator,
	'period_start', f.period_start, 'period_end', f.period_end, 'term', t.key,
	'from_level', f.from_level, 'to_level', f.to_level, 'parent_id', f.parent_id,
	'source_key', s.key, 'quote', f.quote, 'rank', f.rank, 'rank_reason', f.rank_reason, 'target', f.target,
	'scope', f.scope, 'sub_units_id', f.sub_units_id, 'base_id', f.base_id,
	'return_reason', nullif(f.return_reason, ''), 'verified', f.verified_at IS NOT NULL, 'deleted', f.deleted_at IS NOT NULL, 'version', f.version)`

const figureSnapshotFrom = ` FROM figures f JOIN localities l ON l.id = f.locality_id
	JOIN sources s ON s.id = f.source_id LEFT JOIN terms t ON t.id = f.term_id
	LEFT JOIN indicators i ON i.id = f.indicator_id`

// CreateFigure inserts a figure and its history row. A form submitted
// twice carries the same submission key: the second call returns the
// first figure's id with created false. Errors: *stats.ValidationError.
func (db *DB) CreateFigure(ctx context.Context, in stats.FigureInput, by int64, submissionKey string) (int64, bool, error) {
	var id int64
	created := false
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, created, err = createFigure(ctx, tx, in, by, submissionKey)
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("create figure: %w", translate(err))
	}
	return id, created, nil
}

// CreateFigures inserts a batch of figures in one transaction, each with
// its history row, in order; a row may name an earlier row as its total
// (ParentRef). A new source, if the batch brings one (NewSource on the
// first row), is created once and cited by every row. Every row is
// checked; if any is wrong nothing is written and the error lists each
// row's errors. Errors: *stats.BatchError.
func (db *DB) CreateFigures(ctx context.Context, ins []stats.FigureInput, by int64) ([]int64, error) {
	ids := make([]int64, len(ins))
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		bad := &stats.BatchError{}
		newSource := "" // the key of the batch's new source, once created
		for i, in := range ins {
			if in.ParentRef > 0 {
				if in.ParentRef > i || ids[in.ParentRef-1] == 0 {
					bad.Add(i, &stats.ValidationError{Fields: []stats.FieldError{{Field: "parent_id", Key: "error.parent.unknown"}}})
					continue
				}
				id := ids[in.ParentRef-1]
				in.ParentID = &id
			}
			if in.NewSource != nil && newSource != "" {
				in.NewSource, in.SourceKey = nil, newSource // created with an earlier row
			}
			// A savepoint per row: a row refused by a constraint leaves the
			// transaction usable, so that every row's errors are reported.
			err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
				id, _, err := createFigure(ctx, sp, in, by, "")
				ids[i] = id
				return err
			})
			if err == nil && in.NewSource != nil {
				if err := tx.QueryRow(ctx, `SELECT s.key FROM figures f JOIN sources s ON s.id = f.source_id
					WHERE f.id = $1`, ids[i]).Scan(&newSource); err != nil {
					return err
				}
			}
			var v *stats.ValidationError
			switch {
			case errors.As(err, &v):
				bad.Add(i, v)
			case err != nil && errors.Is(translate(err), stats.ErrInvalid):
				bad.Add(i, &stats.ValidationError{Fields: []stats.FieldError{{Field: "", Key: "error.import.constraint", Arg: translate(err).Error()}}})
			case err != nil:
				return err
			}
		}
		return bad.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("create figures: %w", translate(err))
	}
	return ids, nil
}

// createFigure writes one figure and its revision in tx.
func createFigure(ctx context.Context, tx pgx.Tx, in stats.FigureInput, by int64, submissionKey string) (int64, bool, error) {
	var id int64
	refs, err := resolveFigureRefs(ctx, tx, in, by)
	if err != nil {
		return 0, false, err
	}
	var key *string
	if submissionKey != "" {
		key = &submissionKey
	}
	err = tx.QueryRow(ctx, `INSERT INTO figures (locality_id, category, subject, value, unit, qualifier,
			denominator, period_start, period_end, term_id, from_level, to_level, parent_id, source_id, quote,
			created_by, updated_by, submission_key, indicator_id, completeness, rank, rank_reason, target,
			scope, sub_units_id, base_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nullif($11, ''), nullif($12, ''), $13, $14, $15, $16, $16, $17,
			$18, $19, $20, $21, $22, $23, $24, $25)
		ON CONFLICT (submission_key) DO NOTHING RETURNING id`,
		refs.locality, in.Category, in.Subject, in.Value, in.Unit, in.Qualifier, in.Denominator,
		in.PeriodStart, in.PeriodEnd, refs.term, string(in.FromLevel), string(in.ToLevel), in.ParentID,
		refs.source, in.Quote, by, key, refs.indicator, in.Completeness, in.Rank, in.RankReason, in.Target,
		in.Scope, in.SubUnitsID, in.BaseID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		err = tx.QueryRow(ctx, `SELECT id FROM figures WHERE submission_key = $1`, submissionKey).Scan(&id)
		return id, false, err
	}
	if err != nil {
		return 0, false, err
	}
	after, err := figureSnapshot(ctx, tx, id)
	if err != nil {
		return 0, false, err
	}
	return id, true, addRevision(ctx, tx, "figure", id, "create", &by, nil, after)
}

// unreviewed is what every change of a figure's values sets, from the
// form and from an import alike: a changed figure has not been checked
// against its source, and a reviewer's earlier verdict no longer applies
// (stats.Editor.SaveFigure states the rule).
const unreviewed = `verified_at = NULL, verified_by = NULL, returned_at = NULL, returned_by = NULL, return_reason = ''`

// lockFigure reads a figure's version for update and checks the caller
// edits the version it saw. Errors: stats.ErrNotFound, stats.ErrConflict.
func lockFigure(ctx context.Context, tx pgx.Tx, id, version int64) (deleted bool, err error) {
	var current int64
	err = tx.QueryRow(ctx, `SELECT version, deleted_at IS NOT NULL FROM figures WHERE id = $1 FOR UPDATE`, id).
		Scan(&current, &deleted)
	if err != nil {
		return false, err
	}
	if version != current {
		return false, fmt.Errorf("%w: figure %d is at version %d, the edit was made on version %d",
			stats.ErrConflict, id, current, version)
	}
	return deleted, nil
}

// UpdateFigure changes a figure if it is still at version, and marks it
// unverified: the change has not been checked against its source.
// Errors: *stats.ValidationError, stats.ErrNotFound, stats.ErrConflict.
func (db *DB) UpdateFigure(ctx context.Context, in stats.FigureInput, version, by int64) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if deleted, err := lockFigure(ctx, tx, in.ID, version); err != nil {
			return err
		} else if deleted {
			return fmt.Errorf("%w: figure %d is deleted", stats.ErrNotFound, in.ID)
		}
		refs, err := resolveFigureRefs(ctx, tx, in, by)
		if err != nil {
			return err
		}
		before, err := figureSnapshot(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE figures SET locality_id = $2, category = $3, subject = $4, value = $5,
				unit = $6, qualifier = $7, denominator = $8, period_start = $9, period_end = $10, term_id = $11,
				from_level = nullif($12, ''), to_level = nullif($13, ''), parent_id = $14, source_id = $15,
				quote = $16, updated_by = $17, updated_at = now(), version = version + 1,
				indicator_id = $18, completeness = $19, rank = $20, rank_reason = $21, target = $22,
				scope = $23, sub_units_id = $24, base_id = $25,
				`+unreviewed+`
			WHERE id = $1`,
			in.ID, refs.locality, in.Category, in.Subject, in.Value, in.Unit, in.Qualifier, in.Denominator,
			in.PeriodStart, in.PeriodEnd, refs.term, string(in.FromLevel), string(in.ToLevel), in.ParentID,
			refs.source, in.Quote, by, refs.indicator, in.Completeness, in.Rank, in.RankReason, in.Target,
			in.Scope, in.SubUnitsID, in.BaseID)
		if err != nil {
			return err
		}
		after, err := figureSnapshot(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		return addRevision(ctx, tx, "figure", in.ID, "update", &by, before, after)
	})
	if err != nil {
		return fmt.Errorf("update figure %d: %w", in.ID, translate(err))
	}
	return nil
}

// SetFigureDeleted deletes (softly) or restores a figure at version.
// Errors: stats.ErrNotFound, stats.ErrConflict.
func (db *DB) SetFigureDeleted(ctx context.Context, id, version int64, deleted bool, by int64) error {
	action := "delete"
	if !deleted {
		action = "restore"
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		isDeleted, err := lockFigure(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if isDeleted == deleted {
			return nil // already so: deleting twice changes nothing
		}
		if deleted {
			var parts int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM figures WHERE parent_id = $1 AND deleted_at IS NULL`, id).Scan(&parts); err != nil {
				return err
			}
			if parts > 0 {
				v := &stats.ValidationError{}
				v.Add("parent_id", "error.figure.has_parts", fmt.Sprint(parts))
				return v
			}
		} else if err := checkFigureRefsLive(ctx, tx, id); err != nil {
			return err // its locality, source or term was deleted meanwhile (entity_write.go)
		}
		before, err := figureSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE figures SET deleted_at = CASE WHEN $2 THEN now() END,
				updated_at = now(), updated_by = $3, version = version + 1 WHERE id = $1`, id, deleted, by); err != nil {
			return err
		}
		after, err := figureSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		return addRevision(ctx, tx, "figure", id, action, &by, before, after)
	})
	if err != nil {
		return fmt.Errorf("%s figure %d: %w", action, id, translate(err))
	}
	return nil
}

// VerifyFigure records that someone checked the figure against its
// source, at version (who may is the domain's rule, stats.User.May).
// Errors: stats.ErrNotFound, stats.ErrConflict.
func (db *DB) VerifyFigure(ctx context.Context, id, version, by int64) error {
	return db.reviewFigure(ctx, id, version, by, "verify",
		`UPDATE figures SET verified_at = now(), verified_by = $2, returned_at = NULL, returned_by = NULL,
			return_reason = '', version = version + 1 WHERE id = $1`)
}

// SendBackFigure records a reviewer's reason to return the figure to its
// author, at version; it stays unverified. Errors: stats.ErrNotFound,
// stats.ErrConflict.
func (db *DB) SendBackFigure(ctx context.Context, id, version, by int64, reason string) error {
	return db.reviewFigure(ctx, id, version, by, "send_back",
		`UPDATE figures SET returned_at = now(), returned_by = $2, return_reason = $3, verified_at = NULL,
			verified_by = NULL, version = version + 1 WHERE id = $1`, reason)
}

// reviewFigure applies a review's update at version, with its revision.
func (db *DB) reviewFigure(ctx context.Context, id, version, by int64, action, update string, extra ...any) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		deleted, err := lockFigure(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if deleted {
			return fmt.Errorf("%w: figure %d is deleted", stats.ErrNotFound, id)
		}
		before, err := figureSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, update, append([]any{id, by}, extra...)...); err != nil {
			return err
		}
		after, err := figureSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		return addRevision(ctx, tx, "figure", id, action, &by, before, after)
	})
	if err != nil {
		return fmt.Errorf("%s figure %d: %w", action, id, translate(err))
	}
	return nil
}

// DuplicateFigure returns a live figure with the same locality, category,
// subject (ignoring case), period, value and source as in, if any.
func (db *DB) DuplicateFigure(ctx context.Context, in stats.FigureInput) (int64, bool, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `SELECT f.id FROM figures f
			JOIN localities l ON l.id = f.locality_id JOIN sources s ON s.id = f.source_id
		WHERE l.slug = $1 AND f.category = $2 AND lower(f.subject COLLATE "und-x-icu") = lower($3 COLLATE "und-x-icu")
			AND f.period_start = $4 AND f.period_end = $5 AND f.value = $6
			AND s.key = $7 AND f.deleted_at IS NULL AND f.id <> $8
		ORDER BY f.id LIMIT 1`,
		in.LocalitySlug, in.Category, in.Subject, in.PeriodStart, in.PeriodEnd, in.Value, in.SourceKey, in.ID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("look for a duplicate figure: %w", translate(err))
	}
	return id, true, nil
}

// FigureBySubmission finds the figure a form with this key created.
func (db *DB) FigureBySubmission(ctx context.Context, key string) (int64, bool, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `SELECT id FROM figures WHERE submission_key = $1`, key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("find submission: %w", translate(err))
	}
	return id, true, nil
}
