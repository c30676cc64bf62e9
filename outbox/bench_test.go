package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/outbox"
)

// BenchmarkSender_2000At4 measures delivery of 2,000 queued notifications
// (one recipient each) at 4 SMTP connections against the in-process
// server, on real Postgres: claims, one connection per batch of 50, and a
// settle per message. It reports mails/s.
//
//	go test -run '^$' -bench Sender_2000 -benchtime 3x ./outbox/
func BenchmarkSender_2000At4(b *testing.B) {
	const n = 2000
	ctx := context.Background()
	f := newFixture(b)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// Bulk-queue n notifications the way CreateNotifications writes
		// them, in one statement: the setup is not what is measured.
		_, err := f.db.Pool.Exec(ctx, `WITH ns AS (
				INSERT INTO notifications (id, cycle_id, unit_code, task_kind, kind, recipient, subject, body, due, created_at)
				SELECT 'bench/' || $1::int || '/' || g, '2031-SNV', 'VPUB', 'unit_plan', 'reminder', 'u' || g || '@example.org',
					'Nhắc nhở: Ban hành kế hoạch thực hiện', 'Hạn hoàn thành: 08/04/2031 23:59 (còn 3 ngày)', now(), now()
				FROM generate_series(1, $2::int) g RETURNING id, recipient)
			INSERT INTO outbox (notification_id, recipient, next_at, created_at) SELECT id, recipient, now(), now() FROM ns`, i, n)
		require.NoError(b, err)
		f.clock.Set(time.Now())
		s := f.sender(f.queue, outbox.Config{Concurrency: 4})
		b.StartTimer()
		start := time.Now()
		got := s.DeliverDue(ctx)
		total += time.Since(start)
		b.StopTimer()
		require.Equal(b, n, got)
		require.LessOrEqual(b, f.smtp.MaxOpen(), 4)
	}
	require.Len(b, f.smtp.Messages(), n*b.N)
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "mails/s")
}
