package danvan

import "context"

// Roles.
const (
	RoleAdmin     = "admin"
	RoleOfficer   = "officer"
	RoleInspector = "inspector"
	RoleReader    = "reader"
)

// User is a person with a role; officers act for one unit.
type User struct {
	ID       int64  `json:"id"`
	Name     string `json:"name" validate:"required,max=200"`
	Email    string `json:"email,omitempty" validate:"omitempty,email"`
	Role     string `json:"role" validate:"required,oneof=admin officer inspector reader"`
	UnitCode string `json:"unit,omitempty" validate:"required_if=Role officer,omitempty,code"`
}

// CanActFor reports whether u may see and change unit's work: admins act for
// every unit, officers for their own only.
func (u *User) CanActFor(unit string) bool {
	if u == nil {
		return false
	}
	return u.Role == RoleAdmin || (u.Role == RoleOfficer && u.UnitCode == unit)
}

// CanRead reports whether u may read unit's work: admins, inspectors and
// readers read every unit, officers their own.
func (u *User) CanRead(unit string) bool {
	if u == nil {
		return false
	}
	return u.Role != RoleOfficer || u.UnitCode == unit
}

// UserService manages users and their API tokens.
type UserService interface {
	// CreateUser stores u and returns a new secret token for it.
	CreateUser(ctx context.Context, u *User) (token string, err error)
	// Authenticate returns EUnauthorized for an unknown token.
	Authenticate(ctx context.Context, token string) (*User, error)
	// ListUsers returns all users.
	ListUsers(ctx context.Context) ([]User, error)
}
