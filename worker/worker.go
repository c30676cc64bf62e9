// Package worker wires danvan's workflows and activities into a Temporal
// worker. Processes (the embedded dev server, cmd/) call New; tests and the
// replayer call Register.
package worker

import (
	"context"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan/activities"
	"github.com/danvan/danvan/workflows"
)

// Options tunes the worker. The zero value is the SDK's defaults.
type Options struct {
	// MaxConcurrentActivities bounds activities running at once; 0 means
	// the SDK default (1,000).
	MaxConcurrentActivities int
	// MaxConcurrentWorkflowTasks bounds workflow tasks running at once; 0
	// means the SDK default (1,000).
	MaxConcurrentWorkflowTasks int
	// WorkflowCacheSize is set process-wide by the SDK
	// (worker.SetStickyWorkflowCacheSize); 0 leaves the default (10,000).
	WorkflowCacheSize int
}

// Register registers CycleWorkflow, UnitWorkflow and, when a is not nil,
// every activity method of a (by method name, which is what the
// workflows.Activity* constants name) on r. It never fails; the SDK panics
// on a duplicate registration, which is a programming error.
func Register(r sdkworker.Registry, a *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.CycleWorkflow, workflow.RegisterOptions{Name: workflows.CycleWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.UnitWorkflow, workflow.RegisterOptions{Name: workflows.UnitWorkflowName})
	if a != nil {
		r.RegisterActivity(a)
	}
}

// New returns a worker on workflows.TaskQueue with everything registered;
// the caller starts it (Start or Run) and stops it. It never fails: errors
// in the connection surface when the worker starts.
func New(c client.Client, a *activities.Activities, opts Options) sdkworker.Worker {
	if opts.WorkflowCacheSize > 0 {
		sdkworker.SetStickyWorkflowCacheSize(opts.WorkflowCacheSize)
	}
	w := sdkworker.New(c, workflows.TaskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize:     opts.MaxConcurrentActivities,
		MaxConcurrentWorkflowTaskExecutionSize: opts.MaxConcurrentWorkflowTasks,
	})
	Register(w, a)
	return w
}

// StartCycle starts the CycleWorkflow of in.CycleID with its business ID
// (workflows.CycleWorkflowID). A cycle whose earlier run failed, timed out
// or was terminated (a launch that broke) starts again: its fan-out skips
// the unit workflows that exist and completed or still run. Starting a
// cycle that is running or completed returns the SDK's already-started
// error, which the API maps to danvan.EConflict; other errors are the
// client's.
func StartCycle(ctx context.Context, c client.Client, in workflows.CycleInput) (client.WorkflowRun, error) {
	return c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        workflows.CycleWorkflowID(in.CycleID),
		TaskQueue: workflows.TaskQueue,
		// A cycle ID is a year and an owner: the same cycle never completes
		// twice, but a failed launch may be relaunched.
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.CycleWorkflow, in)
}
