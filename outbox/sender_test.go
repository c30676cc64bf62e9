package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/mail"
	"github.com/danvan/danvan/mail/smtptest"
	"github.com/danvan/danvan/outbox"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

var quiet = slog.New(slog.DiscardHandler)

// clock is a settable clock shared by a test and its senders.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	db     *store.DB
	notes  *store.NotificationService
	queue  *store.OutboxService
	smtp   *smtptest.Server
	mailer *mail.Mailer
	clock  *clock
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := storetest.New(t)
	srv := smtptest.Start(t)
	m, err := mail.New("smtp+insecure://" + srv.Addr() + "?from=danvan@example.org")
	require.NoError(t, err)
	return &fixture{db: db, notes: store.NewNotificationService(db), queue: store.NewOutboxService(db),
		smtp: srv, mailer: m, clock: &clock{t: time.Now()}}
}

func (f *fixture) sender(q outbox.Queue, cfg outbox.Config) *outbox.Sender {
	cfg.Now = f.clock.Now
	cfg.Logger = quiet
	return outbox.New(q, f.mailer, cfg)
}

// notify queues notification id for to, as the Notify activity does.
func (f *fixture) notify(t testing.TB, id string, to ...string) {
	t.Helper()
	n := &danvan.Notification{ID: id, CycleID: "2031-SNV", UnitCode: "VPUB", TaskKind: "unit_plan", Kind: danvan.NotifyReminder,
		Recipient: strings.Join(to, ", "), Subject: "Nhắc nhở: " + id, Body: "Nội dung " + id + "\n",
		Due: time.Now().Add(72 * time.Hour), CreatedAt: time.Now()}
	created, err := f.notes.CreateNotifications(context.Background(), []*danvan.Notification{n}, to)
	require.NoError(t, err)
	require.True(t, created)
	// The row is due from the database's now(); the test clock starts
	// from the real time and only moves forward.
	f.clock.mu.Lock()
	if now := time.Now(); f.clock.t.Before(now) {
		f.clock.t = now
	}
	f.clock.mu.Unlock()
}

// state returns an outbox row's state, attempts and next_at.
func (f *fixture) state(t testing.TB, id, rcpt string) (state string, attempts int, next time.Time) {
	t.Helper()
	require.NoError(t, f.db.Pool.QueryRow(context.Background(),
		`SELECT state, attempts, next_at FROM outbox WHERE notification_id = $1 AND recipient = $2`, id, rcpt).
		Scan(&state, &attempts, &next))
	return state, attempts, next
}

func messageID(m smtptest.Message) string {
	for _, line := range strings.Split(m.Data, "\r\n") {
		if v, ok := strings.CutPrefix(line, "Message-ID: "); ok {
			return v
		}
	}
	return ""
}

// deliveries counts (Message-ID, recipient) pairs received.
func deliveries(srv *smtptest.Server) map[string]int {
	out := map[string]int{}
	for _, m := range srv.Messages() {
		for _, to := range m.To {
			out[messageID(m)+" "+to]++
		}
	}
	return out
}

func TestSender_BadRecipientDoesNotDropOthers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.notify(t, "2031-SNV/VPUB/unit_plan/escalation/1", "a@example.org", "nobody@example.org", "b@example.org")
	f.notify(t, "2031-SNV/VPUB/unit_plan/reminder/1", "a@example.org")
	s := f.sender(f.queue, outbox.Config{})
	require.Equal(t, 4, s.DeliverDue(ctx))

	msgs := f.smtp.Messages()
	require.Len(t, msgs, 2)
	require.Equal(t, []string{"RCPT TO:<a@example.org>", "RCPT TO:<b@example.org>"}, msgs[0].To, "the refused mailbox is left out, the others get it")
	require.Contains(t, msgs[0].Data, "To: <a@example.org>, <nobody@example.org>, <b@example.org>")
	require.Equal(t, "<2031-SNV/VPUB/unit_plan/escalation/1@example.org>", messageID(msgs[0]))
	require.Equal(t, 1, f.smtp.Sessions(), "one connection for the batch")

	st, attempts, _ := f.state(t, "2031-SNV/VPUB/unit_plan/escalation/1", "nobody@example.org")
	require.Equal(t, store.OutboxFailed, st, "a 550 is not retried")
	require.Equal(t, 1, attempts)
	st, _, _ = f.state(t, "2031-SNV/VPUB/unit_plan/escalation/1", "b@example.org")
	require.Equal(t, store.OutboxSent, st)
	n, err := f.notes.FindNotification(ctx, "2031-SNV/VPUB/unit_plan/escalation/1")
	require.NoError(t, err)
	require.NotNil(t, n.EmailedAt)

	failed, err := f.notes.FindFailedMail(ctx, 0)
	require.NoError(t, err)
	require.Len(t, failed, 1)
	require.Equal(t, "nobody@example.org", failed[0].Recipient)
	require.Equal(t, "VPUB", failed[0].UnitCode)
	require.Contains(t, failed[0].LastError, "550")

	require.Zero(t, s.DeliverDue(ctx), "nothing is sent twice")
	require.Len(t, f.smtp.Messages(), 2)
}

// crashingQueue fails the first Settle, as if the process died between
// the SMTP server accepting the message and the outbox recording it.
type crashingQueue struct {
	outbox.Queue
	mu      sync.Mutex
	crashed bool
}

func (q *crashingQueue) Settle(ctx context.Context, token string, now time.Time, rs []store.OutboxResult) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.crashed {
		q.crashed = true
		return errors.New("simulated crash")
	}
	return q.Queue.Settle(ctx, token, now, rs)
}

func TestSender_CrashBetweenSendAndMarkResendsSameMessageID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	id := "2031-SNV/VPUB/unit_plan/overdue/1"
	f.notify(t, id, "vpub@example.org")
	s := f.sender(&crashingQueue{Queue: f.queue}, outbox.Config{Lease: 5 * time.Minute, SettleRetry: -1})
	s.DeliverDue(ctx)
	require.Len(t, f.smtp.Messages(), 1)
	st, _, _ := f.state(t, id, "vpub@example.org")
	require.Equal(t, store.OutboxPending, st, "not recorded as sent")

	require.Zero(t, s.DeliverDue(ctx), "still leased by the crashed claim")
	f.clock.Advance(5*time.Minute + time.Second)
	require.Equal(t, 1, s.DeliverDue(ctx), "due again once the lease ran out")
	msgs := f.smtp.Messages()
	require.Len(t, msgs, 2)
	require.Equal(t, messageID(msgs[0]), messageID(msgs[1]), "the resend is recognisable as the same message")
	require.Equal(t, "<2031-SNV/VPUB/unit_plan/overdue/1@example.org>", messageID(msgs[1]))
	st, attempts, _ := f.state(t, id, "vpub@example.org")
	require.Equal(t, store.OutboxSent, st)
	require.Equal(t, 2, attempts)
}

// flakyQueue fails Settle the first fails times, like a database that is
// down for a moment.
type flakyQueue struct {
	outbox.Queue
	mu    sync.Mutex
	fails int
}

func (q *flakyQueue) Settle(ctx context.Context, token string, now time.Time, rs []store.OutboxResult) error {
	q.mu.Lock()
	if q.fails > 0 {
		q.fails--
		q.mu.Unlock()
		return danvan.Errorf(danvan.EUnavailable, "database unavailable", "cơ sở dữ liệu không sẵn sàng")
	}
	q.mu.Unlock()
	return q.Queue.Settle(ctx, token, now, rs)
}

// TestSender_DatabaseBlipDoesNotResend: recording a sent message is
// retried within the lease, so a short outage duplicates nothing.
func TestSender_DatabaseBlipDoesNotResend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	id := "2031-SNV/VPUB/unit_plan/overdue/2"
	f.notify(t, id, "vpub@example.org")
	s := f.sender(&flakyQueue{Queue: f.queue, fails: 3}, outbox.Config{})
	require.Equal(t, 1, s.DeliverDue(ctx))
	st, _, _ := f.state(t, id, "vpub@example.org")
	require.Equal(t, store.OutboxSent, st)
	f.clock.Advance(time.Hour)
	require.Zero(t, s.DeliverDue(ctx))
	require.Len(t, f.smtp.Messages(), 1)
}

func TestSender_RetriesBackOffThenFail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	id := "2031-SNV/VPUB/unit_plan/reminder/2"
	f.notify(t, id, "busy@example.org", "ok@example.org")
	start := f.clock.Now()
	s := f.sender(f.queue, outbox.Config{RetryWindow: 48 * time.Hour, MinBackoff: time.Minute, MaxBackoff: time.Hour})

	require.Equal(t, 2, s.DeliverDue(ctx))
	require.Len(t, f.smtp.Messages(), 1, "the 451 does not hold back ok@")
	st, _, _ := f.state(t, id, "ok@example.org")
	require.Equal(t, store.OutboxSent, st)

	var waits []time.Duration
	last := start
	for range 200 {
		st, attempts, next := f.state(t, id, "busy@example.org")
		if st != store.OutboxPending {
			require.Equal(t, store.OutboxFailed, st)
			require.Equal(t, len(waits)+1, attempts)
			break
		}
		waits = append(waits, next.Sub(last).Round(time.Second))
		f.clock.Set(next.Add(-time.Second))
		require.Zero(t, s.DeliverDue(ctx), "not before its time")
		f.clock.Set(next)
		last = next
		require.Equal(t, 1, s.DeliverDue(ctx))
	}
	require.Equal(t, []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute,
		32 * time.Minute, time.Hour, time.Hour}, waits[:8], "exponential, capped")
	require.WithinDuration(t, start.Add(48*time.Hour), last, time.Minute, "the last attempt falls at the end of the window")
	require.Len(t, f.smtp.Messages(), 1, "busy@ never accepted it")

	failed, err := f.notes.FindFailedMail(ctx, 10)
	require.NoError(t, err)
	require.Len(t, failed, 1)
	require.Equal(t, "busy@example.org", failed[0].Recipient)
	require.Contains(t, failed[0].LastError, "451")
	require.Equal(t, len(waits)+1, failed[0].Attempts)
}

func TestSender_ConcurrencyNeverExceedsLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	const n = 120
	for i := range n {
		f.notify(t, fmt.Sprintf("2031-SNV/VPUB/unit_plan/reminder/%d", i), fmt.Sprintf("u%d@example.org", i))
	}
	f.smtp.SetDelay(5 * time.Millisecond)
	s := f.sender(f.queue, outbox.Config{Concurrency: 3, BatchSize: 5})
	require.Equal(t, n, s.DeliverDue(ctx))
	require.Len(t, f.smtp.Messages(), n)
	require.LessOrEqual(t, f.smtp.MaxOpen(), 3)
	require.GreaterOrEqual(t, f.smtp.MaxOpen(), 2, "the workers do run side by side")
	require.Less(t, f.smtp.Sessions(), n/2, "connections are reused within a batch")
}

func TestSender_SeveralSendersNeverSendARowTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	const n = 300
	for i := range n {
		f.notify(t, fmt.Sprintf("2031-SNV/VPUB/unit_plan/reminder/%d", i), fmt.Sprintf("u%d@example.org", i))
	}
	var wg sync.WaitGroup
	settled := make([]int, 3)
	for k := range settled {
		s := f.sender(store.NewOutboxService(f.db), outbox.Config{Concurrency: 4, BatchSize: 7})
		wg.Add(1)
		go func() { defer wg.Done(); settled[k] = s.DeliverDue(ctx) }()
	}
	wg.Wait()
	require.Equal(t, n, settled[0]+settled[1]+settled[2])
	d := deliveries(f.smtp)
	require.Len(t, d, n)
	for k, c := range d {
		require.Equal(t, 1, c, k)
	}
}

func TestSender_RunWakesOnNewNotification(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := outbox.New(f.queue, f.mailer, outbox.Config{Poll: time.Hour, Logger: quiet})
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	// Give Run time to start listening; rows queued before LISTEN are
	// picked up by its first drain, rows after by the notification.
	time.Sleep(200 * time.Millisecond)
	f.notify(t, "2031-SNV/VPUB/unit_plan/submitted/1", "vpub@example.org")
	require.Eventually(t, func() bool { return len(f.smtp.Messages()) == 1 }, 20*time.Second, 20*time.Millisecond,
		"woken by NOTIFY, not by the hour-long poll")
	cancel()
	require.NoError(t, <-done)
}

// TestSender_ServerDownRetriesAll: a mail server that cannot be reached
// costs one dial per batch and every row is retried later.
func TestSender_ServerDownRetriesAll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	down, err := mail.New("smtp+insecure://127.0.0.1:1?from=danvan@example.org")
	require.NoError(t, err)
	for i := range 3 {
		f.notify(t, fmt.Sprintf("2031-SNV/VPUB/unit_plan/reminder/%d", i), "vpub@example.org")
	}
	s := outbox.New(f.queue, down, outbox.Config{Now: f.clock.Now, Logger: quiet})
	require.Equal(t, 3, s.DeliverDue(ctx))
	for i := range 3 {
		st, attempts, next := f.state(t, fmt.Sprintf("2031-SNV/VPUB/unit_plan/reminder/%d", i), "vpub@example.org")
		require.Equal(t, store.OutboxPending, st)
		require.Equal(t, 1, attempts)
		require.WithinDuration(t, f.clock.Now().Add(time.Minute), next, time.Second)
	}
	failed, err := f.notes.FindFailedMail(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, failed, "a server that is down is not a reason to give up")
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	require.Equal(t, time.Minute, outbox.Backoff(1, time.Minute, time.Hour))
	require.Equal(t, 8*time.Minute, outbox.Backoff(4, time.Minute, time.Hour))
	require.Equal(t, time.Hour, outbox.Backoff(40, time.Minute, time.Hour))
}
