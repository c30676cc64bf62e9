package worker_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/worker"
	"github.com/danvan/danvan/workflows"
)

// TestRecordHistories runs a short real-time cycle (deadlines seconds away)
// on a live server and writes the histories of the cycle and both unit
// workflows to ../workflows/testdata/history-*-N.json (N one past the last), which the replay test
// there replays on every run. Run it after a change that is meant to be
// compatible only to refresh the files, never to paper over a replay
// failure:
//
//	DANVAN_RECORD_HISTORY=1 go test ./worker -run TestRecordHistories -v
//
// It uses DANVAN_TEMPORAL_ADDRESS when set, else an embedded dev server.
func TestRecordHistories(t *testing.T) {
	if os.Getenv("DANVAN_RECORD_HISTORY") != "1" {
		t.Skip("set DANVAN_RECORD_HISTORY=1 to record workflow histories")
	}
	c := liveClient(t)
	units := []danvan.Unit{
		{Code: "SNV", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment, Email: "snv@example.org", HeadEmail: "gd.snv@example.org"},
		{Code: "A", Name: "Đơn vị A", Kind: danvan.UnitDepartment, Email: "a@example.org", HeadEmail: "head.a@example.org"},
		{Code: "B", Name: "Đơn vị B", Kind: danvan.UnitDepartment, Email: "b@example.org", HeadEmail: "head.b@example.org"},
	}
	store := liveWorker(t, c, units...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	t0 := time.Now().Truncate(time.Second)
	at := func(d time.Duration) string { return t0.Add(d).Format(time.RFC3339) }
	cycleID := fmt.Sprintf("%d-REC%d", t0.Year(), t0.Unix()%100000)
	def := danvan.CycleDefinition{
		Year: t0.Year(), Title: "Ghi lịch sử", Owner: "SNV", Scope: danvan.Scope{Units: []string{"A", "B"}},
		ParentPlan: danvan.PlanRef{Number: "53/KH-UBND", Date: "2022-03-23", Issuer: "UBND tỉnh"},
		Tasks: []danvan.TaskDef{
			{Kind: "unit_plan", Title: "Ban hành kế hoạch", Due: at(12 * time.Second)},
			{Kind: "annual_report", Title: "Báo cáo năm", Due: at(20 * time.Second)},
		},
		Reminders: danvan.ReminderPolicy{Before: []string{"6s", "3s"}, OverdueEvery: "3s", EscalateAfter: "5s"},
	}
	require.NoError(t, def.Check())
	run, err := worker.StartCycle(ctx, c, workflows.CycleInput{CycleID: cycleID, Definition: def, Units: []string{"A", "B"}, Grace: 30 * time.Second})
	require.NoError(t, err)
	var cr workflows.CycleResult
	require.NoError(t, run.Get(ctx, &cr))
	require.Equal(t, 2, cr.Started)

	update := func(unit, name string, arg any) (workflows.TaskStatus, error) {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: workflows.UnitWorkflowID(cycleID, unit), UpdateName: name, Args: []any{arg},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err != nil {
			return workflows.TaskStatus{}, err
		}
		var r workflows.SubmitResult // same shape as DecideResult
		err = h.Get(ctx, &r)
		return r.Task, err
	}
	// Submissions are stored first, as the API does (claim check); the
	// Update carries the reference.
	sub := func(unit, kind string) workflows.SubmitInput {
		s := danvan.Submission{CycleID: cycleID, UnitCode: unit, Kind: kind, Text: "Nội dung " + kind, SubmittedBy: "officer." + unit}
		require.NoError(t, store.CreateSubmission(ctx, &s, nil))
		return workflows.SubmitInput{CycleID: cycleID, Unit: unit, Kind: kind, SubmissionID: s.ID, SHA256: s.SHA256, Size: s.Size, By: s.SubmittedBy}
	}
	dec := func(unit, kind, action string) workflows.DecideInput {
		return workflows.DecideInput{CycleID: cycleID, Unit: unit, Kind: kind, Action: action, By: "admin"}
	}
	must := func(ts workflows.TaskStatus, err error) workflows.TaskStatus {
		t.Helper()
		require.NoError(t, err)
		return ts
	}

	// A rejected update leaves no trace in history.
	bad := sub("A", "unit_plan")
	bad.Unit = "B"
	_, err = update("A", workflows.UpdateSubmit, bad)
	var ae *temporal.ApplicationError
	require.True(t, errors.As(err, &ae), "%v", err)
	require.Equal(t, danvan.EInvalid, ae.Type())

	// A: on time, with a return in between.
	must(update("A", workflows.UpdateSubmit, sub("A", "unit_plan")))
	require.Equal(t, danvan.StatusAccepted, must(update("A", workflows.UpdateDecide, dec("A", "unit_plan", "accept"))).Status)
	must(update("A", workflows.UpdateSubmit, sub("A", "annual_report")))
	ret := dec("A", "annual_report", "return")
	ret.Reason, ret.NewDue = "Bổ sung số liệu", at(8*time.Second)
	require.Equal(t, danvan.StatusReturned, must(update("A", workflows.UpdateDecide, ret)).Status)
	time.Sleep(time.Until(t0.Add(4 * time.Second)))
	must(update("A", workflows.UpdateSubmit, sub("A", "annual_report")))
	require.Equal(t, danvan.StatusAccepted, must(update("A", workflows.UpdateDecide, dec("A", "annual_report", "accept"))).Status)

	// B: the plan is extended by 4s, then goes overdue and is escalated.
	ext := dec("B", "unit_plan", "extend")
	ext.NewDue = at(16 * time.Second)
	require.Equal(t, 1, must(update("B", workflows.UpdateDecide, ext)).Extensions)
	time.Sleep(time.Until(t0.Add(23 * time.Second)))
	must(update("B", workflows.UpdateSubmit, sub("B", "unit_plan")))
	must(update("B", workflows.UpdateSubmit, sub("B", "annual_report")))
	ts := must(update("B", workflows.UpdateDecide, dec("B", "unit_plan", "accept")))
	require.Equal(t, danvan.StatusDoneLate, ts.Status)
	require.True(t, ts.Escalated)
	must(update("B", workflows.UpdateDecide, dec("B", "annual_report", "accept")))

	for _, u := range []string{"A", "B"} {
		var r workflows.UnitResult
		require.NoError(t, c.GetWorkflow(ctx, workflows.UnitWorkflowID(cycleID, u), "").Get(ctx, &r))
		require.False(t, r.Expired)
	}
	seen := map[string]bool{}
	kinds := map[string]int{}
	for _, n := range store.Notified() {
		require.False(t, seen[n.ID], "duplicate %s", n.ID)
		seen[n.ID] = true
		if n.UnitCode == "B" && n.TaskKind == "unit_plan" {
			kinds[n.Kind]++
		}
	}
	require.Equal(t, 1, kinds[danvan.NotifyEscalation], "%v", kinds)
	require.GreaterOrEqual(t, kinds[danvan.NotifyOverdue], 2, "%v", kinds)
	require.GreaterOrEqual(t, kinds[danvan.NotifyReminder], 1, "%v", kinds)

	// Recordings accumulate (history-*-N.json): old histories stand for
	// workflows still running on old code and must keep replaying.
	dir := filepath.Join("..", "workflows", "testdata")
	n := 1
	for ; ; n++ {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("history-cycle-%d.json", n))); os.IsNotExist(err) {
			break
		}
	}
	writeHistory(t, ctx, c, workflows.CycleWorkflowID(cycleID), filepath.Join(dir, fmt.Sprintf("history-cycle-%d.json", n)))
	writeHistory(t, ctx, c, workflows.UnitWorkflowID(cycleID, "A"), filepath.Join(dir, fmt.Sprintf("history-unit-a-%d.json", n)))
	writeHistory(t, ctx, c, workflows.UnitWorkflowID(cycleID, "B"), filepath.Join(dir, fmt.Sprintf("history-unit-b-%d.json", n)))
}

func writeHistory(t *testing.T, ctx context.Context, c client.Client, id, path string) {
	t.Helper()
	it := c.GetWorkflowHistory(ctx, id, "", false, 0)
	var h historypb.History
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		h.Events = append(h.Events, ev)
	}
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(&h)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
	t.Logf("wrote %s: %d events (%s)", path, len(h.Events), strings.TrimPrefix(h.Events[len(h.Events)-1].GetEventType().String(), "EVENT_TYPE_"))
}
