package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/pglocal"
	"github.com/cadrestats/cadrestats/internal/pgtest"
)

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" { // a child of TestShutdownUnderLoad: be the command
		main()
		os.Exit(0)
	}
	os.Exit(pgtest.Run(m))
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestZeroConfiguration is the README's first command: no DATABASE_URL, a
// private PostgreSQL is started, migrated and seeded, the dashboard serves,
// and on interrupt everything stops.
func TestZeroConfiguration(t *testing.T) {
	if _, err := pglocal.FindBinDir(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	base := ""
	if _, err := os.Stat("/dev/shm"); err == nil {
		base = "/dev/shm"
	}
	tmp, err := os.MkdirTemp(base, "cadrestats-zero-")
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(tmp, 0o755)
	defer os.RemoveAll(tmp)
	dataDir := filepath.Join(tmp, "data")
	addr := freeAddr(t)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, nil, env(map[string]string{"CADRESTATS_DATA_DIR": dataDir, "CADRESTATS_ADDR": addr}), nil, io.Discard, &logs)
	}()
	waitReady(t, "http://"+addr+"/readyz", done)

	resp, err := http.Get("http://" + addr + "/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v", err)
	}
	if len(rows) != 52 {
		t.Errorf("export has %d rows, want header + 51 figures", len(rows))
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after interrupt", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after interrupt")
	}
	if _, err := os.Stat(filepath.Join(dataDir, "pgdata", "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("PostgreSQL still running after serve stopped (postmaster.pid: %v)\n%s", err, logs.String())
	}
}

func TestExportCommand(t *testing.T) {
	dsn := pgtest.DSN(t, "seeded")
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"export", "-locality", "dien-bien,song-lo", "-category", "rotation"},
		env(map[string]string{"DATABASE_URL": dsn}), nil, &out, &errOut)
	if err != nil {
		t.Fatalf("export: %v\n%s", err, errOut.String())
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("\uFEFFid,locality,locality_level,province,category,")) {
		t.Errorf("export does not start with BOM and header: %.80q", out.String())
	}
	rows, _ := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if len(rows) != 1+6+3 {
		t.Errorf("%d rows, want header + 6 Điện Biên + 3 Sông Lô rotations", len(rows))
	}
}

func TestCommandLineMistakes(t *testing.T) {
	dsn := pgtest.DSN(t, "seeded")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"migrate without action", []string{"migrate"}, "up, down, status"},
		{"unknown flag", []string{"export", "-colour", "red"}, "flag provided but not defined"},
		{"unknown locality", []string{"export", "-locality", "atlantis"}, "atlantis"},
		{"stray argument", []string{"export", "song-lo"}, "takes options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(t.Context(), tt.args, env(map[string]string{"DATABASE_URL": dsn}), nil, &out, &errOut)
			if err == nil || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want a usage error (exit 2)", err, exitCode(err))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if out.Len() != 0 {
				t.Errorf("wrote to stdout on error: %q", out.String())
			}
		})
	}
}

func TestHelpExplainsEachCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-h"}, env(nil), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"serve", "migrate up|down|status", "seed", "export", "synth", "DATABASE_URL"} {
		if !strings.Contains(out.String(), c) {
			t.Errorf("usage does not mention %q", c)
		}
	}
	for _, c := range []string{"serve", "migrate", "seed", "export", "synth"} {
		var errOut bytes.Buffer
		err := run(t.Context(), []string{c, "-h"}, env(nil), nil, io.Discard, &errOut)
		if exitCode(err) != 0 || !strings.Contains(errOut.String(), "Usage: cadrestats "+c) {
			t.Errorf("%s -h: err %v, output %q", c, err, errOut.String())
		}
	}
}

func TestMigrateStatus(t *testing.T) {
	dsn := pgtest.DSN(t, "migrated")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"migrate", "status"}, env(map[string]string{"DATABASE_URL": dsn}), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "00001  applied") {
		t.Errorf("status = %q", out.String())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitReady(t *testing.T, url string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v", err)
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("not ready within 60 s")
}

func TestUserAdd(t *testing.T) {
	dsn := pgtest.DSN(t, "migrated")
	e := env(map[string]string{"DATABASE_URL": dsn})
	var out bytes.Buffer
	err := run(t.Context(), []string{"user", "add", "lan.nguyen", "-role", "editor"}, e,
		strings.NewReader("một mật khẩu đủ dài\n"), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "added lan.nguyen (editor)") {
		t.Errorf("output %q", out.String())
	}
	for name, args := range map[string][]string{
		"taken":    {"user", "add", "lan.nguyen"},
		"bad name": {"user", "add", "Lan Nguyễn"},
		"bad role": {"user", "add", "minh", "-role", "owner"},
	} {
		err := run(t.Context(), args, e, strings.NewReader("một mật khẩu đủ dài\n"), io.Discard, io.Discard)
		if exitCode(err) != 2 {
			t.Errorf("%s: err = %v, want a usage error", name, err)
		}
	}
	err = run(t.Context(), []string{"user", "add", "minh"}, e, strings.NewReader("ngắn\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "10 to 200 characters") {
		t.Errorf("short password: err = %v", err)
	}
}
