package workflows_test

import (
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan/workflows"
)

// TestReplay replays every recorded history (testdata/history-*.json,
// written by TestRecordHistories in package worker) against the current
// code: a failure here means a change is not backward compatible and needs
// a workflow.GetVersion patch (see the package documentation).
func TestReplay(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/history-*.json")
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("no recorded histories; run DANVAN_RECORD_HISTORY=1 go test ./worker -run TestRecordHistories")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflowWithOptions(workflows.CycleWorkflow, workflow.RegisterOptions{Name: workflows.CycleWorkflowName})
			r.RegisterWorkflowWithOptions(workflows.UnitWorkflow, workflow.RegisterOptions{Name: workflows.UnitWorkflowName})
			require.NoError(t, r.ReplayWorkflowHistoryFromJSONFile(sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)), f))
		})
	}
}
