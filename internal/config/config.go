// Package config reads the settings of cadrestats from the environment,
// with defaults that let it run with no configuration at all.
package config

import (
	"fmt"
	"net"
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
	return c, nil
}
