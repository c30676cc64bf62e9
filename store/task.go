package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// TaskService implements danvan.TaskService.
type TaskService struct{ db *DB }

// NewTaskService returns a TaskService on db.
func NewTaskService(db *DB) *TaskService { return &TaskService{db} }

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

// SaveSubmission stores s once per (cycle, unit, kind, seq). A second call
// with the same key and the same text changes nothing; with a different text
// it returns EConflict, because the workflow never reuses a sequence number.
func (s *TaskService) SaveSubmission(ctx context.Context, sub *danvan.Submission) error {
	if err := danvan.Validate(sub); err != nil {
		return err
	}
	if sub.Seq < 1 {
		return danvan.Invalid("seq", "must be 1 or more", "phải từ 1 trở lên")
	}
	var date *string
	if sub.Date != "" {
		date = &sub.Date
	}
	tag, err := s.db.Pool.Exec(ctx, `INSERT INTO submissions (cycle_id, unit_code, kind, seq, number, date, title, body, submitted_by, submitted_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING`,
		sub.CycleID, sub.UnitCode, sub.Kind, sub.Seq, sub.Number, date, sub.Title, sub.Text, sub.SubmittedBy, sub.SubmittedAt)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var same bool
	err = s.db.Pool.QueryRow(ctx, `SELECT body = $5 FROM submissions WHERE cycle_id=$1 AND unit_code=$2 AND kind=$3 AND seq=$4`,
		sub.CycleID, sub.UnitCode, sub.Kind, sub.Seq, sub.Text).Scan(&same)
	if err != nil {
		return translate(err)
	}
	if !same {
		return danvan.Errorf(danvan.EConflict, "submission %d of %s/%s/%s exists with other content",
			"bản nộp %d của %s/%s/%s đã tồn tại với nội dung khác", sub.Seq, sub.CycleID, sub.UnitCode, sub.Kind)
	}
	return nil
}

// FindSubmissions returns a task's submissions oldest first.
func (s *TaskService) FindSubmissions(ctx context.Context, cycleID, unit, kind string) ([]danvan.Submission, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT cycle_id, unit_code, kind, seq, number, coalesce(to_char(date, 'YYYY-MM-DD'), ''),
			title, body, submitted_by, submitted_at
		FROM submissions WHERE cycle_id = $1 AND unit_code = $2 AND ($3 = '' OR kind = $3) ORDER BY kind, seq`, cycleID, unit, kind)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Submission, error) {
		var s danvan.Submission
		err := r.Scan(&s.CycleID, &s.UnitCode, &s.Kind, &s.Seq, &s.Number, &s.Date, &s.Title, &s.Text, &s.SubmittedBy, &s.SubmittedAt)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("submissions: %w", translate(err))
	}
	return out, nil
}
