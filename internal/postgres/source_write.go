package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// insertSource adds a source, making its key unique by a suffix when an
// outlet published two articles the same day.
func insertSource(ctx context.Context, tx pgx.Tx, src stats.Source, by int64) (int64, error) {
	base := src.Key
	if base == "" {
		base = "source"
	}
	var id int64
	for i := 1; ; i++ {
		key := base
		if i > 1 {
			key = fmt.Sprintf("%s-%d", base, i)
		}
		err := tx.QueryRow(ctx, `INSERT INTO sources (key, title, outlet, author, published_on, published_time, published_text, url)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING RETURNING id`,
			key, src.Title, src.Outlet, src.Author, src.PublishedOn, src.PublishedTime, src.PublishedText, src.URL).Scan(&id)
		if err == nil {
			src.Key = key
			break
		}
		if err != pgx.ErrNoRows || i > 50 {
			return 0, fmt.Errorf("insert source: %w", err)
		}
	}
	after := map[string]any{"key": src.Key, "title": src.Title, "outlet": src.Outlet, "author": src.Author,
		"published_on": src.PublishedOn.Format("2006-01-02"), "url": src.URL}
	return id, addRevision(ctx, tx, "source", id, "create", &by, nil, after)
}

// CreateSource adds a source with its history row.
// Errors: stats.ErrInvalid (a constraint).
func (db *DB) CreateSource(ctx context.Context, src stats.Source, by int64) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = insertSource(ctx, tx, src, by)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("create source: %w", translate(err))
	}
	return id, nil
}
