package api

import (
	"context"
	"time"

	"github.com/danvan/danvan"
)

// perUserReads is the store's per-user read state, when it has one.
type perUserReads interface {
	MarkReadBy(ctx context.Context, id string, userID int64, at time.Time) error
}

// markReadBy records that u read notification id: per user when the store
// keeps per-user reads, else on the notification.
func (s *Server) markReadBy(ctx context.Context, u *danvan.User, id string) error {
	if p, ok := s.Notifications.(perUserReads); ok {
		return p.MarkReadBy(ctx, id, u.ID, s.Now().UTC())
	}
	return s.Notifications.MarkRead(ctx, id, s.Now().UTC())
}
