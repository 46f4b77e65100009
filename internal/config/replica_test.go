package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/config"
)

func TestReplicaSettings(t *testing.T) {
	const primary, replica = "postgres://app@db:5432/cadrestats", "postgres://app@replica:5432/cadrestats"
	tests := []struct {
		name    string
		env     map[string]string
		wantURL string
		wantLag time.Duration
		wantErr string
	}{
		{"none", nil, "", 5 * time.Second, ""},
		{"replica", map[string]string{"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica}, replica, 5 * time.Second, ""},
		{"bound", map[string]string{"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica, "CADRESTATS_REPLICA_MAX_LAG": "1500ms"}, replica, 1500 * time.Millisecond, ""},
		{"without a primary", map[string]string{"DATABASE_REPLICA_URL": replica}, "", 0, "needs the primary"},
		{"not a url", map[string]string{"DATABASE_URL": primary, "DATABASE_REPLICA_URL": "replica"}, "", 0, "DATABASE_REPLICA_URL"},
		{"bound without unit", map[string]string{"CADRESTATS_REPLICA_MAX_LAG": "5"}, "", 0, "CADRESTATS_REPLICA_MAX_LAG"},
		{"negative bound", map[string]string{"CADRESTATS_REPLICA_MAX_LAG": "-1s"}, "", 0, "positive duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load(env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load(%v) error %v, want one mentioning %q", tt.env, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.ReplicaURL != tt.wantURL || c.ReplicaMaxLag != tt.wantLag {
				t.Errorf("Load(%v): replica %q, max lag %v; want %q, %v", tt.env, c.ReplicaURL, c.ReplicaMaxLag, tt.wantURL, tt.wantLag)
			}
		})
	}
}
