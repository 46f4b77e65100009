package export

import (
	"archive/zip"
	"cmp"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf16"
	"unicode/utf8"

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
	// RowsPerSheet is how many rows below the header a sheet holds before
	// the next one continues it ("Số liệu (2)"); 0 means Excel's limit.
	RowsPerSheet int
}

// excelRows is how many rows below its header an Excel sheet can hold
// (1.048.576 in all).
const excelRows = 1<<20 - 1

// excelCellChars is the most characters (UTF-16 units) Excel keeps in a
// cell; a longer text would make it refuse the file.
const excelCellChars = 32767

// SourceColumns are the columns of the sources sheet; figures counts the
// exported figures that cite the source.
var SourceColumns = []string{"key", "title", "outlet", "author", "published", "url", "figures"}

// XLSX writes figures as an Excel workbook: a sheet of figures in Columns
// order with numbers as numbers and dates as dates, and a sheet of the
// sources they cite.
//
// The workbook is SpreadsheetML written straight into a zip stream on w,
// row by row: memory stays flat whatever the number of figures, and the
// time is that of writing the rows and deflating them. (excelize's stream
// writer, used before, spooled the sheet to a temporary file and zipped
// it at the end: 26 s and 142 MB for a million figures.) Text goes into
// inline string cells, which Excel never evaluates. Bytes reach w from
// the first rows on, so a caller sends its headers with them; an error
// after that leaves a truncated file that no spreadsheet opens.
type XLSX struct {
	zip      *zip.Writer
	opts     XLSXOptions
	sheet    *pipe // the open sheet's part, nil between sheets
	sheets   []sheetPart
	row      int    // rows written to the open sheet, the header included
	buf      []byte // sheet XML not yet handed to the sheet's writer
	gap      bool   // a cell of the open row was left out
	cells    []Cell
	sources  map[int64]*sourceCount
	counts   map[int64]int // with opts.Sources
	finished bool
}

// sheetPart is a written sheet: its name, columns and last row, for the
// workbook that lists them.
type sheetPart struct {
	name       string
	cols, rows int
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

// Styles of styles.xml's cellXfs.
const (
	styleHeader = 1
	styleDate   = 2
)

// NewXLSX starts a workbook on w; Flush completes it. Errors: an invalid
// sheet name.
func NewXLSX(w io.Writer, opts XLSXOptions) (*XLSX, error) {
	for _, name := range []string{opts.FiguresSheet, opts.SourcesSheet} {
		if err := checkSheetName(name); err != nil {
			return nil, err
		}
	}
	if opts.FiguresSheet == opts.SourcesSheet {
		return nil, fmt.Errorf("xlsx: two sheets named %q", opts.FiguresSheet)
	}
	if opts.DateFormat == "" {
		opts.DateFormat = "yyyy-mm-dd"
	}
	if opts.RowsPerSheet <= 0 || opts.RowsPerSheet > excelRows {
		opts.RowsPerSheet = excelRows
	}
	zw := zip.NewWriter(w)
	// Deflate at its fastest: at the default level compression was a
	// third of a large export's time, for a file about a fifth smaller.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	x := &XLSX{zip: zw, opts: opts, cells: newRow(), sources: map[int64]*sourceCount{}, counts: map[int64]int{}}
	return x, nil
}

// checkSheetName applies Excel's rules for sheet names, with room for a
// continuation's " (2)".
func checkSheetName(name string) error {
	if n := utf8.RuneCountInString(name); n == 0 || n > 26 || !utf8.ValidString(name) ||
		strings.ContainsAny(name, `[]:*?/\`) || strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") {
		return fmt.Errorf("xlsx: invalid sheet name %q", name)
	}
	return nil
}

// startSheet opens the next sheet's part: a frozen header row, the
// columns' widths and the header itself.
func (x *XLSX) startSheet(name string, header []string, widths []float64) error {
	n := len(x.sheets) + 1
	sheet, err := x.zip.Create("xl/worksheets/sheet" + strconv.Itoa(n) + ".xml")
	if err != nil {
		return fmt.Errorf("xlsx sheet %q: %w", name, err)
	}
	x.sheet = newPipe(sheet)
	x.sheets = append(x.sheets, sheetPart{name: name, cols: len(header), rows: 1})
	x.row = 1
	b := append(x.buf, xmlHeader...)
	b = append(b, `<worksheet xmlns="`+nsMain+`" xmlns:r="`+nsRel+`"><sheetViews><sheetView workbookViewId="0"`...)
	if n == 1 {
		b = append(b, ` tabSelected="1"`...)
	}
	b = append(b, `><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>`+
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`+
		`<sheetFormatPr defaultRowHeight="15"/><cols>`...)
	for i, w := range widths {
		b = fmt.Appendf(b, `<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, w)
	}
	b = append(b, `</cols><sheetData><row r="1">`...)
	for i, h := range header {
		b = appendRef(b, i, 1)
		b = append(b, `" s="`+strconv.Itoa(styleHeader)+`" t="inlineStr"><is><t>`...)
		b = appendText(b, h)
		b = append(b, `</t></is></c>`...)
	}
	b = append(b, `</row>`...)
	x.buf = b
	return x.rowDone()
}

// endSheet closes the open sheet, with a filter on its header, once all
// of it is written.
func (x *XLSX) endSheet() error {
	s := x.sheets[len(x.sheets)-1]
	b := append(x.buf, `</sheetData><autoFilter ref="`...)
	b = appendRange(b, s)
	b = append(b, `"/></worksheet>`...)
	x.buf = x.sheet.send(b)
	err := x.sheet.close()
	x.buf, x.sheet = x.buf[:0], nil
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// rowDone hands the rows written so far to the sheet's writer once they
// fill a chunk.
func (x *XLSX) rowDone() error {
	if len(x.buf) < pipeChunk {
		return nil
	}
	x.buf = x.sheet.send(x.buf)
	if err := x.sheet.failed(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// Close stops the writing of an unfinished workbook (an error while the
// figures were read) and waits for it: nothing writes to w after Close.
// After Flush it does nothing.
func (x *XLSX) Close() {
	if x.sheet != nil {
		_ = x.sheet.close()
		x.sheet = nil
	}
}

// pipeChunk is how much sheet XML is handed to the compressor at a time.
const pipeChunk = 128 << 10

// pipe writes a sheet's XML to its zip entry, which deflates it, in a
// goroutine of its own: the rows are built on one core while the previous
// ones are compressed on the other (deflate is about half of the work).
// The producer owns one buffer at a time; send hands it over and returns
// an empty one.
type pipe struct {
	full, free chan []byte
	done       chan struct{}
	err        atomic.Pointer[error]
}

func newPipe(w io.Writer) *pipe {
	p := &pipe{full: make(chan []byte, 1), free: make(chan []byte, 2), done: make(chan struct{})}
	p.free <- make([]byte, 0, pipeChunk+4<<10)
	go func() {
		defer close(p.done)
		for b := range p.full {
			if p.err.Load() == nil {
				if _, err := w.Write(b); err != nil {
					p.err.Store(&err)
				}
			}
			p.free <- b[:0]
		}
	}()
	return p
}

// send hands b to the writer and returns a buffer to fill next.
func (p *pipe) send(b []byte) []byte {
	p.full <- b
	return <-p.free
}

// failed is the writer's error, if any.
func (p *pipe) failed() error {
	if err := p.err.Load(); err != nil {
		return *err
	}
	return nil
}

// close waits until everything sent is written.
func (p *pipe) close() error {
	close(p.full)
	<-p.done
	return p.failed()
}

// nextRow starts a row of the open sheet, or of its continuation once
// the sheet is full.
func (x *XLSX) nextRow(name string, header []string, widths []float64) error {
	if x.sheet == nil || x.row > x.opts.RowsPerSheet {
		if x.sheet != nil {
			if err := x.endSheet(); err != nil {
				return err
			}
			name = fmt.Sprintf("%s (%d)", name, x.continuation(name)+1)
		}
		if err := x.startSheet(name, header, widths); err != nil {
			return err
		}
	}
	x.row++
	x.sheets[len(x.sheets)-1].rows = x.row
	x.gap = false
	x.buf = append(x.buf, `<row r="`...)
	x.buf = strconv.AppendInt(x.buf, int64(x.row), 10)
	x.buf = append(x.buf, `">`...)
	return nil
}

// continuation counts the sheets that hold name's rows so far.
func (x *XLSX) continuation(name string) int {
	n := 0
	for _, s := range x.sheets {
		if s.name == name || strings.HasPrefix(s.name, name+" (") {
			n++
		}
	}
	return n
}

// figureWidths are the figures sheet's column widths, in Columns order.
var figureWidths = func() []float64 {
	ws := make([]float64, len(columns))
	for i, c := range columns {
		ws[i] = cmp.Or(widths[c.Name], 12)
	}
	return ws
}()

// Write adds one figure. Text goes into string cells exactly as typed: a
// string cell is never evaluated, so "=HYPERLINK(…)" stays text without
// the apostrophe CSV needs.
func (x *XLSX) Write(f stats.Figure) error {
	if x.finished {
		return errors.New("xlsx: write after flush")
	}
	if err := x.nextRow(x.opts.FiguresSheet, Columns, figureWidths); err != nil {
		return err
	}
	cells(&f, x.cells)
	for i, col := range columns {
		if err := x.appendCell(i, col.Kind, x.cells[i]); err != nil {
			return fmt.Errorf("xlsx figure %d: %w", f.ID, err)
		}
	}
	x.buf = append(x.buf, `</row>`...)
	if err := x.rowDone(); err != nil {
		return err
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

// appendCell writes column i of the open row; a null cell is left out.
// A cell names its position (r="C2") only after a gap: otherwise it is
// the next column, which keeps a million rows a third smaller to build
// and to deflate.
func (x *XLSX) appendCell(i int, k Kind, c Cell) error {
	if c.Null {
		x.gap = true
		return nil
	}
	b := x.buf
	if x.gap {
		b = appendRef(b, i, x.row)
		b = append(b, '"')
		x.gap = false
	} else {
		b = append(b, "<c"...)
	}
	switch k {
	case Int:
		b = append(b, `><v>`...)
		b = strconv.AppendInt(b, c.Int, 10)
		b = append(b, `</v></c>`...)
	case Number:
		b = append(b, `><v>`...)
		b = strconv.AppendFloat(b, c.Num, 'g', -1, 64)
		b = append(b, `</v></c>`...)
	case Date:
		b = append(b, ` s="`+strconv.Itoa(styleDate)+`"><v>`...)
		b = strconv.AppendInt(b, excelDay(c.Date), 10)
		b = append(b, `</v></c>`...)
	case Bool:
		b = append(b, ` t="b"><v>`...)
		b = append(b, "01"[boolIndex(c.Bool)])
		b = append(b, `</v></c>`...)
	default:
		if len(c.Str) > excelCellChars && len(utf16.Encode([]rune(c.Str))) > excelCellChars {
			return fmt.Errorf("a text of more than %d characters", excelCellChars)
		}
		// Spaces at either end are kept only when the cell says so.
		if strings.TrimSpace(c.Str) != c.Str {
			b = append(b, ` t="inlineStr"><is><t xml:space="preserve">`...)
		} else {
			b = append(b, ` t="inlineStr"><is><t>`...)
		}
		b = appendText(b, c.Str)
		b = append(b, `</t></is></c>`...)
	}
	x.buf = b
	return nil
}

func boolIndex(v bool) int {
	if v {
		return 1
	}
	return 0
}

// excelDay is a date as Excel's serial day: days since 30 December 1899.
func excelDay(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 + 25569
}

// appendRef opens cell (col, row), 0-based column and 1-based row, up to
// its r attribute's closing quote: <c r="B2.
func appendRef(b []byte, col, row int) []byte {
	b = append(b, `<c r="`...)
	b = appendColumn(b, col)
	return strconv.AppendInt(b, int64(row), 10)
}

// appendColumn writes a 0-based column as letters: 0 A, 25 Z, 26 AA.
func appendColumn(b []byte, col int) []byte {
	var s [3]byte
	i := len(s)
	for col++; col > 0; col = (col - 1) / 26 {
		i--
		s[i] = byte('A' + (col-1)%26)
	}
	return append(b, s[i:]...)
}

// appendRange writes a sheet's used range: A1:W1001.
func appendRange(b []byte, s sheetPart) []byte {
	b = append(b, 'A', '1', ':')
	b = appendColumn(b, s.cols-1)
	return strconv.AppendInt(b, int64(s.rows), 10)
}

// appendText escapes s for XML character data. Characters XML cannot hold
// (controls but tab and newline, U+FFFE, U+FFFF) are written the way Excel
// reads them back, _x0001_, and a literal "_x0041_" gets its underscore
// escaped so that Excel does not read it as "A". Invalid UTF-8 becomes
// U+FFFD. Runs that need nothing are copied whole.
func appendText(b []byte, s string) []byte { return appendEscaped(b, s, false) }

// appendAttr escapes s for an attribute value in double quotes.
func appendAttr(b []byte, s string) []byte { return appendEscaped(b, s, true) }

func appendEscaped(b []byte, s string, attr bool) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, string(utf8.RuneError))
	}
	run := 0 // s[run:i] is written as it is
	for i := 0; i < len(s); i++ {
		var esc string
		switch c := s[i]; {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '"' && attr:
			esc = "&quot;"
		case c == '\r':
			esc = "&#13;" // a parser would turn a bare CR into LF
		case c < 0x20 && c != '\t' && c != '\n':
			esc = fmt.Sprintf("_x%04X_", c)
		case c == '_' && escapeLike(s[i:]):
			esc = "_x005F_"
		case c == 0xEF && i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF):
			esc = fmt.Sprintf("_x%04X_", 0xFFF0|rune(s[i+2]&0x0F)) // U+FFFE, U+FFFF
			b = append(append(b, s[run:i]...), esc...)
			i += 2
			run = i + 1
			continue
		default:
			continue
		}
		b = append(append(b, s[run:i]...), esc...)
		run = i + 1
	}
	return append(b, s[run:]...)
}

// escapeLike tells whether s starts with Excel's escape of a character,
// _xHHHH_.
func escapeLike(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// Flush ends the figures sheet, writes the sources sheet (oldest article
// first) and the workbook's other parts, and closes the archive.
func (x *XLSX) Flush() error {
	if x.finished {
		return fmt.Errorf("xlsx: flushed twice")
	}
	x.finished = true
	if x.sheet == nil { // no figures: the header alone
		if err := x.startSheet(x.opts.FiguresSheet, Columns, figureWidths); err != nil {
			return err
		}
	}
	if err := x.endSheet(); err != nil {
		return err
	}
	write := func(src stats.Source, n int) error {
		if err := x.nextRow(x.opts.SourcesSheet, SourceColumns, sourceWidths); err != nil {
			return err
		}
		cs := []Cell{{Str: src.Key}, {Str: src.Title}, {Str: src.Outlet}, {Str: src.Author, Null: src.Author == ""},
			{Date: src.PublishedOn}, {Str: src.URL, Null: src.URL == ""}, {Int: int64(n)}}
		for i, k := range []Kind{Code, Text, Text, Text, Date, Code, Int} {
			if err := x.appendCell(i, k, cs[i]); err != nil {
				return fmt.Errorf("xlsx source %s: %w", src.Key, err)
			}
		}
		x.buf = append(x.buf, `</row>`...)
		return x.rowDone()
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
	if x.sheet == nil { // cites no source
		if err := x.startSheet(x.opts.SourcesSheet, SourceColumns, sourceWidths); err != nil {
			return err
		}
	}
	if err := x.endSheet(); err != nil {
		return err
	}
	for _, part := range []struct {
		name string
		body []byte
	}{
		{"[Content_Types].xml", x.contentTypes()},
		{"_rels/.rels", []byte(xmlHeader + `<Relationships xmlns="` + nsPkgRel + `">` +
			`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", x.workbook()},
		{"xl/_rels/workbook.xml.rels", x.workbookRels()},
		{"xl/styles.xml", x.styles()},
	} {
		w, err := x.zip.Create(part.name)
		if err == nil {
			_, err = w.Write(part.body)
		}
		if err != nil {
			return fmt.Errorf("write xlsx %s: %w", part.name, err)
		}
	}
	if err := x.zip.Close(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

const (
	nsMain   = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRel = "http://schemas.openxmlformats.org/package/2006/relationships"
)

// xmlHeader is the declaration every part starts with.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func (x *XLSX) contentTypes() []byte {
	b := []byte(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	for i := range x.sheets {
		b = fmt.Appendf(b, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	return append(b, `</Types>`...)
}

func (x *XLSX) workbook() []byte {
	b := []byte(xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView/></bookViews><sheets>`)
	for i, s := range x.sheets {
		b = append(b, `<sheet name="`...)
		b = appendAttr(b, s.name)
		b = fmt.Appendf(b, `" sheetId="%d" r:id="rId%d"/>`, i+1, i+1)
	}
	b = append(b, `</sheets><definedNames>`...)
	// The filters of the header rows, as Excel itself records them.
	for i, s := range x.sheets {
		b = fmt.Appendf(b, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">`, i)
		b = appendText(b, "'"+strings.ReplaceAll(s.name, "'", "''")+"'!")
		b = append(b, '$', 'A', '$', '1', ':', '$')
		b = appendColumn(b, s.cols-1)
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(s.rows), 10)
		b = append(b, `</definedName>`...)
	}
	return append(b, `</definedNames></workbook>`...)
}

func (x *XLSX) workbookRels() []byte {
	b := []byte(xmlHeader + `<Relationships xmlns="` + nsPkgRel + `">`)
	for i := range x.sheets {
		b = fmt.Appendf(b, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, nsRel, i+1)
	}
	b = fmt.Appendf(b, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, len(x.sheets)+1, nsRel)
	return append(b, `</Relationships>`...)
}

// styles: 0 normal, styleHeader bold on grey with a rule below,
// styleDate the reader's date format.
func (x *XLSX) styles() []byte {
	b := []byte(xmlHeader + `<styleSheet xmlns="` + nsMain + `"><numFmts count="1"><numFmt numFmtId="164" formatCode="`)
	b = appendAttr(b, x.opts.DateFormat)
	return append(b, `"/></numFmts>`+
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>`+
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>`+
		`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>`+
		`<fill><patternFill patternType="solid"><fgColor rgb="FFE7E6E6"/><bgColor indexed="64"/></patternFill></fill></fills>`+
		`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>`+
		`<border><left/><right/><top/><bottom style="thin"><color rgb="FF808080"/></bottom><diagonal/></border></borders>`+
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`+
		`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`+
		`<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>`+
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>`+
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`...)
}
