package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
)

func TestSynthCommand(t *testing.T) {
	t.Run("RefusesRealData", func(t *testing.T) {
		e := env(map[string]string{"DATABASE_URL": pgtest.DSN(t, "seeded")})
		err := run(t.Context(), []string{"synth", "-figures", "500"}, e, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "51 figures of real sources") {
			t.Fatalf("synth on the seeded database: %v, want a refusal", err)
		}
		var out bytes.Buffer
		if err := run(t.Context(), []string{"synth", "-figures", "500", "-allow-real"}, e, nil, &out, io.Discard); err != nil {
			t.Fatalf("synth -allow-real: %v", err)
		}
		if !strings.Contains(out.String(), "500 figures") {
			t.Errorf("output %q", out.String())
		}
		err = run(t.Context(), []string{"synth", "-figures", "500", "-allow-real"}, e, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "already holds 500 synthetic figures") {
			t.Errorf("synth twice: %v, want a refusal", err)
		}
	})
	t.Run("FreshDatabaseThenSeed", func(t *testing.T) {
		dsn := pgtest.DSN(t, "migrated")
		e := env(map[string]string{"DATABASE_URL": dsn})
		if err := run(t.Context(), []string{"synth", "-figures", "3000", "-seed", "2"}, e, nil, io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		// serve seeds at start: the seed's figures, with their fixed ids,
		// must go in beside the synthetic ones.
		if err := run(t.Context(), []string{"seed"}, e, nil, io.Discard, io.Discard); err != nil {
			t.Fatalf("seed after synth: %v", err)
		}
		pool, err := postgres.Connect(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		syn, real, err := postgres.New(pool).FigureOrigins(t.Context())
		if err != nil || syn != 3000 || real != 51 {
			t.Errorf("figures: %d synthetic, %d real (%v); want 3000 and 51", syn, real, err)
		}
		var locs, provinces int
		if err := pool.QueryRow(t.Context(), `SELECT count(*), count(*) FILTER (WHERE level = 'province') FROM localities`).Scan(&locs, &provinces); err != nil {
			t.Fatal(err)
		}
		if locs < 10_000 || provinces != 63+23 {
			t.Errorf("%d localities, %d provinces; want over 10.000 and 86 (63 before 2025, 23 new)", locs, provinces)
		}
	})
	t.Run("Size", func(t *testing.T) {
		err := run(t.Context(), []string{"synth", "-size", "5k"}, env(nil), nil, io.Discard, io.Discard)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), "100k, 10m, 1m") {
			t.Errorf("-size 5k: %v", err)
		}
	})
}
