package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Hooks for the tests of the router: which server a statement reaches.

// InRecoveryRow is pg_is_in_recovery() read as one row.
func (db *DB) InRecoveryRow(ctx context.Context) (bool, error) {
	var b bool
	err := db.pool.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&b)
	return b, err
}

// InRecoveryRows is pg_is_in_recovery() read through Query.
func (db *DB) InRecoveryRows(ctx context.Context) (bool, error) {
	out, err := queryAll(ctx, db, "recovery", func(r pgx.Row) (bool, error) {
		var b bool
		return b, r.Scan(&b)
	}, "SELECT pg_is_in_recovery()")
	if err != nil || len(out) != 1 {
		return false, err
	}
	return out[0], nil
}

// InRecoveryTx is pg_is_in_recovery() read in a transaction.
func (db *DB) InRecoveryTx(ctx context.Context) (bool, error) {
	var b bool
	err := db.inTx(ctx, func(tx pgx.Tx) error { return tx.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&b) })
	return b, err
}

// ExecWrites runs a write through Exec; on a standby it fails.
func (db *DB) ExecWrites(ctx context.Context) error {
	_, err := db.pool.Exec(ctx, "CREATE TEMP TABLE exec_probe (x int)")
	return err
}

// NextvalRow writes in a one-row read: a standby refuses it.
func (db *DB) NextvalRow(ctx context.Context, seq string) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, "SELECT nextval($1)", seq).Scan(&n)
	return n, err
}

var (
	ParseLSN  = parseLSN
	RecordEnd = recordEnd
)
