package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
)

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "migrate up|down|status", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "up" && fs.Arg(0) != "down" && fs.Arg(0) != "status") {
		fs.Usage()
		return usageError{"migrate needs one of: up, down, status"}
	}
	db, err := openDatabase(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := postgres.NewMigrator(db.pool)
	if err != nil {
		return err
	}
	defer m.Close()
	switch fs.Arg(0) {
	case "up":
		return m.Up(ctx)
	case "down":
		return m.Down(ctx)
	}
	st, err := m.Status(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(stdout, "%05d  %-8s %s\n", s.Version, state, s.Source)
	}
	return nil
}

func seedCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", "seed", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"seed takes no arguments"}
	}
	db, err := openDatabase(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrateUp(ctx, db.pool); err != nil {
		return err
	}
	return seedDatabase(ctx, db.pool, db.log)
}

func exportCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "export [-locality SLUG] [-category CODE] [-term KEY] > figures.csv", stderr)
	locality := fs.String("locality", "", "only this locality (slug, e.g. song-lo; comma-separated for several)")
	category := fs.String("category", "", "only this category (code, e.g. rotation)")
	term := fs.String("term", "", "only this term (key, e.g. nk-2015-2020)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("export takes options, not %q", fs.Arg(0))}
	}
	flt := stats.FigureFilter{Localities: splitList(*locality), Categories: splitList(*category), Terms: splitList(*term)}
	db, err := openDatabase(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.server != nil {
		// Zero configuration: a private database is ours to prepare.
		if err := migrateUp(ctx, db.pool); err != nil {
			return err
		}
		if err := seedDatabase(ctx, db.pool, db.log); err != nil {
			return err
		}
	}
	svc := stats.NewService(postgres.New(db.pool))
	if err := svc.CheckFilter(ctx, flt); err != nil {
		return usageError{err.Error()}
	}
	w, err := export.NewCSV(stdout)
	if err != nil {
		return err
	}
	if err := svc.StreamFigures(ctx, flt, w.Write); err != nil {
		return err
	}
	return w.Flush()
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
