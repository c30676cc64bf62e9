package danvan

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry records who did what. Key makes writes idempotent: activities
// retried with the same input write one entry. UserID and Client are empty
// for the workflow engine's own entries; Before and After hold the changed
// record for management actions.
type AuditEntry struct {
	ID      int64           `json:"id,omitempty"`
	Key     string          `json:"key"`
	At      time.Time       `json:"at"`
	Actor   string          `json:"actor"`
	UserID  int64           `json:"user_id,omitempty"`
	Client  string          `json:"client,omitempty"`
	Action  string          `json:"action"`
	CycleID string          `json:"cycle_id,omitempty"`
	Unit    string          `json:"unit,omitempty"`
	Detail  json.RawMessage `json:"detail,omitempty"`
	Before  json.RawMessage `json:"before,omitempty"`
	After   json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit entries; zero fields match everything.
type AuditFilter struct {
	Since, Until time.Time
	Actor        string
	Action       string // a prefix: "user." matches every user action
	CycleID      string
	Unit         string
	Limit        int // default and maximum 10,000
}

// AuditService appends to the audit log.
type AuditService interface {
	// Audit appends e once per Key.
	Audit(ctx context.Context, e *AuditEntry) error
}

// AuditLog is AuditService that can also be read.
type AuditLog interface {
	AuditService
	// FindAudit returns the entries f selects, newest first.
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
