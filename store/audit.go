package store

import (
	"context"

	"github.com/danvan/danvan"
)

// AuditService implements danvan.AuditService.
type AuditService struct{ db *DB }

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db} }

var _ danvan.AuditService = (*AuditService)(nil)

// Audit appends e once per e.Key; a repeated key is a no-op.
func (s *AuditService) Audit(ctx context.Context, e *danvan.AuditEntry) error {
	if e.Key == "" || e.Action == "" {
		return danvan.Invalid("key", "audit entries need a key and an action", "nhật ký cần khóa và hành động")
	}
	var detail any
	if len(e.Detail) > 0 {
		detail = e.Detail
	}
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO audit_log (key, at, actor, action, cycle_id, unit, detail)
		VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (key) DO NOTHING`, e.Key, e.At, e.Actor, e.Action, e.CycleID, e.Unit, detail)
	return translate(err)
}

// ListAudit returns the audit entries of a cycle (all when empty), oldest first.
func (s *AuditService) ListAudit(ctx context.Context, cycleID string, limit int) ([]danvan.AuditEntry, error) {
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT key, at, actor, action, cycle_id, unit, coalesce(detail, 'null'::jsonb)
		FROM audit_log WHERE ($1 = '' OR cycle_id = $1) ORDER BY at, id LIMIT $2`, cycleID, limit)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []danvan.AuditEntry
	for rows.Next() {
		var e danvan.AuditEntry
		if err := rows.Scan(&e.Key, &e.At, &e.Actor, &e.Action, &e.CycleID, &e.Unit, &e.Detail); err != nil {
			return nil, translate(err)
		}
		out = append(out, e)
	}
	return out, translate(rows.Err())
}
