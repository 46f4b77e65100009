package httpkit

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"time"
)

// Database is what the server watches: postgres.Probe satisfies it.
type Database interface {
	// Ping reports whether the database answers, over a connection of its
	// own: a pool with every connection in use is busy, not down.
	Ping(ctx context.Context) error
	// Reset drops the pool's connections, which an outage may have killed.
	Reset()
}

// Probe timing: a server that is frozen (SIGSTOP, a stalled disk, a
// network partition) accepts connections and answers nothing, and does not
// answer cancel requests either. Probing every 250 ms with a 1 s deadline
// finds it within 1.25 s; the requests it holds are then cut off and new
// ones answered 503 at once, instead of each waiting out its deadline.
const (
	probeEvery   = 250 * time.Millisecond
	probeTimeout = time.Second
)

// monitor probes the database and tells the guard whether it answers. A
// nil monitor (no Database configured) always says it does.
type monitor struct {
	db  Database
	log *slog.Logger

	mu        sync.Mutex
	up        bool
	since     time.Time
	epoch     context.Context // ends when the database goes down
	endEpoch  context.CancelFunc
	lastError error

	stop chan struct{}
	done chan struct{}
}

func newMonitor(db Database, log *slog.Logger) *monitor {
	m := &monitor{db: db, log: log, up: true, since: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	m.epoch, m.endEpoch = context.WithCancel(context.Background())
	go m.run()
	return m
}

func (m *monitor) run() {
	defer close(m.done)
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
		err := m.db.Ping(ctx)
		cancel()
		m.set(err)
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
	}
}

func (m *monitor) set(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastError = err
	up := err == nil
	if up == m.up {
		return
	}
	outage := time.Since(m.since)
	m.up, m.since = up, time.Now()
	if up {
		m.epoch, m.endEpoch = context.WithCancel(context.Background())
		m.log.Info("database answers again; serving", "outage", outage.Round(time.Millisecond))
	} else {
		m.endEpoch() // cut off the requests waiting for it
		m.log.Error("database does not answer; answering 503 until it does", "err", err)
	}
	// Connections from before an outage may be dead: start afresh.
	m.db.Reset()
}

func (m *monitor) isUp() bool {
	if m == nil {
		return true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.up
}

// onDown calls fn if the database goes down before stop is called.
func (m *monitor) onDown(fn func()) (stop func() bool) {
	if m == nil {
		return func() bool { return true }
	}
	m.mu.Lock()
	epoch := m.epoch
	m.mu.Unlock()
	return context.AfterFunc(epoch, fn)
}

func (m *monitor) close() {
	if m == nil {
		return
	}
	select {
	case <-m.stop:
	default:
		close(m.stop)
	}
	<-m.done
}

// isWriteTimeout: the client read too slowly to take the response before
// the write deadline.
func isWriteTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }
