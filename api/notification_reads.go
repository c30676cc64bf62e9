package api

import (
	"context"
	"time"

	"github.com/danvan/danvan"
)

// perUserReads is a store that keeps read state per user.
type perUserReads interface {
	MarkReadBy(ctx context.Context, id string, userID int64, at time.Time) error
	FindNotificationsFor(ctx context.Context, f danvan.NotificationFilter, userID int64) ([]danvan.Notification, error)
}

// userInbox gives every handler the signed-in user's read state: listing
// shows what this user has read, and marking read marks it for this user
// only, so nobody changes another person's inbox.
type userInbox struct {
	danvan.NotificationService
	reads perUserReads
}

// FindNotifications answers with the context user's read state.
func (u userInbox) FindNotifications(ctx context.Context, f danvan.NotificationFilter) ([]danvan.Notification, error) {
	if me := userFrom(ctx); me != nil {
		return u.reads.FindNotificationsFor(ctx, f, me.ID)
	}
	return u.NotificationService.FindNotifications(ctx, f)
}

// MarkRead marks id read for the context user.
func (u userInbox) MarkRead(ctx context.Context, id string, at time.Time) error {
	if me := userFrom(ctx); me != nil {
		return u.reads.MarkReadBy(ctx, id, me.ID, at)
	}
	return u.NotificationService.MarkRead(ctx, id, at)
}

// perUserInbox wraps n in userInbox when its store keeps per-user reads.
func perUserInbox(n danvan.NotificationService) danvan.NotificationService {
	if _, ok := n.(userInbox); ok {
		return n
	}
	if r, ok := n.(perUserReads); ok {
		return userInbox{NotificationService: n, reads: r}
	}
	return n
}

// markReadBy records that u read notification id.
func (s *Server) markReadBy(ctx context.Context, u *danvan.User, id string) error {
	return s.Notifications.MarkRead(context.WithValue(ctx, ctxKey{}, u), id, s.Now().UTC())
}
