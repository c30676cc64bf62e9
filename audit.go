package danvan

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry records who did what. Key makes writes idempotent: activities
// retried with the same input write one entry.
type AuditEntry struct {
	Key     string          `json:"key"`
	At      time.Time       `json:"at"`
	Actor   string          `json:"actor"`
	Action  string          `json:"action"`
	CycleID string          `json:"cycle_id,omitempty"`
	Unit    string          `json:"unit,omitempty"`
	Detail  json.RawMessage `json:"detail,omitempty"`
}

// AuditService appends to the audit log.
type AuditService interface {
	// Audit appends e once per Key.
	Audit(ctx context.Context, e *AuditEntry) error
}
