package main

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/unicode/norm"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/extract"
	"github.com/cadrestats/cadrestats/internal/fetch"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/seed"
)

const extractSynopsis = `extract [-source KEY] [-locality SLUG] [-published YYYY-MM-DD] [-title TEXT] [-outlet NAME] [-save USER] FILE|DIR|- …

Reads articles (UTF-8 text files, saved .html pages, the .txt and .html
files of a folder, or standard input for -) and writes every number in
them as CSV: "figure" rows are proposed figures, in the export's columns
so that, once checked and corrected, they import (admin bulk import);
"other" rows are numbers listed apart (dates, document numbers,
durations, view counters …), with the reason in "note". An .html page
gives its source's title, outlet and date. No database is needed:
localities and sources come from the seed.

With -save USER, each article's candidates are instead saved, as that
user, as one batch of unverified figures for the review queue, each
article with a new source (its page's title, outlet and date; for a text
file its first line, -outlet and the date in its header or -published).`

// extractCmd is `cadrestats extract FILE…`: the assisted extraction of
// articles, as CSV on standard output or saved for review.
func extractCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("extract", extractSynopsis, stderr)
	source := fs.String("source", "", "source key for the source_key column (a seeded source also gives title, outlet and date); one article only")
	locality := fs.String("locality", "", "slug of the articles' locality, proposed where a sentence names no other")
	published := fs.String("published", "", "publication date, YYYY-MM-DD (default: the source's or page's, else read from the article's header)")
	title := fs.String("title", "", "the article's headline, when the text does not start with it; one article only")
	outlet := fs.String("outlet", "", "the outlet, for articles whose page does not name one")
	save := fs.String("save", "", "save each article's candidates as unverified figures of this user, for review")
	// Flags may also follow the files: "extract article.txt -locality song-lo".
	var paths []string
	for rest := args; ; {
		if err := parseFlags(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		paths = append(paths, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(paths) == 0 {
		fs.Usage()
		return usageError{"extract needs a file, a folder or - for standard input"}
	}
	files, err := articleFiles(paths)
	if err != nil {
		return err
	}
	if len(files) > 1 && (*source != "" || *title != "") {
		return usageError{"-source and -title name one article; with several, each takes its own from its page or first line"}
	}
	var day time.Time
	if *published != "" {
		if day, err = time.Parse(time.DateOnly, *published); err != nil {
			return usageError{fmt.Sprintf("-published %q: want a date as YYYY-MM-DD", *published)}
		}
	}

	ds, err := seed.Load(seed.Files())
	if err != nil {
		return fmt.Errorf("load seed: %w", err)
	}
	var seeded stats.Source
	for _, s := range ds.Sources {
		if s.Key == *source {
			seeded = s
		}
	}
	byslug := map[string]stats.Locality{}
	var locs []extract.Locality
	for _, l := range ds.Localities {
		byslug[l.Slug] = l
		el := extract.Locality{Slug: l.Slug, Name: l.Name, Level: string(l.Level), Parent: l.ParentSlug}
		if l.ValidFrom != nil {
			el.ValidFrom = *l.ValidFrom
		}
		if l.ValidTo != nil {
			el.ValidTo = *l.ValidTo
		}
		locs = append(locs, el)
	}
	if _, ok := byslug[*locality]; *locality != "" && !ok {
		fmt.Fprintf(stderr, "cadrestats extract: locality %q is not a seeded locality; its name and province are left empty\n", *locality)
	}

	var arts []extracted
	for _, file := range files {
		a, err := readArticle(file, stdin)
		if err != nil {
			return err
		}
		src := seeded
		src.Key = *source
		if src.Title == "" {
			src.Title = *title
		}
		if a.page != nil {
			src.Title, src.URL = cmp.Or(src.Title, a.page.Title), cmp.Or(src.URL, a.page.URL)
			src.Outlet = cmp.Or(src.Outlet, a.page.Outlet)
			if src.PublishedOn.IsZero() {
				src.PublishedOn = a.page.Published
			}
		}
		src.Outlet = cmp.Or(src.Outlet, *outlet)
		if !day.IsZero() {
			src.PublishedOn = day
		}
		res := extract.Extract(extract.Input{Text: a.text, Title: src.Title, Published: src.PublishedOn, Locality: *locality,
			Localities: locs})
		if src.PublishedOn.IsZero() {
			src.PublishedOn = res.Published
		}
		arts = append(arts, extracted{file: file, text: a.text, src: src, res: res})
	}
	if *save != "" {
		return saveExtracted(ctx, getenv, *save, arts, stdout, stderr)
	}
	cw, err := newCandidateWriter(stdout, export.Columns)
	if err != nil {
		return err
	}
	for _, a := range arts {
		file := ""
		if len(arts) > 1 {
			file = a.file
		}
		if err := cw.article(a.res, a.src, byslug, file); err != nil {
			return err
		}
	}
	return cw.flush()
}

// extracted is one article read and extracted.
type extracted struct {
	file string
	text string
	src  stats.Source
	res  extract.Result
}

// articleFiles expands folders into their .txt and .html files, in name order.
func articleFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if p == "-" {
			if len(paths) > 1 {
				return nil, usageError{"- (standard input) is read alone"}
			}
			return paths, nil
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read article: %w", err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("read folder: %w", err)
		}
		n := len(out)
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".txt", ".html", ".htm":
				if !e.IsDir() {
					out = append(out, filepath.Join(p, e.Name()))
				}
			}
		}
		if len(out) == n {
			return nil, usageError{fmt.Sprintf("folder %s holds no .txt or .html article", p)}
		}
	}
	return out, nil
}

type articleText struct {
	text string
	page *fetch.Page // an .html page's metadata
}

// readArticle reads a text file, standard input, or a saved page's main text.
func readArticle(file string, stdin io.Reader) (articleText, error) {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".html", ".htm":
		f, err := os.Open(file)
		if err != nil {
			return articleText{}, fmt.Errorf("read article: %w", err)
		}
		defer f.Close()
		r, err := charset.NewReader(f, "text/html")
		if err != nil {
			return articleText{}, fmt.Errorf("read article %s: %w", file, err)
		}
		p, err := fetch.Read(r, nil)
		if err != nil {
			return articleText{}, fmt.Errorf("read article %s: %w", file, err)
		}
		return articleText{text: p.Text, page: &p}, nil
	}
	text, err := readText(file, stdin)
	return articleText{text: text}, err
}

// saveExtracted saves each article's candidates as one batch of the
// user, with a new source (or the seeded one named by -source), and says
// on stdout what became of each. An article refused is saved not at all;
// the others are, and the command fails at the end.
func saveExtracted(ctx context.Context, getenv func(string) string, username string, arts []extracted, stdout, stderr io.Writer) error {
	db, err := openDatabase(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.server != nil { // zero configuration: a private database is ours to prepare
		if err := migrateUp(ctx, db.pool); err != nil {
			return err
		}
		if err := seedDatabase(ctx, db.pool, db.log); err != nil {
			return err
		}
	}
	store := postgres.New(db.pool)
	users, err := stats.NewAccounts(store).Users(ctx)
	if err != nil {
		return err
	}
	var user *stats.User
	for i := range users {
		if users[i].Username == stats.NormalizeUsername(username) && !users[i].Disabled {
			user = &users[i]
		}
	}
	if user == nil {
		return usageError{fmt.Sprintf("-save %q: no such active user (cadrestats user add NAME)", username)}
	}
	editor := stats.NewEditor(store)
	failed := 0
	for _, a := range arts {
		name := cmp.Or(a.file, "-")
		if len(a.res.Candidates) == 0 {
			fmt.Fprintf(stdout, "%s: no figures proposed, nothing saved\n", name)
			continue
		}
		src := a.src
		existing := false
		if src.Key != "" {
			if _, err := stats.NewService(store).SourceByKey(ctx, src.Key); err == nil {
				existing = true
			}
		}
		if src.Title == "" {
			src.Title = firstLine(a.text)
		}
		ins := make([]stats.FigureInput, len(a.res.Candidates))
		for i, c := range a.res.Candidates {
			ins[i] = c.Input(src.Key)
			if !existing {
				ins[i].SourceKey = ""
			}
		}
		if !existing {
			src.Normalize()
			ins[0].NewSource = &src
		}
		ids, err := editor.SaveBatch(ctx, *user, ins)
		var be *stats.BatchError
		var ve *stats.ValidationError
		switch {
		case errors.As(err, &be), errors.As(err, &ve):
			failed++
			fmt.Fprintf(stdout, "%s: not saved: %v\n", name, err)
			continue
		case err != nil:
			return fmt.Errorf("save %s: %w", name, err)
		}
		fmt.Fprintf(stdout, "%s: %d figures saved for review (%s)\n", name, len(ids), cmp.Or(src.Key, src.Title))
	}
	if failed > 0 {
		return fmt.Errorf("extract: %d of %d articles not saved", failed, len(arts))
	}
	return nil
}

func firstLine(text string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if l := strings.TrimSpace(line); l != "" {
			return l
		}
	}
	return ""
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

// candidateWriter writes the figures, then the numbers listed apart, of
// each article in text order, as CSV with a BOM, "kind" and "note", then
// columns (the export's): they are filled by name, and those this command
// does not know stay empty.
type candidateWriter struct {
	cw     *csv.Writer
	header []string
}

func newCandidateWriter(w io.Writer, columns []string) (*candidateWriter, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := append(append([]string{}, extractColumns...), columns...)
	if err := cw.Write(header); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return &candidateWriter{cw: cw, header: header}, nil
}

func (w *candidateWriter) flush() error {
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// article writes one article's rows; file, when several are read, goes in
// the note.
func (w *candidateWriter) article(res extract.Result, src stats.Source, localities map[string]stats.Locality, file string) error {
	row := func(cells map[string]string) error {
		rec := make([]string, len(w.header))
		for i, col := range w.header {
			rec[i] = cells[col]
			if textColumns[col] {
				rec[i] = export.Neutralize(rec[i])
			}
		}
		if err := w.cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		return nil
	}
	common := func(slug string) map[string]string {
		cells := map[string]string{"source_key": src.Key, "source_title": src.Title, "source_outlet": src.Outlet,
			"source_published": day(src.PublishedOn), "source_url": src.URL, "locality_slug": slug}
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
		if file != "" {
			note = append(note, "file: "+file)
		}
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
		if c.Count >= 0 {
			note = append(note, fmt.Sprintf("share of figure %d (%s)", c.Count+1, stats.FormatValue(res.Candidates[c.Count].Value)))
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
			return err
		}
	}
	for _, o := range res.Others {
		cells := common(res.Locality)
		cells["kind"], cells["note"] = "other", o.Reason
		if file != "" {
			cells["note"] = "file: " + file + "; " + o.Reason
		}
		cells["value"], cells["quote"] = stats.FormatValue(o.Value), o.Sentence
		if err := row(cells); err != nil {
			return err
		}
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
