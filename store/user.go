package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// UserService implements danvan.UserService.
type UserService struct{ db *DB }

// NewUserService returns a UserService on db.
func NewUserService(db *DB) *UserService { return &UserService{db} }

var _ danvan.UserService = (*UserService)(nil)

// CreateUser stores u and returns a new secret token for it; EInvalid for a
// user that fails validation or names an unknown unit.
func (s *UserService) CreateUser(ctx context.Context, u *danvan.User) (string, error) {
	if err := danvan.Validate(u); err != nil {
		return "", err
	}
	var unit *string
	if u.UnitCode != "" {
		unit = &u.UnitCode
	}
	token := newToken()
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO users (name, email, role, unit_code) VALUES ($1,$2,$3,$4) RETURNING id`,
			u.Name, u.Email, u.Role, unit).Scan(&u.ID); err != nil {
			return translate(err)
		}
		return s.addToken(ctx, tx, u.ID, token)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// AddToken registers token (at least 24 characters) for an existing user, so
// `danvan dev` can keep the admin token it wrote to disk across restarts.
func (s *UserService) AddToken(ctx context.Context, userID int64, token string) error {
	if len(token) < 24 {
		return danvan.Invalid("token", "must be at least 24 characters", "phải có ít nhất 24 ký tự")
	}
	return s.addToken(ctx, s.db.Pool, userID, token)
}

func (s *UserService) addToken(ctx context.Context, q DBTX, userID int64, token string) error {
	h := sha256.Sum256([]byte(token))
	_, err := q.Exec(ctx, `INSERT INTO tokens (hash, user_id) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING`, h[:], userID)
	return translate(err)
}

// Authenticate returns EUnauthorized for an unknown token.
func (s *UserService) Authenticate(ctx context.Context, token string) (*danvan.User, error) {
	h := sha256.Sum256([]byte(token))
	var u danvan.User
	var unit *string
	err := s.db.Pool.QueryRow(ctx, `SELECT u.id, u.name, u.email, u.role, u.unit_code FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`, h[:]).
		Scan(&u.ID, &u.Name, &u.Email, &u.Role, &unit)
	if err == pgx.ErrNoRows {
		return nil, danvan.Errorf(danvan.EUnauthorized, "unknown or revoked token", "mã truy cập không hợp lệ hoặc đã bị thu hồi")
	}
	if unit != nil {
		u.UnitCode = *unit
	}
	return &u, translate(err)
}

// FindUserByName returns the first user with name and role; ENotFound if none.
func (s *UserService) FindUserByName(ctx context.Context, name, role string) (*danvan.User, error) {
	var u danvan.User
	var unit *string
	err := s.db.Pool.QueryRow(ctx, `SELECT id, name, email, role, unit_code FROM users WHERE name = $1 AND role = $2 ORDER BY id LIMIT 1`, name, role).
		Scan(&u.ID, &u.Name, &u.Email, &u.Role, &unit)
	if err == pgx.ErrNoRows {
		return nil, notFound("user", name)
	}
	if unit != nil {
		u.UnitCode = *unit
	}
	return &u, translate(err)
}

// ListUsers returns all users ordered by id.
func (s *UserService) ListUsers(ctx context.Context) ([]danvan.User, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT id, name, email, role, coalesce(unit_code, '') FROM users ORDER BY id`)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.User, error) {
		var u danvan.User
		err := r.Scan(&u.ID, &u.Name, &u.Email, &u.Role, &u.UnitCode)
		return u, err
	})
	return out, translate(err)
}

func newToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on Linux
	return "dv_" + base64.RawURLEncoding.EncodeToString(b[:])
}
