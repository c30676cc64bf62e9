package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

func escalation() *danvan.Notification {
	return &danvan.Notification{ID: "2031-OWN/A/unit_plan/escalation/1", CycleID: "2031-OWN", UnitCode: "A", TaskKind: "unit_plan",
		Kind: danvan.NotifyEscalation, Recipient: "a@example.org, head.a@example.org, own@example.org",
		Subject: "Báo cáo người đứng đầu", Body: "Quá hạn 2 ngày", Due: time.Now(), CreatedAt: time.Now()}
}

// TestNotificationService_CreateNotifications: the notification, its
// owner's inbox copy and one outbox row per recipient go in together, once.
func TestNotificationService_CreateNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	ns, q := store.NewNotificationService(db), store.NewOutboxService(db)
	n := escalation()
	cp := *n
	cp.ID, cp.UnitCode = n.ID+"/owner", "OWN"
	to := []string{"a@example.org", "head.a@example.org", "own@example.org"}

	created, err := ns.CreateNotifications(ctx, []*danvan.Notification{n, &cp}, to)
	require.NoError(t, err)
	require.True(t, created)
	created, err = ns.CreateNotifications(ctx, []*danvan.Notification{n, &cp}, to)
	require.NoError(t, err)
	require.False(t, created, "a retried activity creates nothing")

	all, err := ns.FindNotifications(ctx, danvan.NotificationFilter{CycleID: "2031-OWN"})
	require.NoError(t, err)
	require.Len(t, all, 2)

	claimed, err := q.Claim(ctx, "t1", time.Now().Add(time.Second), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claimed, 3, "one row per recipient, none for the owner's copy")
	for _, m := range claimed {
		require.Equal(t, n.ID, m.NotificationID)
		require.Equal(t, n.Recipient, m.To)
		require.Equal(t, 1, m.Attempts)
	}
	again, err := q.Claim(ctx, "t2", time.Now().Add(time.Second), time.Minute, 10)
	require.NoError(t, err)
	require.Empty(t, again, "leased rows are not claimed twice")

	t.Run("SettleNeedsTheLease", func(t *testing.T) {
		require.NoError(t, q.Settle(ctx, "t2", time.Now(), []store.OutboxResult{{NotificationID: n.ID, Recipient: "a@example.org", State: store.OutboxSent}}))
		x, err := ns.FindNotification(ctx, n.ID)
		require.NoError(t, err)
		require.Nil(t, x.EmailedAt, "another claim's token changes nothing")
		require.NoError(t, q.Settle(ctx, "t1", time.Now(), []store.OutboxResult{{NotificationID: n.ID, Recipient: "a@example.org", State: store.OutboxSent}}))
		x, err = ns.FindNotification(ctx, n.ID)
		require.NoError(t, err)
		require.NotNil(t, x.EmailedAt)
	})

	t.Run("InvalidCreatesNothing", func(t *testing.T) {
		bad := escalation()
		bad.ID, bad.Kind = "2031-OWN/A/unit_plan/x/1", "gossip"
		good := escalation()
		good.ID = "2031-OWN/A/unit_plan/escalation/2"
		_, err := ns.CreateNotifications(ctx, []*danvan.Notification{good, bad}, to)
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
		_, err = ns.FindNotification(ctx, good.ID)
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
		_, err = ns.CreateNotifications(ctx, nil, to)
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
	})
}
