package config_test

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != ".data" || c.DatabaseURL != "" {
		t.Errorf("defaults = %+v", c)
	}
}

func TestRefusesBadValues(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"addr without port": {"CADRESTATS_ADDR": "localhost"},
		"log format":        {"CADRESTATS_LOG_FORMAT": "xml"},
		"database url":      {"DATABASE_URL": "not a url"},
	} {
		if _, err := config.Load(env(m)); err == nil {
			t.Errorf("%s: %v accepted", name, m)
		}
	}
}

func TestRobustnessSettings(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DBMaxConns != 12 || c.Exports != 2 || c.StatementTimeout != 5*time.Second || c.ExportTimeout != 10*time.Minute ||
		c.ShutdownTimeout != 10*time.Second || c.TrustedProxies != nil || c.PublicURL != nil {
		t.Errorf("defaults = %+v", c)
	}
	c, err = config.Load(env(map[string]string{
		"CADRESTATS_DB_MAX_CONNS": "20", "CADRESTATS_EXPORTS": "3", "CADRESTATS_DB_STATEMENT_TIMEOUT": "2s",
		"CADRESTATS_EXPORT_TIMEOUT": "30m", "CADRESTATS_SHUTDOWN_TIMEOUT": "3s",
		"CADRESTATS_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7 2001:db8::/32",
		"CADRESTATS_PUBLIC_URL":      "https://cadrestats.example.vn",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("2001:db8::/32")}
	if c.DBMaxConns != 20 || c.Exports != 3 || c.StatementTimeout != 2*time.Second || c.ExportTimeout != 30*time.Minute ||
		c.ShutdownTimeout != 3*time.Second || !slices.Equal(c.TrustedProxies, want) || c.PublicURL.Scheme != "https" {
		t.Errorf("settings = %+v", c)
	}
	for name, m := range map[string]map[string]string{
		"pool too small":        {"CADRESTATS_DB_MAX_CONNS": "2"},
		"pool not a number":     {"CADRESTATS_DB_MAX_CONNS": "many"},
		"exports take the pool": {"CADRESTATS_DB_MAX_CONNS": "8", "CADRESTATS_EXPORTS": "5"},
		"timeout without unit":  {"CADRESTATS_DB_STATEMENT_TIMEOUT": "5"},
		"proxy not a CIDR":      {"CADRESTATS_TRUSTED_PROXIES": "proxy.example"},
		"public url relative":   {"CADRESTATS_PUBLIC_URL": "/cadrestats"},
		"public url scheme":     {"CADRESTATS_PUBLIC_URL": "ftp://example.vn"},
	} {
		if _, err := config.Load(env(m)); err == nil {
			t.Errorf("%s: %v accepted", name, m)
		}
	}
}
