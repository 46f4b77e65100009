package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/pgtest"
)

// runMainEnv makes the test binary run the real main (see TestMain): the
// shutdown test signals a process of its own, as an init system would.
const runMainEnv = "CADRESTATS_TEST_RUN_MAIN"

// TestShutdownUnderLoad sends SIGTERM to a serving cadrestats while eight
// clients load it and one downloads the export at 4 KB/s: every request
// the server accepted is answered whole, the slow download is cut off at
// the end of the grace (CADRESTATS_SHUTDOWN_TIMEOUT, 2 s here; 10 s by
// default), logged once, and the process exits in time with status 0.
func TestShutdownUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command in a child process for a few seconds")
	}
	dsn := pgtest.DSN(t, "seeded")
	inflateExport(t, dsn, 6<<20) // more than the kernel's socket buffers hold
	cmd := exec.Command(os.Args[0], "serve", "-skip-migrate")
	cmd.Env = append(os.Environ(), runMainEnv+"=1", "DATABASE_URL="+dsn, "CADRESTATS_ADDR=127.0.0.1:0",
		"CADRESTATS_LOG_FORMAT=json", "CADRESTATS_SHUTDOWN_TIMEOUT=2s")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	logs := &jsonLog{addr: make(chan string, 1)}
	logsDone := make(chan struct{})
	go func() { logs.read(stderr); close(logsDone) }()
	var base string
	select {
	case a := <-logs.addr:
		base = a
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start within 30 s")
	}

	paths := []string{"/about", "/sources", "/api/figures?limit=5", "/readyz"}
	var mu sync.Mutex
	answered := map[string]int{}
	var loadErrs []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			c := &http.Client{Timeout: 30 * time.Second}
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				p := paths[i%len(paths)]
				resp, err := c.Get(base + p)
				if err != nil {
					if isRefused(err) {
						return // not accepted: the server stopped listening
					}
					mu.Lock()
					loadErrs = append(loadErrs, fmt.Sprintf("GET %s: %v", p, err))
					mu.Unlock()
					return
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				switch {
				case err != nil:
					loadErrs = append(loadErrs, fmt.Sprintf("GET %s: %d, body cut: %v", p, resp.StatusCode, err))
				case resp.StatusCode == http.StatusOK:
					answered[p]++
				case p == "/readyz" && resp.StatusCode == http.StatusServiceUnavailable:
					answered[p]++ // "shutting down": as it should
				default:
					loadErrs = append(loadErrs, fmt.Sprintf("GET %s: %d", p, resp.StatusCode))
				}
				mu.Unlock()
			}
		})
	}
	slow := make(chan string, 1)
	drain := make(chan struct{})
	streaming := make(chan struct{})
	go func() { slow <- slowDownload(strings.TrimPrefix(base, "http://"), "/export.csv", streaming, drain) }()

	// SIGTERM once the export streams and every path has been answered.
	<-streaming
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		all := len(answered) == len(paths)
		mu.Unlock()
		if all {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute of load and not every path answered: %v %v", answered, loadErrs)
		}
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var exitErr error
	select {
	case exitErr = <-exited:
	case <-time.After(20 * time.Second):
		t.Fatal("still running 20 s after SIGTERM")
	}
	took := time.Since(start)
	close(drain) // what the kernel still holds for the slow client: read it at once
	close(stop)
	wg.Wait()
	<-logsDone
	slowResult := <-slow

	t.Logf("exited %s after SIGTERM; answered %v; slow download: %s", took.Round(time.Millisecond), answered, slowResult)
	if exitErr != nil {
		t.Errorf("exit: %v", exitErr)
	}
	if took > 15*time.Second || took < 2*time.Second {
		t.Errorf("exited %s after SIGTERM, want after the 2 s grace and well within 15 s", took)
	}
	for _, e := range loadErrs {
		t.Error(e)
	}
	// Every request the server logged was answered whole, and the other way
	// round: none was accepted and dropped.
	logged := map[string]int{}
	for _, r := range logs.requests() {
		p, _ := r["path"].(string)
		if strings.HasPrefix(p, "/api/") {
			p += "?limit=5"
		}
		if r["status"] == float64(200) || (p == "/readyz" && r["status"] == float64(503)) {
			logged[p]++
		}
	}
	for _, p := range paths {
		if logged[p] != answered[p] || answered[p] == 0 {
			t.Errorf("%s: the server answered %d, the clients received %d", p, logged[p], answered[p])
		}
	}
	var exports []map[string]any
	for _, r := range logs.lines() {
		if r["path"] == "/export.csv" || strings.Contains(fmt.Sprint(r["err"]), "export") {
			exports = append(exports, r)
		}
		if r["level"] == "ERROR" {
			t.Errorf("error logged: %v", r)
		}
	}
	if len(exports) != 1 || !strings.Contains(fmt.Sprint(exports[0]["err"]), "cut off") || exports[0]["level"] != "WARN" {
		t.Errorf("the slow download was logged as %v, want one warning that it was cut off", exports)
	}
	if !strings.HasPrefix(slowResult, "HTTP/1.1 200") || !strings.Contains(slowResult, "cut short") {
		t.Errorf("the slow download: %s, want a 200 cut short", slowResult)
	}
}

func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// slowDownload reads path at 4 KB/s through a small receive buffer, at
// full speed once drain is closed, until the connection ends, and says
// how it ended: whole (the chunked body's last chunk came) or cut short.
// It closes streaming once the status line came (or the request failed).
func slowDownload(addr, path string, streaming chan<- struct{}, drain <-chan struct{}) string {
	started := sync.OnceFunc(func() { close(streaming) })
	defer started()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return err.Error()
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr)
	br := bufio.NewReaderSize(conn, 1024)
	status, err := br.ReadString('\n')
	if err != nil {
		return err.Error()
	}
	started()
	n := 0
	buf := make([]byte, 1024)
	var tail []byte
	for {
		m, err := br.Read(buf)
		n += m
		tail = append(tail, buf[:m]...)
		tail = tail[max(0, len(tail)-16):]
		if err != nil {
			how := "cut short"
			if strings.HasSuffix(string(tail), "\r\n0\r\n\r\n") {
				how = "whole"
			}
			return fmt.Sprintf("%s, %s after %d bytes (%v)", strings.TrimSpace(status), how, n, err)
		}
		select {
		case <-drain:
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// inflateExport adds copies of the figures until the CSV export is about
// size bytes, naming no column but id, subject and submission_key.
func inflateExport(t *testing.T, dsn string, size int) {
	t.Helper()
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n, bytes int
	if err := conn.QueryRow(ctx, `SELECT count(*), coalesce(sum(length(subject) + length(quote) + 200), 0) FROM figures`).Scan(&n, &bytes); err != nil || n == 0 {
		t.Fatalf("no figures to copy: %v", err)
	}
	copies := size/bytes + 1
	// Every stored column but the generated ones, which an INSERT may not name.
	var cols, rcols string
	if err := conn.QueryRow(ctx, `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position),
			string_agg('r.' || quote_ident(column_name), ', ' ORDER BY ordinal_position)
		FROM information_schema.columns WHERE table_name = 'figures' AND is_generated = 'NEVER'`).Scan(&cols, &rcols); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, `WITH m AS (SELECT max(id) AS top FROM figures)
		INSERT INTO figures (`+cols+`)
		SELECT `+rcols+` FROM figures f, m, generate_series(1, $1::int) g,
			LATERAL jsonb_populate_record(f, jsonb_build_object('id', f.id + g * m.top,
			'subject', f.subject || ' · bản sao ' || g, 'submission_key', NULL)) r`, copies)
	if err != nil {
		t.Fatalf("inflate figures: %v", err)
	}
}

// jsonLog reads the child's JSON log, passing on the address it serves at.
type jsonLog struct {
	mu   sync.Mutex
	all  []map[string]any
	addr chan string
}

func (l *jsonLog) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		l.mu.Lock()
		l.all = append(l.all, rec)
		l.mu.Unlock()
		if rec["msg"] == "serving" {
			l.addr <- fmt.Sprint(rec["addr"])
		}
	}
}

func (l *jsonLog) lines() []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]map[string]any(nil), l.all...)
}

func (l *jsonLog) requests() []map[string]any {
	var out []map[string]any
	for _, r := range l.lines() {
		if r["msg"] == "request" {
			out = append(out, r)
		}
	}
	return out
}
