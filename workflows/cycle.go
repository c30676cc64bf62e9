package workflows

import (
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
)

// CycleWorkflow launches one UnitWorkflow per unit of a cycle and
// completes when all of them are running.
//
// Unit workflows are not child workflows: a cycle may have 10,000 units that
// live all year, and Temporal caps pending children per execution (2,000;
// 500 recommended). Instead the StartUnitWorkflows activity starts them
// through the client with business IDs (UnitWorkflowID), BatchSize units per
// activity, MaxInFlight activities at once, and the workflow continues as
// new every BatchesPerRun batches carrying its cursor, so its history stays
// a few hundred events whatever the size of the cycle. Starting is
// idempotent (an existing unit workflow counts as started), so a retried
// batch or a restarted cycle never starts a unit twice.
//
// It completes rather than staying open for the year: every unit workflow
// stands alone (its ID is derived from the cycle and unit), progress is
// rolled up from the store's projection, and an open cycle would only hold
// history and a worker slot. A district's cascade is an ordinary
// CycleWorkflow for its communes whose Definition.Parent names this cycle;
// the link is kept in its input and result, and its units escalate to the
// district that owns it.
//
// It fails with a non-retryable ApplicationError of type danvan.EInvalid
// when the input or the definition's deadlines are invalid, and with the
// activity's error when a batch fails for good.
func CycleWorkflow(ctx workflow.Context, in CycleInput) (CycleResult, error) {
	logger := log.With(workflow.GetLogger(ctx), "cycle", in.CycleID)
	if in.CycleID == "" || in.Definition.Owner == "" {
		return CycleResult{}, temporal.NewNonRetryableApplicationError("cycle workflow needs a cycle id and an owner", danvan.EInvalid, nil)
	}
	if in.Definition.Parent == in.CycleID {
		return CycleResult{}, temporal.NewNonRetryableApplicationError("a cycle cannot be its own parent", danvan.EInvalid, nil)
	}
	size, inFlight, perRun := orDefault(in.BatchSize, DefaultBatchSize), orDefault(in.MaxInFlight, DefaultMaxInFlight), orDefault(in.BatchesPerRun, DefaultBatchesPerRun)

	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (CycleStatus, error) {
		return CycleStatus{CycleID: in.CycleID, Parent: in.Definition.Parent, Units: len(in.Units),
			Launched: in.Started + in.Existing, Runs: in.Runs}, nil
	}); err != nil {
		return CycleResult{}, err
	}
	if in.Runs == 0 {
		if err := workflow.UpsertTypedSearchAttributes(ctx, CycleKey.ValueSet(in.CycleID)); err != nil {
			logger.Error("upserting search attributes failed", "error", err)
		}
	}
	if in.Plan == nil {
		p, err := resolvePlan(ctx, in)
		if err != nil {
			return CycleResult{}, err
		}
		in.Plan = &p
	}

	template := UnitInput{CycleID: in.CycleID, Owner: in.Definition.Owner, Plan: *in.Plan, Calendar: in.Calendar, Grace: in.Grace,
		AlarmSpread: SpreadFor(len(in.Units))}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
	var pending []workflow.Future
	for batches := 0; ; {
		for in.Cursor < len(in.Units) && len(pending) < inFlight && batches < perRun {
			end := min(in.Cursor+size, len(in.Units))
			pending = append(pending, workflow.ExecuteActivity(actx, ActivityStartUnitWorkflows,
				StartUnitsInput{Template: template, Units: in.Units[in.Cursor:end]}))
			in.Cursor = end
			batches++
		}
		if len(pending) == 0 {
			break
		}
		// Batches are the same size, so waiting for the oldest first
		// keeps about MaxInFlight of them running.
		var r StartUnitsResult
		if err := pending[0].Get(ctx, &r); err != nil {
			logger.Error("starting unit workflows failed", "error", err)
			return CycleResult{}, err
		}
		in.Started += r.Started
		in.Existing += r.Existing
		pending = pending[1:]
	}
	if in.Cursor < len(in.Units) {
		in.Runs++
		logger.Info("cycle continues as new", "cursor", in.Cursor, "units", len(in.Units))
		return CycleResult{}, workflow.NewContinueAsNewError(ctx, CycleWorkflow, in)
	}
	logger.Info("cycle launched", "units", len(in.Units), "started", in.Started, "existing", in.Existing)
	return CycleResult{CycleID: in.CycleID, Parent: in.Definition.Parent, Units: len(in.Units),
		Started: in.Started, Existing: in.Existing, Runs: in.Runs + 1}, nil
}

// resolvePlan resolves the definition's deadlines once, recorded by a side
// effect: the calendar is data that may change before the history is
// replayed.
func resolvePlan(ctx workflow.Context, in CycleInput) (UnitPlan, error) {
	type result struct {
		Plan UnitPlan      `json:"plan"`
		Err  *danvan.Error `json:"err,omitempty"`
	}
	var r result
	if err := workflow.SideEffect(ctx, func(workflow.Context) any {
		p, err := PlanUnits(in.Definition, calendar.New(in.Calendar))
		if err != nil {
			return result{Err: danvan.AsError(err)}
		}
		return result{Plan: p}
	}).Get(&r); err != nil {
		return UnitPlan{}, err
	}
	if r.Err != nil {
		return UnitPlan{}, appError(r.Err)
	}
	if len(r.Plan.Tasks) == 0 {
		return UnitPlan{}, temporal.NewNonRetryableApplicationError("the cycle has no tasks", danvan.EInvalid, nil)
	}
	return r.Plan, nil
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
