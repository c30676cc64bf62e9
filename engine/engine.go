// Package engine is the API's door to Temporal: it starts cycle workflows and
// sends submissions and decisions to unit workflows as Updates. Temporal
// errors become domain errors here, in one place.
package engine

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/worker"
	"github.com/danvan/danvan/workflows"
)

// Engine implements api.Engine on a Temporal client.
type Engine struct {
	Client    client.Client
	TaskQueue string
	// Tasks reads the projection back so callers get the stored row.
	Tasks danvan.TaskService
	// Calendar holds the official days off of each year (compensatory and
	// extra days) that deadlines and reminders follow; zero is the
	// statutory calendar.
	Calendar calendar.Config
}

// StartCycle starts c's CycleWorkflow with the cycle's business key as its
// ID; EConflict when it has been started already.
func (e *Engine) StartCycle(ctx context.Context, c *danvan.Cycle) error {
	// Resolve the plan here too: a definition the workflow would refuse is
	// refused before anything starts.
	if _, err := workflows.PlanUnits(c.Definition, calendar.New(e.Calendar)); err != nil {
		return err
	}
	in := workflows.CycleInput{CycleID: c.ID, Definition: c.Definition, Units: c.Units, Calendar: e.Calendar}
	_, err := worker.StartCycle(ctx, e.Client, in)
	return translate(err, "cycle "+c.ID)
}

// Submit sends s to its unit workflow as an UpdateSubmit and waits for the
// result; the workflow's validator refuses bad submissions without a trace.
func (e *Engine) Submit(ctx context.Context, s *danvan.Submission) (*danvan.Task, error) {
	var res workflows.SubmitResult
	if err := e.update(ctx, s.CycleID, s.UnitCode, workflows.UpdateSubmit, s, &res); err != nil {
		return nil, err
	}
	return toTask(s.CycleID, s.UnitCode, res.Task), nil
}

// Decide sends d to its unit workflow as an UpdateDecide.
func (e *Engine) Decide(ctx context.Context, d *danvan.Decision) (*danvan.Task, error) {
	var res workflows.DecideResult
	if err := e.update(ctx, d.CycleID, d.UnitCode, workflows.UpdateDecide, d, &res); err != nil {
		return nil, err
	}
	return toTask(d.CycleID, d.UnitCode, res.Task), nil
}

// LiveTasks queries a unit workflow's live status; ENotFound when no such
// workflow exists.
func (e *Engine) LiveTasks(ctx context.Context, cycleID, unit string) ([]danvan.Task, error) {
	v, err := e.Client.QueryWorkflow(ctx, workflows.UnitWorkflowID(cycleID, unit), "", workflows.QueryStatus)
	if err != nil {
		return nil, translate(err, "unit "+unit+" in cycle "+cycleID)
	}
	var st workflows.UnitStatus
	if err := v.Get(&st); err != nil {
		return nil, err
	}
	out := make([]danvan.Task, len(st.Tasks))
	for i, t := range st.Tasks {
		out[i] = *toTask(cycleID, unit, t)
	}
	return out, nil
}

func (e *Engine) update(ctx context.Context, cycleID, unit, name string, arg, result any) error {
	h, err := e.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.UnitWorkflowID(cycleID, unit),
		UpdateName:   name,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return translate(err, "unit "+unit+" in cycle "+cycleID)
	}
	return translate(h.Get(ctx, result), "unit "+unit+" in cycle "+cycleID)
}

func toTask(cycleID, unit string, t workflows.TaskStatus) *danvan.Task {
	task := t.Task(cycleID, unit)
	return &task
}

// translate maps Temporal errors to domain errors: an application error
// raised by a validator or handler carries the domain code as its type.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case danvan.EInvalid, danvan.EConflict, danvan.ENotFound, danvan.EForbidden:
			// The workflow attaches a *danvan.Error; decoding into a pointer
			// works both for details from the server (encoded) and for
			// details still in memory (the test environment).
			var d *danvan.Error
			if appErr.HasDetails() && appErr.Details(&d) == nil && d != nil && d.Message != "" {
				return d
			}
			return &danvan.Error{Code: appErr.Type(), Message: appErr.Message(), MessageVI: appErr.Message()}
		}
	}
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return danvan.Errorf(danvan.EConflict, "%s has already been started", "%s đã được khởi động", what)
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return danvan.Errorf(danvan.ENotFound, "%s is not running (unknown cycle or unit, or the cycle has ended)",
			"%s không hoạt động (chu kỳ hoặc đơn vị không đúng, hoặc chu kỳ đã kết thúc)", what)
	}
	var unavailable *serviceerror.Unavailable
	if errors.As(err, &unavailable) {
		// The address and transport details stay in the wrapped error for
		// logs; people get the code and a message.
		return fmt.Errorf("%w: %w", danvan.Errorf(danvan.EUnavailable, "the workflow engine is unavailable; try again shortly",
			"bộ máy quy trình tạm thời không sẵn sàng; hãy thử lại sau"), err)
	}
	return fmt.Errorf("temporal: %w", err)
}
