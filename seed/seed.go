// Package seed holds the figures of the five founding articles as
// reviewable CSV files, and reads them into a dataset. figures.csv is in
// the export format: seeding is an import of it.
package seed

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/csvimport"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/textnorm"
)

//go:embed *.csv
var files embed.FS

// Files are the seed CSV files.
func Files() fs.FS { return files }

// Load reads every seed table from fsys (normally Files()).
func Load(fsys fs.FS) (stats.Dataset, error) {
	var ds stats.Dataset
	err := each(fsys, "localities.csv", func(r csvimport.Record) error {
		l := stats.Locality{
			Slug: r.Get("slug"), Name: textnorm.Clean(r.Get("name")), Prefix: textnorm.Clean(r.Get("prefix")),
			Level: stats.Level(r.Get("level")), ParentSlug: r.Get("parent"), SuccessorSlug: r.Get("successor"),
			Note: textnorm.Clean(r.Get("note")), Focus: r.Get("focus") == "true",
		}
		var err error
		if l.ValidFrom, err = optDate(r.Get("valid_from")); err != nil {
			return err
		}
		if l.ValidTo, err = optDate(r.Get("valid_to")); err != nil {
			return err
		}
		if !l.Level.Valid() {
			return fmt.Errorf("unknown level %q", l.Level)
		}
		ds.Localities = append(ds.Localities, l)
		return nil
	})
	if err != nil {
		return ds, err
	}
	err = each(fsys, "indicators.csv", func(r csvimport.Record) error {
		ind := stats.Indicator{Key: r.Get("key"), Category: r.Get("category"), Unit: r.Get("unit"),
			Measure: stats.Measure(r.Get("measure")), Name: r.Get("name"), NameEN: r.Get("name_en"),
			Definition: r.Get("definition"), DefinitionEN: r.Get("definition_en"), Includes: r.Get("includes"),
			IncludesEN: r.Get("includes_en"), Excludes: r.Get("excludes"), ExcludesEN: r.Get("excludes_en"),
			Denominator: r.Get("denominator")}
		ind.Normalize()
		if err := ind.Validate(); err != nil {
			return fmt.Errorf("indicator %s: %w", ind.Key, err)
		}
		ds.Indicators = append(ds.Indicators, ind)
		return nil
	})
	if err != nil {
		return ds, err
	}
	err = each(fsys, "terms.csv", func(r csvimport.Record) error {
		t := stats.Term{Key: r.Get("key"), Name: textnorm.Clean(r.Get("name")), NameEN: textnorm.Clean(r.Get("name_en")), Kind: r.Get("kind")}
		var err1, err2 error
		t.StartYear, err1 = strconv.Atoi(r.Get("start_year"))
		t.EndYear, err2 = strconv.Atoi(r.Get("end_year"))
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		ds.Terms = append(ds.Terms, t)
		return nil
	})
	if err != nil {
		return ds, err
	}
	err = each(fsys, "sources.csv", func(r csvimport.Record) error {
		s := stats.Source{Key: r.Get("key"), Title: textnorm.Clean(r.Get("title")), Outlet: textnorm.Clean(r.Get("outlet")),
			Author: textnorm.Clean(r.Get("author")), PublishedTime: r.Get("published_time"),
			PublishedText: textnorm.Clean(r.Get("published_text")), URL: r.Get("url")}
		var err error
		s.PublishedOn, err = time.Parse(time.DateOnly, r.Get("published_on"))
		if err != nil {
			return err
		}
		ds.Sources = append(ds.Sources, s)
		return nil
	})
	if err != nil {
		return ds, err
	}
	err = each(fsys, "figures.csv", func(r csvimport.Record) error {
		in, err := csvimport.Figure(r)
		if err != nil {
			return err
		}
		ds.Figures = append(ds.Figures, in)
		return nil
	})
	if err != nil {
		return ds, err
	}
	err = each(fsys, "findings.csv", func(r csvimport.Record) error {
		id, err := strconv.ParseInt(r.Get("id"), 10, 64)
		if err != nil {
			return err
		}
		ds.Findings = append(ds.Findings, stats.Finding{ID: id, LocalitySlug: r.Get("locality_slug"),
			Category: r.Get("category"), TermKey: r.Get("term"), Statement: textnorm.Clean(r.Get("statement")),
			StatementEN: textnorm.Clean(r.Get("statement_en")), Quote: textnorm.Clean(r.Get("quote")),
			Source: stats.Source{Key: r.Get("source_key")}})
		return nil
	})
	return ds, err
}

func each(fsys fs.FS, name string, fn func(csvimport.Record) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	defer f.Close()
	rd, err := csvimport.NewReader(f)
	if err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("seed %s: %w", name, err)
		}
		if err := fn(rec); err != nil {
			return fmt.Errorf("seed %s line %d: %w", name, rec.Line, err)
		}
	}
}

func optDate(s string) (*time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
