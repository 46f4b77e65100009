package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/pgtest"
)

// syncBuffer is a log the test reads while serve writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeWithAReplica: DATABASE_REPLICA_URL starts the replica monitor
// with serve; public reads move to the replica, off it when it stops, and
// back when it returns.
func TestServeWithAReplica(t *testing.T) {
	repl := pgtest.NewReplicated(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	logs := &syncBuffer{}
	go func() {
		done <- run(ctx, nil, env(map[string]string{"DATABASE_URL": repl.PrimaryDSN, "DATABASE_REPLICA_URL": repl.ReplicaDSN,
			"CADRESTATS_REPLICA_MAX_LAG": "1s", "CADRESTATS_ADDR": addr, "CADRESTATS_ADMIN_PASSWORD": "một mật khẩu đủ dài"}),
			nil, io.Discard, logs)
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after interrupt", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop after interrupt")
		}
	}()
	waitReady(t, "http://"+addr+"/readyz", done)
	waitLog := func(msg string, n int) {
		t.Helper()
		// A bound only for a switch that never comes: a standby restarted on
		// a loaded machine can take seconds to stream again.
		deadline := time.Now().Add(time.Minute)
		for strings.Count(logs.String(), msg) < n {
			if time.Now().After(deadline) {
				t.Fatalf("no %q in the log after a minute:\n%s", msg, logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	get := func(path string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	waitLog("public reads go to the replica", 1)
	get("/")
	repl.StopReplica()
	waitLog("public reads go to the primary", 1)
	get("/")
	repl.StartReplica()
	waitLog("public reads go to the replica", 2)
	get("/")
}
