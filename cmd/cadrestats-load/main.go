// Command cadrestats-load sends a bounded load of GET requests to a
// cadrestats server on this machine and prints throughput and latency
// percentiles per page: how fast the dashboard is, measured, not guessed.
//
//	go run ./cmd/cadrestats &            # a seeded server on 127.0.0.1:8080
//	go run ./cmd/cadrestats-load -c 8 -d 10s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

var defaultPaths = []string{"/", "/localities/dien-bien", "/figures", "/sources/1", "/export.csv", "/api/figures"}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cadrestats-load:", err)
		os.Exit(2)
	}
}

type result struct {
	path    string
	latency time.Duration
	err     error
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("cadrestats-load", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server to load (loopback only)")
	conc := fs.Int("c", 8, "concurrent clients (1–64)")
	dur := fs.Duration("d", 10*time.Second, "how long to send requests (at most 5m)")
	maxReq := fs.Int("n", 100000, "stop after this many requests (at most 1,000,000)")
	paths := fs.String("paths", strings.Join(defaultPaths, ","), "comma-separated paths to request in turn")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("-url %q: want http://127.0.0.1:PORT", *base)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-url %q: only servers on this machine (loopback) may be loaded", *base)
	}
	if *conc < 1 || *conc > 64 || *dur <= 0 || *dur > 5*time.Minute || *maxReq < 1 || *maxReq > 1_000_000 {
		return errors.New("-c must be 1–64, -d at most 5m, -n 1–1,000,000")
	}
	list := strings.Split(*paths, ",")

	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conc}}
	results := make(chan result, 1024)
	var sent sync.Mutex
	n := 0
	var wg sync.WaitGroup
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				sent.Lock()
				if n >= *maxReq {
					sent.Unlock()
					return
				}
				p := list[n%len(list)] // pages in turn, across all clients
				n++
				sent.Unlock()
				start := time.Now()
				err := get(ctx, client, *base+p)
				if ctx.Err() != nil {
					return // cut off by the deadline: not a measurement
				}
				results <- result{path: p, latency: time.Since(start), err: err}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	started := time.Now()
	byPath := map[string][]time.Duration{}
	failures := map[string]int{}
	for r := range results {
		if r.err != nil {
			failures[r.path]++
			continue
		}
		byPath[r.path] = append(byPath[r.path], r.latency)
	}
	elapsed := time.Since(started)
	fmt.Fprintf(out, "%d clients, %s, %s\n", *conc, elapsed.Round(time.Millisecond), *base)
	fmt.Fprintf(out, "%-24s %8s %8s %9s %9s %9s %7s\n", "path", "requests", "req/s", "p50", "p95", "p99", "errors")
	total := 0
	for _, p := range list {
		l := byPath[p]
		slices.Sort(l)
		total += len(l)
		fmt.Fprintf(out, "%-24s %8d %8.1f %9s %9s %9s %7d\n", p, len(l), float64(len(l))/elapsed.Seconds(),
			pct(l, 50), pct(l, 95), pct(l, 99), failures[p])
	}
	fmt.Fprintf(out, "%-24s %8d %8.1f\n", "all", total, float64(total)/elapsed.Seconds())
	return nil
}

func get(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", u, resp.Status)
	}
	return nil
}

func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	return sorted[(len(sorted)-1)*p/100].Round(10 * time.Microsecond).String()
}
