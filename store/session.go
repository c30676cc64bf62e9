package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// NewSession starts a session for userID with fresh random id and CSRF
// token; only the id's hash is stored.
func (s *UserService) NewSession(ctx context.Context, userID int64, client string) (*danvan.Session, error) {
	sess := &danvan.Session{ID: randomSecret(""), CSRF: randomSecret(""), UserID: userID}
	err := s.db.Pool.QueryRow(ctx, `INSERT INTO sessions (hash, user_id, csrf, client) VALUES ($1,$2,$3,$4) RETURNING created_at, last_seen`,
		hashSecret(sess.ID), userID, sess.CSRF, client).Scan(&sess.CreatedAt, &sess.LastSeen)
	return sess, translate(err)
}

// SessionUser returns the session with id and its user and moves its
// last-seen time to now; EUnauthorized when the session is unknown, idle
// longer than idle, older than lifetime or its user disabled (an expired
// session is deleted).
func (s *UserService) SessionUser(ctx context.Context, id string, idle, lifetime time.Duration) (*danvan.Session, *danvan.User, error) {
	expired := danvan.Errorf(danvan.EUnauthorized, "the session has ended; sign in again", "phiên làm việc đã kết thúc, hãy đăng nhập lại")
	if id == "" {
		return nil, nil, expired
	}
	h := hashSecret(id)
	sess := &danvan.Session{ID: id}
	err := s.db.Pool.QueryRow(ctx, `UPDATE sessions SET last_seen = now()
		WHERE hash = $1 AND last_seen > now() - make_interval(secs => $2) AND created_at > now() - make_interval(secs => $3)
		RETURNING user_id, csrf, created_at, last_seen`, h, idle.Seconds(), lifetime.Seconds()).
		Scan(&sess.UserID, &sess.CSRF, &sess.CreatedAt, &sess.LastSeen)
	if err == pgx.ErrNoRows {
		_, _ = s.db.Pool.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, h)
		return nil, nil, expired
	} else if err != nil {
		return nil, nil, translate(err)
	}
	u, err := scanUser(s.db.Pool.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = $1 AND u.disabled_at IS NULL`, sess.UserID))
	if err == pgx.ErrNoRows {
		return nil, nil, expired
	}
	return sess, u, translate(err)
}

// EndSession deletes the session with id; no error when there is none.
func (s *UserService) EndSession(ctx context.Context, id string) error {
	_, err := s.db.Pool.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hashSecret(id))
	return translate(err)
}

// PurgeSessions deletes sessions idle longer than idle or older than
// lifetime and returns how many.
func (s *UserService) PurgeSessions(ctx context.Context, idle, lifetime time.Duration) (int64, error) {
	tag, err := s.db.Pool.Exec(ctx, `DELETE FROM sessions WHERE last_seen <= now() - make_interval(secs => $1) OR created_at <= now() - make_interval(secs => $2)`,
		idle.Seconds(), lifetime.Seconds())
	return tag.RowsAffected(), translate(err)
}

// LoginThrottle implements danvan.LoginThrottle in Postgres, so every
// server process counts the same failures.
type LoginThrottle struct {
	db *DB
	// Base is the first wait after the limit; it doubles with each further
	// failure up to Max. Zero values mean 30 s and 1 h.
	Base, Max time.Duration
}

// NewLoginThrottle returns a LoginThrottle on db.
func NewLoginThrottle(db *DB) *LoginThrottle {
	return &LoginThrottle{db: db, Base: 30 * time.Second, Max: time.Hour}
}

var _ danvan.LoginThrottle = (*LoginThrottle)(nil)

// Blocked returns how long key must still wait; 0 when it may try.
func (t *LoginThrottle) Blocked(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	var until *time.Time
	err := t.db.Pool.QueryRow(ctx, `SELECT blocked_until FROM login_failures WHERE key = $1`, key).Scan(&until)
	if err == pgx.ErrNoRows || (err == nil && (until == nil || !until.After(now))) {
		return 0, nil
	}
	if err != nil {
		return 0, translate(err)
	}
	return until.Sub(now).Round(time.Second), nil
}

// Fail records a failed attempt of key and returns the wait it now has: 0
// while under limit failures, then Base doubling with each failure up to
// Max. Failures older than Max are forgotten.
func (t *LoginThrottle) Fail(ctx context.Context, key string, limit int, now time.Time) (time.Duration, error) {
	var n int
	err := t.db.Pool.QueryRow(ctx, `INSERT INTO login_failures (key, failures, last_at) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_failures.last_at < $2 - make_interval(secs => $3) THEN 1 ELSE login_failures.failures + 1 END, last_at = $2
		RETURNING failures`, key, now, t.Max.Seconds()).Scan(&n)
	if err != nil {
		return 0, translate(err)
	}
	if n < limit {
		return 0, nil
	}
	wait := t.Base
	for i := limit; i < n && wait < t.Max; i++ {
		wait *= 2
	}
	wait = min(wait, t.Max)
	_, err = t.db.Pool.Exec(ctx, `UPDATE login_failures SET blocked_until = $2 WHERE key = $1`, key, now.Add(wait))
	return wait, translate(err)
}

// Reset forgets key's failures.
func (t *LoginThrottle) Reset(ctx context.Context, key string) error {
	_, err := t.db.Pool.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return translate(err)
}

// Purge forgets failures older than Max whose wait is over, and returns
// how many keys it forgot.
func (t *LoginThrottle) Purge(ctx context.Context, now time.Time) (int64, error) {
	tag, err := t.db.Pool.Exec(ctx, `DELETE FROM login_failures WHERE last_at < $1 AND (blocked_until IS NULL OR blocked_until < $2)`,
		now.Add(-t.Max), now)
	return tag.RowsAffected(), translate(err)
}
