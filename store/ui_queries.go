package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/danvan/danvan"
)

// UIQueries holds the web UI's own queries: form drafts (table form_drafts,
// migration 010), one per user and form key, and a unit's history read
// from the audit log.
type UIQueries struct{ db *DB }

// NewUIQueries returns the UI queries on db.
func NewUIQueries(db *DB) *UIQueries { return &UIQueries{db} }

// SaveDraft stores fields as user's draft of form key, replacing an older
// one, and returns when it was saved. It returns EInvalid for an unknown
// user or a key that is empty or too long.
func (s *UIQueries) SaveDraft(ctx context.Context, userID int64, key string, fields json.RawMessage) (time.Time, error) {
	var at time.Time
	err := s.db.Pool.QueryRow(ctx, `INSERT INTO form_drafts (user_id, key, fields, updated_at) VALUES ($1, $2, $3, now())
		ON CONFLICT (user_id, key) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
		RETURNING updated_at`, userID, key, []byte(fields)).Scan(&at)
	return at, translate(err)
}

// FindDraft returns user's draft of form key and when it was saved;
// ENotFound when there is none.
func (s *UIQueries) FindDraft(ctx context.Context, userID int64, key string) (json.RawMessage, time.Time, error) {
	var fields []byte
	var at time.Time
	err := s.db.Pool.QueryRow(ctx, `SELECT fields, updated_at FROM form_drafts WHERE user_id = $1 AND key = $2`, userID, key).Scan(&fields, &at)
	if err != nil {
		return nil, time.Time{}, translate(err)
	}
	return fields, at, nil
}

// DeleteDraft removes user's draft of form key; deleting a missing draft
// is not an error. It returns only database errors.
func (s *UIQueries) DeleteDraft(ctx context.Context, userID int64, key string) error {
	_, err := s.db.Pool.Exec(ctx, `DELETE FROM form_drafts WHERE user_id = $1 AND key = $2`, userID, key)
	return translate(err)
}

// CheckUnits validates an import as ImportUnits will (rows, parents, loops,
// against the stored tree) without writing; it returns the same EInvalid
// *danvan.Error naming each bad row.
func (s *UIQueries) CheckUnits(ctx context.Context, units []danvan.Unit) error {
	if len(units) == 0 {
		return danvan.Invalid("units", "the file has no units", "tệp không có đơn vị nào")
	}
	existing, err := NewUnitService(s.db).ListUnits(ctx)
	if err != nil {
		return err
	}
	return checkTree(existing, units)
}

// UnitHistory returns the audit entries about unit, newest first, at most
// limit (1..500, default 100). It returns only database errors.
func (s *UIQueries) UnitHistory(ctx context.Context, unit string, limit int) ([]danvan.AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	// Audit entries about the unit, and every earlier shape of it that
	// ImportUnits kept in unit_history (as "unit.previous" entries whose
	// detail is the old row, valid until at).
	rows, err := s.db.Pool.Query(ctx, `SELECT key, at, actor, action, cycle_id, unit, detail FROM (
			SELECT id, key, at, actor, action, cycle_id, unit, coalesce(detail, 'null'::jsonb) AS detail
			FROM audit_log WHERE unit = $1
			UNION ALL
			SELECT -id, 'unit_history/' || id, valid_until, '', 'unit.previous', '', code,
				jsonb_build_object('name', name, 'parent_code', coalesce(parent_code, ''), 'kind', kind)
			FROM unit_history WHERE code = $1) h
		ORDER BY at DESC, id DESC LIMIT $2`, unit, limit)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []danvan.AuditEntry
	for rows.Next() {
		var e danvan.AuditEntry
		var detail []byte
		if err := rows.Scan(&e.Key, &e.At, &e.Actor, &e.Action, &e.CycleID, &e.Unit, &detail); err != nil {
			return nil, translate(err)
		}
		e.Detail = detail
		out = append(out, e)
	}
	return out, translate(rows.Err())
}
