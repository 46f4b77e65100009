package stats

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// EditStore is the storage the editing services need.
type EditStore interface {
	Store // the reads: editors check filters and read pages like everyone
	MarkFiguresSeen(ctx context.Context, user int64) error
	FiguresSeenAt(ctx context.Context, user int64) (*time.Time, error)
	CreateFigure(ctx context.Context, in FigureInput, by int64, submissionKey string) (int64, bool, error)
	UpdateFigure(ctx context.Context, in FigureInput, version, by int64) error
	SetFigureDeleted(ctx context.Context, id, version int64, deleted bool, by int64) error
	VerifyFigure(ctx context.Context, id, version, by int64) error
	SendBackFigure(ctx context.Context, id, version, by int64, reason string) error
	DuplicateFigure(ctx context.Context, in FigureInput) (int64, bool, error)
	FigureBySubmission(ctx context.Context, key string) (int64, bool, error)
	Revisions(ctx context.Context, f RevisionFilter) ([]Revision, error)
	BatchStore  // batches of new figures (batch.go)
	EntityStore // sources, findings, localities and terms (entity_edit.go)
	ImportStore // bulk import (import.go)
}

// DuplicateError says a figure like the one being saved exists already;
// the editor may confirm to save it anyway. It wraps ErrConflict.
type DuplicateError struct{ ID int64 }

func (e *DuplicateError) Error() string { return fmt.Sprintf("a figure like this exists: %d", e.ID) }
func (e *DuplicateError) Unwrap() error { return ErrConflict }

// Editor adds and corrects figures, with history and review.
type Editor struct {
	store EditStore
	read  *Service
}

// NewEditor wraps a store.
func NewEditor(store EditStore) *Editor { return &Editor{store: store, read: NewService(store)} }

// SaveOptions qualify a save.
type SaveOptions struct {
	Version          int64  // the version the editor saw (updates only)
	SubmissionKey    string // one per rendered form: a double submit creates one figure
	ConfirmDuplicate bool
}

// SaveFigure normalises and validates in, then creates it (in.ID == 0) or
// updates it. A new or changed figure is unverified, and a reviewer's
// "sent back" is cleared: what is stored now has not been checked against
// its source (the store writes this with every change of values, from the
// form and from imports). It returns the figure's id. Errors: *ValidationError,
// *DuplicateError, ErrConflict (changed by someone else), ErrNotFound,
// ErrForbidden (disabled user).
func (e *Editor) SaveFigure(ctx context.Context, by User, in FigureInput, opt SaveOptions) (int64, error) {
	if err := by.May(ActEdit, nil); err != nil {
		return 0, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	if in.ID == 0 && opt.SubmissionKey != "" {
		// A form submitted twice is a repeat, not a duplicate: answer with
		// the figure the first submit created.
		if id, ok, err := e.store.FigureBySubmission(ctx, opt.SubmissionKey); err != nil || ok {
			return id, err
		}
	}
	if !opt.ConfirmDuplicate {
		if id, dup, err := e.store.DuplicateFigure(ctx, in); err != nil {
			return 0, err
		} else if dup {
			return 0, &DuplicateError{ID: id}
		}
	}
	if in.ID == 0 {
		id, _, err := e.store.CreateFigure(ctx, in, by.ID, opt.SubmissionKey)
		return id, err
	}
	return in.ID, e.store.UpdateFigure(ctx, in, opt.Version, by.ID)
}

// DeleteFigure deletes a figure softly: it disappears from public pages and
// exports and can be restored. Errors: ErrConflict, ErrNotFound,
// *ValidationError (it still has parts).
func (e *Editor) DeleteFigure(ctx context.Context, by User, id, version int64) error {
	if err := by.May(ActEdit, nil); err != nil {
		return err
	}
	return e.store.SetFigureDeleted(ctx, id, version, true, by.ID)
}

// RestoreFigure undoes a delete. Errors: ErrConflict, ErrNotFound.
func (e *Editor) RestoreFigure(ctx context.Context, by User, id, version int64) error {
	if err := by.May(ActEdit, nil); err != nil {
		return err
	}
	return e.store.SetFigureDeleted(ctx, id, version, false, by.ID)
}

// VerifyFigure marks a figure checked against its source by a second
// editor. The store writes it only at version, so the author and last
// editor read here are the ones the verifier saw. Errors: ErrOwnFigure
// (its author or last editor), ErrForbidden, ErrConflict, ErrNotFound.
func (e *Editor) VerifyFigure(ctx context.Context, by User, id, version int64) error {
	f, err := e.store.Figure(ctx, id)
	if err != nil {
		return err
	}
	if f.DeletedAt != nil {
		return fmt.Errorf("%w: figure %d is deleted", ErrNotFound, id)
	}
	if err := by.May(ActVerify, &f); err != nil {
		return err
	}
	return e.store.VerifyFigure(ctx, id, version, by.ID)
}

// SendBack returns a figure to its author unverified, with the reason a
// reviewer found, until someone edits it. Who may verify may send back.
// Errors: ErrOwnFigure, ErrForbidden, *ValidationError (no reason),
// ErrConflict, ErrNotFound.
func (e *Editor) SendBack(ctx context.Context, by User, id, version int64, reason string) error {
	f, err := e.store.Figure(ctx, id)
	if err != nil {
		return err
	}
	if f.DeletedAt != nil {
		return fmt.Errorf("%w: figure %d is deleted", ErrNotFound, id)
	}
	if err := by.May(ActVerify, &f); err != nil {
		return err
	}
	reason = textnorm.Clean(reason)
	v := &ValidationError{}
	switch {
	case !textnorm.Valid(reason):
		v.Add("reason", "error.text.invalid", "")
	case reason == "":
		v.Add("reason", "error.required", "")
	case utf8.RuneCountInString(reason) > MaxReturnReasonLen:
		v.Add("reason", "error.text.too_long", itoa(MaxReturnReasonLen))
	}
	if err := v.Err(); err != nil {
		return err
	}
	return e.store.SendBackFigure(ctx, id, version, by.ID, reason)
}

// MaxReturnReasonLen limits a reviewer's reason (the database too).
const MaxReturnReasonLen = 1000

// Figure returns a figure, deleted or not. Errors: ErrNotFound.
func (e *Editor) Figure(ctx context.Context, id int64) (Figure, error) {
	return e.store.Figure(ctx, id)
}

// History lists a figure's revisions, newest first.
func (e *Editor) History(ctx context.Context, id int64) ([]Revision, error) {
	return e.store.Revisions(ctx, RevisionFilter{Entity: "figure", EntityID: id})
}

// RecentChanges lists the latest revisions site-wide.
func (e *Editor) RecentChanges(ctx context.Context, limit int) ([]Revision, error) {
	return e.store.Revisions(ctx, RevisionFilter{Limit: limit})
}

// FigureList is a page of figures as editors see them: deleted ones
// included when asked, filtered by review state, by who entered them and
// by when they changed. "changed" means since the editor last marked the
// list seen (MarkSeen) and by someone else. Errors: ErrForbidden,
// *ValidationError.
func (e *Editor) FigureList(ctx context.Context, by User, f FigureFilter, changed bool) (FigurePage, error) {
	if err := by.May(ActEdit, nil); err != nil {
		return FigurePage{}, err
	}
	if f.Status == "deleted" {
		f.IncludeDeleted = true
	}
	if changed {
		seen, err := e.store.FiguresSeenAt(ctx, by.ID)
		if err != nil {
			return FigurePage{}, err
		}
		if seen == nil {
			seen = &time.Time{}
		}
		f.ChangedSince, f.NotBy = seen, by.ID
	}
	return e.read.FigurePage(ctx, f)
}

// MarkSeen records that the editor has looked at the list now: later
// changes by others are "changed since I last looked".
func (e *Editor) MarkSeen(ctx context.Context, by User) error {
	if err := by.May(ActEdit, nil); err != nil {
		return err
	}
	return e.store.MarkFiguresSeen(ctx, by.ID)
}

// SeenAt is when the editor last marked the list seen (nil: never).
func (e *Editor) SeenAt(ctx context.Context, by User) (*time.Time, error) {
	return e.store.FiguresSeenAt(ctx, by.ID)
}

// reviewFilter selects what by may verify: unverified live figures that by
// neither entered nor last changed, oldest change first. A figure sent back
// is "returned", not "unverified": it waits for its author's correction.
func reviewFilter(by User) FigureFilter {
	return FigureFilter{Status: "unverified", NotBy: by.ID, Sort: "updated"}
}

// ReviewQueue lists the first n figures by may verify, oldest first, with
// how many there are. Errors: ErrForbidden.
func (e *Editor) ReviewQueue(ctx context.Context, by User, n int) (FigurePage, error) {
	if err := by.May(ActEdit, nil); err != nil {
		return FigurePage{}, err
	}
	f := reviewFilter(by)
	f.Limit = n
	return e.read.FigurePage(ctx, f)
}

// ReviewCount is how many figures by may verify, for the admin
// navigation, counted up to CountCap (capped says there are more).
func (e *Editor) ReviewCount(ctx context.Context, by User) (n int, capped bool, err error) {
	n, err = e.store.CountFigures(ctx, reviewFilter(by), CountCap)
	return min(n, CountCap), n > CountCap, err
}

// SourceFigures lists the live figures of a source, for a reviewer to see
// the article's other numbers.
func (e *Editor) SourceFigures(ctx context.Context, sourceID int64) ([]Figure, error) {
	return e.store.Figures(ctx, FigureFilter{SourceID: sourceID})
}
