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

func newCycle(t *testing.T, db *store.DB) *danvan.Cycle {
	t.Helper()
	c := &danvan.Cycle{ID: "2022-SNV", Status: danvan.CycleRunning, Units: []string{"SNV", "DP"}, StartedAt: time.Now(),
		Definition: danvan.CycleDefinition{Year: 2022, Title: "Dân vận chính quyền 2022", Owner: "SNV",
			Tasks: []danvan.TaskDef{{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"}}}}
	require.NoError(t, store.NewCycleService(db).CreateCycle(context.Background(), c))
	return c
}

func TestCycleService_Create(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	c := newCycle(t, db)
	cycles := store.NewCycleService(db)

	got, err := cycles.FindCycle(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, c.Definition.Title, got.Definition.Title)
	require.Equal(t, []string{"SNV", "DP"}, got.Units)

	t.Run("Conflict", func(t *testing.T) {
		err := cycles.CreateCycle(ctx, c)
		require.Equal(t, danvan.EConflict, danvan.ErrorCode(err))
	})
	t.Run("NotFound", func(t *testing.T) {
		_, err := cycles.FindCycle(ctx, "1999-X")
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	})
}

func TestTaskService_UpsertKeepsNewest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	c := newCycle(t, db)
	tasks := store.NewTaskService(db)
	due := time.Date(2022, 4, 8, 16, 59, 59, 0, time.UTC)

	v2 := danvan.Task{CycleID: c.ID, UnitCode: "SNV", Kind: "unit_plan", Title: "Kế hoạch", Status: danvan.StatusSubmitted, Due: due, Version: 2}
	require.NoError(t, tasks.UpsertTask(ctx, &v2))
	v1 := v2
	v1.Status, v1.Version = danvan.StatusPending, 1
	require.NoError(t, tasks.UpsertTask(ctx, &v1), "a late projection is not an error")

	got, err := tasks.FindTasks(ctx, danvan.TaskFilter{CycleID: c.ID})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, danvan.StatusSubmitted, got[0].Status, "the older version did not overwrite")
	require.True(t, got[0].Due.Equal(due))
}

func TestTaskService_SaveSubmission(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	c := newCycle(t, db)
	tasks := store.NewTaskService(db)
	sub := danvan.Submission{CycleID: c.ID, UnitCode: "SNV", Kind: "unit_plan", Seq: 1, Number: "495/KH-VP",
		Date: "2022-03-29", Text: "Kế hoạch thực hiện", SubmittedAt: time.Now()}
	require.NoError(t, tasks.SaveSubmission(ctx, &sub))
	require.NoError(t, tasks.SaveSubmission(ctx, &sub), "idempotent")
	other := sub
	other.Text = "khác"
	require.Equal(t, danvan.EConflict, danvan.ErrorCode(tasks.SaveSubmission(ctx, &other)))
	bad := sub
	bad.Text = ""
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(tasks.SaveSubmission(ctx, &bad)))

	got, err := tasks.FindSubmissions(ctx, c.ID, "SNV", "unit_plan")
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "2022-03-29", got[0].Date)
}

func TestNotificationService_Idempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	ns := store.NewNotificationService(db)
	n := danvan.Notification{ID: "2022-SNV/DP/unit_plan/reminder/1", CycleID: "2022-SNV", UnitCode: "DP", TaskKind: "unit_plan",
		Kind: danvan.NotifyReminder, Subject: "Nhắc nhở", Body: "Hạn 08/04/2022", Due: time.Now()}
	created, err := ns.CreateNotification(ctx, &n)
	require.NoError(t, err)
	require.True(t, created)
	created, err = ns.CreateNotification(ctx, &n)
	require.NoError(t, err)
	require.False(t, created)
	require.NoError(t, ns.MarkEmailed(ctx, n.ID, time.Now()))
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(ns.MarkEmailed(ctx, "nope", time.Now())))
	got, err := ns.FindNotifications(ctx, danvan.NotificationFilter{UnitCode: "DP"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.NotNil(t, got[0].EmailedAt)
	got, err = ns.FindNotifications(ctx, danvan.NotificationFilter{UnitCode: "SNV"})
	require.NoError(t, err)
	require.Empty(t, got)
}
