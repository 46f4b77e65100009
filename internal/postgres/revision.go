package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// addRevision records a change in the same transaction as the change: a
// write without its history row must not happen.
func addRevision(ctx context.Context, tx pgx.Tx, entity string, id int64, action string, by *int64, before, after any) error {
	enc := func(v any) ([]byte, error) {
		switch v := v.(type) {
		case nil:
			return nil, nil
		case []byte:
			return v, nil
		default:
			return json.Marshal(v)
		}
	}
	b, err := enc(before)
	if err != nil {
		return err
	}
	a, err := enc(after)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO revisions (entity, entity_id, action, user_id, before, after)
		VALUES ($1, $2, $3, $4, $5, $6)`, entity, id, action, by, b, a)
	if err != nil {
		return fmt.Errorf("record %s of %s %d: %w", action, entity, id, err)
	}
	return nil
}

// Revisions lists changes, newest first.
func (db *DB) Revisions(ctx context.Context, f stats.RevisionFilter) ([]stats.Revision, error) {
	var conds []string
	var args []any
	if f.Entity != "" {
		args = append(args, f.Entity)
		conds = append(conds, "r.entity = $"+strconv.Itoa(len(args)))
	}
	if f.EntityID != 0 {
		args = append(args, f.EntityID)
		conds = append(conds, "r.entity_id = $"+strconv.Itoa(len(args)))
	}
	q := `SELECT r.id, r.entity, r.entity_id, r.action, r.user_id, coalesce(u.username, ''), r.at,
			coalesce(r.before, 'null'), coalesce(r.after, 'null')
		FROM revisions r LEFT JOIN users u ON u.id = r.user_id`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += " ORDER BY r.id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stats.Revision, error) {
		var v stats.Revision
		err := r.Scan(&v.ID, &v.Entity, &v.EntityID, &v.Action, &v.UserID, &v.Username, &v.At, &v.Before, &v.After)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", translate(err))
	}
	return out, nil
}
