package stats

import "fmt"

// Action is something a user may or may not do.
type Action uint8

const (
	ActEdit        Action = iota // add, change, delete or restore data
	ActVerify                    // confirm a figure against its source
	ActManageUsers               // add users, change their roles
)

// May is the one place that says who may do what: an enabled editor or
// admin edits; a figure is verified by someone other than its author and
// its last editor (a second pair of eyes is the point); only admins manage
// users. f is the figure acted on (ActVerify only). Errors: ErrForbidden,
// saying why.
func (u User) May(a Action, f *Figure) error {
	if u.Disabled || !u.Role.Valid() {
		return fmt.Errorf("%w: account %q is disabled or has no role", ErrForbidden, u.Username)
	}
	switch a {
	case ActVerify:
		if f != nil && (is(f.CreatedBy, u.ID) || is(f.UpdatedBy, u.ID)) {
			return fmt.Errorf("%w: the author or last editor of figure %d cannot verify it", ErrOwnFigure, f.ID)
		}
	case ActManageUsers:
		if u.Role != RoleAdmin {
			return fmt.Errorf("%w: only admins manage users", ErrForbidden)
		}
	}
	return nil
}

// ErrOwnFigure is the refusal of a verification by the figure's author or
// last editor. It wraps ErrForbidden.
var ErrOwnFigure = fmt.Errorf("%w: own figure", ErrForbidden)

func is(id *int64, user int64) bool { return id != nil && *id == user }
