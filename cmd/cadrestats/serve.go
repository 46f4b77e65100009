package main

import (
	"context"
	"io"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := newFlags("serve", "serve [-skip-migrate] [-skip-seed]", stderr)
	skipMigrate := fs.Bool("skip-migrate", false, "do not apply pending migrations at start (implies -skip-seed)")
	skipSeed := fs.Bool("skip-seed", false, "do not insert missing seed data at start")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"serve takes no arguments"}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if !*skipMigrate {
		if err := migrateUp(ctx, db.pool); err != nil {
			return err
		}
		if !*skipSeed {
			if err := seedDatabase(ctx, db.pool, log); err != nil {
				return err
			}
		}
	}
	srv, err := server.New(server.Config{
		Stats:   stats.NewService(postgres.New(db.pool)),
		Catalog: catalog,
		Logger:  log,
	})
	if err != nil {
		return err
	}
	return srv.ListenAndServe(ctx, cfg.Addr)
}
