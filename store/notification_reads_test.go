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

func TestNotificationService_ReadsPerUser(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	_, _, err := store.NewUnitService(db).ImportUnits(ctx, []danvan.Unit{{Code: "A", Name: "A", Kind: "department"}})
	require.NoError(t, err)
	users := store.NewUserService(db)
	_, err = users.CreateUser(ctx, &danvan.User{Login: "one", Name: "1", Role: danvan.RoleOfficer, Units: []string{"A"}})
	require.NoError(t, err)
	_, err = users.CreateUser(ctx, &danvan.User{Login: "two", Name: "2", Role: danvan.RoleAdmin})
	require.NoError(t, err)
	one, _ := users.FindUser(ctx, "one")
	two, _ := users.FindUser(ctx, "two")
	ns := store.NewNotificationService(db)
	n := danvan.Notification{ID: "c/A/unit_plan/reminder/1", CycleID: "c", UnitCode: "A", TaskKind: "unit_plan", Kind: danvan.NotifyReminder, Subject: "s", Body: "b", Due: time.Now()}
	_, err = ns.CreateNotification(ctx, &n)
	require.NoError(t, err)

	require.NoError(t, ns.MarkReadBy(ctx, n.ID, one.ID, time.Now()))
	require.NoError(t, ns.MarkReadBy(ctx, n.ID, one.ID, time.Now()), "twice is fine")
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(ns.MarkReadBy(ctx, "nope", one.ID, time.Now())))
	unread := danvan.NotificationFilter{UnitCode: "A", Unread: true}
	got, err := ns.FindNotificationsFor(ctx, unread, one.ID)
	require.NoError(t, err)
	require.Empty(t, got, "read by one")
	got, err = ns.FindNotificationsFor(ctx, unread, two.ID)
	require.NoError(t, err)
	require.Len(t, got, 1, "still unread for two")
	all, err := ns.FindNotificationsFor(ctx, danvan.NotificationFilter{UnitCode: "A"}, one.ID)
	require.NoError(t, err)
	require.NotNil(t, all[0].ReadAt)
}
