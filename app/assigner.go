package app

import (
	"context"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/store"
)

// cycleAssigner implements inspections.TaskAssigner by starting an
// ordinary cycle of one task for one unit, cascaded from the inspection's
// cycle (Definition.Parent). It was chosen over a workflow of its own so
// the task gets reminders, overdue notices, escalation, submission,
// return and extension exactly like every other task, from the same unit
// workflow, without touching the workflows; its tasks roll up into the
// parent cycle's status and summary. The cycle id is a business key
// (inspections.ActionCycleID / SelfReportCycleID), so assigning twice
// starts nothing twice.
type cycleAssigner struct {
	cycles danvan.CycleService
	engine api.Engine
	now    func() time.Time
}

var _ inspections.TaskAssigner = (*cycleAssigner)(nil)

// AssignTask returns ENotFound for an unknown parent cycle, EInvalid for a
// bad deadline and the engine's error otherwise.
func (a *cycleAssigner) AssignTask(ctx context.Context, parent, cycleID, unit, kind, title, due string) error {
	p, err := a.cycles.FindCycle(ctx, parent)
	if err != nil {
		return err
	}
	def := danvan.CycleDefinition{Year: p.Definition.Year, Title: title, ParentPlan: p.Definition.ParentPlan, Owner: p.Definition.Owner,
		Scope: danvan.Scope{Units: []string{unit}}, Tasks: []danvan.TaskDef{{Kind: kind, Title: title, Due: due}},
		Reminders: p.Definition.Reminders, Parent: parent}
	if err := def.Check(); err != nil {
		return err
	}
	c := &danvan.Cycle{ID: cycleID, Definition: def, Units: []string{unit}, Status: danvan.CycleRunning, StartedAt: a.now().UTC(), StartedBy: "inspection"}
	if err := a.cycles.CreateCycle(ctx, c); err != nil {
		if danvan.ErrorCode(err) != danvan.EConflict {
			return err
		}
		existing, ferr := a.cycles.FindCycle(ctx, cycleID)
		if ferr != nil {
			return ferr
		}
		c = existing
	}
	if err := a.engine.StartCycle(ctx, c); err != nil && danvan.ErrorCode(err) != danvan.EConflict {
		if danvan.ErrorCode(err) == danvan.EInvalid {
			_ = a.cycles.DeleteCycle(context.WithoutCancel(ctx), cycleID)
		}
		return err
	}
	return nil
}

// wireAgency connects the standing agency's routes (inspections, criteria,
// scores, summary) to the store and gives them the task assigner.
func wireAgency(srv *api.Server, db *store.DB) {
	srv.Agency = store.NewAgency(db)
	srv.Summary = store.NewSummarySource(db)
	srv.Assigner = &cycleAssigner{cycles: srv.Cycles, engine: srv.Engine, now: time.Now}
}
