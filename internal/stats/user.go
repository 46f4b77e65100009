package stats

import (
	"encoding/json"
	"regexp"
	"time"
)

// Role is what a user may do: editors change data, admins also users.
type Role string

const (
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleEditor || r == RoleAdmin }

// User is an account of the admin area.
type User struct {
	ID                int64
	Username          string
	Role              Role
	Disabled          bool
	PasswordHash      string
	CreatedAt         time.Time
	PasswordChangedAt time.Time
}

// UsernamePattern is what a user name may look like (the database checks
// it too): lower-case ASCII, so that look-alike names cannot coexist.
var UsernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// Revision is one entry of the audit trail.
type Revision struct {
	ID       int64
	Entity   string // figure, source, finding, locality, term, user
	EntityID int64
	Action   string // create, update, delete, restore, verify, import
	UserID   *int64
	Username string
	At       time.Time
	Before   json.RawMessage
	After    json.RawMessage
}

// RevisionFilter selects revisions; zero fields do not filter.
type RevisionFilter struct {
	Entity   string
	EntityID int64
	Limit    int
}
