package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/cadrestats/cadrestats/migrations"
)

// Migrator applies the embedded goose migrations.
type Migrator struct {
	provider *goose.Provider
	close    func() error
}

// NewMigrator prepares migrations over pool. Close it when done.
func NewMigrator(pool *pgxpool.Pool) (*Migrator, error) {
	db := stdlib.OpenDBFromPool(pool)
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return &Migrator{provider: p, close: db.Close}, nil
}

// Up applies every pending migration.
func (m *Migrator) Up(ctx context.Context) error {
	if _, err := m.provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// Down rolls back the newest migration.
func (m *Migrator) Down(ctx context.Context) error {
	if _, err := m.provider.Down(ctx); err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	return nil
}

// DownTo rolls back to version (0: an empty schema).
func (m *Migrator) DownTo(ctx context.Context, version int64) error {
	if _, err := m.provider.DownTo(ctx, version); err != nil {
		return fmt.Errorf("migrate down to %d: %w", version, err)
	}
	return nil
}

// MigrationState is one migration and whether it is applied.
type MigrationState struct {
	Version int64
	Source  string
	Applied bool
}

// Status lists the migrations and their state.
func (m *Migrator) Status(ctx context.Context) ([]MigrationState, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationState, len(st))
	for i, s := range st {
		out[i] = MigrationState{Version: s.Source.Version, Source: s.Source.Path, Applied: s.State == goose.StateApplied}
	}
	return out, nil
}

// Close releases the migrator's connection handle (not the pool).
func (m *Migrator) Close() error { return m.close() }
