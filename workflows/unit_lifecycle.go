package workflows

import (
	"encoding/json"

	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
)

// What changes a unit workflow's life from outside: a new calendar, a
// close, and the background activities it must wait for before it ends.

// recalendar takes a new calendar (days off announced during the year) and
// recomputes the future alarms of every open task, in one side effect as
// scheduleAll does. Deadlines stay as resolved: a deadline is what the
// unit was told. A calendar that does not validate is logged and ignored.
func (u *unit) recalendar(ctx workflow.Context, in CalendarInput) {
	if err := in.Calendar.Validate(); err != nil {
		u.logger.Error("ignoring an invalid calendar", "error", err)
		return
	}
	if err := u.mu.Lock(ctx); err != nil {
		return
	}
	defer u.mu.Unlock()
	u.in.Calendar = in.Calendar
	u.cal = calendar.New(in.Calendar)
	now := workflow.Now(ctx)
	var all [][]Alarm
	err := workflow.SideEffect(ctx, func(workflow.Context) any {
		out := make([][]Alarm, len(u.st.Tasks))
		for i, t := range u.st.Tasks {
			if isOpen(t.Status) {
				out[i] = Schedule(t.Due, u.in.Plan.Reminders, u.grace, now, u.cal)
			}
		}
		return out
	}).Get(&all)
	if err != nil || len(all) != len(u.st.Tasks) {
		u.logger.Error("rescheduling for the new calendar failed", "error", err)
		return
	}
	for i := range u.st.Tasks {
		t := &u.st.Tasks[i]
		if !isOpen(t.Status) {
			continue
		}
		// Schedule re-adds a past deadline or escalation at now; those that
		// were handled already must not fire again.
		var next []Alarm
		for _, a := range SpreadAlarms(all[i], u.in.Unit, u.in.AlarmSpread) {
			if (a.Kind == AlarmDeadline && t.Status == danvan.StatusOverdue) || (a.Kind == AlarmEscalation && t.Escalated) {
				continue
			}
			next = append(next, a)
		}
		t.Alarms, t.NextAlarm = next, 0
	}
	u.logger.Info("alarms recomputed for a new calendar")
}

// close ends the workflow for SignalClose or the closing date: it waits
// for running handlers, records what was left undone in the audit log and
// completes with Closed set.
func (u *unit) close(ctx workflow.Context) (UnitResult, error) {
	if err := workflow.Await(ctx, u.quiet(ctx)); err != nil {
		return UnitResult{}, err
	}
	var undone []string
	for _, t := range u.st.Tasks {
		if !isClosed(t.Status) {
			undone = append(undone, t.Kind)
		}
	}
	raw, err := json.Marshal(map[string]any{"undone": undone, "reason": u.closing.Reason})
	if err != nil {
		raw = nil // plain data; a failure only loses the detail
	}
	f := workflow.ExecuteActivity(activityCtx(ctx), ActivityAudit, AuditInput{Entry: danvan.AuditEntry{
		Key: u.in.CycleID + "/" + u.in.Unit + "/unit.close", At: workflow.Now(ctx), Actor: u.closing.By,
		Action: "unit.close", CycleID: u.in.CycleID, Unit: u.in.Unit, Detail: raw}})
	u.wait(ctx, f)
	u.logger.Info("unit workflow closed", "undone", undone)
	return UnitResult{Status: u.status(), Closed: true, Undone: undone}, nil
}

// quiet reports whether no update handler and no background activity is
// still running: only then may the workflow complete or continue as new.
func (u *unit) quiet(ctx workflow.Context) func() bool {
	return func() bool { return u.inflight == 0 && workflow.AllHandlersFinished(ctx) }
}

// background waits for f in its own coroutine and records a failure in the
// state; the caller goes on at once.
func (u *unit) background(ctx workflow.Context, what string, f workflow.Future) {
	if f == nil {
		return
	}
	u.inflight++
	workflow.Go(ctx, func(gctx workflow.Context) {
		defer func() { u.inflight-- }()
		if err := f.Get(gctx, nil); err != nil {
			u.failed(what, err)
		}
	})
}

// failed records an activity that failed for good, for the status query.
func (u *unit) failed(what string, err error) {
	u.logger.Error("activity failed for good", "what", what, "error", err)
	u.st.Failures++
	u.st.LastFailure = what + ": " + err.Error()
	if len(u.st.LastFailure) > 500 {
		u.st.LastFailure = u.st.LastFailure[:500]
	}
}
