package stats

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// BatchError says which rows of a batch are wrong and why; nothing of the
// batch was written. It wraps ErrInvalid.
type BatchError struct {
	Rows map[int]*ValidationError // by 0-based row
}

// Add records a row's errors.
func (e *BatchError) Add(row int, v *ValidationError) {
	if e.Rows == nil {
		e.Rows = map[int]*ValidationError{}
	}
	if old, ok := e.Rows[row]; ok {
		old.Fields = append(old.Fields, v.Fields...)
		return
	}
	e.Rows[row] = v
}

// Err returns e as an error, or nil when every row is right.
func (e *BatchError) Err() error {
	if e == nil || len(e.Rows) == 0 {
		return nil
	}
	return e
}

func (e *BatchError) Error() string {
	rows := make([]int, 0, len(e.Rows))
	for r := range e.Rows {
		rows = append(rows, r)
	}
	sort.Ints(rows)
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprintf("row %d: %v", r+1, e.Rows[r])
	}
	return strings.Join(parts, "; ")
}

func (e *BatchError) Unwrap() error { return ErrInvalid }

// BatchStore writes a batch of new figures in one transaction.
type BatchStore interface {
	CreateFigures(ctx context.Context, ins []FigureInput, by int64) ([]int64, error)
}

// SaveBatch adds a batch of new figures (an article's figures, picked from
// the extractor's candidates) in one transaction, each through exactly the
// form's rules: normalised, validated, checked against what it cites, with
// its revision. A row may name an earlier row as its total (ParentRef); the
// first row may bring a new source that all rows cite. If any row is wrong,
// nothing is written and the error names every wrong row.
// Errors: ErrForbidden, *BatchError.
func (e *Editor) SaveBatch(ctx context.Context, by User, ins []FigureInput) ([]int64, error) {
	if err := by.May(ActEdit, nil); err != nil {
		return nil, err
	}
	bad := &BatchError{}
	for i := range ins {
		ins[i].ID = 0
		if i > 0 && ins[0].NewSource != nil {
			ins[i].NewSource = ins[0].NewSource
		}
		ins[i].Normalize()
		if err := ins[i].Validate(); err != nil {
			v, _ := err.(*ValidationError)
			bad.Add(i, v)
		}
		if r := ins[i].ParentRef; r > 0 && r > i {
			v := &ValidationError{}
			v.Add("parent_id", "error.parent.after", "")
			bad.Add(i, v)
		}
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	return e.store.CreateFigures(ctx, ins, by.ID)
}
