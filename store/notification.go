package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// NotificationService implements danvan.NotificationService.
type NotificationService struct{ db *DB }

// NewNotificationService returns a NotificationService on db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db} }

var _ danvan.NotificationService = (*NotificationService)(nil)

// CreateNotification inserts n once per n.ID; created is false when it
// existed. It returns EInvalid for a notification that fails validation.
func (s *NotificationService) CreateNotification(ctx context.Context, n *danvan.Notification) (bool, error) {
	if err := danvan.Validate(n); err != nil {
		return false, err
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now()
	}
	tag, err := s.db.Pool.Exec(ctx, `INSERT INTO notifications (id, cycle_id, unit_code, task_kind, kind, recipient, subject, body, due, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (id) DO NOTHING`,
		n.ID, n.CycleID, n.UnitCode, n.TaskKind, n.Kind, n.Recipient, n.Subject, n.Body, n.Due, n.CreatedAt)
	if err != nil {
		return false, translate(err)
	}
	return tag.RowsAffected() == 1, nil
}

// MarkEmailed records the e-mail time; ENotFound for an unknown id.
func (s *NotificationService) MarkEmailed(ctx context.Context, id string, at time.Time) error {
	tag, err := s.db.Pool.Exec(ctx, `UPDATE notifications SET emailed_at = $2 WHERE id = $1`, id, at)
	if err == nil && tag.RowsAffected() == 0 {
		return notFound("notification", id)
	}
	return translate(err)
}

// MarkRead records the first time notification id was read; ENotFound for
// an unknown id.
func (s *NotificationService) MarkRead(ctx context.Context, id string, at time.Time) error {
	tag, err := s.db.Pool.Exec(ctx, `UPDATE notifications SET read_at = coalesce(read_at, $2) WHERE id = $1`, id, at)
	if err == nil && tag.RowsAffected() == 0 {
		return notFound("notification", id)
	}
	return translate(err)
}

// FindNotification returns the notification with id; ENotFound if none.
func (s *NotificationService) FindNotification(ctx context.Context, id string) (*danvan.Notification, error) {
	var n danvan.Notification
	err := s.db.Pool.QueryRow(ctx, `SELECT id, cycle_id, unit_code, task_kind, kind, recipient, subject, body, due, created_at, emailed_at, read_at
		FROM notifications WHERE id = $1`, id).
		Scan(&n.ID, &n.CycleID, &n.UnitCode, &n.TaskKind, &n.Kind, &n.Recipient, &n.Subject, &n.Body, &n.Due, &n.CreatedAt, &n.EmailedAt, &n.ReadAt)
	if err == pgx.ErrNoRows {
		return nil, notFound("notification", id)
	}
	return &n, translate(err)
}

// FindNotifications returns matching notifications newest first (at most
// f.Limit, default 500).
func (s *NotificationService) FindNotifications(ctx context.Context, f danvan.NotificationFilter) ([]danvan.Notification, error) {
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, cycle_id, unit_code, task_kind, kind, recipient, subject, body, due, created_at, emailed_at, read_at
		FROM notifications
		WHERE ($1 = '' OR cycle_id = $1) AND ($2 = '' OR unit_code = $2) AND ($3 = '' OR kind = $3)
			AND (NOT $5 OR read_at IS NULL)
		ORDER BY created_at DESC, id LIMIT $4`, f.CycleID, f.UnitCode, f.Kind, limit, f.Unread)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Notification, error) {
		var n danvan.Notification
		err := r.Scan(&n.ID, &n.CycleID, &n.UnitCode, &n.TaskKind, &n.Kind, &n.Recipient, &n.Subject, &n.Body, &n.Due, &n.CreatedAt, &n.EmailedAt, &n.ReadAt)
		return n, err
	})
	return out, translate(err)
}
