package stats

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Entity names a kind of record editors change besides figures; the names
// are those of the revisions table.
type Entity string

const (
	EntitySource    Entity = "source"
	EntityFinding   Entity = "finding"
	EntityLocality  Entity = "locality"
	EntityTerm      Entity = "term"
	EntityIndicator Entity = "indicator"
)

// Valid reports whether e is one of the entities above.
func (e Entity) Valid() bool {
	return e == EntitySource || e == EntityFinding || e == EntityLocality || e == EntityTerm || e == EntityIndicator
}

// EntityStore is the storage of sources, findings, localities and terms as
// editors see them: deleted rows included, with their versions. Creates,
// updates, deletes and restores each run in one transaction with their
// history row; an update or delete names the version it was made on.
type EntityStore interface {
	AdminSources(ctx context.Context) ([]Source, error)
	AdminSource(ctx context.Context, id int64) (Source, error)
	CreateSource(ctx context.Context, src Source, by int64) (int64, error)
	UpdateSource(ctx context.Context, src Source, version, by int64) error

	AdminFindings(ctx context.Context) ([]Finding, error)
	AdminFinding(ctx context.Context, id int64) (Finding, error)
	CreateFinding(ctx context.Context, in FindingInput, by int64) (int64, error)
	UpdateFinding(ctx context.Context, in FindingInput, version, by int64) error

	AdminLocalities(ctx context.Context) ([]Locality, error)
	AdminLocality(ctx context.Context, id int64) (Locality, error)
	CreateLocality(ctx context.Context, in LocalityInput, by int64) (int64, error)
	UpdateLocality(ctx context.Context, in LocalityInput, version, by int64) error

	AdminTerms(ctx context.Context) ([]Term, error)
	AdminTerm(ctx context.Context, id int64) (Term, error)
	CreateTerm(ctx context.Context, t Term, by int64) (int64, error)
	UpdateTerm(ctx context.Context, t Term, version, by int64) error

	AdminIndicators(ctx context.Context) ([]Indicator, error)
	AdminIndicator(ctx context.Context, id int64) (Indicator, error)
	CreateIndicator(ctx context.Context, ind Indicator, by int64) (int64, error)
	UpdateIndicator(ctx context.Context, ind Indicator, version, by int64) error

	SetEntityDeleted(ctx context.Context, e Entity, id, version int64, deleted bool, by int64) error
}

// InUseError refuses to delete a source, locality or term that live
// records still cite: deleting it would leave figures on public pages
// pointing at something that is gone. It wraps ErrConflict.
type InUseError struct {
	Entity     Entity
	Figures    int
	Findings   int
	Localities int // sub-localities, or localities it is the successor of
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("%s is cited by %d figures, %d findings and %d localities", e.Entity, e.Figures, e.Findings, e.Localities)
}

func (e *InUseError) Unwrap() error { return ErrConflict }

// KeyPattern is what slugs and keys look like (the database checks it
// too): lower-case ASCII words joined by hyphens, stable in URLs and CSVs.
var KeyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TermKinds are the kinds of term.
var TermKinds = []string{"congress", "planning", "programme"}

// Limits on the text of the records below.
const (
	MaxNameLen      = 200
	MaxKeyLen       = 100
	MaxStatementLen = 1000
	MaxNoteLen      = 2000
)

// FindingInput is a finding as entered: its references by slug and key,
// its source by id (the form's select).
type FindingInput struct {
	ID           int64 // 0 for a new finding
	LocalitySlug string
	Category     string // optional
	TermKey      string // optional
	Statement    string
	StatementEN  string
	Quote        string
	SourceID     int64
}

// LocalityInput is a locality as entered. Its slug names it in URLs,
// exports and imports: it is set when the locality is created and never
// changes.
type LocalityInput struct {
	ID            int64 // 0 for a new locality
	Slug          string
	Name          string
	Prefix        string
	Level         Level
	ParentSlug    string
	ValidFrom     *time.Time
	ValidTo       *time.Time
	SuccessorSlug string
	Note          string
	Focus         bool
}

// checker collects field errors for text fields.
type checker struct{ v *ValidationError }

func (c checker) text(field, s string, required bool, max int) {
	switch {
	case !textnorm.Valid(s):
		c.v.Add(field, "error.text.invalid", "")
	case required && s == "":
		c.v.Add(field, "error.required", "")
	case utf8.RuneCountInString(s) > max:
		c.v.Add(field, "error.text.too_long", itoa(max))
	}
}

func (c checker) key(field, s string, required bool) {
	switch {
	case s == "" && !required:
	case s == "":
		c.v.Add(field, "error.required", "")
	case len(s) > MaxKeyLen:
		c.v.Add(field, "error.text.too_long", itoa(MaxKeyLen))
	case !KeyPattern.MatchString(s):
		c.v.Add(field, "error.key.invalid", "")
	}
}

// cleanKey is how slugs and keys are stored and compared.
func cleanKey(s string) string { return strings.ToLower(textnorm.Clean(s)) }

// NormalizeForm canonicalises a source entered in the source form. An
// empty key is derived from the outlet and date.
func (s *Source) NormalizeForm() {
	s.Key = cleanKey(s.Key)
	s.PublishedTime = textnorm.Clean(s.PublishedTime)
	s.Normalize()
}

var clockPattern = regexp.MustCompile(`^[0-2][0-9]:[0-5][0-9]$`)

// ValidateForm checks a source entered in the source form, naming the
// form's fields. Errors: *ValidationError.
func (s Source) ValidateForm() error {
	v := &ValidationError{}
	inline := &ValidationError{}
	s.validate(inline) // the rules of the figure form's inline source
	for _, f := range inline.Fields {
		f.Field = strings.TrimPrefix(f.Field, "new_source_")
		if f.Field == "published" {
			f.Field = "published_on"
		}
		v.Fields = append(v.Fields, f)
	}
	c := checker{v}
	if s.ID == 0 {
		c.key("key", s.Key, false)
	}
	if s.PublishedTime != "" && (!clockPattern.MatchString(s.PublishedTime) || s.PublishedTime > "23:59") {
		v.Add("published_time", "error.time.invalid", "")
	}
	c.text("published_text", s.PublishedText, false, MaxNameLen)
	return v.Err()
}

// Normalize canonicalises the finding's text.
func (in *FindingInput) Normalize() {
	in.LocalitySlug = cleanKey(in.LocalitySlug)
	in.Category = textnorm.Clean(in.Category)
	in.TermKey = cleanKey(in.TermKey)
	in.Statement = textnorm.Clean(in.Statement)
	in.StatementEN = textnorm.Clean(in.StatementEN)
	in.Quote = textnorm.Clean(in.Quote)
}

// Validate checks what can be checked without the database; that the
// locality, category, term and source exist (and are not deleted) is
// checked on write. Errors: *ValidationError.
func (in FindingInput) Validate() error {
	v := &ValidationError{}
	c := checker{v}
	c.text("locality", in.LocalitySlug, true, MaxKeyLen)
	c.text("category", in.Category, false, 50)
	c.text("term", in.TermKey, false, MaxKeyLen)
	c.text("statement", in.Statement, true, MaxStatementLen)
	c.text("statement_en", in.StatementEN, false, MaxStatementLen)
	c.text("quote", in.Quote, true, MaxQuoteLen)
	if in.SourceID <= 0 {
		v.Add("source_id", "error.required", "")
	}
	return v.Err()
}

// Normalize canonicalises the locality's text.
func (in *LocalityInput) Normalize() {
	in.Slug = cleanKey(in.Slug)
	in.Name = textnorm.Clean(in.Name)
	in.Prefix = textnorm.Clean(in.Prefix)
	in.Level = Level(textnorm.Clean(string(in.Level)))
	in.ParentSlug = cleanKey(in.ParentSlug)
	in.SuccessorSlug = cleanKey(in.SuccessorSlug)
	in.Note = textnorm.Clean(in.Note)
}

// Validate checks what can be checked without the database; that the
// parent and successor exist, are live and sit above it is checked on
// write. Errors: *ValidationError.
func (in LocalityInput) Validate() error {
	v := &ValidationError{}
	c := checker{v}
	if in.ID == 0 {
		c.key("slug", in.Slug, true)
	}
	c.text("name", in.Name, true, MaxNameLen)
	c.text("prefix", in.Prefix, false, 50)
	c.text("note", in.Note, false, MaxNoteLen)
	c.text("parent", in.ParentSlug, false, MaxKeyLen)
	c.text("successor", in.SuccessorSlug, false, MaxKeyLen)
	switch {
	case !in.Level.Valid():
		v.Add("level", "error.level.unknown", "")
	case (in.Level == LevelProvince || in.Level == LevelNational) && in.ParentSlug != "":
		v.Add("parent", "error.locality.province_parent", "")
	case in.Level != LevelProvince && in.Level != LevelNational && in.ParentSlug == "":
		v.Add("parent", "error.required", "")
	}
	if in.ParentSlug != "" && in.ID == 0 && in.ParentSlug == in.Slug {
		v.Add("parent", "error.locality.self", "")
	}
	if in.SuccessorSlug != "" && in.ID == 0 && in.SuccessorSlug == in.Slug {
		v.Add("successor", "error.locality.self", "")
	}
	if in.ValidFrom != nil && in.ValidTo != nil && in.ValidTo.Before(*in.ValidFrom) {
		v.Add("valid_to", "error.period.end_before_start", "")
	}
	return v.Err()
}

// Rank orders levels from the top: a parent must rank above its parts.
func (l Level) Rank() int {
	switch l {
	case LevelNational:
		return -1
	case LevelProvince:
		return 0
	case LevelProvincialCity, LevelDistrict:
		return 1
	}
	return 2
}

// Normalize canonicalises the term's text.
func (t *Term) Normalize() {
	t.Key = cleanKey(t.Key)
	t.Name = textnorm.Clean(t.Name)
	t.NameEN = textnorm.Clean(t.NameEN)
	t.Kind = textnorm.Clean(t.Kind)
}

// Validate checks a term. Errors: *ValidationError.
func (t Term) Validate() error {
	v := &ValidationError{}
	c := checker{v}
	if t.ID == 0 {
		c.key("key", t.Key, true)
	}
	c.text("name", t.Name, true, MaxNameLen)
	c.text("name_en", t.NameEN, true, MaxNameLen)
	if !slices.Contains(TermKinds, t.Kind) {
		v.Add("kind", "error.kind.unknown", "")
	}
	year := func(field string, y int) bool {
		if y < 1945 || y > 2100 {
			v.Add(field, "error.year.range", "")
			return false
		}
		return true
	}
	okStart, okEnd := year("start_year", t.StartYear), year("end_year", t.EndYear)
	if okStart && okEnd && t.EndYear < t.StartYear {
		v.Add("end_year", "error.year.end_before_start", "")
	}
	return v.Err()
}

func (e *Editor) allowed(by User) error { return by.May(ActEdit, nil) }

// SaveSource normalises and validates src, then creates it (src.ID == 0)
// or updates it if it is still at version; a source's key never changes.
// It returns the source's id. Errors: ErrForbidden, *ValidationError,
// ErrConflict (changed by someone else), ErrNotFound (or deleted).
func (e *Editor) SaveSource(ctx context.Context, by User, src Source, version int64) (int64, error) {
	if err := e.allowed(by); err != nil {
		return 0, err
	}
	src.NormalizeForm()
	if err := src.ValidateForm(); err != nil {
		return 0, err
	}
	if src.ID == 0 {
		return e.store.CreateSource(ctx, src, by.ID)
	}
	return src.ID, e.store.UpdateSource(ctx, src, version, by.ID)
}

// SaveFinding creates or updates a finding, like SaveSource.
// Errors: ErrForbidden, *ValidationError, ErrConflict, ErrNotFound.
func (e *Editor) SaveFinding(ctx context.Context, by User, in FindingInput, version int64) (int64, error) {
	if err := e.allowed(by); err != nil {
		return 0, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	if in.ID == 0 {
		return e.store.CreateFinding(ctx, in, by.ID)
	}
	return in.ID, e.store.UpdateFinding(ctx, in, version, by.ID)
}

// SaveLocality creates or updates a locality, like SaveSource; its slug
// never changes. Errors: ErrForbidden, *ValidationError, ErrConflict,
// ErrNotFound.
func (e *Editor) SaveLocality(ctx context.Context, by User, in LocalityInput, version int64) (int64, error) {
	if err := e.allowed(by); err != nil {
		return 0, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	if in.ID == 0 {
		return e.store.CreateLocality(ctx, in, by.ID)
	}
	return in.ID, e.store.UpdateLocality(ctx, in, version, by.ID)
}

// SaveTerm creates or updates a term, like SaveSource; its key never
// changes. Errors: ErrForbidden, *ValidationError, ErrConflict,
// ErrNotFound.
func (e *Editor) SaveTerm(ctx context.Context, by User, t Term, version int64) (int64, error) {
	if err := e.allowed(by); err != nil {
		return 0, err
	}
	t.Normalize()
	if err := t.Validate(); err != nil {
		return 0, err
	}
	if t.ID == 0 {
		return e.store.CreateTerm(ctx, t, by.ID)
	}
	return t.ID, e.store.UpdateTerm(ctx, t, version, by.ID)
}

// SaveIndicator creates or updates an indicator, like SaveSource; its key
// never changes. Errors: ErrForbidden, *ValidationError, ErrConflict,
// ErrNotFound.
func (e *Editor) SaveIndicator(ctx context.Context, by User, ind Indicator, version int64) (int64, error) {
	if err := e.allowed(by); err != nil {
		return 0, err
	}
	ind.Normalize()
	if err := ind.Validate(); err != nil {
		return 0, err
	}
	if ind.ID == 0 {
		return e.store.CreateIndicator(ctx, ind, by.ID)
	}
	return ind.ID, e.store.UpdateIndicator(ctx, ind, version, by.ID)
}

// Indicators lists every indicator, deleted ones included.
func (e *Editor) Indicators(ctx context.Context) ([]Indicator, error) {
	return e.store.AdminIndicators(ctx)
}

// Indicator returns an indicator by id, deleted or not. Errors: ErrNotFound.
func (e *Editor) Indicator(ctx context.Context, id int64) (Indicator, error) {
	return e.store.AdminIndicator(ctx, id)
}

// SetDeleted deletes (softly) or restores a record at version. A source,
// locality or term that live figures, findings or localities cite is not
// deleted; a finding or locality whose own references are deleted is not
// restored. Errors: ErrForbidden, ErrConflict, *InUseError,
// *ValidationError (a reference is deleted), ErrNotFound.
func (e *Editor) SetDeleted(ctx context.Context, by User, ent Entity, id, version int64, deleted bool) error {
	if err := e.allowed(by); err != nil {
		return err
	}
	if !ent.Valid() {
		return fmt.Errorf("%w: entity %q", ErrNotFound, ent)
	}
	return e.store.SetEntityDeleted(ctx, ent, id, version, deleted, by.ID)
}

// EntityHistory lists a record's revisions, newest first.
func (e *Editor) EntityHistory(ctx context.Context, ent Entity, id int64) ([]Revision, error) {
	return e.store.Revisions(ctx, RevisionFilter{Entity: string(ent), EntityID: id})
}

// Sources lists every source, deleted ones included, with its version.
func (e *Editor) Sources(ctx context.Context) ([]Source, error) { return e.store.AdminSources(ctx) }

// Source returns a source, deleted or not. Errors: ErrNotFound.
func (e *Editor) Source(ctx context.Context, id int64) (Source, error) {
	return e.store.AdminSource(ctx, id)
}

// Findings lists every finding, deleted ones included.
func (e *Editor) Findings(ctx context.Context) ([]Finding, error) { return e.store.AdminFindings(ctx) }

// Finding returns a finding, deleted or not. Errors: ErrNotFound.
func (e *Editor) Finding(ctx context.Context, id int64) (Finding, error) {
	return e.store.AdminFinding(ctx, id)
}

// Localities lists every locality, deleted ones included.
func (e *Editor) Localities(ctx context.Context) ([]Locality, error) {
	return e.store.AdminLocalities(ctx)
}

// Locality returns a locality by id, deleted or not. Errors: ErrNotFound.
func (e *Editor) Locality(ctx context.Context, id int64) (Locality, error) {
	return e.store.AdminLocality(ctx, id)
}

// Terms lists every term, deleted ones included.
func (e *Editor) Terms(ctx context.Context) ([]Term, error) { return e.store.AdminTerms(ctx) }

// Term returns a term by id, deleted or not. Errors: ErrNotFound.
func (e *Editor) Term(ctx context.Context, id int64) (Term, error) { return e.store.AdminTerm(ctx, id) }
