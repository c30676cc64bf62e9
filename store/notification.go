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

// OutboxChannel is the LISTEN/NOTIFY channel CreateNotifications signals
// when it queues e-mail, so the outbox sender wakes at once instead of
// waiting for its next poll.
const OutboxChannel = "danvan_outbox"

// CreateNotifications stores ns[0] and its inbox copies ns[1:] once by ID
// and queues one outbox row per address of mailTo for ns[0], in one
// transaction: a notification is never visible without its e-mail queued,
// and a retried activity queues nothing twice. created is false when ns[0]
// existed. It returns EInvalid for an empty ns or a notification that fails
// validation, and a translated store error otherwise.
func (s *NotificationService) CreateNotifications(ctx context.Context, ns []*danvan.Notification, mailTo []string) (bool, error) {
	if len(ns) == 0 {
		return false, danvan.Errorf(danvan.EInvalid, "no notification to create", "không có thông báo để tạo")
	}
	for _, n := range ns {
		if err := danvan.Validate(n); err != nil {
			return false, err
		}
		if n.CreatedAt.IsZero() {
			n.CreatedAt = time.Now()
		}
	}
	created := false
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		for i, n := range ns {
			tag, err := tx.Exec(ctx, `INSERT INTO notifications (id, cycle_id, unit_code, task_kind, kind, recipient, subject, body, due, created_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (id) DO NOTHING`,
				n.ID, n.CycleID, n.UnitCode, n.TaskKind, n.Kind, n.Recipient, n.Subject, n.Body, n.Due, n.CreatedAt)
			if err != nil {
				return translate(err)
			}
			if i == 0 {
				created = tag.RowsAffected() == 1
				if !created {
					// Everything else went in with it, in the same transaction.
					return nil
				}
			}
		}
		if len(mailTo) == 0 {
			return nil
		}
		// The rows are due from the moment they are queued: the database's
		// clock, not the notification's (a workflow's time may lag or be
		// skipped in tests).
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (notification_id, recipient, next_at, created_at)
			SELECT $1, r, now(), now() FROM unnest($2::text[]) AS r ON CONFLICT DO NOTHING`, ns[0].ID, mailTo); err != nil {
			return translate(err)
		}
		_, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, OutboxChannel)
		return translate(err)
	})
	if err != nil {
		return false, err
	}
	return created, nil
}

// FindFailedMail returns the outbox rows given up on, most recently failed
// first, at most limit (0 or above 5000 means 500). It returns a translated
// store error when the query fails.
func (s *NotificationService) FindFailedMail(ctx context.Context, limit int) ([]danvan.FailedMail, error) {
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT o.notification_id, n.cycle_id, n.unit_code, n.kind, n.subject, o.recipient,
			o.attempts, o.last_error, o.created_at, o.failed_at
		FROM outbox o JOIN notifications n ON n.id = o.notification_id
		WHERE o.state = 'failed' ORDER BY o.failed_at DESC, o.notification_id, o.recipient LIMIT $1`, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.FailedMail, error) {
		var f danvan.FailedMail
		err := r.Scan(&f.NotificationID, &f.CycleID, &f.UnitCode, &f.Kind, &f.Subject, &f.Recipient,
			&f.Attempts, &f.LastError, &f.CreatedAt, &f.FailedAt)
		return f, err
	})
	return out, translate(err)
}
