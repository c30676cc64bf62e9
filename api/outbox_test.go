package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store"
)

// TestAPI_FailedNotifications: an e-mail the outbox gave up on is listed
// for administrators and for nobody else.
func TestAPI_FailedNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ns, q := store.NewNotificationService(e.db), store.NewOutboxService(e.db)
	n := &danvan.Notification{ID: "2022-OWN/B/unit_plan/overdue/1", CycleID: "2022-OWN", UnitCode: "B", TaskKind: "unit_plan",
		Kind: danvan.NotifyOverdue, Recipient: "nobody@example.org", Subject: "Quá hạn", Body: "Quá hạn 1 ngày", Due: time.Now()}
	_, err := ns.CreateNotifications(ctx, []*danvan.Notification{n}, []string{"nobody@example.org"})
	require.NoError(t, err)

	code, body := e.do("admin", "GET", "/api/notifications/failed", "")
	require.Equal(t, http.StatusOK, code, body)
	require.JSONEq(t, `{"failed": []}`, body, "queued is not failed")

	now := time.Now().Add(time.Second)
	claimed, err := q.Claim(ctx, "tok", now, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	require.NoError(t, q.Settle(ctx, "tok", now, []store.OutboxResult{{NotificationID: n.ID, Recipient: "nobody@example.org",
		State: store.OutboxFailed, Error: "550 5.1.1 no such mailbox"}}))

	code, body = e.do("admin", "GET", "/api/notifications/failed?limit=10", "")
	require.Equal(t, http.StatusOK, code, body)
	var res struct {
		Failed []danvan.FailedMail `json:"failed"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &res))
	require.Len(t, res.Failed, 1)
	require.Equal(t, n.ID, res.Failed[0].NotificationID)
	require.Equal(t, "B", res.Failed[0].UnitCode)
	require.Equal(t, 1, res.Failed[0].Attempts)
	require.Contains(t, res.Failed[0].LastError, "550")

	for _, who := range []string{"a", "b", "reader"} {
		code, body = e.do(who, "GET", "/api/notifications/failed", "")
		require.Equal(t, http.StatusForbidden, code, who)
		require.NotContains(t, body, "nobody@", who)
	}
	code, _ = e.do("", "GET", "/api/notifications/failed", "")
	require.Equal(t, http.StatusUnauthorized, code)
	code, body = e.do("admin", "GET", "/api/notifications/failed?limit=lots", "")
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, `"field": "limit"`)
	require.Contains(t, body, "số nguyên")
}
