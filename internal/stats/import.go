package stats

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"iter"
	"strconv"
	"time"
)

// Bulk import compares each row of a file in the export format with the
// database and classifies it; a commit writes the new and changed rows in
// one transaction. Rows are never all held in memory: the file is read as
// a stream (twice: once to preview, once to commit) and only a compact
// fingerprint of each stored figure is kept.

// ImportStatus is what importing a row would do.
type ImportStatus uint8

const (
	ImportNew       ImportStatus = iota // a figure to add (the row has no id)
	ImportChanged                       // the figure with the row's id would change
	ImportUnchanged                     // the database already holds the row: nothing to write
	ImportInvalid                       // the row cannot be imported; see its errors
)

func (s ImportStatus) String() string {
	switch s {
	case ImportNew:
		return "new"
	case ImportChanged:
		return "changed"
	case ImportUnchanged:
		return "unchanged"
	}
	return "invalid"
}

// ImportRow is one data row of a file as parsed: the input, normalised,
// or why it could not be parsed (a *ValidationError naming the columns).
type ImportRow struct {
	Line  int
	Input FigureInput
	Err   error
}

// Fingerprint identifies a figure's importable values (not its id), in
// their canonical form: two inputs with one fingerprint would store the
// same figure.
type Fingerprint [16]byte

// Fingerprint hashes the input's fields (all but its id) as they are:
// callers compare normalised inputs, which csvimport produces and every
// write stores (normalising again here would double the cost of a
// preview). Values are compared as the database stores them (numeric with
// two decimals; inputs refuse more decimals).
func (in FigureInput) Fingerprint() Fingerprint {
	h := sha256.New()
	var n [8]byte
	for _, f := range FigureFields[1:] {
		s := f.Get(&in)
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	var f Fingerprint
	copy(f[:], h.Sum(nil))
	return f
}

// ImportedFigure is what a preview keeps of a stored figure.
type ImportedFigure struct {
	Sum       Fingerprint
	Parent    int64 // 0: none
	Deleted   bool
	Locality  int64  // id
	DenomKind string // its indicator's denominator kind, for rows naming it as one
}

// ImportBase is what rows are checked against: the references a row may
// name (by slug or key, with their ids) and every stored figure's
// fingerprint. It is small next to the file: 100,000 stored figures take
// about 10 MB.
type ImportBase struct {
	Localities map[string]int64 // by slug
	Categories map[string]bool
	Indicators map[string]Indicator // live indicators, by key
	Terms      map[string]Term      // live terms, by key
	Sources    map[string]SourceRef // live sources, by key
	Figures    map[int64]ImportedFigure
}

// SourceRef is what an import needs of a source.
type SourceRef struct {
	ID        int64
	Published time.Time
}

// ImportWrite is a row to write: a new figure (ID 0) or a change.
type ImportWrite struct {
	Line  int
	ID    int64
	Input FigureInput
}

// ImportPlan classifies the rows against base (read inside the writing
// transaction) and passes each row to write to write. An error stops the
// import and nothing is written.
type ImportPlan func(base *ImportBase, write func(ImportWrite) error) error

// ImportResult counts what a commit did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// ImportStore is the storage bulk import needs.
type ImportStore interface {
	// StageUpload keeps an uploaded file in the database (not on one
	// instance's disk) under token until ttl passes; at most max bytes.
	StageUpload(ctx context.Context, by int64, token, name string, r io.Reader, max int64, ttl time.Duration) (int64, error)
	// OpenUpload reads a staged file back; only its uploader may.
	OpenUpload(ctx context.Context, by int64, token string) (io.Reader, string, error)
	DropUpload(ctx context.Context, by int64, token string) error
	// ImportBase reads the references and fingerprints of every figure.
	ImportBase(ctx context.Context) (*ImportBase, error)
	// ImportFigures returns the stored values of the given figures, to
	// show what a change would change.
	ImportFigures(ctx context.Context, ids []int64) (map[int64]FigureInput, error)
	// ApplyImport runs plan in one transaction that keeps other writers
	// of figures out, writes what it passes on, each with a revision
	// (action "import") by user by, and commits only if plan succeeds.
	ApplyImport(ctx context.Context, by int64, plan ImportPlan) (ImportResult, error)
}

// ImportOutcome is one row's classification.
type ImportOutcome struct {
	Line    int
	Status  ImportStatus
	ID      int64 // the figure changed, or the one an unchanged row matches
	Input   FigureInput
	Errors  []FieldError // invalid rows
	Changes []string     // fields a change would change (preview only)
}

// ImportGroup is the rows of one status: how many, and the first ones.
type ImportGroup struct {
	Count int
	Rows  []ImportOutcome
}

// ImportPreview says what importing a file would do. Digest identifies
// the classification of every row: a commit refuses to go ahead if it
// differs, because the file or the database changed since the preview.
type ImportPreview struct {
	New, Changed, Unchanged, Invalid ImportGroup
	Digest                           string
}

// Total is the number of data rows.
func (p ImportPreview) Total() int {
	return p.New.Count + p.Changed.Count + p.Unchanged.Count + p.Invalid.Count
}

// Writes is the number of figures a commit would write.
func (p ImportPreview) Writes() int { return p.New.Count + p.Changed.Count }

func (p *ImportPreview) group(s ImportStatus) *ImportGroup {
	switch s {
	case ImportNew:
		return &p.New
	case ImportChanged:
		return &p.Changed
	case ImportUnchanged:
		return &p.Unchanged
	}
	return &p.Invalid
}

// ImportRowError says which row stopped a commit. It wraps ErrInvalid.
type ImportRowError struct {
	Line   int
	Fields []FieldError
}

func (e *ImportRowError) Error() string {
	return fmt.Sprintf("line %d: %v", e.Line, &ValidationError{Fields: e.Fields})
}
func (e *ImportRowError) Unwrap() error { return ErrInvalid }

// ErrImportChanged means the file or the database changed between the
// preview and the commit. It wraps ErrConflict.
var ErrImportChanged = fmt.Errorf("%w: the import differs from its preview", ErrConflict)

// PreviewImport classifies every row without writing anything, keeping
// the first keep rows of each status (with the changed fields of changed
// rows). Errors: ErrUnavailable.
func (e *Editor) PreviewImport(ctx context.Context, rows iter.Seq[ImportRow], keep int) (ImportPreview, error) {
	var p ImportPreview
	base, err := e.store.ImportBase(ctx)
	if err != nil {
		return p, err
	}
	c := newClassifier(base)
	for row := range rows {
		o := c.classify(row)
		g := p.group(o.Status)
		g.Count++
		if len(g.Rows) < keep {
			g.Rows = append(g.Rows, o)
		}
	}
	p.Digest = c.sum()
	if len(p.Changed.Rows) == 0 {
		return p, nil
	}
	ids := make([]int64, len(p.Changed.Rows))
	for i, o := range p.Changed.Rows {
		ids[i] = o.ID
	}
	stored, err := e.store.ImportFigures(ctx, ids)
	if err != nil {
		return p, err
	}
	for i := range p.Changed.Rows {
		o := &p.Changed.Rows[i]
		o.Changes = ChangedFields(stored[o.ID], o.Input)
	}
	return p, nil
}

// CommitImport writes the new and changed rows in one transaction, each
// with a revision, provided every row is valid and the classification
// still matches the preview's digest. Unchanged rows write nothing, so
// committing a file twice changes nothing the second time.
// Errors: ErrForbidden, *ImportRowError (nothing written),
// ErrImportChanged (nothing written), ErrInvalid, ErrUnavailable.
func (e *Editor) CommitImport(ctx context.Context, by User, rows iter.Seq[ImportRow], digest string) (ImportResult, error) {
	if err := by.May(ActEdit, nil); err != nil {
		return ImportResult{}, err
	}
	unchanged := 0
	res, err := e.store.ApplyImport(ctx, by.ID, func(base *ImportBase, write func(ImportWrite) error) error {
		c := newClassifier(base)
		for row := range rows {
			o := c.classify(row)
			switch o.Status {
			case ImportInvalid:
				return &ImportRowError{Line: o.Line, Fields: o.Errors}
			case ImportUnchanged:
				unchanged++
			default:
				if err := write(ImportWrite{Line: o.Line, ID: o.ID, Input: o.Input}); err != nil {
					return err
				}
			}
		}
		if c.sum() != digest {
			return ErrImportChanged
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	res.Unchanged = unchanged
	return res, nil
}

// ChangedFields names the fields whose values differ between a stored
// figure and an input, as they are.
func ChangedFields(stored, in FigureInput) []string {
	var out []string
	for _, f := range FigureFields[1:] {
		if f.Get(&stored) != f.Get(&in) {
			out = append(out, f.Name)
		}
	}
	return out
}

// classifier compares rows with the base, one at a time. Besides the base
// it remembers only the ids and the fingerprints of new rows seen so far
// (to refuse repeats), a few bytes per row.
type classifier struct {
	base    *ImportBase
	bySum   map[Fingerprint]int64 // live figures by content
	seenIDs map[int64]int         // id → first line
	seenNew map[Fingerprint]int   // new row content → first line
	digest  hash.Hash
}

func newClassifier(base *ImportBase) *classifier {
	c := &classifier{base: base, bySum: make(map[Fingerprint]int64, len(base.Figures)),
		seenIDs: map[int64]int{}, seenNew: map[Fingerprint]int{}, digest: sha256.New()}
	for id, f := range base.Figures {
		if f.Deleted {
			continue
		}
		if old, ok := c.bySum[f.Sum]; !ok || id < old {
			c.bySum[f.Sum] = id // the oldest of identical figures, whatever the map order
		}
	}
	return c
}

func (c *classifier) sum() string { return hex.EncodeToString(c.digest.Sum(nil)[:16]) }

// classify decides a row and adds the decision to the digest, with the
// stored figure it was compared with: a figure someone changes between
// preview and commit makes the digests differ, so the commit cannot
// overwrite a change its editor never saw.
func (c *classifier) classify(row ImportRow) ImportOutcome {
	o := c.decide(row)
	var b [8*3 + len(Fingerprint{})]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(o.Line))
	binary.LittleEndian.PutUint64(b[8:], uint64(o.Status))
	binary.LittleEndian.PutUint64(b[16:], uint64(o.ID))
	if o.ID > 0 {
		sum := c.base.Figures[o.ID].Sum
		copy(b[24:], sum[:])
	}
	c.digest.Write(b[:])
	return o
}

func (c *classifier) decide(row ImportRow) ImportOutcome {
	in := row.Input
	o := ImportOutcome{Line: row.Line, Input: in, Status: ImportInvalid}
	v := &ValidationError{}
	if row.Err != nil {
		if !errors.As(row.Err, &v) {
			v = &ValidationError{}
			v.Add("", "error.import.malformed", "")
		}
		o.Errors = v.Fields
		if in.ID > 0 {
			c.seen(in.ID, row.Line)
		}
		return o
	}
	b := c.base
	if _, ok := b.Localities[in.LocalitySlug]; !ok {
		v.Add("locality_slug", "error.locality.unknown", in.LocalitySlug)
	}
	if !b.Categories[in.Category] {
		v.Add("category", "error.category.unknown", in.Category)
	}
	var refs FigureRefs
	if in.TermKey != "" {
		if t, ok := b.Terms[in.TermKey]; ok {
			refs.Term = &t
		} else {
			v.Add("term", "error.term.unknown", in.TermKey)
		}
	}
	if in.IndicatorKey != "" {
		if ind, ok := b.Indicators[in.IndicatorKey]; ok {
			refs.Indicator = &ind
		} else {
			v.Add("indicator", "error.indicator.unknown", in.IndicatorKey)
		}
	}
	if s, ok := b.Sources[in.SourceKey]; ok {
		refs.SourcePublished = s.Published
	} else {
		v.Add("source_key", "error.source.unknown", in.SourceKey)
	}
	for _, d := range []struct {
		id  *int64
		dst **DenominatorRef
	}{{in.SubUnitsID, &refs.SubUnits}, {in.BaseID, &refs.Base}} {
		if d.id == nil {
			continue
		}
		ref := &DenominatorRef{}
		if f, ok := b.Figures[*d.id]; ok {
			ref.Kind, ref.Live = f.DenomKind, !f.Deleted
			if f.Locality == b.Localities[in.LocalitySlug] {
				ref.LocalitySlug = in.LocalitySlug
			}
		}
		*d.dst = ref
	}
	in.CheckRefs(refs, v)
	var stored ImportedFigure
	if in.ID > 0 {
		var ok bool
		stored, ok = b.Figures[in.ID]
		switch first := c.seen(in.ID, row.Line); {
		case first != row.Line:
			v.Add("id", "error.import.repeated_id", strconv.Itoa(first))
		case !ok:
			v.Add("id", "error.import.unknown_id", strconv.FormatInt(in.ID, 10))
		case stored.Deleted:
			v.Add("id", "error.import.deleted", strconv.FormatInt(in.ID, 10))
		}
	}
	if in.ParentID != nil {
		if p, ok := b.Figures[*in.ParentID]; !ok || p.Deleted {
			v.Add("parent_id", "error.parent.unknown", "")
		} else if in.ID > 0 && c.isAncestor(in.ID, *in.ParentID) {
			v.Add("parent_id", "error.parent.cycle", "")
		}
	}
	if len(v.Fields) > 0 {
		o.Errors = v.Fields
		return o
	}
	sum := in.Fingerprint()
	switch {
	case in.ID > 0 && sum == stored.Sum:
		o.Status, o.ID = ImportUnchanged, in.ID
	case in.ID > 0:
		o.Status, o.ID = ImportChanged, in.ID
	default:
		if id, ok := c.bySum[sum]; ok {
			// The row was imported before (or typed in by hand): adding
			// it again would duplicate it.
			o.Status, o.ID = ImportUnchanged, id
		} else if first, ok := c.seenNew[sum]; ok {
			o.Errors = []FieldError{{Field: "", Key: "error.import.repeated_row", Arg: strconv.Itoa(first)}}
		} else {
			c.seenNew[sum] = row.Line
			o.Status = ImportNew
		}
	}
	return o
}

// seen records that id appears on line and returns the first line it
// appeared on.
func (c *classifier) seen(id int64, line int) int {
	if first, ok := c.seenIDs[id]; ok {
		return first
	}
	c.seenIDs[id] = line
	return line
}

// isAncestor reports whether id is parent or one of its ancestors as
// stored. Cycles made by several rows of one file together are caught
// on commit, after the writes.
func (c *classifier) isAncestor(id, parent int64) bool {
	for steps := 0; parent != 0 && steps <= len(c.base.Figures); steps++ {
		if parent == id {
			return true
		}
		parent = c.base.Figures[parent].Parent
	}
	return false
}

// ErrTooLarge refuses an upload beyond the limit. It wraps ErrInvalid.
var ErrTooLarge = fmt.Errorf("%w: too large", ErrInvalid)

// StageImport keeps an uploaded file for its preview and commit, which
// may run on any instance. It returns the token that names it.
// Errors: ErrForbidden, ErrTooLarge.
func (e *Editor) StageImport(ctx context.Context, by User, name string, r io.Reader, max int64, ttl time.Duration) (string, error) {
	if err := by.May(ActEdit, nil); err != nil {
		return "", err
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	if _, err := e.store.StageUpload(ctx, by.ID, token, name, r, max, ttl); err != nil {
		return "", err
	}
	return token, nil
}

// OpenImport reads back a file by staged. Errors: ErrNotFound.
func (e *Editor) OpenImport(ctx context.Context, by User, token string) (io.Reader, string, error) {
	return e.store.OpenUpload(ctx, by.ID, token)
}

// DropImport forgets a staged file.
func (e *Editor) DropImport(ctx context.Context, by User, token string) error {
	return e.store.DropUpload(ctx, by.ID, token)
}
