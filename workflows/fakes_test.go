package workflows_test

import (
	"context"
	"sync"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/activities"
	"github.com/danvan/danvan/activities/memstore"
	"github.com/danvan/danvan/workflows"
)

func newMemStore(units ...danvan.Unit) *memstore.Store { return memstore.New(units...) }

func activitiesOver(m *memstore.Store) *activities.Activities {
	return &activities.Activities{Units: m, Tasks: m, Notifications: m, Audit: m, Mailer: m,
		Now: func() time.Time { return time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC) }}
}

// fakeStarter records workflow starts; a second start of an ID fails as
// the server would.
type fakeStarter struct {
	mu     sync.Mutex
	starts map[string]int
	inputs map[string]workflows.UnitInput
}

func (f *fakeStarter) ExecuteWorkflow(ctx context.Context, o client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.starts == nil {
		f.starts, f.inputs = map[string]int{}, map[string]workflows.UnitInput{}
	}
	if f.starts[o.ID] > 0 {
		return nil, serviceerror.NewWorkflowExecutionAlreadyStarted("already started", "req", "run")
	}
	f.starts[o.ID]++
	if len(args) == 1 {
		if in, ok := args[0].(workflows.UnitInput); ok {
			f.inputs[o.ID] = in
		}
	}
	return nil, nil
}
