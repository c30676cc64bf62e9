package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
)

// appError turns a domain error into what an update caller receives: a
// non-retryable *temporal.ApplicationError whose type is the danvan error
// code and whose message is the English text, with the full *danvan.Error
// (Vietnamese message, fields) as its details.
func appError(err error) error {
	if err == nil {
		return nil
	}
	d := danvan.AsError(err)
	return temporal.NewApplicationErrorWithOptions(d.Error(), d.Code, temporal.ApplicationErrorOptions{
		NonRetryable: true,
		Details:      []any{d},
	})
}

// validateSubmit rejects a submission before it reaches history. It only
// reads state.
func (u *unit) validateSubmit(ctx workflow.Context, s danvan.Submission) error {
	return appError(u.checkSubmit(s))
}

func (u *unit) checkSubmit(s danvan.Submission) error {
	if err := danvan.Validate(&s); err != nil {
		return err
	}
	if err := u.checkTarget(s.CycleID, s.UnitCode); err != nil {
		return err
	}
	t := u.task(s.Kind)
	if t == nil {
		return danvan.Errorf(danvan.ENotFound, "Unit %s has no task %q in cycle %s.",
			"Đơn vị %s không có nhiệm vụ %q trong kỳ %s.", u.in.Unit, s.Kind, u.in.CycleID)
	}
	if !isOpen(t.Status) {
		return danvan.Errorf(danvan.EConflict, "Task %q is %s and cannot be submitted now.",
			"Nhiệm vụ %q đang ở trạng thái %s, không thể nộp lúc này.", s.Kind, t.Status)
	}
	return nil
}

// checkTarget rejects a message meant for another cycle or unit: the API
// routes by workflow ID, so a mismatch means a caller bug or a forged body.
func (u *unit) checkTarget(cycleID, unitCode string) error {
	if cycleID != u.in.CycleID {
		return danvan.Invalid("cycle_id", fmt.Sprintf("this workflow holds cycle %s, not %s", u.in.CycleID, cycleID),
			fmt.Sprintf("luồng này thuộc kỳ %s, không phải %s", u.in.CycleID, cycleID))
	}
	if unitCode != u.in.Unit {
		return danvan.Invalid("unit", fmt.Sprintf("this workflow holds unit %s, not %s", u.in.Unit, unitCode),
			fmt.Sprintf("luồng này thuộc đơn vị %s, không phải %s", u.in.Unit, unitCode))
	}
	return nil
}

// submit records a submission: it stores it first (so a store that refuses
// it leaves the task unchanged), then marks the task submitted, which stops
// its alarms, and projects it.
func (u *unit) submit(ctx workflow.Context, s danvan.Submission) (SubmitResult, error) {
	if err := u.mu.Lock(ctx); err != nil {
		return SubmitResult{}, err
	}
	defer u.mu.Unlock()
	// The validator ran against the state of its moment; another update
	// may have closed the task while this one waited for the lock.
	if err := u.checkSubmit(s); err != nil {
		return SubmitResult{}, appError(err)
	}
	t := u.task(s.Kind)
	now := workflow.Now(ctx)
	s.SubmittedAt = now
	s.Seq = t.Submissions + 1
	if err := workflow.ExecuteActivity(activityCtx(ctx), ActivitySaveSubmission, SaveSubmissionInput{Submission: s}).Get(ctx, nil); err != nil {
		u.logger.Error("saving submission failed", "kind", s.Kind, "error", err)
		return SubmitResult{}, err
	}
	t.Submissions = s.Seq
	t.Status = danvan.StatusSubmitted
	t.SubmittedAt = &now
	// Lateness sticks: a late submission that is returned and handed in
	// again on time is still done late (timeliness is scored).
	if calendar.IsLate(now, t.Due) {
		t.Late = true
	}
	u.st.Version++
	var receipt workflow.Future
	if workflow.GetVersion(ctx, changeSubmittedReceipt, workflow.DefaultVersion, 1) == 1 {
		receipt = u.notify(ctx, t, danvan.NotifySubmitted, "")
	}
	u.wait(ctx,
		receipt,
		u.upsert(ctx, u.index(t)),
		u.audit(ctx, s.SubmittedBy, "task.submit", t, int64(s.Seq), map[string]any{"number": s.Number, "date": s.Date, "seq": s.Seq}),
	)
	u.upsertSearch(ctx)
	u.poke()
	return SubmitResult{Task: t.status()}, nil
}

// validateDecide rejects a decision that does not fit the task's status.
func (u *unit) validateDecide(ctx workflow.Context, d danvan.Decision) error {
	_, err := u.checkDecide(workflow.Now(ctx), d)
	return appError(err)
}

// checkDecide returns the new deadline for return and extend (zero when the
// decision leaves it to the default).
func (u *unit) checkDecide(now time.Time, d danvan.Decision) (time.Time, error) {
	if err := danvan.Validate(&d); err != nil {
		return time.Time{}, err
	}
	if err := u.checkTarget(d.CycleID, d.UnitCode); err != nil {
		return time.Time{}, err
	}
	t := u.task(d.Kind)
	if t == nil {
		return time.Time{}, danvan.Errorf(danvan.ENotFound, "Unit %s has no task %q in cycle %s.",
			"Đơn vị %s không có nhiệm vụ %q trong kỳ %s.", u.in.Unit, d.Kind, u.in.CycleID)
	}
	switch d.Action {
	case "accept", "return":
		if t.Status != danvan.StatusSubmitted {
			return time.Time{}, danvan.Errorf(danvan.EConflict, "Task %q is %s; only a submitted task can be accepted or returned.",
				"Nhiệm vụ %q đang ở trạng thái %s; chỉ nhiệm vụ đã nộp mới được tiếp nhận hoặc trả lại.", d.Kind, t.Status)
		}
	case "extend":
		if isClosed(t.Status) {
			return time.Time{}, danvan.Errorf(danvan.EConflict, "Task %q is already %s; its deadline cannot be extended.",
				"Nhiệm vụ %q đã %s; không thể gia hạn.", d.Kind, t.Status)
		}
	}
	if d.NewDue == "" {
		return time.Time{}, nil
	}
	due, err := ResolveDue(d.NewDue, u.cal)
	if err != nil {
		return time.Time{}, danvan.Invalid("new_due", err.Error(), "hạn mới không hợp lệ")
	}
	if !due.After(now) {
		return time.Time{}, danvan.Invalid("new_due", "the new deadline must be in the future", "hạn mới phải sau thời điểm hiện tại")
	}
	return due, nil
}

// decide applies an administrator's decision and projects it.
func (u *unit) decide(ctx workflow.Context, d danvan.Decision) (DecideResult, error) {
	if err := u.mu.Lock(ctx); err != nil {
		return DecideResult{}, err
	}
	defer u.mu.Unlock()
	now := workflow.Now(ctx)
	if _, err := u.checkDecide(now, d); err != nil {
		return DecideResult{}, appError(err)
	}
	t := u.task(d.Kind)
	var notice workflow.Future
	switch d.Action {
	case "accept":
		t.Status = danvan.StatusAccepted
		if t.Late || (t.SubmittedAt != nil && calendar.IsLate(*t.SubmittedAt, t.Due)) {
			t.Status = danvan.StatusDoneLate
		}
		t.DecidedAt = &now
		t.Alarms, t.NextAlarm = nil, 0
		notice = u.notify(ctx, t, danvan.NotifyAccepted, "")
	case "return":
		u.reschedule(ctx, t, d.NewDue, now)
		t.Status = danvan.StatusReturned
		t.Returns++
		t.ReturnReason = d.Reason
		t.DecidedAt = &now
		notice = u.notify(ctx, t, danvan.NotifyReturned, d.Reason)
	case "extend":
		u.reschedule(ctx, t, d.NewDue, now)
		t.Extensions++
		if t.Status == danvan.StatusOverdue {
			t.Status = danvan.StatusPending
			if t.Returns > 0 {
				t.Status = danvan.StatusReturned
			}
		}
		notice = u.notify(ctx, t, danvan.NotifyExtended, d.Reason)
	}
	u.st.Version++
	u.wait(ctx,
		notice,
		u.upsert(ctx, u.index(t)),
		u.audit(ctx, d.By, "task."+d.Action, t, u.st.Version, map[string]any{"reason": d.Reason, "new_due": t.Due}),
	)
	u.upsertSearch(ctx)
	u.poke()
	return DecideResult{Task: t.status()}, nil
}

// reschedule sets t's deadline from newDue (or, for a return without one,
// DefaultReturnDays from now, moved to a working day) and its alarms, in
// one side effect because both read the calendar.
func (u *unit) reschedule(ctx workflow.Context, t *TaskState, newDue string, now time.Time) {
	type result struct {
		Due    time.Time `json:"due"`
		Alarms []Alarm   `json:"alarms"`
	}
	var r result
	err := workflow.SideEffect(ctx, func(workflow.Context) any {
		due, err := ResolveDue(newDue, u.cal)
		if newDue == "" || err != nil {
			due = u.cal.DueFromDate(calendar.DateOf(now).AddDays(DefaultReturnDays))
		}
		return result{Due: due, Alarms: Schedule(due, u.in.Plan.Reminders, u.grace, now, u.cal)}
	}).Get(&r)
	if err != nil {
		u.logger.Error("rescheduling failed", "kind", t.Kind, "error", err)
		return
	}
	t.Due, t.Alarms, t.NextAlarm = r.Due, r.Alarms, 0
}
