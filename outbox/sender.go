// Package outbox delivers queued notification e-mails. The Notify activity
// only writes a notification and its outbox rows (one per recipient) in one
// transaction; a Sender claims due rows with FOR UPDATE SKIP LOCKED under a
// lease, sends each notification once per batch on a reused SMTP
// connection, and settles every recipient on its own: a refused mailbox
// never holds back the others, a temporary failure is retried with
// exponential backoff for up to RetryWindow, then the row is marked failed
// and listed for administrators. The Message-ID is the notification's
// business key, so a resend after a crash between sending and settling is
// recognisable as the same message. Several processes may run Senders on
// one database: a row is never claimed by two at once.
package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/mail"
	"github.com/danvan/danvan/store"
)

// Defaults of Config, written down once.
const (
	DefaultConcurrency = 4
	DefaultBatchSize   = 50
	DefaultRetryWindow = 48 * time.Hour
	DefaultMinBackoff  = time.Minute
	DefaultMaxBackoff  = time.Hour
	DefaultLease       = 2 * time.Minute
	DefaultSettleRetry = 45 * time.Second
	DefaultPoll        = 2 * time.Second
	DefaultSendTimeout = 30 * time.Second
)

// Queue is the part of store.OutboxService a Sender uses; tests wrap it to
// simulate a crash between sending and settling.
type Queue interface {
	// Claim leases up to n due rows under token until now+lease.
	Claim(ctx context.Context, token string, now time.Time, lease time.Duration, n int) ([]store.OutboxMail, error)
	// Settle records the outcome of rows claimed under token.
	Settle(ctx context.Context, token string, now time.Time, rs []store.OutboxResult) error
	// Listen calls wake whenever rows are queued, until ctx ends or the
	// connection fails.
	Listen(ctx context.Context, wake func()) error
}

// Config tunes a Sender. Zero values take the defaults above.
type Config struct {
	// Concurrency bounds the SMTP connections open at once in this
	// process (DANVAN_SMTP_CONCURRENCY); default 4.
	Concurrency int
	// BatchSize is how many rows one claim takes and one connection
	// sends; default 50.
	BatchSize int
	// RetryWindow is how long after queueing a temporary failure is
	// retried before the row is marked failed (DANVAN_SMTP_RETRY_WINDOW);
	// default 48 h.
	RetryWindow time.Duration
	// MinBackoff is the wait after the first failure, doubled after each
	// further one up to MaxBackoff; defaults 1 min and 1 h.
	MinBackoff, MaxBackoff time.Duration
	// Lease is how long a claim holds its rows; a sender that dies leaves
	// them to others after it. Default 2 min.
	Lease time.Duration
	// SettleRetry is how long (real time) recording a sent message is
	// retried when the database fails, within the lease, before the rows
	// are left to be resent; it rides out a short database outage without
	// a duplicate. Default 45 s; negative means no retry.
	SettleRetry time.Duration
	// Poll is how often an idle sender looks for due rows when no
	// notification wakes it (retries, a lost LISTEN connection); default 2 s.
	Poll time.Duration
	// SendTimeout bounds one message's SMTP exchange; default 30 s.
	SendTimeout time.Duration
	// Now is the clock; nil means time.Now. Tests advance it to expire
	// leases and retry windows.
	Now func() time.Time
	// Logger receives delivery problems; nil means slog.Default().
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	def(&c.RetryWindow, DefaultRetryWindow)
	def(&c.MinBackoff, DefaultMinBackoff)
	def(&c.MaxBackoff, DefaultMaxBackoff)
	def(&c.Lease, DefaultLease)
	def(&c.Poll, DefaultPoll)
	def(&c.SendTimeout, DefaultSendTimeout)
	// A lease shorter than a send would give every row back untried.
	if c.Lease < 2*c.SendTimeout {
		c.Lease = 2 * c.SendTimeout
	}
	if c.SettleRetry == 0 {
		c.SettleRetry = DefaultSettleRetry
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Sender delivers the outbox through one SMTP server. Build it with New;
// Run delivers until its context ends, DeliverDue delivers what is due now.
type Sender struct {
	queue  Queue
	mailer *mail.Mailer
	cfg    Config
}

// New returns a Sender for queue through mailer, with cfg's zero fields
// set to the defaults. It never fails.
func New(queue Queue, mailer *mail.Mailer, cfg Config) *Sender {
	cfg.setDefaults()
	return &Sender{queue: queue, mailer: mailer, cfg: cfg}
}

// Run delivers until ctx ends, with Concurrency workers that each wake on
// a new notification (LISTEN/NOTIFY), on their poll, or at once while rows
// remain due. Store and SMTP failures are logged and retried, never
// returned: Run returns nil once ctx ends.
func (s *Sender) Run(ctx context.Context) error {
	wakes := make([]chan struct{}, s.cfg.Concurrency)
	for i := range wakes {
		wakes[i] = make(chan struct{}, 1)
	}
	wake := func() {
		for _, w := range wakes {
			select {
			case w <- struct{}{}:
			default:
			}
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			if err := s.queue.Listen(ctx, wake); err != nil && ctx.Err() == nil {
				s.cfg.Logger.Warn("outbox: listening for new notifications failed; polling until it works again", "error", err)
			}
			sleep(ctx, s.cfg.Poll)
		}
	}()
	for _, w := range wakes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				s.drain(ctx)
				select {
				case <-ctx.Done():
					return
				case <-w:
				case <-time.After(s.cfg.Poll):
				}
			}
		}()
	}
	wg.Wait()
	return nil
}

// DeliverDue sends everything due now with Concurrency workers and returns
// once no row is due (or ctx ends). It returns how many recipients were
// settled (sent, retried later or failed); failures are logged, not
// returned, as in Run.
func (s *Sender) DeliverDue(ctx context.Context) int {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	for range s.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := s.drain(ctx)
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}

// drain runs batches until none is due or a store error stops it, and
// returns how many rows it settled.
func (s *Sender) drain(ctx context.Context) int {
	total := 0
	for ctx.Err() == nil {
		n, err := s.batch(ctx)
		total += n
		if err != nil {
			if ctx.Err() == nil {
				s.cfg.Logger.Warn("outbox: batch stopped", "error", err)
			}
			return total
		}
		if n == 0 {
			return total
		}
	}
	return total
}

// batch claims up to BatchSize rows and sends them on one SMTP
// connection, settling each notification's recipients as soon as it is
// sent. It returns the rows claimed and the first store error; SMTP errors
// are settled into the rows.
func (s *Sender) batch(ctx context.Context) (int, error) {
	token := newToken()
	now := s.cfg.Now()
	claimed, err := s.queue.Claim(ctx, token, now, s.cfg.Lease, s.cfg.BatchSize)
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	leaseEnd := now.Add(s.cfg.Lease)
	var session *mail.Session
	defer func() {
		if session != nil {
			_ = session.Close()
		}
	}()
	for i := 0; i < len(claimed); {
		j := i + 1
		for j < len(claimed) && claimed[j].NotificationID == claimed[i].NotificationID {
			j++
		}
		group := claimed[i:j]
		// A message that might outlive the lease is given back untried:
		// once the lease ends another sender may claim it, and both would
		// send.
		if !s.cfg.Now().Add(s.cfg.SendTimeout).Before(leaseEnd) {
			return len(claimed), s.queue.Settle(ctx, token, s.cfg.Now(), release(claimed[i:], s.cfg.Now()))
		}
		if session == nil {
			if session, err = s.open(ctx); err != nil {
				// The server is unreachable for the whole batch: one dial
				// timeout, not one per message.
				return len(claimed), s.settle(ctx, token, leaseEnd, s.outcome(claimed[i:], nil, err))
			}
		}
		sctx, cancel := context.WithTimeout(ctx, s.cfg.SendTimeout)
		refused, serr := session.Send(sctx, message(group), recipients(group))
		cancel()
		if serr != nil {
			// The session's state is unknown after a failed message: the
			// next one gets a fresh connection.
			_ = session.Close()
			session = nil
		}
		if err := s.settle(ctx, token, leaseEnd, s.outcome(group, refused, serr)); err != nil {
			// Like a crash: the rows stay leased and become due again
			// when the lease ends, to be resent with the same Message-ID.
			return len(claimed), err
		}
		i = j
	}
	return len(claimed), nil
}

// settle records results, retrying a failing store with backoff for up to
// SettleRetry while the lease still holds: the message went out, and only
// an unrecorded one is resent. It returns the last store error.
func (s *Sender) settle(ctx context.Context, token string, leaseEnd time.Time, results []store.OutboxResult) error {
	giveUp := time.Now().Add(s.cfg.SettleRetry)
	wait := 100 * time.Millisecond
	for {
		err := s.queue.Settle(ctx, token, s.cfg.Now(), results)
		if err == nil || s.cfg.SettleRetry < 0 || ctx.Err() != nil ||
			!time.Now().Add(wait).Before(giveUp) || !s.cfg.Now().Add(wait).Before(leaseEnd) {
			return err
		}
		s.cfg.Logger.Warn("outbox: recording a sent e-mail failed; retrying", "error", err)
		sleep(ctx, wait)
		wait = min(2*wait, 5*time.Second)
	}
}

func (s *Sender) open(ctx context.Context) (*mail.Session, error) {
	octx, cancel := context.WithTimeout(ctx, s.cfg.SendTimeout)
	defer cancel()
	return s.mailer.Open(octx)
}

// outcome settles each recipient of group after a send: err is for the
// whole message, refused per recipient.
func (s *Sender) outcome(group []store.OutboxMail, refused map[string]error, err error) []store.OutboxResult {
	now := s.cfg.Now()
	out := make([]store.OutboxResult, len(group))
	for k, m := range group {
		e := err
		if e == nil {
			e = refused[m.Recipient]
		}
		r := store.OutboxResult{NotificationID: m.NotificationID, Recipient: m.Recipient, State: store.OutboxSent}
		if e != nil {
			r.Error = e.Error()
			r.State, r.Next = s.retry(m, now, e)
			if r.State == store.OutboxFailed {
				s.cfg.Logger.Error("outbox: e-mail given up; the notification stays in the inbox and is listed for administrators",
					"notification", m.NotificationID, "recipient", m.Recipient, "attempts", m.Attempts, "error", e)
			} else {
				s.cfg.Logger.Warn("outbox: e-mail will be retried", "notification", m.NotificationID,
					"recipient", m.Recipient, "attempts", m.Attempts, "next", r.Next, "error", e)
			}
		}
		out[k] = r
	}
	return out
}

// retry decides what follows a failed attempt: a refusal for good (5xx,
// EInvalid) fails at once; otherwise the row waits MinBackoff doubled per
// earlier attempt (at most MaxBackoff), and one last attempt falls on the
// end of the retry window, after which the row fails.
func (s *Sender) retry(m store.OutboxMail, now time.Time, err error) (state string, next time.Time) {
	if danvan.ErrorCode(err) == danvan.EInvalid {
		return store.OutboxFailed, time.Time{}
	}
	end := m.CreatedAt.Add(s.cfg.RetryWindow)
	if !now.Before(end) {
		return store.OutboxFailed, time.Time{}
	}
	return store.OutboxPending, minTime(now.Add(Backoff(m.Attempts, s.cfg.MinBackoff, s.cfg.MaxBackoff)), end)
}

// Backoff returns the wait after the attempts-th failed attempt: first
// doubled attempts-1 times, at most limit. It never fails.
func Backoff(attempts int, first, limit time.Duration) time.Duration {
	d := first
	for i := 1; i < attempts && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// message is the e-mail of one notification; its Message-ID is the
// notification's business key for every recipient and every resend.
func message(group []store.OutboxMail) danvan.Mail {
	m := group[0]
	to := splitRecipients(m.To)
	if len(to) == 0 {
		to = recipients(group)
	}
	return danvan.Mail{ID: m.NotificationID, To: to, Subject: m.Subject, Body: m.Body}
}

func recipients(group []store.OutboxMail) []string {
	out := make([]string, len(group))
	for i, m := range group {
		out[i] = m.Recipient
	}
	return out
}

func splitRecipients(list string) []string {
	var out []string
	for _, r := range strings.Split(list, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

func release(ms []store.OutboxMail, now time.Time) []store.OutboxResult {
	out := make([]store.OutboxResult, len(ms))
	for i, m := range ms {
		out[i] = store.OutboxResult{NotificationID: m.NotificationID, Recipient: m.Recipient,
			State: store.OutboxPending, Next: now, Released: true}
	}
	return out
}

// newToken names one claim; crypto/rand does not fail on supported
// platforms, and a zero token would still only match its own claim's rows
// for as long as the lease lasts.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
