package danvan

import (
	"context"
	"time"
)

// Task statuses.
const (
	StatusPending   = "pending"
	StatusSubmitted = "submitted"
	StatusAccepted  = "accepted"
	StatusReturned  = "returned"
	StatusOverdue   = "overdue"
	StatusDoneLate  = "done_late"
)

// Task is one unit's task in a cycle as projected from its workflow. The
// workflow is the source of truth; this row is what dashboards read.
type Task struct {
	CycleID       string     `json:"cycle_id"`
	UnitCode      string     `json:"unit"`
	Kind          string     `json:"kind"`
	Title         string     `json:"title"`
	Status        string     `json:"status"`
	Due           time.Time  `json:"due"`
	SubmittedAt   *time.Time `json:"submitted_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	RemindersSent int        `json:"reminders_sent"`
	Escalated     bool       `json:"escalated"`
	Extensions    int        `json:"extensions"`
	ReturnReason  string     `json:"return_reason,omitempty"`
	// Version orders projections: a retried or late activity never
	// overwrites a newer state.
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Submission is what a unit hands in for a task: its text (a plan, report,
// model registration) and the number and date it carries.
type Submission struct {
	CycleID     string    `json:"cycle_id" validate:"required,max=100"`
	UnitCode    string    `json:"unit" validate:"required,code"`
	Kind        string    `json:"kind" validate:"required,kind"`
	Number      string    `json:"number,omitempty" validate:"max=100"`
	Date        string    `json:"date,omitempty" validate:"omitempty,isodate"`
	Title       string    `json:"title,omitempty" validate:"max=500"`
	Text        string    `json:"text" validate:"required,body"`
	SubmittedBy string    `json:"submitted_by,omitempty" validate:"max=200"`
	SubmittedAt time.Time `json:"submitted_at"`
	// Seq is the submission's order within its task (1 = first, 2 = after
	// the first return, ...), set by the workflow: part of its business key.
	Seq int `json:"seq"`
}

// Decision is an administrator's answer to a task: accept, return for
// revision with a reason and a new deadline, or extend the deadline.
type Decision struct {
	CycleID  string `json:"cycle_id" validate:"required,max=100"`
	UnitCode string `json:"unit" validate:"required,code"`
	Kind     string `json:"kind" validate:"required,kind"`
	Action   string `json:"action" validate:"required,oneof=accept return extend"`
	Reason   string `json:"reason,omitempty" validate:"required_if=Action return,max=2000"`
	// NewDue is required for extend and optional for return; same forms as
	// TaskDef.Due.
	NewDue string `json:"new_due,omitempty" validate:"required_if=Action extend,omitempty,due"`
	By     string `json:"by,omitempty" validate:"max=200"`
}

// TaskFilter selects tasks; empty fields match everything.
type TaskFilter struct {
	CycleID  string
	UnitCode string
	Kind     string
	Status   string
}

// TaskService stores the projection of tasks and submissions.
type TaskService interface {
	// UpsertTask writes t unless a row with a higher Version exists.
	UpsertTask(ctx context.Context, t *Task) error
	// FindTasks returns matching tasks ordered by cycle, unit, due.
	FindTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// SaveSubmission stores s once per (cycle, unit, kind, seq); a second
	// call with the same key changes nothing.
	SaveSubmission(ctx context.Context, s *Submission) error
	// FindSubmissions returns a task's submissions oldest first.
	FindSubmissions(ctx context.Context, cycleID, unit, kind string) ([]Submission, error)
}
