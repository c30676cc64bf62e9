package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// TaskService implements danvan.TaskService.
type TaskService struct {
	db *DB
	// MaxFileSize caps a submission's text and each of its files; 0 means
	// danvan.DefaultMaxFileSize.
	MaxFileSize int64
}

// NewTaskService returns a TaskService on db.
func NewTaskService(db *DB) *TaskService { return &TaskService{db: db} }

var _ danvan.TaskService = (*TaskService)(nil)

// UpsertTask writes t unless the stored row has a higher or equal version, so
// a retried or late projection never overwrites newer state.
func (s *TaskService) UpsertTask(ctx context.Context, t *danvan.Task) error {
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO tasks (cycle_id, unit_code, kind, title, status, due, submitted_at,
			decided_at, reminders_sent, escalated, extensions, return_reason, version, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13, now())
		ON CONFLICT (cycle_id, unit_code, kind) DO UPDATE SET title = excluded.title, status = excluded.status,
			due = excluded.due, submitted_at = excluded.submitted_at, decided_at = excluded.decided_at,
			reminders_sent = excluded.reminders_sent, escalated = excluded.escalated, extensions = excluded.extensions,
			return_reason = excluded.return_reason, version = excluded.version, updated_at = now()
		WHERE tasks.version < excluded.version`,
		t.CycleID, t.UnitCode, t.Kind, t.Title, t.Status, t.Due, t.SubmittedAt, t.DecidedAt,
		t.RemindersSent, t.Escalated, t.Extensions, t.ReturnReason, t.Version)
	return translate(err)
}

// FindTasks returns matching tasks ordered by cycle, unit and due time.
func (s *TaskService) FindTasks(ctx context.Context, f danvan.TaskFilter) ([]danvan.Task, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT cycle_id, unit_code, kind, title, status, due, submitted_at, decided_at,
			reminders_sent, escalated, extensions, return_reason, version, updated_at
		FROM tasks
		WHERE ($1 = '' OR cycle_id = $1) AND ($2 = '' OR unit_code = $2) AND ($3 = '' OR kind = $3) AND ($4 = '' OR status = $4)
		ORDER BY cycle_id, unit_code, due, kind`, f.CycleID, f.UnitCode, f.Kind, f.Status)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Task, error) {
		var t danvan.Task
		err := r.Scan(&t.CycleID, &t.UnitCode, &t.Kind, &t.Title, &t.Status, &t.Due, &t.SubmittedAt, &t.DecidedAt,
			&t.RemindersSent, &t.Escalated, &t.Extensions, &t.ReturnReason, &t.Version, &t.UpdatedAt)
		return t, err
	})
	return out, translate(err)
}
