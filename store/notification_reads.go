package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// MarkReadBy records that userID read notification id; the first time
// stays. Read state is per user: an administrator reading a unit's notice
// leaves it unread for the unit's officers. ENotFound for an unknown id.
func (s *NotificationService) MarkReadBy(ctx context.Context, id string, userID int64, at time.Time) error {
	tag, err := s.db.Pool.Exec(ctx, `INSERT INTO notification_reads (notification_id, user_id, read_at)
		SELECT id, $2, $3 FROM notifications WHERE id = $1 ON CONFLICT DO NOTHING`, id, userID, at)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.FindNotification(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// FindNotificationsFor is FindNotifications with userID's read state:
// ReadAt is when userID read each one, and f.Unread keeps those userID has
// not read.
func (s *NotificationService) FindNotificationsFor(ctx context.Context, f danvan.NotificationFilter, userID int64) ([]danvan.Notification, error) {
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT n.id, n.cycle_id, n.unit_code, n.task_kind, n.kind, n.recipient, n.subject, n.body, n.due, n.created_at, n.emailed_at, r.read_at
		FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = $6
		WHERE ($1 = '' OR n.cycle_id = $1) AND ($2 = '' OR n.unit_code = $2) AND ($3 = '' OR n.kind = $3)
			AND (NOT $5 OR r.read_at IS NULL)
		ORDER BY n.created_at DESC, n.id LIMIT $4`, f.CycleID, f.UnitCode, f.Kind, limit, f.Unread, userID)
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

// ReadBy returns when userID read each of ids it has read.
func (s *NotificationService) ReadBy(ctx context.Context, userID int64, ids []string) (map[string]time.Time, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT notification_id, read_at FROM notification_reads WHERE user_id = $1 AND notification_id = ANY($2)`, userID, ids)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, translate(err)
		}
		out[id] = at
	}
	return out, translate(rows.Err())
}
