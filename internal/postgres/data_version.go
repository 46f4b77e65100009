package postgres

import (
	"context"
	"fmt"
)

// DataVersion returns the number that triggers raise with every
// transaction writing the data public pages show (migration 00006): equal
// numbers mean equal data. It is one primary-key read of a one-row table,
// cheap enough for every request. Errors: stats.ErrUnavailable.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.pool.QueryRow(ctx, "SELECT version FROM data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read data version: %w", translate(err))
	}
	return v, nil
}
