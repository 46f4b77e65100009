package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/alexedwards/scs/pgxstore"

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
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	cfg, log := db.cfg, db.log
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
	store, replication, stopReplica, err := withReplica(ctx, db, postgres.New(db.pool))
	if err != nil {
		return err
	}
	defer stopReplica()
	accounts := stats.NewAccounts(store)
	generated, err := accounts.EnsureAdmin(ctx, cfg.AdminPassword)
	if err != nil {
		return fmt.Errorf("prepare the admin account: %w", err)
	}
	if generated != "" {
		// Shown once: only its hash is stored.
		log.Warn("created the first admin account; sign in at /login and change this password",
			"username", "admin", "password", generated)
	}
	// pgxstore's own cleanup goroutine races with its StopCleanup; expired
	// sessions are deleted here instead, and never served meanwhile.
	sessions := pgxstore.NewWithCleanupInterval(db.pool, 0)
	go deleteExpired(ctx, store, accounts, log)
	probe := postgres.NewProbe(db.pool)
	defer probe.Close()
	// Two connections for logins, one spare for the background work above
	// and for sessions; pages get the rest.
	const logins = 2
	srv, err := server.New(server.Config{
		Stats:       stats.NewService(store),
		Editor:      stats.NewEditor(store),
		Accounts:    accounts,
		Sessions:    sessions,
		Catalog:     catalog,
		Logger:      log,
		Versions:    store,
		Replication: replication,
		Limits: server.Limits{
			Pages: cfg.DBMaxConns - cfg.Exports - logins - 1, Exports: cfg.Exports, Logins: logins,
			ExportTimeout: cfg.ExportTimeout, ShutdownTimeout: cfg.ShutdownTimeout,
		},
		Database:       probe,
		TrustedProxies: cfg.TrustedProxies,
		PublicURL:      cfg.PublicURL,
	})
	if err != nil {
		return err
	}
	return srv.ListenAndServe(ctx, cfg.Addr)
}

// deleteExpired removes expired sessions and stale login-throttle
// counters; neither is ever used, this only reclaims the rows.
func deleteExpired(ctx context.Context, store *postgres.DB, accounts *stats.Accounts, log *slog.Logger) {
	t := time.NewTicker(30 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := store.DeleteExpiredSessions(ctx); err != nil {
				log.Warn("delete expired sessions", "err", err)
			} else if n > 0 {
				log.Info("deleted expired sessions", "count", n)
			}
			if n, err := accounts.DeleteStaleLoginFailures(ctx); err != nil {
				log.Warn("delete stale login failures", "err", err)
			} else if n > 0 {
				log.Info("deleted stale login failures", "count", n)
			}
		}
	}
}
