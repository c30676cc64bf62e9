package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Outbox states.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// OutboxService is the queue of e-mails behind the outbox sender. Rows are
// written by NotificationService.CreateNotifications; several processes may
// claim from it at once.
type OutboxService struct{ db *DB }

// NewOutboxService returns an OutboxService on db.
func NewOutboxService(db *DB) *OutboxService { return &OutboxService{db} }

// OutboxMail is one claimed recipient of a notification, with what is
// needed to compose the message.
type OutboxMail struct {
	NotificationID string
	Recipient      string
	// Attempts counts this one.
	Attempts  int
	CreatedAt time.Time
	// To is the notification's whole recipient list, for the To header.
	To      string
	Subject string
	Body    string
}

// OutboxResult settles one claimed row.
type OutboxResult struct {
	NotificationID string
	Recipient      string
	// State is OutboxSent, OutboxFailed, or OutboxPending (try again at
	// Next).
	State string
	Next  time.Time
	Error string
	// Released gives a row back untried: its attempt is not counted.
	Released bool
}

// Claim leases up to n due rows (pending, next_at <= now) under token until
// now+lease, skipping rows another sender holds, oldest first, grouped by
// notification. A row whose lease runs out without being settled is due
// again, so a crashed sender's work is picked up by the next claim. It
// returns a translated store error when the query fails.
func (s *OutboxService) Claim(ctx context.Context, token string, now time.Time, lease time.Duration, n int) ([]OutboxMail, error) {
	rows, err := s.db.Pool.Query(ctx, `WITH due AS (
			SELECT notification_id, recipient FROM outbox
			WHERE state = 'pending' AND next_at <= $1
			ORDER BY next_at, notification_id, recipient
			LIMIT $2 FOR UPDATE SKIP LOCKED)
		UPDATE outbox o SET lease_token = $3, next_at = $4, attempts = o.attempts + 1
		FROM due JOIN notifications n ON n.id = due.notification_id
		WHERE o.notification_id = due.notification_id AND o.recipient = due.recipient
		RETURNING o.notification_id, o.recipient, o.attempts, o.created_at, n.recipient, n.subject, n.body`,
		now, n, token, now.Add(lease))
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxMail, error) {
		var m OutboxMail
		err := r.Scan(&m.NotificationID, &m.Recipient, &m.Attempts, &m.CreatedAt, &m.To, &m.Subject, &m.Body)
		return m, err
	})
	if err != nil {
		return nil, translate(err)
	}
	// RETURNING has no order; keep one notification's recipients together
	// so they go out in one SMTP transaction.
	groupByNotification(out)
	return out, nil
}

func groupByNotification(ms []OutboxMail) {
	first := map[string]int{}
	for i, m := range ms {
		if _, ok := first[m.NotificationID]; !ok {
			first[m.NotificationID] = i
		}
	}
	// A stable insertion sort by first appearance: batches are small.
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && first[ms[j].NotificationID] < first[ms[j-1].NotificationID]; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// Settle records the outcome of rows claimed under token, at now: sent and
// failed rows are done (a sent row stamps its notification's emailed_at),
// pending ones are due again at their Next. A row whose lease was taken
// over by another claim is left alone, so a slow sender cannot overwrite
// newer work. It returns a translated store error when the update fails.
func (s *OutboxService) Settle(ctx context.Context, token string, now time.Time, rs []OutboxResult) error {
	if len(rs) == 0 {
		return nil
	}
	var ids, rcpts, states, errs []string
	var next []time.Time
	var released []bool
	for _, r := range rs {
		ids, rcpts, states, errs = append(ids, r.NotificationID), append(rcpts, r.Recipient), append(states, r.State), append(errs, r.Error)
		next, released = append(next, r.Next), append(released, r.Released)
	}
	_, err := s.db.Pool.Exec(ctx, `WITH r AS (
			SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::bool[])
				AS r(nid, rcpt, state, next_at, err, released)),
		s AS (
			UPDATE outbox o SET state = r.state, lease_token = NULL,
				next_at = CASE WHEN r.state = 'pending' THEN r.next_at ELSE o.next_at END,
				attempts = CASE WHEN r.released THEN o.attempts - 1 ELSE o.attempts END,
				last_error = CASE WHEN r.released THEN o.last_error ELSE r.err END,
				sent_at = CASE WHEN r.state = 'sent' THEN $8::timestamptz END,
				failed_at = CASE WHEN r.state = 'failed' THEN $8::timestamptz END
			FROM r WHERE o.notification_id = r.nid AND o.recipient = r.rcpt AND o.lease_token = $1
			RETURNING o.notification_id, o.state)
		UPDATE notifications n SET emailed_at = coalesce(n.emailed_at, $8::timestamptz)
		FROM s WHERE n.id = s.notification_id AND s.state = 'sent'`,
		token, ids, rcpts, states, next, errs, released, now)
	return translate(err)
}

// Listen calls wake each time CreateNotifications queues e-mail, until ctx
// ends or the connection fails. It opens a connection of its own, outside
// the pool, so a listener never takes a connection queries need. It
// returns ctx's error or a translated connection error; callers poll
// meanwhile and listen again.
func (s *OutboxService) Listen(ctx context.Context, wake func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.db.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return translate(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{OutboxChannel}.Sanitize()); err != nil {
		return translate(err)
	}
	wake() // rows queued before LISTEN took effect
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return translate(err)
		}
		wake()
	}
}
