package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
)

// UnitWorkflow holds one unit's tasks of a cycle for the whole year: it
// reminds the unit before each deadline, marks late tasks overdue, reminds
// them again every OverdueEvery, escalates once to the unit's head and the
// owner after EscalateAfter, and takes submissions (UpdateSubmit) and
// decisions (UpdateDecide). Every change is projected to the store before
// the update returns. It completes when every task is accepted (accepted or
// done_late), or when the last deadline plus the grace period has passed and
// no submission awaits a decision; it continues as new, carrying its state,
// when the server suggests it or history passes MaxHistory.
//
// It fails only on an invalid input (a non-retryable ApplicationError of
// type danvan.EInvalid); activity failures are retried, and a projection
// that fails for good is logged, not fatal, since the next change projects
// the whole task again.
func UnitWorkflow(ctx workflow.Context, in UnitInput) (UnitResult, error) {
	u, err := newUnit(ctx, in)
	if err != nil {
		return UnitResult{}, err
	}
	return u.run(ctx)
}

// unit is a running UnitWorkflow. Every mutation of st happens while mu is
// held: the run loop and the update handlers both block on activities, and
// without the lock a decision could interleave with a reminder half-sent.
type unit struct {
	in    UnitInput
	st    UnitState
	cal   *calendar.Calendar
	grace time.Duration
	mu    workflow.Mutex
	wake  workflow.Channel
	// calendar receives SignalCalendar, closeCh SignalClose.
	calendar workflow.ReceiveChannel
	closeCh  workflow.ReceiveChannel
	// closing is set by SignalClose or the plan's Closes date.
	closing *CloseInput
	logger  log.Logger
	// sa is the last upserted status and next deadline, so unchanged values
	// are not upserted again (each upsert is a history event).
	sa     searchState
	saInit bool
	// unlocked is the 2026-12-unit-unlocked-projections patch: handlers
	// wait for their activities without the lock, alarms not at all.
	unlocked bool
	// inflight counts background activities (see background) the
	// workflow must wait for before it completes or continues as new.
	inflight int
}

type searchState struct {
	status string
	next   time.Time
}

func newUnit(ctx workflow.Context, in UnitInput) (*unit, error) {
	if in.CycleID == "" || in.Unit == "" || len(in.Plan.Tasks) == 0 {
		return nil, temporal.NewNonRetryableApplicationError("unit workflow needs a cycle id, a unit and at least one task", danvan.EInvalid, nil)
	}
	u := &unit{
		in:    in,
		cal:   calendar.New(in.Calendar),
		grace: in.Grace,
		mu:    workflow.NewMutex(ctx),
		wake:  workflow.NewBufferedChannel(ctx, 1),
		// A signal channel adds no command until a signal arrives, and no
		// history recorded before SignalCalendar has one.
		calendar: workflow.GetSignalChannel(ctx, SignalCalendar),
		closeCh:  workflow.GetSignalChannel(ctx, SignalClose),
		logger:   log.With(workflow.GetLogger(ctx), "cycle", in.CycleID, "unit", in.Unit),
	}
	if u.grace <= 0 {
		u.grace = DefaultGrace
	}
	if in.State != nil {
		u.st = *in.State
	} else {
		for _, p := range in.Plan.Tasks {
			u.st.Tasks = append(u.st.Tasks, TaskState{Kind: p.Kind, Title: p.Title, Status: danvan.StatusPending, Due: p.Due})
		}
	}
	u.in.State = nil // the carried state lives in u.st from here on
	// Patches read once per run, before any handler can run, so that a
	// handler and the run loop always agree on the branch.
	u.unlocked = workflow.GetVersion(ctx, changeUnlockedProjection, workflow.DefaultVersion, 1) == 1
	// Handlers are registered before the first blocking call so that an
	// update arriving with the first workflow task is not rejected as unknown.
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (UnitStatus, error) { return u.status(), nil }); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateSubmit, u.submit,
		workflow.UpdateHandlerOptions{Validator: u.validateSubmit}); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateDecide, u.decide,
		workflow.UpdateHandlerOptions{Validator: u.validateDecide}); err != nil {
		return nil, err
	}
	return u, nil
}

func (u *unit) run(ctx workflow.Context) (UnitResult, error) {
	if err := u.mu.Lock(ctx); err != nil {
		return UnitResult{}, err
	}
	if u.st.Runs == 0 && u.st.Version == 0 {
		u.st.StartedAt = workflow.Now(ctx)
		u.scheduleAll(ctx)
		if u.unlocked {
			// Projection versions start from the run's start time, so a
			// relaunched cycle's rows overwrite the earlier run's
			// instead of losing to their higher counts.
			u.st.Version = u.st.StartedAt.Unix() * versionsPerSecond
		}
		u.st.Version++
		if !u.in.Projected {
			u.wait(ctx, u.upsert(ctx, u.allIndexes()...))
		}
	}
	u.upsertSearch(ctx)
	u.mu.Unlock()

	expired := false
	for {
		for !u.allClosed() {
			now := workflow.Now(ctx)
			if cl := u.in.Plan.Closes; !cl.IsZero() && !now.Before(cl) && u.closing == nil {
				u.closing = &CloseInput{By: "system", Reason: "the cycle's closing date"}
			}
			if u.closing != nil {
				return u.close(ctx)
			}
			if !u.awaitingDecision() && !now.Before(u.expiry()) {
				expired = true
				break
			}
			if u.shouldContinueAsNew(ctx) {
				return u.continueAsNew(ctx)
			}
			if u.sleep(ctx, u.nextWake()) {
				if err := u.mu.Lock(ctx); err != nil {
					return UnitResult{}, err
				}
				u.fire(ctx)
				u.mu.Unlock()
			}
		}
		// An update may still be running its projection activities;
		// completing under it would drop its result on the floor.
		if err := workflow.Await(ctx, u.quiet(ctx)); err != nil {
			return UnitResult{}, err
		}
		// A submission that was waiting for the lock at expiry has just
		// landed: stay open so it can be accepted or returned. Under the
		// unlocked-projections patch so has an extension (or a return)
		// that moved a deadline past the expiry: it was acknowledged, so
		// it must not be dropped.
		if u.allClosed() {
			break
		}
		if !u.awaitingDecision() && (!u.unlocked || !workflow.Now(ctx).Before(u.expiry())) {
			break
		}
		expired = false
	}
	u.logger.Info("unit workflow done", "expired", expired)
	return UnitResult{Status: u.status(), Expired: expired}, nil
}

// sleep waits until at (zero: no timer, only a state change can wake it)
// or until a handler pokes the wake channel. It reports whether the timer
// fired. The timer is cancelled when a poke wins so no timer is left
// pending: the loop computes a fresh one from the new state.
func (u *unit) sleep(ctx workflow.Context, at time.Time) bool {
	fired := false
	tctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	sel := workflow.NewSelector(ctx)
	if !at.IsZero() {
		d := at.Sub(workflow.Now(ctx))
		if d <= 0 {
			return true
		}
		sel.AddFuture(workflow.NewTimerWithOptions(tctx, d, workflow.TimerOptions{Summary: "next alarm"}), func(f workflow.Future) {
			fired = f.Get(tctx, nil) == nil
		})
	}
	sel.AddReceive(u.wake, func(c workflow.ReceiveChannel, _ bool) {
		var poke struct{}
		c.Receive(ctx, &poke)
	})
	sel.AddReceive(u.closeCh, func(c workflow.ReceiveChannel, _ bool) {
		var in CloseInput
		c.Receive(ctx, &in)
		u.closing = &in
	})
	sel.AddReceive(u.calendar, func(c workflow.ReceiveChannel, _ bool) {
		var in CalendarInput
		c.Receive(ctx, &in)
		u.recalendar(ctx, in)
	})
	sel.Select(ctx)
	return fired
}

// poke wakes the run loop after a handler changed deadlines or statuses.
func (u *unit) poke() { u.wake.SendAsync(struct{}{}) }

func (u *unit) shouldContinueAsNew(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	max := u.in.MaxHistory
	if max <= 0 {
		max = DefaultMaxHistory
	}
	return info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() > max
}

func (u *unit) continueAsNew(ctx workflow.Context) (UnitResult, error) {
	if err := workflow.Await(ctx, u.quiet(ctx)); err != nil {
		return UnitResult{}, err
	}
	next := u.in
	st := u.st
	st.Runs++
	next.State = &st
	u.logger.Info("unit workflow continues as new", "runs", st.Runs)
	return UnitResult{}, workflow.NewContinueAsNewError(ctx, UnitWorkflow, next)
}

// fire handles every alarm that is due. Of several reminders due at once
// (a worker outage, a long-stopped test clock) only the last is sent: one
// "3 days left" is useful, a burst of stale ones is noise.
func (u *unit) fire(ctx workflow.Context) {
	now := workflow.Now(ctx)
	var changed []int
	var futures []workflow.Future
	for i := range u.st.Tasks {
		t := &u.st.Tasks[i]
		if !isOpen(t.Status) {
			continue
		}
		var due []Alarm
		for t.NextAlarm < len(t.Alarms) && !t.Alarms[t.NextAlarm].At.After(now) {
			due = append(due, t.Alarms[t.NextAlarm])
			t.NextAlarm++
		}
		if len(due) == 0 {
			continue
		}
		before := len(futures)
		lastReminder, lastOverdue := -1, -1
		for j, a := range due {
			switch a.Kind {
			case AlarmReminder:
				lastReminder = j
			case AlarmOverdue:
				lastOverdue = j
			}
		}
		for j, a := range due {
			switch {
			case a.Kind == AlarmReminder && j == lastReminder && t.Status != danvan.StatusOverdue && now.Before(t.Due):
				t.RemindersSent++
				futures = append(futures, u.notify(ctx, t, danvan.NotifyReminder, "", stamp(a.At)))
			case a.Kind == AlarmDeadline && t.Status != danvan.StatusOverdue:
				t.Status = danvan.StatusOverdue
				t.RemindersSent++
				futures = append(futures, u.notify(ctx, t, danvan.NotifyOverdue, "", stamp(a.At)))
			case a.Kind == AlarmOverdue && j == lastOverdue && t.Status == danvan.StatusOverdue:
				t.RemindersSent++
				futures = append(futures, u.notify(ctx, t, danvan.NotifyOverdue, "", stamp(a.At)))
			case a.Kind == AlarmEscalation && t.Status == danvan.StatusOverdue && !t.Escalated:
				t.Escalated = true
				futures = append(futures, u.notify(ctx, t, danvan.NotifyEscalation, "", stamp(a.At)))
			}
		}
		if len(futures) > before {
			changed = append(changed, i)
		}
	}
	if len(changed) == 0 {
		return
	}
	u.st.Version++
	futures = append(futures, u.upsert(ctx, changed...))
	if !u.unlocked {
		u.wait(ctx, futures...)
		u.upsertSearch(ctx)
		return
	}
	// The next alarm must not wait for this one's e-mail or projection:
	// they finish (or fail, visibly) in the background.
	u.upsertSearch(ctx)
	for _, f := range futures {
		u.background(ctx, "alarm", f)
	}
}

// nextWake returns the earliest pending alarm of an open task, or the
// expiry when nothing else is pending; zero when only a decision can move
// the workflow on.
func (u *unit) nextWake() time.Time {
	var next time.Time
	for _, t := range u.st.Tasks {
		if !isOpen(t.Status) || t.NextAlarm >= len(t.Alarms) {
			continue
		}
		if at := t.Alarms[t.NextAlarm].At; next.IsZero() || at.Before(next) {
			next = at
		}
	}
	if !u.awaitingDecision() {
		if exp := u.expiry(); next.IsZero() || exp.Before(next) {
			next = exp
		}
	}
	if cl := u.in.Plan.Closes; !cl.IsZero() && (next.IsZero() || cl.Before(next)) {
		next = cl
	}
	return next
}

// expiry is the latest deadline, or the start when every deadline had
// passed already, plus the grace period: a cycle started late still gives
// its units the grace period to hand in their work.
func (u *unit) expiry() time.Time {
	last := u.st.StartedAt
	for _, t := range u.st.Tasks {
		if t.Due.After(last) {
			last = t.Due
		}
	}
	return last.Add(u.grace)
}

func (u *unit) allClosed() bool {
	for _, t := range u.st.Tasks {
		if !isClosed(t.Status) {
			return false
		}
	}
	return true
}

func (u *unit) awaitingDecision() bool {
	for _, t := range u.st.Tasks {
		if t.Status == danvan.StatusSubmitted {
			return true
		}
	}
	return false
}

func (u *unit) task(kind string) *TaskState {
	for i := range u.st.Tasks {
		if u.st.Tasks[i].Kind == kind {
			return &u.st.Tasks[i]
		}
	}
	return nil
}

func (u *unit) allIndexes() []int {
	out := make([]int, len(u.st.Tasks))
	for i := range out {
		out[i] = i
	}
	return out
}

// isOpen reports whether a unit can still submit the task.
func isOpen(status string) bool {
	return status == danvan.StatusPending || status == danvan.StatusReturned || status == danvan.StatusOverdue
}

// isClosed reports whether the task is finished for good.
func isClosed(status string) bool {
	return status == danvan.StatusAccepted || status == danvan.StatusDoneLate
}

// scheduleAll computes every task's alarms in one side effect: the calendar
// is data that changes (compensatory days are announced during the year),
// and recording the result keeps replays of this history identical.
func (u *unit) scheduleAll(ctx workflow.Context) {
	now := workflow.Now(ctx)
	var all [][]Alarm
	err := workflow.SideEffect(ctx, func(workflow.Context) any {
		out := make([][]Alarm, len(u.st.Tasks))
		for i, t := range u.st.Tasks {
			out[i] = Schedule(t.Due, u.in.Plan.Reminders, u.grace, now, u.cal)
		}
		return out
	}).Get(&all)
	if err == nil && len(all) != len(u.st.Tasks) {
		err = errors.New("side effect returned a schedule of the wrong length")
	}
	if err != nil {
		// Only a broken data converter gets here; without alarms the tasks
		// still take submissions and decisions.
		u.logger.Error("scheduling alarms failed", "error", err)
		return
	}
	for i := range u.st.Tasks {
		u.st.Tasks[i].Alarms, u.st.Tasks[i].NextAlarm = SpreadAlarms(all[i], u.in.Unit, u.in.AlarmSpread), 0
	}
}
