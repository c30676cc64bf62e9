package workflows_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/activities"
	"github.com/danvan/danvan/workflows"
)

func fixtureDefinition(t *testing.T) danvan.CycleDefinition {
	t.Helper()
	b, err := os.ReadFile("testdata/cycle-quang-ngai-2022.json")
	require.NoError(t, err)
	var def danvan.CycleDefinition
	require.NoError(t, json.Unmarshal(b, &def))
	require.NoError(t, def.Check())
	return def
}

// runCycle runs a CycleWorkflow to the end, following ContinueAsNew
// hand-overs in fresh environments as the server would, and returns the
// result and the number of runs.
func runCycle(t *testing.T, in workflows.CycleInput, starter *fakeStarter) (workflows.CycleResult, int) {
	return runCycleWith(t, in, &activities.Activities{Starter: starter})
}

func runCycleWith(t *testing.T, in workflows.CycleInput, acts *activities.Activities) (workflows.CycleResult, int) {
	t.Helper()
	for runs := 1; runs < 100; runs++ {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.SetStartTime(time.Date(2022, 3, 25, 9, 0, 0, 0, vn))
		env.RegisterWorkflowWithOptions(workflows.CycleWorkflow, workflow.RegisterOptions{Name: workflows.CycleWorkflowName})
		env.RegisterActivity(acts)
		env.ExecuteWorkflow(workflows.CycleWorkflow, in)
		require.True(t, env.IsWorkflowCompleted())
		if err := env.GetWorkflowError(); err != nil {
			in = decodeContinueAsNew[workflows.CycleInput](t, err)
			require.NotNil(t, in.Plan, "the plan is resolved once and carried over")
			continue
		}
		var r workflows.CycleResult
		require.NoError(t, env.GetWorkflowResult(&r))
		return r, runs
	}
	t.Fatal("cycle never finished")
	return workflows.CycleResult{}, 0
}

// TestCycleWorkflow_Launch starts 1,000 units in batches of 200, two
// batches per run: three runs, every unit started exactly once.
func TestCycleWorkflow_Launch(t *testing.T) {
	t.Parallel()
	def := fixtureDefinition(t)
	units := make([]string, 1000)
	for i := range units {
		units[i] = fmt.Sprintf("X%04d", i)
	}
	starter := &fakeStarter{}
	in := workflows.CycleInput{CycleID: danvan.CycleID(def.Year, def.Owner), Definition: def, Units: units,
		BatchSize: 200, MaxInFlight: 2, BatchesPerRun: 2}
	r, runs := runCycle(t, in, starter)
	require.Equal(t, 3, runs)
	require.Equal(t, workflows.CycleResult{CycleID: "2022-SNV", Units: 1000, Started: 1000, Runs: 3}, r)
	require.Len(t, starter.starts, 1000)
	for _, u := range units {
		require.Equal(t, 1, starter.starts[workflows.UnitWorkflowID("2022-SNV", u)], u)
	}
	// Every unit got the fixture's plan with deadlines moved to working days.
	in0 := starter.inputs[workflows.UnitWorkflowID("2022-SNV", "X0000")]
	require.Equal(t, "SNV", in0.Owner)
	require.Len(t, in0.Plan.Tasks, 6)
	require.Equal(t, time.Date(2022, 4, 8, 23, 59, 59, 0, vn), in0.Plan.Tasks[0].Due.In(vn))
	require.Equal(t, []time.Duration{7 * 24 * time.Hour, 3 * 24 * time.Hour, 24 * time.Hour}, in0.Plan.Reminders.Before)
}

// TestCycleWorkflow_Restart restarts a half-launched cycle from scratch:
// units already there count as existing, none is started twice.
func TestCycleWorkflow_Restart(t *testing.T) {
	t.Parallel()
	def := fixtureDefinition(t)
	starter := &fakeStarter{}
	in := workflows.CycleInput{CycleID: "2022-SNV", Definition: def, Units: def.Scope.Units, BatchSize: 5}
	r, _ := runCycle(t, in, starter)
	require.Equal(t, 13, r.Started)
	r, _ = runCycle(t, in, starter)
	require.Equal(t, 0, r.Started)
	require.Equal(t, 13, r.Existing)
	for id, n := range starter.starts {
		require.Equal(t, 1, n, id)
	}
}

// TestCycleWorkflow_Child keeps the parent link of a district's cascade.
func TestCycleWorkflow_Child(t *testing.T) {
	t.Parallel()
	def := fixtureDefinition(t)
	def.Owner, def.Parent = "DP", "2022-SNV"
	starter, store := &fakeStarter{}, newMemStore()
	r, _ := runCycleWith(t, workflows.CycleInput{CycleID: "2022-DP", Definition: def, Units: []string{"NGHIEM"}},
		&activities.Activities{Starter: starter, Tasks: store})
	require.Equal(t, "2022-SNV", r.Parent)
	in := starter.inputs[workflows.UnitWorkflowID("2022-DP", "NGHIEM")]
	require.Equal(t, "DP", in.Owner)
	// The starter wrote the initial rows, so the workflow need not.
	require.True(t, in.Projected)
	row := store.Task("2022-DP", "NGHIEM", "self_assessment")
	require.Equal(t, danvan.StatusPending, row.Status)
	require.Equal(t, time.Date(2022, 11, 30, 23, 59, 59, 0, vn), row.Due.In(vn))
}
