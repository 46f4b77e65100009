package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Probe asks the database whether it answers over a connection of its
// own, outside the pool: a pool whose connections are all in use is busy,
// not down, and must not be reported as down.
type Probe struct {
	pool *pgxpool.Pool
	cfg  *pgx.ConnConfig

	mu   sync.Mutex
	conn *pgx.Conn
}

// NewProbe makes a probe of the pool's database.
func NewProbe(pool *pgxpool.Pool) *Probe {
	cfg := pool.Config().ConnConfig.Copy()
	cfg.Tracer = nil
	return &Probe{pool: pool, cfg: cfg}
}

// Ping reports whether the database answers within ctx's deadline.
// Errors: stats.ErrUnavailable.
func (p *Probe) Ping(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conn == nil || p.conn.IsClosed() {
		c, err := pgx.ConnectConfig(ctx, p.cfg)
		if err != nil {
			return fmt.Errorf("%w: probe: %v", stats.ErrUnavailable, err)
		}
		p.conn = c
	}
	if err := p.conn.Ping(ctx); err != nil {
		p.closeConn()
		return fmt.Errorf("%w: probe: %v", stats.ErrUnavailable, err)
	}
	return nil
}

// Reset drops every connection of the pool (those in use when they are
// released): after an outage they may all be dead.
func (p *Probe) Reset() { p.pool.Reset() }

// Close closes the probe's connection.
func (p *Probe) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closeConn()
}

func (p *Probe) closeConn() {
	if p.conn == nil {
		return
	}
	// A frozen server reads nothing: do not wait for it to.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_ = p.conn.Close(ctx)
	p.conn = nil
}
