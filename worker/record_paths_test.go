package worker_test

import (
	"context"
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

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/worker"
	"github.com/danvan/danvan/workflows"
)

// TestRecordPaths records the paths TestRecordHistories does not take, for
// the replay test: a unit started after its deadline (late start) with
// spread alarms, continuing as new with its state and expiring at the end
// of its grace period (history-late-first-N and history-late-last-N), and
// a cycle relaunched after its first run was terminated
// (history-relaunch-N). Run it like TestRecordHistories:
//
//	DANVAN_RECORD_HISTORY=1 go test ./worker -run TestRecordPaths -v
func TestRecordPaths(t *testing.T) {
	if os.Getenv("DANVAN_RECORD_HISTORY") != "1" {
		t.Skip("set DANVAN_RECORD_HISTORY=1 to record workflow histories")
	}
	c := liveClient(t)
	units := []danvan.Unit{
		{Code: "SNV", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment, Email: "snv@example.org", HeadEmail: "gd.snv@example.org"},
		{Code: "L", Name: "Đơn vị L", Kind: danvan.UnitDepartment, Email: "l@example.org", HeadEmail: "head.l@example.org"},
		{Code: "R", Name: "Đơn vị R", Kind: danvan.UnitDepartment, Email: "r@example.org", HeadEmail: "head.r@example.org"},
	}
	liveWorker(t, c, units...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	t0 := time.Now().Truncate(time.Second)
	dir := filepath.Join("..", "workflows", "testdata")
	n := nextRecording(dir, "history-late-first")

	// Late start: the deadline passed an hour ago; overdue reminders every
	// 2 s, escalation after 3 s, expiry 8 s after the start; continue as
	// new after 12 events.
	cycleID := fmt.Sprintf("%d-LATE%d", t0.Year(), t0.Unix()%100000)
	late := workflows.UnitInput{CycleID: cycleID, Unit: "L", Owner: "SNV", Grace: 8 * time.Second, MaxHistory: 12,
		AlarmSpread: 3 * time.Second,
		Plan: workflows.UnitPlan{Tasks: []workflows.TaskPlan{{Kind: "unit_plan", Title: "Kế hoạch", Due: t0.Add(-time.Hour)}},
			Reminders: workflows.ReminderPlan{OverdueEvery: 2 * time.Second, EscalateAfter: 3 * time.Second}}}
	id := workflows.UnitWorkflowID(cycleID, "L")
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue}, workflows.UnitWorkflow, late)
	require.NoError(t, err)
	var res workflows.UnitResult
	require.NoError(t, c.GetWorkflow(ctx, id, "").Get(ctx, &res))
	require.True(t, res.Expired)
	writeRun(t, ctx, c, id, run.GetRunID(), filepath.Join(dir, fmt.Sprintf("history-late-first-%d.json", n)))
	writeRun(t, ctx, c, id, "", filepath.Join(dir, fmt.Sprintf("history-late-last-%d.json", n)))

	// Relaunch: the first run of the cycle is terminated, the second
	// finishes the fan-out without duplicating a unit.
	relID := fmt.Sprintf("%d-REL%d", t0.Year(), t0.Unix()%100000)
	def := danvan.CycleDefinition{Year: t0.Year(), Title: "Khởi động lại", Owner: "SNV", Scope: danvan.Scope{Units: []string{"L", "R"}},
		ParentPlan: danvan.PlanRef{Number: "53/KH-UBND", Date: "2022-03-23", Issuer: "UBND tỉnh"},
		Tasks:      []danvan.TaskDef{{Kind: "unit_plan", Title: "Kế hoạch", Due: t0.Add(time.Hour).Format(time.RFC3339)}}}
	in := workflows.CycleInput{CycleID: relID, Definition: def, Units: []string{"L", "R"}, Grace: time.Second, BatchSize: 1, MaxInFlight: 1}
	_, err = worker.StartCycle(ctx, c, in)
	require.NoError(t, err)
	require.NoError(t, c.TerminateWorkflow(ctx, workflows.CycleWorkflowID(relID), "", "test: a launch that broke"))
	run, err = worker.StartCycle(ctx, c, in)
	require.NoError(t, err, "a terminated cycle can be started again")
	var cr workflows.CycleResult
	require.NoError(t, run.Get(ctx, &cr))
	require.Equal(t, 2, cr.Started+cr.Existing, "every unit once")
	_, err = worker.StartCycle(ctx, c, in)
	require.Error(t, err, "a completed cycle is not started twice")
	writeRun(t, ctx, c, workflows.CycleWorkflowID(relID), "", filepath.Join(dir, fmt.Sprintf("history-relaunch-%d.json", n)))
}

func nextRecording(dir, prefix string) int {
	n := 1
	for ; ; n++ {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("%s-%d.json", prefix, n))); os.IsNotExist(err) {
			return n
		}
	}
}

// writeRun writes the history of one run (runID "" = the latest).
func writeRun(t *testing.T, ctx context.Context, c client.Client, id, runID, path string) {
	t.Helper()
	it := c.GetWorkflowHistory(ctx, id, runID, false, 0)
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
