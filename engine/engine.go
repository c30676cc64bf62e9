// Package engine is the API's door to Temporal: it starts cycle workflows and
// sends submissions and decisions to unit workflows as Updates. Temporal
// errors become domain errors here, in one place.
package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
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
	// statutory calendar. SignalCalendar replaces it.
	Calendar calendar.Config

	mu sync.RWMutex // guards Calendar once the engine is in use
}

func (e *Engine) calendar() calendar.Config {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.Calendar
}

// StartCycle starts c's CycleWorkflow with the cycle's business key as its
// ID; EConflict when it has been started already.
func (e *Engine) StartCycle(ctx context.Context, c *danvan.Cycle) error {
	// Resolve the plan here too: a definition the workflow would refuse is
	// refused before anything starts.
	cal := e.calendar()
	if _, err := workflows.PlanUnits(c.Definition, calendar.New(cal)); err != nil {
		return err
	}
	in := workflows.CycleInput{CycleID: c.ID, Definition: c.Definition, Units: c.Units, Calendar: cal}
	_, err := worker.StartCycle(ctx, e.Client, in)
	return translate(err, "cycle "+c.ID)
}

// Submit tells s's unit workflow about submission s, already stored as
// pending by TaskService.CreateSubmission (s.ID set): the Update carries
// only its reference. A non-empty key makes the command idempotent: the
// same key again returns the first result and changes nothing. The
// workflow's validator refuses bad submissions without a trace; the stored
// content is then swept.
func (e *Engine) Submit(ctx context.Context, s *danvan.Submission, key string) (*danvan.Task, error) {
	if s.ID <= 0 || s.SHA256 == "" {
		return nil, danvan.Errorf(danvan.EInternal, "submission not stored before its update", "bản nộp chưa được lưu trước khi gửi")
	}
	in := workflows.SubmitInput{CycleID: s.CycleID, Unit: s.UnitCode, Kind: s.Kind, SubmissionID: s.ID, SHA256: s.SHA256,
		Size: s.Size, Files: len(s.Files), Title: ShortTitle(s.Title), Number: s.Number, Date: s.Date, By: s.SubmittedBy}
	var res workflows.SubmitResult
	if err := e.update(ctx, s.CycleID, s.UnitCode, workflows.UpdateSubmit, UpdateID("submit", s.Kind, key), in, &res); err != nil {
		return nil, err
	}
	s.Seq, s.SubmittedAt = res.Seq, res.SubmittedAt
	return toTask(s.CycleID, s.UnitCode, res.Task), nil
}

// Decide sends d to its unit workflow as an UpdateDecide; key as for
// Submit.
func (e *Engine) Decide(ctx context.Context, d *danvan.Decision, key string) (*danvan.Task, error) {
	in := workflows.DecideInput{CycleID: d.CycleID, Unit: d.UnitCode, Kind: d.Kind, Action: d.Action, Reason: d.Reason, NewDue: d.NewDue, By: d.By}
	var res workflows.DecideResult
	if err := e.update(ctx, d.CycleID, d.UnitCode, workflows.UpdateDecide, UpdateID(d.Action, d.Kind, key), in, &res); err != nil {
		return nil, err
	}
	return toTask(d.CycleID, d.UnitCode, res.Task), nil
}

// UpdateID returns the Temporal Update ID of a command with an idempotency
// key: the action and the task are part of it, so one key reused for
// another action or task is another command; the workflow ID scopes it to
// the unit. An empty key gives "" (the SDK then makes a fresh ID: every
// request a new command). It never fails.
func UpdateID(action, kind, key string) string {
	if key == "" {
		return ""
	}
	return action + "/" + kind + "/" + key
}

// ShortTitle cuts a title to workflows.MaxShortTitle runes for the
// workflow's status. It never fails.
func ShortTitle(s string) string {
	r := []rune(s)
	if len(r) <= workflows.MaxShortTitle {
		return s
	}
	return string(r[:workflows.MaxShortTitle-1]) + "…"
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

func (e *Engine) update(ctx context.Context, cycleID, unit, name, updateID string, arg, result any) error {
	h, err := e.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		UpdateID:     updateID,
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

// SignalCalendar tells every running unit workflow the calendar now in
// force (workflows.SignalCalendar), so they recompute their future alarms,
// and uses it for the cycles started from now on. It returns how many
// workflows it told, and the first error with the count so far (a
// workflow that ended meanwhile is not an error).
func (e *Engine) SignalCalendar(ctx context.Context, cfg calendar.Config) (int, error) {
	e.mu.Lock()
	e.Calendar = cfg
	e.mu.Unlock()
	query := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running'", workflows.UnitWorkflowName)
	var token []byte
	n := 0
	for {
		resp, err := e.Client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return n, translate(err, "running unit workflows")
		}
		for _, ex := range resp.GetExecutions() {
			err := e.Client.SignalWorkflow(ctx, ex.GetExecution().GetWorkflowId(), ex.GetExecution().GetRunId(),
				workflows.SignalCalendar, workflows.CalendarInput{Calendar: cfg})
			var nf *serviceerror.NotFound
			if errors.As(err, &nf) {
				continue
			}
			if err != nil {
				return n, translate(err, "unit workflow "+ex.GetExecution().GetWorkflowId())
			}
			n++
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return n, nil
		}
	}
}

// CloseCycle ends every running unit workflow of cycleID
// (workflows.SignalClose); each records what was left undone. It returns
// how many it told, and the first error with the count so far.
func (e *Engine) CloseCycle(ctx context.Context, cycleID, by, reason string) (int, error) {
	query := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running' AND %s = '%s'", workflows.UnitWorkflowName,
		workflows.SADanvanCycle, strings.ReplaceAll(cycleID, "'", ""))
	var token []byte
	n := 0
	for {
		resp, err := e.Client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return n, translate(err, "unit workflows of cycle "+cycleID)
		}
		for _, ex := range resp.GetExecutions() {
			err := e.Client.SignalWorkflow(ctx, ex.GetExecution().GetWorkflowId(), ex.GetExecution().GetRunId(),
				workflows.SignalClose, workflows.CloseInput{By: by, Reason: reason})
			var nf *serviceerror.NotFound
			if errors.As(err, &nf) {
				continue
			}
			if err != nil {
				return n, translate(err, "unit workflow "+ex.GetExecution().GetWorkflowId())
			}
			n++
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return n, nil
		}
	}
}
