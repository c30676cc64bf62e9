package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// UserService implements danvan.Accounts.
type UserService struct{ db *DB }

// NewUserService returns a UserService on db.
func NewUserService(db *DB) *UserService { return &UserService{db} }

var _ danvan.Accounts = (*UserService)(nil)

// TokenPrefix starts every personal API token, so a leaked one is easy to
// recognise (and to scan for in logs and repositories).
const TokenPrefix = "dvt_"

const userCols = `u.id, u.login, u.name, u.email, u.role, u.disabled_at IS NOT NULL,
	coalesce((SELECT array_agg(unit_code ORDER BY unit_code) FROM user_units uu WHERE uu.user_id = u.id), '{}')`

func scanUser(row pgx.Row) (*danvan.User, error) {
	var u danvan.User
	if err := row.Scan(&u.ID, &u.Login, &u.Name, &u.Email, &u.Role, &u.Disabled, &u.Units); err != nil {
		return nil, err
	}
	u.Normalize()
	return &u, nil
}

// CreateUser stores u without a password (it signs in with the returned
// token only) and returns a new personal API token for it; a login is made
// up from a random suffix when u.Login is empty. EInvalid for a user that
// fails validation or names an unknown unit, EConflict for a taken login.
func (s *UserService) CreateUser(ctx context.Context, u *danvan.User) (string, error) {
	if u.Login == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		u.Login = "user-" + hex.EncodeToString(b[:])
	}
	var token string
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := s.insertUser(ctx, tx, u, ""); err != nil {
			return err
		}
		var err error
		token, _, err = s.newToken(ctx, tx, u.ID, nil)
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// AddUser stores u with password, which must pass danvan.CheckPassword;
// EInvalid for a bad user or password, EConflict for a taken login.
func (s *UserService) AddUser(ctx context.Context, u *danvan.User, password string) error {
	if err := danvan.CheckPassword(u.Login, password); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error { return s.insertUser(ctx, tx, u, hashPassword(password)) })
}

func (s *UserService) insertUser(ctx context.Context, tx pgx.Tx, u *danvan.User, hash string) error {
	u.Login = strings.ToLower(strings.TrimSpace(u.Login))
	u.Normalize()
	if err := danvan.Validate(u); err != nil {
		return err
	}
	if u.Role != danvan.RoleOfficer && len(u.Units) > 0 {
		return danvan.Invalid("units", "only officers belong to units", "chỉ cán bộ đơn vị mới thuộc đơn vị")
	}
	// unit_code is set by setUnits, which names an unknown unit.
	if err := tx.QueryRow(ctx, `INSERT INTO users (login, name, email, role, password_hash) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
		u.Login, u.Name, u.Email, u.Role, hash).Scan(&u.ID); err != nil {
		if danvan.ErrorCode(translate(err)) == danvan.EConflict {
			return danvan.Errorf(danvan.EConflict, "the login %q is taken", "tên đăng nhập %q đã có người dùng", u.Login)
		}
		return translate(err)
	}
	return setUnits(ctx, tx, u.ID, u.Units)
}

func setUnits(ctx context.Context, tx pgx.Tx, id int64, units []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM user_units WHERE user_id = $1`, id); err != nil {
		return translate(err)
	}
	for _, c := range units {
		if _, err := tx.Exec(ctx, `INSERT INTO user_units (user_id, unit_code) VALUES ($1, $2)`, id, c); err != nil {
			if danvan.ErrorCode(translate(err)) == danvan.EInvalid {
				return danvan.Invalid("units", "no unit with the code "+c, "không có đơn vị mã "+c)
			}
			return translate(err)
		}
	}
	var first *string
	if len(units) > 0 {
		first = &units[0]
	}
	_, err := tx.Exec(ctx, `UPDATE users SET unit_code = $2, updated_at = now() WHERE id = $1`, id, first)
	return translate(err)
}

// FindUser returns the user with login; ENotFound if none.
func (s *UserService) FindUser(ctx context.Context, login string) (*danvan.User, error) {
	u, err := scanUser(s.db.Pool.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.login = $1`, strings.ToLower(login)))
	if err == pgx.ErrNoRows {
		return nil, notFound("user", login)
	}
	return u, translate(err)
}

// FindUserByName returns the first user with name and role; ENotFound if none.
func (s *UserService) FindUserByName(ctx context.Context, name, role string) (*danvan.User, error) {
	u, err := scanUser(s.db.Pool.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.name = $1 AND u.role = $2 ORDER BY u.id LIMIT 1`, name, role))
	if err == pgx.ErrNoRows {
		return nil, notFound("user", name)
	}
	return u, translate(err)
}

// ListUsers returns all users ordered by login.
func (s *UserService) ListUsers(ctx context.Context) ([]danvan.User, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+userCols+` FROM users u ORDER BY u.login`)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.User, error) {
		u, err := scanUser(r)
		if err != nil {
			return danvan.User{}, err
		}
		return *u, nil
	})
	return out, translate(err)
}

// UpdateUser applies c to login's user in one transaction and returns the
// user before and after; disabling ends its sessions and tokens stay
// refused while disabled. ENotFound for an unknown login, EInvalid for a
// change that fails validation.
func (s *UserService) UpdateUser(ctx context.Context, login string, c danvan.UserChange) (before, after *danvan.User, err error) {
	if err := danvan.Validate(&c); err != nil {
		return nil, nil, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		before, err = scanUser(tx.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.login = $1 FOR UPDATE`, strings.ToLower(login)))
		if err == pgx.ErrNoRows {
			return notFound("user", login)
		} else if err != nil {
			return translate(err)
		}
		next := *before
		next.Units = append([]string(nil), before.Units...)
		if c.Name != nil {
			next.Name = *c.Name
		}
		if c.Email != nil {
			next.Email = *c.Email
		}
		if c.Role != nil {
			next.Role = *c.Role
			if next.Role != danvan.RoleOfficer && c.Units == nil {
				next.Units = nil
			}
		}
		if c.Units != nil {
			next.Units = *c.Units
		}
		next.UnitCode = ""
		next.Normalize()
		if err := danvan.Validate(&next); err != nil {
			return err
		}
		if next.Role != danvan.RoleOfficer && len(next.Units) > 0 {
			return danvan.Invalid("units", "only officers belong to units", "chỉ cán bộ đơn vị mới thuộc đơn vị")
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET name = $2, email = $3, role = $4, updated_at = now() WHERE id = $1`,
			next.ID, next.Name, next.Email, next.Role); err != nil {
			return translate(err)
		}
		if err := setUnits(ctx, tx, next.ID, next.Units); err != nil {
			return err
		}
		if c.Disabled != nil && *c.Disabled != before.Disabled {
			next.Disabled = *c.Disabled
			if _, err := tx.Exec(ctx, `UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END WHERE id = $1`, next.ID, next.Disabled); err != nil {
				return translate(err)
			}
			if next.Disabled {
				if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, next.ID); err != nil {
					return translate(err)
				}
			}
		}
		after = &next
		return nil
	})
	return before, after, err
}

// SetPassword replaces login's password (checked by danvan.CheckPassword)
// and ends its sessions; ENotFound for an unknown login.
func (s *UserService) SetPassword(ctx context.Context, login, password string) error {
	login = strings.ToLower(login)
	if err := danvan.CheckPassword(login, password); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `UPDATE users SET password_hash = $2, updated_at = now() WHERE login = $1 RETURNING id`, login, hashPassword(password)).Scan(&id)
		if err == pgx.ErrNoRows {
			return notFound("user", login)
		} else if err != nil {
			return translate(err)
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		return translate(err)
	})
}

// errBadCredentials is the one answer to a failed sign-in, whatever failed.
func errBadCredentials() error {
	return danvan.Errorf(danvan.EUnauthorized, "wrong login or password", "sai tên đăng nhập hoặc mật khẩu")
}

// VerifyPassword returns the enabled user with login and password;
// EUnauthorized (the same error) for an unknown login, a wrong password, a
// user without a password or a disabled one.
func (s *UserService) VerifyPassword(ctx context.Context, login, password string) (*danvan.User, error) {
	var hash string
	var id int64
	err := s.db.Pool.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE login = $1`, strings.ToLower(strings.TrimSpace(login))).Scan(&id, &hash)
	if err != nil && err != pgx.ErrNoRows {
		return nil, translate(err)
	}
	var u *danvan.User
	if err == nil {
		if u, err = scanUser(s.db.Pool.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = $1`, id)); err != nil {
			return nil, translate(err)
		}
	}
	if u == nil || hash == "" {
		checkPassword(dummyHash, password)
		return nil, errBadCredentials()
	}
	if !checkPassword(hash, password) || u.Disabled {
		return nil, errBadCredentials()
	}
	return u, nil
}

func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func randomSecret(prefix string) string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on Linux
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// NewToken issues a personal API token for userID valid until expires (nil:
// no expiry) and returns the secret, which is not stored; EInvalid for an
// expiry in the past.
func (s *UserService) NewToken(ctx context.Context, userID int64, expires *time.Time) (string, *danvan.Token, error) {
	if expires != nil && !expires.After(time.Now()) {
		return "", nil, danvan.Invalid("expires", "must be in the future", "hạn phải ở tương lai")
	}
	return s.newToken(ctx, s.db.Pool, userID, expires)
}

func (s *UserService) newToken(ctx context.Context, q DBTX, userID int64, expires *time.Time) (string, *danvan.Token, error) {
	secret := randomSecret(TokenPrefix)
	t := &danvan.Token{UserID: userID, Prefix: secret[:len(TokenPrefix)+6], ExpiresAt: expires}
	err := q.QueryRow(ctx, `INSERT INTO tokens (hash, user_id, prefix, expires_at) VALUES ($1,$2,$3,$4) RETURNING id, created_at`,
		hashSecret(secret), userID, t.Prefix, expires).Scan(&t.ID, &t.CreatedAt)
	if err != nil {
		return "", nil, translate(err)
	}
	return secret, t, nil
}

// AddToken registers token (at least 24 characters) for an existing user, so
// `danvan dev` can keep the admin token it wrote to disk across restarts.
func (s *UserService) AddToken(ctx context.Context, userID int64, token string) error {
	if len(token) < 24 {
		return danvan.Invalid("token", "must be at least 24 characters", "phải có ít nhất 24 ký tự")
	}
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO tokens (hash, user_id, prefix) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING`,
		hashSecret(token), userID, token[:min(len(token), 10)])
	return translate(err)
}

// Authenticate returns the user of a personal API token; EUnauthorized for
// an unknown, expired or revoked token or a disabled user.
func (s *UserService) Authenticate(ctx context.Context, token string) (*danvan.User, error) {
	u, err := scanUser(s.db.Pool.QueryRow(ctx, `UPDATE tokens t SET last_used_at = now() FROM users u
		WHERE t.hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
		AND u.disabled_at IS NULL RETURNING `+userCols, hashSecret(token)))
	if err == pgx.ErrNoRows {
		return nil, danvan.Errorf(danvan.EUnauthorized, "unknown, expired or revoked token", "mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi")
	}
	return u, translate(err)
}

// RevokeAll ends every session and token of login's user and returns how
// many it ended; ENotFound for an unknown login.
func (s *UserService) RevokeAll(ctx context.Context, login string) (int, error) {
	u, err := s.FindUser(ctx, login)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, u.ID)
		if err != nil {
			return translate(err)
		}
		n = tag.RowsAffected()
		tag, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
		n += tag.RowsAffected()
		return translate(err)
	})
	return int(n), err
}

// ListTokens returns userID's personal API tokens (never their secrets),
// newest first, revoked and expired ones included.
func (s *UserService) ListTokens(ctx context.Context, userID int64) ([]danvan.Token, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT id, prefix, user_id, created_at, expires_at, revoked_at FROM tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Token, error) {
		var t danvan.Token
		err := r.Scan(&t.ID, &t.Prefix, &t.UserID, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt)
		return t, err
	})
	if out == nil {
		out = []danvan.Token{}
	}
	return out, translate(err)
}

// RevokeToken revokes userID's token id; ENotFound when userID has no such
// token (another user's token reads as missing).
func (s *UserService) RevokeToken(ctx context.Context, userID, id int64) error {
	tag, err := s.db.Pool.Exec(ctx, `UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1 AND id = $2`, userID, id)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("token", strconv.FormatInt(id, 10))
	}
	return nil
}
