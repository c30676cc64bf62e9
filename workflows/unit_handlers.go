package workflows

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

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
func (u *unit) validateSubmit(ctx workflow.Context, in SubmitInput) error {
	if in.LegacyText != "" {
		return appError(danvan.Invalid("text", "the submission's text is stored first and referenced (submission_id), never sent to the workflow",
			"nội dung bản nộp phải được lưu trước và tham chiếu (submission_id), không gửi vào luồng xử lý"))
	}
	if in.SubmissionID <= 0 || len(in.SHA256) != 64 {
		return appError(danvan.Invalid("submission_id", "a stored submission (id and sha256) is required", "cần bản nộp đã lưu (id và sha256)"))
	}
	if n := utf8.RuneCountInString(in.Title); n > MaxShortTitle {
		return appError(danvan.Invalid("title", fmt.Sprintf("at most %d characters", MaxShortTitle), fmt.Sprintf("tối đa %d ký tự", MaxShortTitle)))
	}
	return appError(u.checkSubmit(in))
}

// checkSubmit checks a submission against the state: it must be for this
// workflow and for an open task.
func (u *unit) checkSubmit(in SubmitInput) error {
	if err := u.checkTarget(in.CycleID, in.Unit); err != nil {
		return err
	}
	if in.Kind == "" {
		return danvan.Invalid("kind", "is required", "là bắt buộc")
	}
	t := u.task(in.Kind)
	if t == nil {
		return danvan.Errorf(danvan.ENotFound, "Unit %s has no task %q in cycle %s.",
			"Đơn vị %s không có nhiệm vụ %q trong kỳ %s.", u.in.Unit, in.Kind, u.in.CycleID)
	}
	if !isOpen(t.Status) {
		return danvan.Errorf(danvan.EConflict, "Task %q is %s and cannot be submitted now.",
			"Nhiệm vụ %q đang ở trạng thái %s, không thể nộp lúc này.", in.Kind, t.Status)
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

// submit records a submission: the store marks the stored content recorded
// and assigns its seq (so a store that refuses it leaves the task
// unchanged), then the task is marked submitted, which stops its alarms,
// and projected.
func (u *unit) submit(ctx workflow.Context, in SubmitInput) (SubmitResult, error) {
	// The submission's time is when the workflow accepted the Update, not
	// when this handler got the lock: on deadline night a submission
	// queued behind a slow handler is still on time.
	accepted := workflow.Now(ctx)
	if err := u.mu.Lock(ctx); err != nil {
		return SubmitResult{}, err
	}
	locked := true
	defer func() {
		if locked {
			u.mu.Unlock()
		}
	}()
	// The validator ran against the state of its moment; another update
	// may have closed the task while this one waited for the lock.
	if err := u.checkSubmit(in); err != nil {
		return SubmitResult{}, appError(err)
	}
	t := u.task(in.Kind)
	var now time.Time
	var seq int
	if in.LegacyText != "" || in.SubmissionID == 0 {
		// A history recorded before the claim check: replay exactly what
		// that code did (time read under the lock, seq counted here).
		now = workflow.Now(ctx)
		seq = t.Submissions + 1
		s := danvan.Submission{CycleID: in.CycleID, UnitCode: in.Unit, Kind: in.Kind, Number: in.Number, Date: in.Date,
			Title: in.Title, Text: in.LegacyText, SubmittedBy: in.By, SubmittedAt: now, Seq: seq}
		if err := workflow.ExecuteActivity(activityCtx(ctx), ActivitySaveSubmission, SaveSubmissionInput{Submission: s}).Get(ctx, nil); err != nil {
			u.logger.Error("saving submission failed", "kind", in.Kind, "error", err)
			return SubmitResult{}, err
		}
	} else {
		now = accepted
		var res RecordSubmissionResult
		rec := RecordSubmissionInput{ID: in.SubmissionID, CycleID: in.CycleID, Unit: in.Unit, Kind: in.Kind, SHA256: in.SHA256, At: now}
		if err := workflow.ExecuteActivity(recordCtx(ctx), ActivityRecordSubmission, rec).Get(ctx, &res); err != nil {
			u.logger.Error("recording submission failed", "kind", in.Kind, "id", in.SubmissionID, "error", err)
			return SubmitResult{}, err
		}
		seq = res.Seq
	}
	t.Submissions = seq
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
		receipt = u.notify(ctx, t, danvan.NotifySubmitted, "", "seq"+strconv.Itoa(seq))
	}
	futures := []workflow.Future{
		receipt,
		u.upsert(ctx, u.index(t)),
		u.audit(ctx, in.By, "task.submit", t, int64(seq), map[string]any{"number": in.Number, "date": in.Date, "seq": seq,
			"sha256": in.SHA256, "size": in.Size, "files": in.Files}),
	}
	if !u.unlocked {
		u.wait(ctx, futures...)
		u.upsertSearch(ctx)
		u.poke()
		return SubmitResult{Task: t.status(), Seq: seq, SubmittedAt: now}, nil
	}
	res := SubmitResult{Task: t.status(), Seq: seq, SubmittedAt: now}
	u.upsertSearch(ctx)
	u.poke()
	u.mu.Unlock()
	locked = false
	u.wait(ctx, futures...)
	return res, nil
}

// validateDecide rejects a decision that does not fit the task's status.
func (u *unit) validateDecide(ctx workflow.Context, d DecideInput) error {
	_, err := u.checkDecide(workflow.Now(ctx), d)
	return appError(err)
}

// checkDecide returns the new deadline for return and extend (zero when the
// decision leaves it to the default).
func (u *unit) checkDecide(now time.Time, d DecideInput) (time.Time, error) {
	dec := d.Decision()
	if err := danvan.Validate(&dec); err != nil {
		return time.Time{}, err
	}
	if err := u.checkTarget(d.CycleID, d.Unit); err != nil {
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
func (u *unit) decide(ctx workflow.Context, d DecideInput) (DecideResult, error) {
	if err := u.mu.Lock(ctx); err != nil {
		return DecideResult{}, err
	}
	locked := true
	defer func() {
		if locked {
			u.mu.Unlock()
		}
	}()
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
		t.Accepted = t.Submissions
		notice = u.notify(ctx, t, danvan.NotifyAccepted, "", "seq"+strconv.Itoa(t.Accepted))
	case "return":
		u.reschedule(ctx, t, d.NewDue, now)
		t.Status = danvan.StatusReturned
		t.Returns++
		t.ReturnReason = d.Reason
		t.DecidedAt = &now
		notice = u.notify(ctx, t, danvan.NotifyReturned, d.Reason, stamp(now))
	case "extend":
		u.reschedule(ctx, t, d.NewDue, now)
		t.Extensions++
		if t.Status == danvan.StatusOverdue {
			t.Status = danvan.StatusPending
			if t.Returns > 0 {
				t.Status = danvan.StatusReturned
			}
		}
		notice = u.notify(ctx, t, danvan.NotifyExtended, d.Reason, stamp(now))
	}
	u.st.Version++
	futures := []workflow.Future{
		notice,
		u.upsert(ctx, u.index(t)),
		u.audit(ctx, d.By, "task."+d.Action, t, u.st.Version, map[string]any{"reason": d.Reason, "new_due": t.Due}),
	}
	if !u.unlocked {
		u.wait(ctx, futures...)
		u.upsertSearch(ctx)
		u.poke()
		return DecideResult{Task: t.status()}, nil
	}
	if d.Action == "accept" && t.Accepted > 0 {
		// Registering the accepted text in the document registry is slow
		// and may fail for a while; it runs on its own, never under the
		// lock and never holding this update open.
		u.background(ctx, "index submission", workflow.ExecuteActivity(indexCtx(ctx), ActivityIndexSubmission,
			IndexSubmissionInput{CycleID: u.in.CycleID, Unit: u.in.Unit, Kind: t.Kind, Seq: t.Accepted}))
	}
	res := DecideResult{Task: t.status()}
	u.upsertSearch(ctx)
	u.poke()
	u.mu.Unlock()
	locked = false
	u.wait(ctx, futures...)
	return res, nil
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
	t.Due, t.Alarms, t.NextAlarm = r.Due, SpreadAlarms(r.Alarms, u.in.Unit, u.in.AlarmSpread), 0
}
