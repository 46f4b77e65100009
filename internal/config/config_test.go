package config_test

import (
	"testing"

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
