package stats

import (
	"context"
	"fmt"
)

// EditStore is the storage the editing services need.
type EditStore interface {
	Figure(ctx context.Context, id int64) (Figure, error)
	CreateFigure(ctx context.Context, in FigureInput, by int64, submissionKey string) (int64, bool, error)
	UpdateFigure(ctx context.Context, in FigureInput, version, by int64) error
	SetFigureDeleted(ctx context.Context, id, version int64, deleted bool, by int64) error
	VerifyFigure(ctx context.Context, id, version, by int64) error
	DuplicateFigure(ctx context.Context, in FigureInput) (int64, bool, error)
	FigureBySubmission(ctx context.Context, key string) (int64, bool, error)
	Revisions(ctx context.Context, f RevisionFilter) ([]Revision, error)
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
}

// NewEditor wraps a store.
func NewEditor(store EditStore) *Editor { return &Editor{store: store} }

// SaveOptions qualify a save.
type SaveOptions struct {
	Version          int64  // the version the editor saw (updates only)
	SubmissionKey    string // one per rendered form: a double submit creates one figure
	ConfirmDuplicate bool
}

// SaveFigure normalises and validates in, then creates it (in.ID == 0) or
// updates it. It returns the figure's id. Errors: *ValidationError,
// *DuplicateError, ErrConflict (changed by someone else), ErrNotFound,
// ErrForbidden (disabled user).
func (e *Editor) SaveFigure(ctx context.Context, by User, in FigureInput, opt SaveOptions) (int64, error) {
	if by.Disabled || !by.Role.Valid() {
		return 0, ErrForbidden
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
	if by.Disabled {
		return ErrForbidden
	}
	return e.store.SetFigureDeleted(ctx, id, version, true, by.ID)
}

// RestoreFigure undoes a delete. Errors: ErrConflict, ErrNotFound.
func (e *Editor) RestoreFigure(ctx context.Context, by User, id, version int64) error {
	if by.Disabled {
		return ErrForbidden
	}
	return e.store.SetFigureDeleted(ctx, id, version, false, by.ID)
}

// VerifyFigure marks a figure checked against its source by a second
// editor. Errors: ErrForbidden (its author or last editor), ErrConflict.
func (e *Editor) VerifyFigure(ctx context.Context, by User, id, version int64) error {
	if by.Disabled {
		return ErrForbidden
	}
	return e.store.VerifyFigure(ctx, id, version, by.ID)
}

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
