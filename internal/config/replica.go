package config

import (
	"fmt"
	"strings"
	"time"
)

// defaultReplicaMaxLag: a public dashboard can show figures a few seconds
// old; an editor's own writes are routed around the lag anyway.
const defaultReplicaMaxLag = 5 * time.Second

// loadReplica reads DATABASE_REPLICA_URL and CADRESTATS_REPLICA_MAX_LAG.
func (c *Config) loadReplica(getenv func(string) string) error {
	c.ReplicaURL = strings.TrimSpace(getenv("DATABASE_REPLICA_URL"))
	c.ReplicaMaxLag = defaultReplicaMaxLag
	if v := strings.TrimSpace(getenv("CADRESTATS_REPLICA_MAX_LAG")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("CADRESTATS_REPLICA_MAX_LAG=%q: want a positive duration, for example 5s or 1500ms", v)
		}
		c.ReplicaMaxLag = d
	}
	if c.ReplicaURL == "" {
		return nil
	}
	if c.DatabaseURL == "" {
		return fmt.Errorf("DATABASE_REPLICA_URL is set but DATABASE_URL is not: " +
			"a replica needs the primary it follows (the private server has none)")
	}
	if !strings.Contains(c.ReplicaURL, "://") && !strings.Contains(c.ReplicaURL, "=") {
		return fmt.Errorf("DATABASE_REPLICA_URL: want postgres://user:password@host:5432/dbname or key=value pairs")
	}
	return nil
}
