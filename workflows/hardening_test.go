package workflows_test

import (
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/workflows"
)

// TestUnitWorkflow_SubmittedAtAcceptance (finding 4): on deadline night a
// submission that waits for the lock behind a slow handler (the store
// failing for half a minute while recording another task's submission) is
// stamped when the workflow accepted it, before midnight, so it is on time.
func TestUnitWorkflow_SubmittedAtAcceptance(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 4, 8, 23, 59) // both deadlines: 8/4 23:59:59
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"},
		danvan.TaskDef{Kind: "model_registration", Title: "Đăng ký mô hình", Due: "2022-04-08"})
	var mu sync.Mutex
	failures := 0
	h.store.RecordHook = func(id int64) error {
		mu.Lock()
		defer mu.Unlock()
		if id == 1 && failures < 5 { // the first submission: 1+2+4+8+15 s of retries
			failures++
			return errors.New("database restarting")
		}
		return nil
	}
	h.update(start.Add(30*time.Second), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
	h.update(start.Add(45*time.Second), workflows.UpdateSubmit, submission("model_registration"), "", func(ts workflows.TaskStatus) {
		require.NotNil(t, ts.SubmittedAt)
		require.True(t, ts.SubmittedAt.Equal(start.Add(45*time.Second)), "stamped %v", ts.SubmittedAt.In(vn))
	})
	h.update(vnTime(2022, 4, 11, 9, 0), workflows.UpdateDecide, decision("unit_plan", "accept"), "", nil)
	h.update(vnTime(2022, 4, 11, 9, 5), workflows.UpdateDecide, decision("model_registration", "accept"), "", nil)
	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	r := h.result()
	require.Equal(t, 5, failures, "the first submission really waited for retries")
	require.Equal(t, danvan.StatusAccepted, taskOf(r, "model_registration").Status, "on time, not done_late")
	require.Equal(t, danvan.StatusAccepted, taskOf(r, "unit_plan").Status)
}

// TestUnitWorkflow_ProjectionFailureDoesNotStallAlarms (finding 3): the
// projection activity fails on every attempt; a submission's handler
// waits for it without the lock, so another task's reminder still fires on
// the minute, and the failures are counted in the status administrators
// read.
func TestUnitWorkflow_ProjectionFailureDoesNotStallAlarms(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 3, 28, 9, 0)
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"},
		danvan.TaskDef{Kind: "model_registration", Title: "Đăng ký mô hình", Due: "2022-04-01"})
	h.env.OnActivity(workflows.ActivityUpsertTasks, mock.Anything, mock.Anything).Return(errors.New("i/o timeout"))
	// 07:55 on Tuesday 29/3: five minutes before the T-3 reminder of the
	// registration (29/3 08:00).
	h.update(vnTime(2022, 3, 29, 7, 55), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
	var status workflows.UnitStatus
	h.at(vnTime(2022, 3, 30, 12, 0), func() {
		v, err := h.env.QueryWorkflow(workflows.QueryStatus)
		require.NoError(t, err)
		require.NoError(t, v.Get(&status))
	})
	h.update(vnTime(2022, 3, 31, 9, 0), workflows.UpdateDecide, decision("unit_plan", "accept"), "", nil)
	h.update(vnTime(2022, 3, 31, 10, 0), workflows.UpdateSubmit, submission("model_registration"), "", nil)
	h.update(vnTime(2022, 3, 31, 11, 0), workflows.UpdateDecide, decision("model_registration", "accept"), "", nil)
	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	h.result()
	n := h.notifications("model_registration")
	require.Contains(t, n, "reminder@29/03 08:00", "the reminder fired on time: %v", n)
	require.GreaterOrEqual(t, status.Failures, 2, "the submission's and the reminder's projections failed for good")
	require.Contains(t, status.LastFailure, "i/o timeout")
}

// TestReplay_CatchesChange proves the replay test has teeth: an old history
// replayed against deliberately changed code (one more timer before the
// workflow starts its work) must fail with a nondeterminism error.
func TestReplay_CatchesChange(t *testing.T) {
	t.Parallel()
	changed := func(ctx workflow.Context, in workflows.UnitInput) (workflows.UnitResult, error) {
		if err := workflow.Sleep(ctx, time.Second); err != nil {
			return workflows.UnitResult{}, err
		}
		return workflows.UnitWorkflow(ctx, in)
	}
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(changed, workflow.RegisterOptions{Name: workflows.UnitWorkflowName})
	err := r.ReplayWorkflowHistoryFromJSONFile(sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)), "testdata/history-unit-a-1.json")
	require.Error(t, err)
	require.Contains(t, err.Error(), "TMPRL1100", "a nondeterminism error")
}

// TestUnitWorkflow_ExtensionAtExpiry (finding 8): an extension that is
// queued for the lock when the grace period ends (behind a submission whose
// recording fails for good) is not acknowledged and then dropped: the
// workflow stays open for the new deadline, takes the work and completes
// normally.
func TestUnitWorkflow_ExtensionAtExpiry(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 4, 8, 9, 0)
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"},
		danvan.TaskDef{Kind: "model_registration", Title: "Đăng ký mô hình", Due: "2022-04-08"})
	in.Grace = time.Hour // expiry 9/4 00:59:59
	h.store.RecordHook = func(id int64) error {
		if id == 1 {
			return danvan.Errorf(danvan.EUnavailable, "database down", "cơ sở dữ liệu không sẵn sàng")
		}
		return nil
	}
	var failed error
	h.at(vnTime(2022, 4, 9, 0, 59).Add(50*time.Second), func() {
		h.env.UpdateWorkflow(workflows.UpdateSubmit, "doomed", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { t.Errorf("rejected: %v", err) },
			OnAccept:   func() {},
			OnComplete: func(_ any, err error) { failed = err },
		}, h.stored(submission("model_registration")))
	})
	ext := decision("unit_plan", "extend")
	ext.NewDue = "2022-04-15"
	h.update(vnTime(2022, 4, 9, 0, 59).Add(55*time.Second), workflows.UpdateDecide, ext, "", nil)
	h.update(vnTime(2022, 4, 12, 9, 0), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
	h.update(vnTime(2022, 4, 12, 10, 0), workflows.UpdateDecide, decision("unit_plan", "accept"), "", nil)
	h.update(vnTime(2022, 4, 12, 11, 0), workflows.UpdateSubmit, submission("model_registration"), "", nil)
	h.update(vnTime(2022, 4, 12, 12, 0), workflows.UpdateDecide, decision("model_registration", "accept"), "", nil)
	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	r := h.result()
	require.Error(t, failed, "the first submission could not be recorded")
	require.False(t, r.Expired, "the extension kept the workflow open")
	require.Equal(t, danvan.StatusAccepted, taskOf(r, "unit_plan").Status)
}
