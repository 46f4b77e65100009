package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/extract"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/seed"
)

const extractSynopsis = `extract [-source KEY] [-locality SLUG] [-published YYYY-MM-DD] [-title TEXT] FILE|-

Reads an article (a UTF-8 text file, or standard input for -) and writes
every number in it as CSV: "figure" rows are proposed figures, in the
export's columns so that, once checked and corrected, they import
(admin bulk import); "other" rows are numbers listed apart (dates,
document numbers, durations, view counters …), with the reason in "note".
No database is needed: localities and sources come from the seed.`

// extractCmd is `cadrestats extract FILE`: the assisted extraction of an
// article, as CSV on standard output.
func extractCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("extract", extractSynopsis, stderr)
	source := fs.String("source", "", "source key for the source_key column (a seeded source also gives title, outlet and date)")
	locality := fs.String("locality", "", "slug of the article's locality, proposed where a sentence names no other")
	published := fs.String("published", "", "publication date, YYYY-MM-DD (default: the source's, else read from the article's header)")
	title := fs.String("title", "", "the article's headline, when the text does not start with it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Flags may also follow the file: "extract article.txt -locality song-lo".
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"extract needs a file (or - for standard input)"}
	}
	file := fs.Arg(0)
	if err := parseFlags(fs, fs.Args()[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("extract takes one file, not also %q", fs.Arg(0))}
	}

	ds, err := seed.Load(seed.Files())
	if err != nil {
		return fmt.Errorf("load seed: %w", err)
	}
	in := extract.Input{Locality: *locality, Title: *title}
	var src stats.Source
	for _, s := range ds.Sources {
		if s.Key == *source {
			src = s
		}
	}
	src.Key = *source
	if in.Title == "" {
		in.Title = src.Title
	}
	in.Published = src.PublishedOn
	if *published != "" {
		t, err := time.Parse(time.DateOnly, *published)
		if err != nil {
			return usageError{fmt.Sprintf("-published %q: want a date as YYYY-MM-DD", *published)}
		}
		in.Published = t
	}
	byslug := map[string]stats.Locality{}
	for _, l := range ds.Localities {
		byslug[l.Slug] = l
		el := extract.Locality{Slug: l.Slug, Name: l.Name, Level: string(l.Level), Parent: l.ParentSlug}
		if l.ValidFrom != nil {
			el.ValidFrom = *l.ValidFrom
		}
		if l.ValidTo != nil {
			el.ValidTo = *l.ValidTo
		}
		in.Localities = append(in.Localities, el)
	}
	if _, ok := byslug[in.Locality]; in.Locality != "" && !ok {
		fmt.Fprintf(stderr, "cadrestats extract: locality %q is not a seeded locality; its name and province are left empty\n", in.Locality)
	}

	text, err := readText(file, stdin)
	if err != nil {
		return err
	}
	in.Text = text
	res := extract.Extract(in)
	if src.PublishedOn.IsZero() {
		src.PublishedOn = res.Published
	}
	return writeCandidates(stdout, export.Columns, res, src, byslug)
}

// readText reads the article: a file, or standard input for "-", as UTF-8
// in NFC, so that quotes are the text as the database stores it.
func readText(file string, stdin io.Reader) (string, error) {
	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return "", fmt.Errorf("read article: %w", err)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("read article %s: not UTF-8 text", file)
	}
	return norm.NFC.String(strings.TrimPrefix(string(b), "\uFEFF")), nil
}

// extractColumns lead the export's columns.
var extractColumns = []string{"kind", "note"}

// textColumns are typed by people (or taken from articles): guarded
// against spreadsheet formulas as the export guards them.
var textColumns = map[string]bool{"note": true, "locality": true, "province": true, "subject": true,
	"source_title": true, "source_outlet": true, "quote": true}

// writeCandidates writes the figures, then the numbers listed apart, each
// in text order, as CSV with a BOM, "kind" and "note", then columns (the
// export's): they are filled by name, and those this command does not know
// stay empty.
func writeCandidates(w io.Writer, columns []string, res extract.Result, src stats.Source, localities map[string]stats.Locality) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := append(append([]string{}, extractColumns...), columns...)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	row := func(cells map[string]string) error {
		rec := make([]string, len(header))
		for i, col := range header {
			rec[i] = cells[col]
			if textColumns[col] {
				rec[i] = export.Neutralize(rec[i])
			}
		}
		return cw.Write(rec)
	}
	common := func(slug string) map[string]string {
		cells := map[string]string{"source_key": src.Key, "source_title": src.Title, "source_outlet": src.Outlet,
			"source_published": day(src.PublishedOn), "locality_slug": slug}
		if slug == extract.NationalSlug {
			cells["locality"], cells["locality_level"] = "Trung ương", extract.NationalLevel
		} else if l, ok := localities[slug]; ok {
			cells["locality"], cells["locality_level"] = l.Name, string(l.Level)
			cells["province"] = provinceOf(l, localities)
		}
		return cells
	}
	for i, c := range res.Candidates {
		cells := common(c.Locality)
		note := []string{}
		if c.Cue != "" {
			note = append(note, "cue: "+c.Cue)
		}
		if c.PeriodText != "" {
			note = append(note, "period: "+c.PeriodText)
		} else if !c.PeriodStart.IsZero() {
			note = append(note, "period: the publication date")
		}
		if c.Parent >= 0 {
			note = append(note, fmt.Sprintf("part of figure %d (%s)", c.Parent+1, stats.FormatValue(res.Candidates[c.Parent].Value)))
		}
		cells["kind"] = "figure"
		cells["note"] = fmt.Sprintf("#%d ", i+1) + strings.Join(note, "; ")
		// The figure's fields, by the names every import reads; a part's
		// total is named in the note (it has no id before it is saved).
		in := c.Input(src.Key)
		in.ParentRef = 0
		for _, f := range stats.FigureFields[1:] {
			if s := f.Get(&in); s != "" || cells[f.Name] == "" {
				cells[f.Name] = s
			}
		}
		cells["measure"] = c.Measure
		if err := row(cells); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	for _, o := range res.Others {
		cells := common(res.Locality)
		cells["kind"], cells["note"] = "other", o.Reason
		cells["value"], cells["quote"] = stats.FormatValue(o.Value), o.Sentence
		if err := row(cells); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// provinceOf is the name of the province a locality lay in.
func provinceOf(l stats.Locality, localities map[string]stats.Locality) string {
	for n := 0; n < 5; n++ {
		if l.Level == stats.LevelProvince || l.ParentSlug == "" {
			return l.Name
		}
		p, ok := localities[l.ParentSlug]
		if !ok {
			return ""
		}
		l = p
	}
	return ""
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
