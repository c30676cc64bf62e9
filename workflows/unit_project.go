package workflows

import (
	"encoding/json"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
)

// Activity bounds. Every activity has a ScheduleToClose, so none retries
// for ever: a store or mail server that stays down longer than that loses
// the projection (the next change projects the whole task again) and the
// failure shows in the status (UnitState.Failures). An hour covers a
// restarted database or worker; no lock is held meanwhile (patch
// 2026-12-unit-unlocked-projections).
const (
	projectionTimeout = time.Hour
	// recordTimeout bounds RecordSubmission, which runs under the lock: a
	// submission the store cannot record within it fails, the unit can
	// submit again, and its content is swept.
	recordTimeout = 2 * time.Minute
	// indexTimeout bounds registering an accepted text in the registry.
	indexTimeout = 30 * time.Minute
)

// activityCtx sets the options of every projection activity: short
// attempts, retried at up to one minute apart for at most an hour. The
// activities are idempotent so retries are harmless.
func activityCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: projectionTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    100,
		},
	})
}

// recordCtx sets the options of RecordSubmission.
func recordCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: recordTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    15 * time.Second,
			MaximumAttempts:    10,
		},
	})
}

// indexCtx sets the options of IndexSubmission: long attempts (a large text
// cites many documents), few of them.
func indexCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    5 * time.Minute,
		ScheduleToCloseTimeout: indexTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    5 * time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Minute,
			MaximumAttempts:    5,
		},
	})
}

// wait blocks until every future is done and records failures: by then the
// retries are exhausted, and the next change projects the whole task again.
func (u *unit) wait(ctx workflow.Context, futures ...workflow.Future) {
	for _, f := range futures {
		if f == nil {
			continue
		}
		if err := f.Get(ctx, nil); err != nil {
			u.failed("projection", err)
		}
	}
}

// versionsPerSecond spaces the projection versions of successive runs
// (see run): a run starting a second later starts a million versions
// higher, more than a unit workflow ever projects.
const versionsPerSecond = 1_000_000

// stamp formats an instant for a notification ID, in Vietnam time to the
// second: "20220401T080000".
func stamp(t time.Time) string { return t.In(calendar.Location()).Format("20060102T150405") }

// notify schedules the Notify activity for t. Under the
// 2026-12-unit-unlocked-projections patch the notification ID ends with
// what the notification is about (the alarm's instant, the submission's
// seq from the store, the decision's time), so a relaunched cycle never
// reuses an earlier run's ID for another notification and repeats none it
// already sent; before it, the ID counted notifications of that kind. A
// retry (or a replay) reuses the same ID either way, and the activity
// creates and e-mails it once.
func (u *unit) notify(ctx workflow.Context, t *TaskState, kind, reason, about string) workflow.Future {
	if t.Notified == nil {
		t.Notified = map[string]int{}
	}
	t.Notified[kind]++
	id := NotificationID(u.in.CycleID, u.in.Unit, t.Kind, kind, t.Notified[kind])
	if u.unlocked {
		id = NotificationKey(u.in.CycleID, u.in.Unit, t.Kind, kind, about)
	}
	in := NotifyInput{
		ID:        id,
		CycleID:   u.in.CycleID,
		Unit:      u.in.Unit,
		Owner:     u.in.Owner,
		TaskKind:  t.Kind,
		TaskTitle: t.Title,
		Kind:      kind,
		Due:       t.Due,
		Reason:    reason,
		At:        workflow.Now(ctx),
	}
	return workflow.ExecuteActivity(activityCtx(ctx), ActivityNotify, in)
}

// upsert projects the tasks at the given indexes with the current version.
func (u *unit) upsert(ctx workflow.Context, idx ...int) workflow.Future {
	now := workflow.Now(ctx)
	in := UpsertTasksInput{Tasks: make([]danvan.Task, 0, len(idx))}
	for _, i := range idx {
		row := u.st.Tasks[i].status().Task(u.in.CycleID, u.in.Unit)
		row.Version, row.UpdatedAt = u.st.Version, now
		in.Tasks = append(in.Tasks, row)
	}
	return workflow.ExecuteActivity(activityCtx(ctx), ActivityUpsertTasks, in)
}

// audit records who did what to t; seq makes the key unique per action.
func (u *unit) audit(ctx workflow.Context, actor, action string, t *TaskState, seq int64, detail map[string]any) workflow.Future {
	detail["kind"] = t.Kind
	detail["status"] = t.Status
	raw, err := json.Marshal(detail)
	if err != nil {
		raw = nil // detail is plain data; a failure here only loses the detail
	}
	return workflow.ExecuteActivity(activityCtx(ctx), ActivityAudit, AuditInput{Entry: danvan.AuditEntry{
		Key:     u.in.CycleID + "/" + u.in.Unit + "/" + t.Kind + "/" + action + "/" + strconv.FormatInt(seq, 10),
		At:      workflow.Now(ctx),
		Actor:   actor,
		Action:  action,
		CycleID: u.in.CycleID,
		Unit:    u.in.Unit,
		Detail:  raw,
	}})
}

func (u *unit) index(t *TaskState) int {
	for i := range u.st.Tasks {
		if &u.st.Tasks[i] == t {
			return i
		}
	}
	return 0
}

// statusRank orders statuses from best to worst for DanvanStatus.
var statusRank = map[string]int{
	danvan.StatusAccepted:  0,
	danvan.StatusDoneLate:  1,
	danvan.StatusSubmitted: 2,
	danvan.StatusPending:   3,
	danvan.StatusReturned:  4,
	danvan.StatusOverdue:   5,
}

func (u *unit) search() searchState {
	var s searchState
	worst := -1
	for _, t := range u.st.Tasks {
		if r := statusRank[t.Status]; r > worst {
			worst, s.status = r, t.Status
		}
		if isOpen(t.Status) && (s.next.IsZero() || t.Due.Before(s.next)) {
			s.next = t.Due
		}
	}
	return s
}

// upsertSearch keeps the operator search attributes in step with state,
// writing only what changed.
func (u *unit) upsertSearch(ctx workflow.Context) {
	s := u.search()
	var ups []temporal.SearchAttributeUpdate
	if !u.saInit {
		ups = append(ups, CycleKey.ValueSet(u.in.CycleID), UnitKey.ValueSet(u.in.Unit))
	}
	if !u.saInit || s.status != u.sa.status {
		ups = append(ups, StatusKey.ValueSet(s.status))
	}
	if !u.saInit || !s.next.Equal(u.sa.next) {
		if s.next.IsZero() {
			ups = append(ups, NextDeadlineKey.ValueUnset())
		} else {
			ups = append(ups, NextDeadlineKey.ValueSet(s.next))
		}
	}
	if len(ups) == 0 {
		return
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, ups...); err != nil {
		u.logger.Error("upserting search attributes failed", "error", err)
		return
	}
	u.sa, u.saInit = s, true
}

func (t *TaskState) status() TaskStatus {
	return TaskStatus{
		Kind:          t.Kind,
		Title:         t.Title,
		Status:        t.Status,
		Due:           t.Due,
		SubmittedAt:   t.SubmittedAt,
		DecidedAt:     t.DecidedAt,
		RemindersSent: t.RemindersSent,
		Escalated:     t.Escalated,
		Extensions:    t.Extensions,
		Returns:       t.Returns,
		ReturnReason:  t.ReturnReason,
	}
}

// Task is s as the domain's task row of unit in cycleID (without the
// projection's Version and UpdatedAt, which the caller sets).
func (s TaskStatus) Task(cycleID, unit string) danvan.Task {
	return danvan.Task{CycleID: cycleID, UnitCode: unit, Kind: s.Kind, Title: s.Title, Status: s.Status, Due: s.Due,
		SubmittedAt: s.SubmittedAt, DecidedAt: s.DecidedAt, RemindersSent: s.RemindersSent, Escalated: s.Escalated,
		Extensions: s.Extensions, ReturnReason: s.ReturnReason}
}

func (u *unit) status() UnitStatus {
	out := UnitStatus{CycleID: u.in.CycleID, Unit: u.in.Unit, Tasks: make([]TaskStatus, len(u.st.Tasks)),
		Failures: u.st.Failures, LastFailure: u.st.LastFailure}
	for i := range u.st.Tasks {
		out.Tasks[i] = u.st.Tasks[i].status()
	}
	return out
}
