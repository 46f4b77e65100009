// Package config reads the settings of cadrestats from the environment,
// with defaults that let it run with no configuration at all.
package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is every setting; see README for the table.
type Config struct {
	DatabaseURL   string // empty: start a private PostgreSQL in DataDir
	DataDir       string
	Addr          string
	LogFormat     string // text or json
	AdminPassword string
	ReplicaURL    string        // empty: every query goes to the primary (replica.go)
	ReplicaMaxLag time.Duration // beyond it, reads leave the replica

	// DBMaxConns is the size of the connection pool. Pages, exports and
	// logins each get a share of it (see server.Limits), so that one kind
	// of request can never take the connections the others need.
	DBMaxConns int
	// StatementTimeout bounds each query of a public page; exports and
	// admin writes set longer limits of their own.
	StatementTimeout time.Duration
	// Exports is how many exports (CSV, XLSX, API) may stream at once, and
	// ExportTimeout how long one may take, slow client included.
	Exports       int
	ExportTimeout time.Duration
	// ShutdownTimeout is how long requests in flight may run after SIGTERM
	// before they are cut off.
	ShutdownTimeout time.Duration
	// TrustedProxies are the addresses of the reverse proxies whose
	// X-Forwarded-For and X-Forwarded-Proto are believed. Empty: the
	// client address is the socket's, and forwarded headers are ignored.
	TrustedProxies []netip.Prefix
	// PublicURL is the address users reach the site at; https makes every
	// cookie Secure and sends HSTS even behind a TLS-terminating proxy.
	PublicURL *url.URL
}

// Load reads the settings through getenv (os.Getenv in main; a map in
// tests) and checks them.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:   strings.TrimSpace(getenv("DATABASE_URL")),
		DataDir:       strings.TrimSpace(getenv("CADRESTATS_DATA_DIR")),
		Addr:          strings.TrimSpace(getenv("CADRESTATS_ADDR")),
		LogFormat:     strings.TrimSpace(getenv("CADRESTATS_LOG_FORMAT")),
		AdminPassword: getenv("CADRESTATS_ADMIN_PASSWORD"),
	}
	if c.DataDir == "" {
		c.DataDir = ".data"
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return c, fmt.Errorf("CADRESTATS_ADDR=%q: want host:port, for example 127.0.0.1:8080: %w", c.Addr, err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("CADRESTATS_LOG_FORMAT=%q: want text or json", c.LogFormat)
	}
	if c.DatabaseURL != "" && !strings.Contains(c.DatabaseURL, "://") && !strings.Contains(c.DatabaseURL, "=") {
		return c, fmt.Errorf("DATABASE_URL: want postgres://user:password@host:5432/dbname or key=value pairs")
	}
	if err := c.loadReplica(getenv); err != nil {
		return c, err
	}
	var err error
	// Twelve connections: two for exports, two for logins, one spare for
	// background work and seven for pages, which on a 2-core server are
	// more than the CPUs can serve at once.
	if c.DBMaxConns, err = intSetting(getenv, "CADRESTATS_DB_MAX_CONNS", 12, 6, 1000); err != nil {
		return c, err
	}
	if c.Exports, err = intSetting(getenv, "CADRESTATS_EXPORTS", 2, 1, 100); err != nil {
		return c, err
	}
	if c.Exports > c.DBMaxConns-4 {
		return c, fmt.Errorf("CADRESTATS_EXPORTS=%d: at most CADRESTATS_DB_MAX_CONNS - 4 (%d), so that pages keep connections",
			c.Exports, c.DBMaxConns-4)
	}
	if c.StatementTimeout, err = durationSetting(getenv, "CADRESTATS_DB_STATEMENT_TIMEOUT", 5*time.Second, 100*time.Millisecond, time.Hour); err != nil {
		return c, err
	}
	if c.ExportTimeout, err = durationSetting(getenv, "CADRESTATS_EXPORT_TIMEOUT", 10*time.Minute, time.Second, 24*time.Hour); err != nil {
		return c, err
	}
	if c.ShutdownTimeout, err = durationSetting(getenv, "CADRESTATS_SHUTDOWN_TIMEOUT", 10*time.Second, 100*time.Millisecond, 10*time.Minute); err != nil {
		return c, err
	}
	if c.TrustedProxies, err = parsePrefixes(getenv("CADRESTATS_TRUSTED_PROXIES")); err != nil {
		return c, fmt.Errorf("CADRESTATS_TRUSTED_PROXIES: %w", err)
	}
	if s := strings.TrimSpace(getenv("CADRESTATS_PUBLIC_URL")); s != "" {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("CADRESTATS_PUBLIC_URL=%q: want an absolute http or https address, for example https://cadrestats.example.vn", s)
		}
		c.PublicURL = u
	}
	return c, nil
}

func intSetting(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	s := strings.TrimSpace(getenv(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q: want a whole number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

func durationSetting(getenv func(string) string, name string, def, lo, hi time.Duration) (time.Duration, error) {
	s := strings.TrimSpace(getenv(name))
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("%s=%q: want a duration from %s to %s, for example 30s or 5m", name, s, lo, hi)
	}
	return d, nil
}

// parsePrefixes reads CIDRs separated by commas or spaces; a bare address
// is a prefix of its full length.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q: want CIDRs such as 10.0.0.0/8 or 192.0.2.7", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
