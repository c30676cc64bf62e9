package store

import (
	"context"
	"time"
)

// MarkReadBy records that userID read notification id (once: the first
// time stays), and keeps the notification's own read_at, which the unit's
// inbox shows, for the first reader. ENotFound for an unknown id.
func (s *NotificationService) MarkReadBy(ctx context.Context, id string, userID int64, at time.Time) error {
	if err := s.MarkRead(ctx, id, at); err != nil {
		return err
	}
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO notification_reads (notification_id, user_id, read_at) VALUES ($1,$2,$3)
		ON CONFLICT DO NOTHING`, id, userID, at)
	return translate(err)
}

// ReadBy returns the ids among ids that userID has read.
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
