package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/config"
	"github.com/cadrestats/cadrestats/internal/pglocal"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/seed"
)

// database is an open pool and, without DATABASE_URL, the private server
// behind it, with the configuration and logger that opened them.
type database struct {
	pool   *pgxpool.Pool
	server *pglocal.Server
	cfg    config.Config
	log    *slog.Logger
}

// openDatabase reads the configuration, then connects to DATABASE_URL or
// starts the private server: what every command but help does first.
func openDatabase(ctx context.Context, getenv func(string) string, stderr io.Writer) (*database, error) {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg.LogFormat, stderr)
	dsn := cfg.DatabaseURL
	var srv *pglocal.Server
	if dsn == "" {
		var err error
		srv, err = pglocal.Start(ctx, pglocal.Options{Dir: cfg.DataDir, Durable: true, Logger: log})
		if err != nil {
			return nil, err
		}
		dsn = srv.DSN("postgres")
	}
	pool, err := postgres.Open(ctx, dsn, postgres.PoolConfig{
		MaxConns: int32(cfg.DBMaxConns), StatementTimeout: cfg.StatementTimeout})
	if err != nil {
		srv.Stop()
		return nil, err
	}
	return &database{pool: pool, server: srv, cfg: cfg, log: log}, nil
}

// Close closes the pool, then stops the private server if we started it.
func (d *database) Close() {
	d.pool.Close()
	d.server.Stop()
}

func migrateUp(ctx context.Context, pool *pgxpool.Pool) error {
	ctx = stats.WithStatementTimeout(ctx, 0) // a migration takes what it takes
	m, err := postgres.NewMigrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	return m.Up(ctx)
}

func seedDatabase(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	ds, err := seed.Load(seed.Files())
	if err != nil {
		return err
	}
	res, err := stats.Seed(stats.WithStatementTimeout(ctx, 0), postgres.New(pool), ds)
	if err != nil {
		return err
	}
	log.Info("seeded", "localities", res.Localities, "indicators", res.Indicators, "terms", res.Terms,
		"sources", res.Sources, "figures", res.Figures, "refreshed", res.Refreshed, "findings", res.Findings)
	return nil
}

func loadConfig(getenv func(string) string) (config.Config, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return cfg, usageError{err.Error()}
	}
	return cfg, nil
}
