package danvan

import (
	"context"
	"slices"
	"time"
)

// Roles.
const (
	RoleAdmin     = "admin"
	RoleOfficer   = "officer"
	RoleInspector = "inspector"
	RoleReader    = "reader"
)

// User is a person with a login and a role; officers act for one or more
// units. UnitCode is the first of Units, kept for the code that filters by
// one unit.
type User struct {
	ID       int64    `json:"id"`
	Login    string   `json:"login" validate:"required,min=2,max=64,login"`
	Name     string   `json:"name" validate:"required,max=200"`
	Email    string   `json:"email,omitempty" validate:"omitempty,email"`
	Role     string   `json:"role" validate:"required,oneof=admin officer inspector reader"`
	UnitCode string   `json:"unit,omitempty" validate:"omitempty,code"`
	Units    []string `json:"units,omitempty" validate:"required_if=Role officer,dive,code"`
	Disabled bool     `json:"disabled"`
}

// HasUnit reports whether unit is one of u's units.
func (u *User) HasUnit(unit string) bool {
	return u != nil && unit != "" && (u.UnitCode == unit || slices.Contains(u.Units, unit))
}

// CanActFor reports whether u may see and change unit's work: admins act for
// every unit, officers for their own only.
func (u *User) CanActFor(unit string) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Role == RoleAdmin || (u.Role == RoleOfficer && u.HasUnit(unit))
}

// CanRead reports whether u may read unit's work: admins, inspectors and
// readers read every unit, officers their own.
func (u *User) CanRead(unit string) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Role != RoleOfficer || u.HasUnit(unit)
}

// Normalize fills UnitCode and Units from each other so both always agree.
func (u *User) Normalize() {
	if len(u.Units) == 0 && u.UnitCode != "" {
		u.Units = []string{u.UnitCode}
	}
	if len(u.Units) > 0 {
		slices.Sort(u.Units)
		u.Units = slices.Compact(u.Units)
		if !slices.Contains(u.Units, u.UnitCode) {
			u.UnitCode = u.Units[0]
		}
	} else {
		u.UnitCode = ""
	}
}

// Token is a personal API token's record; the secret itself is shown once
// and only its hash is stored.
type Token struct {
	ID        int64      `json:"id"`
	Prefix    string     `json:"prefix"`
	UserID    int64      `json:"user_id"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Session is a signed-in browser: ID is the secret in the cookie, CSRF the
// per-session token every form and cookie-authenticated write must carry.
type Session struct {
	ID        string
	CSRF      string
	UserID    int64
	CreatedAt time.Time
	LastSeen  time.Time
}

// UserChange is an administrator's change to an account; nil fields stay.
type UserChange struct {
	Name     *string   `json:"name,omitempty" validate:"omitempty,min=1,max=200"`
	Email    *string   `json:"email,omitempty" validate:"omitempty,max=200"`
	Role     *string   `json:"role,omitempty" validate:"omitempty,oneof=admin officer inspector reader"`
	Units    *[]string `json:"units,omitempty" validate:"omitempty,dive,code"`
	Disabled *bool     `json:"disabled,omitempty"`
}

// UserService manages users and their API tokens.
type UserService interface {
	// CreateUser stores u (a login is made up when empty) without a
	// password and returns a new personal API token for it; EInvalid for
	// a user that fails validation, EConflict for a login in use.
	CreateUser(ctx context.Context, u *User) (token string, err error)
	// Authenticate returns the user of a personal API token; EUnauthorized
	// for an unknown, expired or revoked token or a disabled user.
	Authenticate(ctx context.Context, token string) (*User, error)
	// ListUsers returns all users.
	ListUsers(ctx context.Context) ([]User, error)
}

// Accounts is what sign-in and account management need beyond
// UserService. Every method returns EInvalid for bad input, ENotFound for
// an unknown login and EUnauthorized for wrong credentials.
type Accounts interface {
	UserService
	// AddUser stores u with password (checked by CheckPassword).
	AddUser(ctx context.Context, u *User, password string) error
	// FindUser returns the user with login; ENotFound if none.
	FindUser(ctx context.Context, login string) (*User, error)
	// UpdateUser applies c to login's user and returns it before and after.
	UpdateUser(ctx context.Context, login string, c UserChange) (before, after *User, err error)
	// SetPassword replaces login's password and ends its sessions.
	SetPassword(ctx context.Context, login, password string) error
	// VerifyPassword returns the user when login and password match an
	// enabled account; EUnauthorized otherwise (the same for every cause).
	VerifyPassword(ctx context.Context, login, password string) (*User, error)
	// NewToken issues a personal API token valid until expires (nil: no
	// expiry) and returns the secret, shown once.
	NewToken(ctx context.Context, userID int64, expires *time.Time) (token string, t *Token, err error)
	// ListTokens returns userID's tokens, without secrets.
	ListTokens(ctx context.Context, userID int64) ([]Token, error)
	// RevokeToken revokes userID's token id; ENotFound if userID has none.
	RevokeToken(ctx context.Context, userID, id int64) error
	// RevokeAll ends every session and token of login's user; it returns
	// how many it ended.
	RevokeAll(ctx context.Context, login string) (int, error)
	// NewSession starts a session for userID and returns it.
	NewSession(ctx context.Context, userID int64, client string) (*Session, error)
	// SessionUser returns the session with id and its user, touching its
	// last-seen time; EUnauthorized when unknown, idle longer than idle or
	// older than lifetime.
	SessionUser(ctx context.Context, id string, idle, lifetime time.Duration) (*Session, *User, error)
	// EndSession deletes the session with id; no error when none.
	EndSession(ctx context.Context, id string) error
}

// LoginThrottle counts failed sign-ins per key (a login, a client address).
type LoginThrottle interface {
	// Blocked returns how long key must still wait; 0 when it may try.
	Blocked(ctx context.Context, key string, now time.Time) (time.Duration, error)
	// Fail records a failure of key and returns the wait it now has (0
	// below limit failures); the wait doubles with each further failure.
	Fail(ctx context.Context, key string, limit int, now time.Time) (time.Duration, error)
	// Reset forgets key's failures after a successful sign-in.
	Reset(ctx context.Context, key string) error
}
