package store

import (
	"context"

	"github.com/danvan/danvan"
)

// AuditService implements danvan.AuditLog.
type AuditService struct{ db *DB }

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db} }

var _ danvan.AuditLog = (*AuditService)(nil)

func jsonOrNil(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// Audit appends e once per e.Key; a repeated key is a no-op. EInvalid
// without a key or an action.
func (s *AuditService) Audit(ctx context.Context, e *danvan.AuditEntry) error {
	if e.Key == "" || e.Action == "" {
		return danvan.Invalid("key", "audit entries need a key and an action", "nhật ký cần khóa và hành động")
	}
	var uid *int64
	if e.UserID != 0 {
		uid = &e.UserID
	}
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO audit_log (key, at, actor, action, cycle_id, unit, detail, user_id, client, before, after)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (key) DO NOTHING`,
		e.Key, e.At, e.Actor, e.Action, e.CycleID, e.Unit, jsonOrNil(e.Detail), uid, e.Client, jsonOrNil(e.Before), jsonOrNil(e.After))
	return translate(err)
}

const auditCols = `id, key, at, actor, coalesce(user_id, 0), client, action, cycle_id, unit,
	coalesce(detail::text, ''), coalesce(before::text, ''), coalesce(after::text, '')`

func (s *AuditService) query(ctx context.Context, sql string, args ...any) ([]danvan.AuditEntry, error) {
	rows, err := s.db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []danvan.AuditEntry{}
	for rows.Next() {
		var e danvan.AuditEntry
		var detail, before, after string
		if err := rows.Scan(&e.ID, &e.Key, &e.At, &e.Actor, &e.UserID, &e.Client, &e.Action, &e.CycleID, &e.Unit, &detail, &before, &after); err != nil {
			return nil, translate(err)
		}
		for _, p := range []struct {
			dst *[]byte
			src string
		}{{(*[]byte)(&e.Detail), detail}, {(*[]byte)(&e.Before), before}, {(*[]byte)(&e.After), after}} {
			if p.src != "" && p.src != "null" {
				*p.dst = []byte(p.src)
			}
		}
		out = append(out, e)
	}
	return out, translate(rows.Err())
}

// ListAudit returns the audit entries of a cycle (all when empty), oldest first.
func (s *AuditService) ListAudit(ctx context.Context, cycleID string, limit int) ([]danvan.AuditEntry, error) {
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	return s.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE ($1 = '' OR cycle_id = $1) ORDER BY at, id LIMIT $2`, cycleID, limit)
}

// FindAudit returns the entries f selects, newest first, at most f.Limit
// (default and maximum 10,000).
func (s *AuditService) FindAudit(ctx context.Context, f danvan.AuditFilter) ([]danvan.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 10000
	}
	var since, until any
	if !f.Since.IsZero() {
		since = f.Since
	}
	if !f.Until.IsZero() {
		until = f.Until
	}
	return s.query(ctx, `SELECT `+auditCols+` FROM audit_log
		WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
		AND ($3 = '' OR actor = $3) AND ($4 = '' OR starts_with(action, $4))
		AND ($5 = '' OR cycle_id = $5) AND ($6 = '' OR unit = $6)
		ORDER BY at DESC, id DESC LIMIT $7`, since, until, f.Actor, f.Action, f.CycleID, f.Unit, f.Limit)
}
