package danvan

import (
	"context"
	"time"
)

// Notification kinds.
const (
	NotifyReminder   = "reminder"
	NotifyOverdue    = "overdue"
	NotifyEscalation = "escalation"
	NotifySubmitted  = "submitted"
	NotifyAccepted   = "accepted"
	NotifyReturned   = "returned"
	NotifyExtended   = "extended"
)

// Notification is one message in a unit's inbox (and, when SMTP is set, an
// e-mail). ID is a business key (cycle, unit, task, kind, sequence) so a
// retried activity never notifies twice.
type Notification struct {
	ID        string     `json:"id" validate:"required,max=300"`
	CycleID   string     `json:"cycle_id" validate:"required"`
	UnitCode  string     `json:"unit" validate:"required,code"`
	TaskKind  string     `json:"task_kind" validate:"required,kind"`
	Kind      string     `json:"kind" validate:"required,oneof=reminder overdue escalation submitted accepted returned extended"`
	Recipient string     `json:"recipient,omitempty"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Due       time.Time  `json:"due"`
	CreatedAt time.Time  `json:"created_at"`
	EmailedAt *time.Time `json:"emailed_at,omitempty"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// NotificationFilter selects notifications; empty fields match all.
type NotificationFilter struct {
	CycleID  string
	UnitCode string
	Kind     string
	// Unread keeps only notifications not yet marked read.
	Unread bool
	Limit  int
}

// NotificationService stores the inbox.
type NotificationService interface {
	// CreateNotification inserts n; it returns created=false and no error
	// when a notification with n.ID exists already.
	CreateNotification(ctx context.Context, n *Notification) (created bool, err error)
	// FindNotification returns the notification with id; ENotFound if none.
	FindNotification(ctx context.Context, id string) (*Notification, error)
	// MarkEmailed records that n was e-mailed; ENotFound for an unknown id.
	MarkEmailed(ctx context.Context, id string, at time.Time) error
	// MarkRead records that notification id was read; ENotFound when no
	// notification has id.
	MarkRead(ctx context.Context, id string, at time.Time) error
	// FindNotifications returns matching notifications newest first.
	FindNotifications(ctx context.Context, f NotificationFilter) ([]Notification, error)
	// CreateNotifications stores ns[0] (the notification) and ns[1:] (inbox
	// copies, such as the owner's copy of an escalation) each once by ID,
	// and queues ns[0] for e-mail to every address in mailTo, all in one
	// transaction. created is false, and nothing is queued again, when
	// ns[0].ID exists already. It returns EInvalid for a notification that
	// fails validation and a retryable error when the store fails.
	CreateNotifications(ctx context.Context, ns []*Notification, mailTo []string) (created bool, err error)
	// FindFailedMail returns the e-mails given up on (refused, or not
	// delivered within the retry window), most recent first, at most limit
	// (0 means 500); an error only when the store fails.
	FindFailedMail(ctx context.Context, limit int) ([]FailedMail, error)
}

// FailedMail is one recipient of a notification whose e-mail was given
// up: what administrators see in GET /api/notifications/failed.
type FailedMail struct {
	NotificationID string    `json:"notification_id"`
	CycleID        string    `json:"cycle_id"`
	UnitCode       string    `json:"unit"`
	Kind           string    `json:"kind"`
	Subject        string    `json:"subject"`
	Recipient      string    `json:"recipient"`
	Attempts       int       `json:"attempts"`
	LastError      string    `json:"last_error"`
	CreatedAt      time.Time `json:"created_at"`
	FailedAt       time.Time `json:"failed_at"`
}

// Mail is one e-mail to send.
type Mail struct {
	To      []string
	Subject string
	Body    string
	// ID is the business key, sent as Message-ID so receivers can drop a
	// duplicate should one ever slip through.
	ID string
}

// Mailer sends e-mail. Implementations return an error the caller may retry.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}
