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
// model registration), the number and date it carries and any files. The
// API stores it (claim check) before the workflow hears of it; the workflow
// only ever sees its ID, checksum and size.
type Submission struct {
	// ID is the store's key of the stored content, set when it is written.
	ID          int64  `json:"id,omitempty"`
	CycleID     string `json:"cycle_id" validate:"required,max=100"`
	UnitCode    string `json:"unit" validate:"required,code"`
	Kind        string `json:"kind" validate:"required,kind"`
	Number      string `json:"number,omitempty" validate:"max=100"`
	Date        string `json:"date,omitempty" validate:"omitempty,isodate"`
	Title       string `json:"title,omitempty" validate:"max=500"`
	Text        string `json:"text,omitempty" validate:"required,body"`
	SubmittedBy string `json:"submitted_by,omitempty" validate:"max=200"`
	// SubmittedAt is when the unit workflow accepted the submission; zero
	// while it is pending.
	SubmittedAt time.Time `json:"submitted_at"`
	// Seq is the submission's order within its task (1 = first, 2 = after
	// the first return, ...), assigned by the store when the workflow
	// records it, so a relaunched cycle never reuses a number.
	Seq int `json:"seq"`
	// SHA256 and Size describe the stored text (UTF-8 bytes).
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size"`
	// Files are the uploaded files in upload order (n = index + 1).
	Files []File `json:"files,omitempty"`
}

// Upload is one file handed in with a submission, before it is stored.
type Upload struct {
	Name      string
	MediaType string
	Data      []byte
	// Text is what was extracted from Data, "" when nothing could be.
	Text string
}

// Submission states in the store: pending rows were written by the API but
// not (yet) accepted by the workflow and are invisible; a sweeper removes
// the ones left behind by a refused Update.
const (
	SubmissionPending  = "pending"
	SubmissionRecorded = "recorded"
)

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

// TaskService stores the projection of tasks and the submitted content.
type TaskService interface {
	// UpsertTask writes t unless a row with a higher Version exists.
	UpsertTask(ctx context.Context, t *Task) error
	// FindTasks returns matching tasks ordered by cycle, unit, due.
	FindTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// SaveSubmission stores s (with its Text) as recorded under its Seq,
	// once per (cycle, unit, kind, seq); a second call with the same key
	// and text changes nothing, with another text it returns EConflict.
	// Only workflows recorded before the claim check use it.
	SaveSubmission(ctx context.Context, s *Submission) error
	// FindSubmissions returns a task's recorded submissions oldest first,
	// with checksum, size and files but without their text.
	FindSubmissions(ctx context.Context, cycleID, unit, kind string) ([]Submission, error)

	// CreateSubmission stores s.Text and files as a pending submission and
	// sets s.ID, s.SHA256, s.Size and s.Files. It returns EInvalid for an
	// invalid submission or a file over the size limit; nothing is stored
	// then.
	CreateSubmission(ctx context.Context, s *Submission, files []Upload) error
	// RecordSubmission marks pending submission id as accepted by its
	// workflow at at and assigns its Seq (one more than the task's last);
	// called again it returns the same row. ENotFound for an unknown id.
	RecordSubmission(ctx context.Context, id int64, at time.Time) (*Submission, error)
	// FindSubmission returns recorded submission seq of a task with its
	// Text; ENotFound when there is none.
	FindSubmission(ctx context.Context, cycleID, unit, kind string, seq int) (*Submission, error)
	// SubmissionFile returns file n (1-based) of recorded submission seq
	// with its bytes; ENotFound when there is none.
	SubmissionFile(ctx context.Context, cycleID, unit, kind string, seq, n int) (*File, []byte, error)
	// SweepSubmissions removes pending submissions created before cutoff
	// (content a refused or abandoned Update left unreferenced) and their
	// blobs when nothing else refers to them. It returns how many
	// submissions it removed.
	SweepSubmissions(ctx context.Context, cutoff time.Time) (int, error)
}
