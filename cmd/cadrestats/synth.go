package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/synth"
	"github.com/cadrestats/cadrestats/seed"
)

const synthSynopsis = `synth [-size 100k|1m|10m] [-figures N] [-seed N] [-allow-real]

Fills a database that is not the real one with invented, deterministic
data: the central level, the 63 provinces of before 1 July 2025 with
about 700 districts and 10.000 communes, the 34 provinces of after it
(the seed's localities among them), sources whose keys start with
"synth-" and Vietnamese quotes, and figures in every category, indicator
and unit: lower bounds, parts, ranked conflicts, targets; a tenth of them
in dien-bien, a few localities with tens of thousands, most with few.
It refuses a database that holds figures of real sources (unless
-allow-real) or synthetic ones already (use a fresh one). Indicators and
terms are the seed's.`

func synthCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("synth", synthSynopsis+"\n", stderr)
	size := fs.String("size", "100k", "how many figures: 100k, 1m or 10m")
	figures := fs.Int("figures", 0, "exactly this many figures instead (for tests)")
	seedN := fs.Uint64("seed", 1, "the same seed gives the same data")
	allowReal := fs.Bool("allow-real", false, "add synthetic figures to a database that holds real ones")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("synth takes options, not %q", fs.Arg(0))}
	}
	n := *figures
	if n == 0 {
		var ok bool
		if n, ok = synth.Sizes[strings.ToLower(*size)]; !ok {
			names := make([]string, 0, len(synth.Sizes))
			for k := range synth.Sizes {
				names = append(names, k)
			}
			slices.Sort(names)
			return usageError{fmt.Sprintf("-size %q: want one of %s", *size, strings.Join(names, ", "))}
		}
	}
	if n < 0 {
		return usageError{"-figures must be positive"}
	}
	db, err := openDatabase(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrateUp(ctx, db.pool); err != nil {
		return err
	}
	start := time.Now()
	res, err := loadSynthetic(ctx, db.pool, *seedN, n, *allowReal)
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(stdout, "synth: %d localities, %d sources, %d figures in %.1f s (%.0f figures/s), seed %d\n",
		res.Localities, res.Sources, res.Figures, el.Seconds(), float64(res.Figures)/el.Seconds(), *seedN)
	return nil
}

// loadSynthetic fills a migrated database with n synthetic figures, after
// checking it is not the real one.
func loadSynthetic(ctx context.Context, pool *pgxpool.Pool, seedN uint64, n int, allowReal bool) (stats.BulkLoad, error) {
	store := postgres.New(pool)
	syn, real, err := store.FigureOrigins(ctx)
	if err != nil {
		return stats.BulkLoad{}, err
	}
	switch {
	case syn > 0:
		return stats.BulkLoad{}, fmt.Errorf("the database already holds %d synthetic figures: use a fresh one (another CADRESTATS_DATA_DIR or DATABASE_URL)", syn)
	case real > 0 && !allowReal:
		return stats.BulkLoad{}, fmt.Errorf("the database holds %d figures of real sources: synth fills only a database that is not the real one (-allow-real adds to it anyway)", real)
	}
	// The seed's reference data, which the synthetic country builds on.
	ds, err := seed.Load(seed.Files())
	if err != nil {
		return stats.BulkLoad{}, err
	}
	if _, err := store.Seed(ctx, stats.Dataset{Localities: ds.Localities, Indicators: ds.Indicators, Terms: ds.Terms}); err != nil {
		return stats.BulkLoad{}, err
	}
	known, err := store.Localities(ctx)
	if err != nil {
		return stats.BulkLoad{}, err
	}
	return store.BulkLoad(ctx, synth.Localities(seedN, known), func(refs stats.BulkRefs) (iter.Seq[stats.Source], iter.Seq[stats.LoadFigure], error) {
		g, err := synth.New(synth.Options{Seed: seedN, Figures: n}, refs)
		if err != nil {
			return nil, nil, err
		}
		return g.Sources(), g.Figures(), nil
	})
}
