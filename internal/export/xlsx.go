package export

import (
	"archive/zip"
	"compress/flate"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// XLSXOptions holds what depends on the reader's language.
type XLSXOptions struct {
	FiguresSheet string // "Số liệu"
	SourcesSheet string // "Nguồn"
	DateFormat   string // Excel number format for dates: "dd/mm/yyyy"
	// Sources, when set, reads the sources the figures cite when the
	// sources sheet is written, oldest first (published, then key), so
	// that the writer keeps only their ids and counts: a million figures
	// cite 160.000 sources. Without it, the writer keeps each source.
	Sources func(ids []int64, fn func(stats.Source) error) error
}

// SourceColumns are the columns of the sources sheet; figures counts the
// exported figures that cite the source.
var SourceColumns = []string{"key", "title", "outlet", "author", "published", "url", "figures"}

// XLSX writes figures as an Excel workbook: a sheet of figures in Columns
// order with numbers as numbers and dates as dates, and a sheet of the
// sources they cite.
//
// Rows go to excelize's stream writer, which keeps at most 16 MiB of sheet
// XML in memory and spills the rest to a temporary file; the workbook is
// zipped straight into w by Flush. Nothing reaches w before Flush, so an
// error while reading figures can still be answered properly.
type XLSX struct {
	w        io.Writer
	file     *excelize.File
	sheet    *excelize.StreamWriter
	opts     XLSXOptions
	row      int
	cells    []Cell
	vals     []any
	date     int // style ids
	header   int
	sources  map[int64]*sourceCount
	counts   map[int64]int // with opts.Sources
	finished bool
}

type sourceCount struct {
	src stats.Source
	n   int
}

// widths are column widths in characters; unlisted columns get 12.
var widths = map[string]float64{
	"id": 6, "locality": 16, "locality_level": 14, "province": 14, "category": 18, "subject": 40,
	"value": 10, "unit": 11, "qualifier": 12, "term": 14, "source_title": 45, "source_outlet": 20,
	"quote": 80, "locality_slug": 14, "source_key": 24, "denominator": 12, "from_level": 11,
	"to_level": 11, "parent_id": 10, "measure": 9,
}

var sourceWidths = []float64{24, 60, 22, 18, 12, 50, 9}

// NewXLSX starts a workbook that Flush writes to w. Close removes its
// temporary files. Errors: an invalid sheet name or date format.
func NewXLSX(w io.Writer, opts XLSXOptions) (x *XLSX, err error) {
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			_ = f.Close()
		}
	}()
	x = &XLSX{w: w, file: f, opts: opts, cells: newRow(), vals: make([]any, len(columns)),
		sources: map[int64]*sourceCount{}, counts: map[int64]int{}}
	if x.header, err = f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	}); err != nil {
		return nil, fmt.Errorf("xlsx header style: %w", err)
	}
	df := opts.DateFormat
	if df == "" {
		df = "yyyy-mm-dd"
	}
	if x.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &df}); err != nil {
		return nil, fmt.Errorf("xlsx date style: %w", err)
	}
	if err = f.SetSheetName(f.GetSheetName(0), opts.FiguresSheet); err != nil {
		return nil, fmt.Errorf("xlsx sheet %q: %w", opts.FiguresSheet, err)
	}
	ws := make([]float64, len(columns))
	for i, c := range columns {
		ws[i] = cmp.Or(widths[c.Name], 12)
	}
	if x.sheet, err = x.startSheet(opts.FiguresSheet, Columns, ws); err != nil {
		return nil, err
	}
	return x, nil
}

// startSheet opens a stream writer with widths, a frozen header row and
// the header itself (excelize wants widths and panes before any row).
func (x *XLSX) startSheet(name string, header []string, widths []float64) (*excelize.StreamWriter, error) {
	sw, err := x.file.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("xlsx sheet %q: %w", name, err)
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, fmt.Errorf("xlsx column width: %w", err)
		}
	}
	err = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
	if err != nil {
		return nil, fmt.Errorf("xlsx panes: %w", err)
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: x.header, Value: h}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return nil, fmt.Errorf("xlsx header: %w", err)
	}
	x.row = 1
	return sw, nil
}

// Write adds one figure. Text goes into string cells exactly as typed: a
// string cell is never evaluated, so "=HYPERLINK(…)" stays text without
// the apostrophe CSV needs.
func (x *XLSX) Write(f stats.Figure) error {
	cells(&f, x.cells)
	for i, col := range columns {
		c := x.cells[i]
		switch {
		case c.Null:
			x.vals[i] = nil
		case col.Kind == Int:
			x.vals[i] = c.Int
		case col.Kind == Number:
			x.vals[i] = c.Num
		case col.Kind == Date:
			x.vals[i] = excelize.Cell{StyleID: x.date, Value: c.Date}
		case col.Kind == Bool:
			x.vals[i] = c.Bool
		default:
			x.vals[i] = c.Str
		}
	}
	x.row++
	ref, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return fmt.Errorf("xlsx row %d: %w", f.ID, err)
	}
	if err := x.sheet.SetRow(ref, x.vals); err != nil {
		return fmt.Errorf("xlsx row %d: %w", f.ID, err)
	}
	if x.opts.Sources != nil {
		x.counts[f.Source.ID]++
	} else if s := x.sources[f.Source.ID]; s != nil {
		s.n++
	} else {
		// Kept to the end: the figure's strings may be the driver's,
		// valid only during Write (postgres.StreamFigures).
		src := f.Source
		for _, p := range []*string{&src.Key, &src.Title, &src.Outlet, &src.Author, &src.PublishedTime, &src.PublishedText, &src.URL} {
			*p = strings.Clone(*p)
		}
		x.sources[f.Source.ID] = &sourceCount{src: src, n: 1}
	}
	return nil
}

// Flush ends the figures sheet, writes the sources sheet (oldest article
// first) and zips the workbook into w.
func (x *XLSX) Flush() error {
	if x.finished {
		return fmt.Errorf("xlsx: flushed twice")
	}
	x.finished = true
	if err := x.sheet.Flush(); err != nil {
		return fmt.Errorf("xlsx figures sheet: %w", err)
	}
	if _, err := x.file.NewSheet(x.opts.SourcesSheet); err != nil {
		return fmt.Errorf("xlsx sheet %q: %w", x.opts.SourcesSheet, err)
	}
	sw, err := x.startSheet(x.opts.SourcesSheet, SourceColumns, sourceWidths)
	if err != nil {
		return err
	}
	row := 1
	write := func(src stats.Source, n int) error {
		row++
		vals := []any{src.Key, src.Title, src.Outlet, nilIfEmpty(src.Author),
			excelize.Cell{StyleID: x.date, Value: src.PublishedOn}, nilIfEmpty(src.URL), n}
		if err := sw.SetRow(fmt.Sprintf("A%d", row), vals); err != nil {
			return fmt.Errorf("xlsx source %s: %w", src.Key, err)
		}
		return nil
	}
	if x.opts.Sources != nil {
		ids := make([]int64, 0, len(x.counts))
		for id := range x.counts {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		if err := x.opts.Sources(ids, func(src stats.Source) error { return write(src, x.counts[src.ID]) }); err != nil {
			return err
		}
	} else {
		list := make([]*sourceCount, 0, len(x.sources))
		for _, s := range x.sources {
			list = append(list, s)
		}
		slices.SortFunc(list, func(a, b *sourceCount) int {
			return cmp.Or(a.src.PublishedOn.Compare(b.src.PublishedOn), cmp.Compare(a.src.Key, b.src.Key))
		})
		for _, s := range list {
			if err := write(s.src, s.n); err != nil {
				return err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx sources sheet: %w", err)
	}
	// excelize's WriteTo zips the whole file into a bytes.Buffer first, so
	// memory would grow with the workbook; its zip writer hook lets the
	// archive go straight to w instead, and the buffer stays empty.
	zw := zip.NewWriter(x.w)
	// Deflate at its fastest: an export of a million rows spent a third of
	// its time compressing at the default level, for a file about a
	// fifth smaller.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	x.file.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zw })
	if _, err := x.file.WriteToBuffer(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// Close removes the temporary files of a large workbook.
func (x *XLSX) Close() error {
	return x.file.Close()
}

// nilIfEmpty leaves a cell blank rather than holding an empty string.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
