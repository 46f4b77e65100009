package main

import (
	"context"

	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
)

// withReplica, when DATABASE_REPLICA_URL is set, returns storage that
// sends the reads the server allows to that replica, the replica for the
// server, and a stop that ends the replica's monitor and closes its
// connections. Without a replica it returns store, nil and a no-op.
func withReplica(ctx context.Context, db *database, store *postgres.DB) (*postgres.DB, server.Replication, func(), error) {
	if db.cfg.ReplicaURL == "" {
		return store, nil, func() {}, nil
	}
	rep, err := postgres.NewReplica(db.pool, db.cfg.ReplicaURL, postgres.ReplicaOptions{MaxLag: db.cfg.ReplicaMaxLag, Logger: db.log})
	if err != nil {
		return nil, nil, nil, usageError{"DATABASE_REPLICA_URL: " + err.Error()}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		rep.Run(ctx)
	}()
	db.log.Info("read replica configured", "max_lag", db.cfg.ReplicaMaxLag.String())
	stop := func() {
		cancel()
		<-done
		rep.Close()
	}
	return store.WithReplica(rep), rep, stop, nil
}
