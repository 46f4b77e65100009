package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
)

// notData are the tables whose writes leave public pages as they are:
// signing in must not make every page look changed. The figure counts
// (migration 00008) change only with the figures, in the same statement,
// whose trigger raises the version.
var notData = []string{"goose_db_version", "data_version", "users", "sessions", "revisions",
	"login_throttle",                  // failed sign-ins
	"ingest_batches", "ingest_chunks", // staged uploads: not public until committed
	"figure_key_counts", "figure_span_counts", "figure_span_category_counts", "figure_source_counts"}

func TestDataVersion(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	db := postgres.New(pool)
	ctx := t.Context()
	version := func() int64 {
		t.Helper()
		v, err := db.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	exec := func(sql string) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}

	t.Run("every data table has the trigger", func(t *testing.T) {
		rows, err := pool.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT EXISTS (
				SELECT 1 FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
				WHERE tg.tgrelid = c.oid AND p.proname = 'bump_data_version')
			ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		missing, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		missing = slices.DeleteFunc(missing, func(n string) bool { return slices.Contains(notData, n) })
		if len(missing) > 0 {
			t.Errorf("tables without a data_version trigger (add a CREATE TRIGGER … bump_data_version() "+
				"line in a migration, or list them in notData): %q", missing)
		}
	})

	tests := []struct {
		name string
		sql  string
	}{
		{"figures", `UPDATE figures SET subject = subject || '.' WHERE id = 1`},
		{"findings", `UPDATE findings SET statement_en = 'x' WHERE id = 1`},
		{"sources", `UPDATE sources SET author = 'X' WHERE id = 1`},
		{"localities", `UPDATE localities SET note = 'x' WHERE slug = 'song-lo'`},
		{"terms", `UPDATE terms SET name_en = name_en || '.' WHERE id = 1`},
		{"categories", `UPDATE categories SET sort_order = sort_order WHERE code = 'rotation'`},
		{"delete", `DELETE FROM findings WHERE id = 2`},
		{"no row matched", `UPDATE figures SET value = 1 WHERE id = -1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := version()
			exec(tt.sql)
			if got := version(); got != before+1 {
				t.Errorf("%s: version %d → %d, want %d", tt.sql, before, got, before+1)
			}
		})
	}

	t.Run("once per transaction", func(t *testing.T) {
		before := version()
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			for range 100 {
				if _, err := tx.Exec(ctx, `UPDATE figures SET value = value WHERE id = 1`); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, `UPDATE sources SET author = author WHERE id = 1`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := version(); got != before+1 {
			t.Errorf("101 statements in one transaction: version %d → %d, want %d", before, got, before+1)
		}
		// The flag is the transaction's: the next one bumps again.
		exec(`UPDATE figures SET value = value WHERE id = 1`)
		if got := version(); got != before+2 {
			t.Errorf("next transaction: version %d, want %d", got, before+2)
		}
	})

	t.Run("rollback leaves it", func(t *testing.T) {
		before := version()
		errRollback := errors.New("roll back")
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE figures SET value = value WHERE id = 1`); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
		if got := version(); got != before {
			t.Errorf("rolled back: version %d → %d", before, got)
		}
	})

	t.Run("uncommitted write is not seen", func(t *testing.T) {
		// Readers must not see the new number before the data: they would
		// store old pages under the new ETag.
		before := version()
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(context.Background())
		if _, err := tx.Exec(ctx, `UPDATE figures SET value = value WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		if got := version(); got != before {
			t.Errorf("during an open transaction: version %d → %d", before, got)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if got := version(); got != before+1 {
			t.Errorf("after commit: version %d, want %d", got, before+1)
		}
	})
}

// BenchmarkDataVersion is what every page and API request pays to know
// whether the client's copy is current.
func BenchmarkDataVersion(b *testing.B) {
	db := postgres.New(pgtest.NewSeededDB(b))
	for b.Loop() {
		if _, err := db.DataVersion(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
