package workflows_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/activities/memstore"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/workflows"
)

var vn = calendar.Location()

func vnTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, vn)
}

const cycleID = "2022-SNV"

var testUnits = []danvan.Unit{
	{Code: "SNV", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment, Email: "snv@example.org", HeadEmail: "gd.snv@example.org"},
	{Code: "VPUB", Name: "Văn phòng UBND tỉnh", Kind: danvan.UnitDepartment, Email: "vpub@example.org", HeadEmail: "cvp@example.org"},
}

// yearInput is a unit's plan for 2022 under the fixture's reminder policy.
func yearInput(t *testing.T, tasks ...danvan.TaskDef) workflows.UnitInput {
	t.Helper()
	def := danvan.CycleDefinition{Year: 2022, Title: "2022", Owner: "SNV", Tasks: tasks,
		Reminders: danvan.ReminderPolicy{Before: []string{"7d", "3d", "1d"}, OverdueEvery: "3d", EscalateAfter: "7d"}}
	plan, err := workflows.PlanUnits(def, calendar.Default())
	require.NoError(t, err)
	return workflows.UnitInput{CycleID: cycleID, Unit: "VPUB", Owner: "SNV", Plan: plan}
}

// harness drives one UnitWorkflow in the test environment with the real
// activities over an in-memory store.
type harness struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	store *memstore.Store
	start time.Time
	seq   int
}

func newHarness(t *testing.T, start time.Time) *harness {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.SetTestTimeout(time.Minute)
	store := newMemStore(testUnits...)
	env.RegisterWorkflowWithOptions(workflows.UnitWorkflow, workflow.RegisterOptions{Name: workflows.UnitWorkflowName})
	env.RegisterActivity(activitiesOver(store))
	return &harness{t: t, env: env, store: store, start: start}
}

// at runs fn at the instant when.
func (h *harness) at(when time.Time, fn func()) {
	h.t.Helper()
	require.True(h.t, !when.Before(h.start), "callback before start")
	h.env.RegisterDelayedCallback(fn, when.Sub(h.start))
}

// update sends an update at when and checks its outcome: errType "" means
// it must complete; otherwise it must be rejected (or fail) with that
// ApplicationError type.
func (h *harness) update(when time.Time, name string, arg any, errType string, check func(workflows.TaskStatus)) {
	h.seq++
	id := name + "-" + when.Format(time.RFC3339) + "-" + string(rune('a'+h.seq%26))
	done := false
	h.at(when, func() {
		if in, ok := arg.(workflows.SubmitInput); ok && in.SubmissionID == 0 {
			arg = h.stored(in)
		}
		h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject: func(err error) {
				done = true
				h.assertErrType(name, err, errType)
			},
			OnComplete: func(res any, err error) {
				done = true
				if errType != "" {
					h.assertErrType(name, err, errType)
					return
				}
				require.NoError(h.t, err, "%s at %s", name, when)
				if check != nil {
					switch r := res.(type) {
					case workflows.SubmitResult:
						check(r.Task)
					case workflows.DecideResult:
						check(r.Task)
					default:
						h.t.Fatalf("unexpected update result %T", res)
					}
				}
			},
		}, arg)
	})
	h.t.Cleanup(func() {
		if !h.t.Failed() && !done {
			h.t.Errorf("update %s at %s never finished", name, when)
		}
	})
}

func (h *harness) assertErrType(name string, err error, want string) {
	h.t.Helper()
	require.Error(h.t, err, "%s should fail with %s", name, want)
	var ae *temporal.ApplicationError
	require.True(h.t, errors.As(err, &ae), "want ApplicationError, got %T %v", err, err)
	require.Equal(h.t, want, ae.Type(), "error %v", err)
	require.NotEmpty(h.t, ae.Error())
}

// submission is a submit of kind; h.update stores its content first (as
// the API does) when SubmissionID is 0.
func submission(kind string) workflows.SubmitInput {
	return workflows.SubmitInput{CycleID: cycleID, Unit: "VPUB", Kind: kind, Number: "495/KH-VP", Date: "2022-03-29", By: "officer"}
}

const submissionText = "Kế hoạch thực hiện công tác dân vận chính quyền năm 2022"

func decision(kind, action string) workflows.DecideInput {
	return workflows.DecideInput{CycleID: cycleID, Unit: "VPUB", Kind: kind, Action: action, By: "admin"}
}

// stored writes in's content to the store as the API would and returns
// in with the reference set.
func (h *harness) stored(in workflows.SubmitInput) workflows.SubmitInput {
	s := danvan.Submission{CycleID: in.CycleID, UnitCode: in.Unit, Kind: in.Kind, Number: in.Number, Date: in.Date,
		Text: submissionText, SubmittedBy: in.By}
	require.NoError(h.t, h.store.CreateSubmission(h.t.Context(), &s, nil))
	in.SubmissionID, in.SHA256, in.Size = s.ID, s.SHA256, s.Size
	return in
}

// notifications returns "kind@dd/mm HH:MM" per notification of a task,
// leaving out the receipts of submissions (see receipts).
func (h *harness) notifications(task string) []string {
	var out []string
	for _, n := range h.store.Notified() {
		if n.TaskKind == task && n.UnitCode == "VPUB" && n.Kind != danvan.NotifySubmitted {
			out = append(out, n.Kind+"@"+n.CreatedAt.In(vn).Format("02/01 15:04"))
		}
	}
	return out
}

// receipts counts the "submitted" receipts of a task.
func (h *harness) receipts(task string) int {
	n := 0
	for _, x := range h.store.Notified() {
		if x.TaskKind == task && x.Kind == danvan.NotifySubmitted {
			n++
		}
	}
	return n
}

func (h *harness) result() workflows.UnitResult {
	h.t.Helper()
	require.True(h.t, h.env.IsWorkflowCompleted())
	require.NoError(h.t, h.env.GetWorkflowError())
	var r workflows.UnitResult
	require.NoError(h.t, h.env.GetWorkflowResult(&r))
	return r
}

func taskOf(r workflows.UnitResult, kind string) workflows.TaskStatus {
	for _, t := range r.Status.Tasks {
		if t.Kind == kind {
			return t
		}
	}
	return workflows.TaskStatus{}
}

// TestUnitWorkflow_Year runs a unit through 2022: reminders at T-7/T-3/T-1
// on working days, a submission stopping them, a deadline on a holiday
// moving to 4/5, overdue reminders every 3 days and one escalation, an
// extension moving the timers, and a return reopening a task.
func TestUnitWorkflow_Year(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 3, 25, 9, 0)
	h := newHarness(t, start)
	in := yearInput(t,
		danvan.TaskDef{Kind: "unit_plan", Title: "Ban hành kế hoạch", Due: "2022-04-08"},
		danvan.TaskDef{Kind: "model_registration", Title: "Đăng ký mô hình", Due: "2022-04-30"},
		danvan.TaskDef{Kind: "midyear_report", Title: "Báo cáo sơ kết 6 tháng", Due: "2022-06-17"},
		danvan.TaskDef{Kind: "annual_report", Title: "Báo cáo năm", Due: "2022-11-18"},
	)
	// 30/4 and 1/5/2022 fall on a weekend, so 2/5 and 3/5 are days off in
	// lieu: the deadline moves to Wednesday 4/5.
	require.Equal(t, time.Date(2022, 5, 4, 23, 59, 59, 0, vn), in.Plan.Tasks[1].Due.In(vn))

	// unit_plan: submitted 6/4 after the T-7 and T-3 reminders, accepted.
	h.update(vnTime(2022, 4, 6, 10, 0), workflows.UpdateSubmit, submission("unit_plan"), "", func(ts workflows.TaskStatus) {
		require.Equal(t, danvan.StatusSubmitted, ts.Status)
		require.Equal(t, 2, ts.RemindersSent)
	})
	h.update(vnTime(2022, 4, 12, 9, 0), workflows.UpdateDecide, decision("unit_plan", "accept"), "", func(ts workflows.TaskStatus) {
		require.Equal(t, danvan.StatusAccepted, ts.Status)
	})
	// model_registration: late; submitted 12/5 after escalation on 11/5.
	h.at(vnTime(2022, 5, 10, 12, 0), func() {
		v, err := h.env.QueryWorkflow(workflows.QueryStatus)
		require.NoError(t, err)
		var st workflows.UnitStatus
		require.NoError(t, v.Get(&st))
		require.Equal(t, danvan.StatusOverdue, st.Tasks[1].Status)
		require.False(t, st.Tasks[1].Escalated)
		row := h.store.Task(cycleID, "VPUB", "model_registration")
		require.Equal(t, danvan.StatusOverdue, row.Status)
	})
	h.update(vnTime(2022, 5, 12, 10, 0), workflows.UpdateSubmit, submission("model_registration"), "", nil)
	h.update(vnTime(2022, 5, 13, 10, 0), workflows.UpdateDecide, decision("model_registration", "accept"), "", func(ts workflows.TaskStatus) {
		require.Equal(t, danvan.StatusDoneLate, ts.Status)
		require.True(t, ts.Escalated)
	})
	// midyear_report: extended on 10/6 (after its T-7 reminder) to 24/6.
	ext := decision("midyear_report", "extend")
	ext.NewDue = "2022-06-24"
	h.update(vnTime(2022, 6, 10, 10, 0), workflows.UpdateDecide, ext, "", func(ts workflows.TaskStatus) {
		require.Equal(t, 1, ts.Extensions)
		require.Equal(t, time.Date(2022, 6, 24, 23, 59, 59, 0, vn), ts.Due.In(vn))
	})
	h.update(vnTime(2022, 6, 22, 15, 0), workflows.UpdateSubmit, submission("midyear_report"), "", nil)
	h.update(vnTime(2022, 6, 27, 9, 0), workflows.UpdateDecide, decision("midyear_report", "accept"), "", func(ts workflows.TaskStatus) {
		require.Equal(t, danvan.StatusAccepted, ts.Status)
	})
	// annual_report: submitted, returned without a new due (7 days from the
	// return), resubmitted and accepted.
	h.update(vnTime(2022, 11, 15, 9, 0), workflows.UpdateSubmit, submission("annual_report"), "", nil)
	ret := decision("annual_report", "return")
	ret.Reason = "Bổ sung số liệu tiếp công dân"
	h.update(vnTime(2022, 11, 17, 10, 0), workflows.UpdateDecide, ret, "", func(ts workflows.TaskStatus) {
		require.Equal(t, danvan.StatusReturned, ts.Status)
		require.Equal(t, time.Date(2022, 11, 24, 23, 59, 59, 0, vn), ts.Due.In(vn))
	})
	h.update(vnTime(2022, 11, 22, 16, 0), workflows.UpdateSubmit, submission("annual_report"), "", func(ts workflows.TaskStatus) {
		require.Equal(t, danvan.StatusSubmitted, ts.Status)
	})
	h.update(vnTime(2022, 11, 25, 9, 0), workflows.UpdateDecide, decision("annual_report", "accept"), "", nil)

	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	r := h.result()
	require.False(t, r.Expired)

	require.Equal(t, []string{"reminder@01/04 08:00", "reminder@05/04 08:00", "accepted@12/04 09:00"}, h.notifications("unit_plan"))
	require.Equal(t, 1, h.receipts("unit_plan"), "the unit is told its submission arrived")
	require.Equal(t, 2, h.receipts("annual_report"), "once per submission")
	// T-7 is 27/4; T-3 and T-1 both fall back over the holidays to Friday
	// 29/4 and are sent once. Overdue at the deadline, then every 3 days
	// on working days (7/5 is a Saturday, so 9/5), escalation on 11/5.
	require.Equal(t, []string{
		"reminder@27/04 08:00", "reminder@29/04 08:00",
		"overdue@04/05 23:59", "overdue@09/05 08:00", "overdue@10/05 08:00", "escalation@11/05 08:00",
		"accepted@13/05 10:00",
	}, h.notifications("model_registration"))
	require.Equal(t, []string{
		"reminder@10/06 08:00", "extended@10/06 10:00",
		"reminder@17/06 08:00", "reminder@21/06 08:00", "accepted@27/06 09:00",
	}, h.notifications("midyear_report"))
	require.Equal(t, []string{
		"reminder@11/11 08:00", "reminder@15/11 08:00", "returned@17/11 10:00",
		"reminder@21/11 08:00", "accepted@25/11 09:00",
	}, h.notifications("annual_report"))

	require.Equal(t, danvan.StatusDoneLate, taskOf(r, "model_registration").Status)
	require.Equal(t, 5, taskOf(r, "model_registration").RemindersSent)
	require.Equal(t, 1, taskOf(r, "annual_report").Returns)

	// The store holds the final state of every task, and every notification
	// was e-mailed exactly once; the escalation went to the head and owner.
	for _, k := range []string{"unit_plan", "model_registration", "midyear_report", "annual_report"} {
		row := h.store.Task(cycleID, "VPUB", k)
		require.Equal(t, taskOf(r, k).Status, row.Status, k)
	}
	own := 0
	for _, n := range h.store.Notified() {
		if n.UnitCode == "VPUB" {
			own++
		} else {
			require.Equal(t, danvan.NotifyEscalation, n.Kind, "only escalations are copied to the owner's inbox")
		}
	}
	require.Len(t, h.store.Mails(), own, "one e-mail per notification of the unit; owner copies are not mailed again")
	for _, n := range h.store.Notified() {
		if n.Kind == danvan.NotifyEscalation {
			require.Equal(t, "vpub@example.org, cvp@example.org, snv@example.org", n.Recipient)
			require.True(t, strings.HasPrefix(n.Subject, "Báo cáo người đứng đầu"), n.Subject)
		}
	}
	require.Len(t, h.store.Submissions(), 5)
}

// TestUnitWorkflow_Validators checks that bad updates are rejected with the
// domain error code as the ApplicationError type.
func TestUnitWorkflow_Validators(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 3, 25, 9, 0)
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"},
		danvan.TaskDef{Kind: "annual_report", Title: "Báo cáo năm", Due: "2022-11-18"})

	wrongUnit := submission("unit_plan")
	wrongUnit.Unit = "STP"
	h.update(start.Add(time.Hour), workflows.UpdateSubmit, wrongUnit, danvan.EInvalid, nil)
	noRef := submission("unit_plan")
	noRef.SubmissionID = -1 // not stored first
	h.update(start.Add(2*time.Hour), workflows.UpdateSubmit, noRef, danvan.EInvalid, nil)
	inline := submission("unit_plan")
	inline.SubmissionID, inline.SHA256, inline.LegacyText = 1, strings.Repeat("0", 64), "the body inline"
	h.update(start.Add(2*time.Hour+time.Minute), workflows.UpdateSubmit, inline, danvan.EInvalid, nil)
	unknown := submission("inspection_response")
	h.update(start.Add(3*time.Hour), workflows.UpdateSubmit, unknown, danvan.ENotFound, nil)
	h.update(start.Add(4*time.Hour), workflows.UpdateDecide, decision("unit_plan", "accept"), danvan.EConflict, nil)
	noReason := decision("unit_plan", "return")
	h.update(start.Add(5*time.Hour), workflows.UpdateDecide, noReason, danvan.EInvalid, nil)
	past := decision("unit_plan", "extend")
	past.NewDue = "2022-03-01"
	h.update(start.Add(6*time.Hour), workflows.UpdateDecide, past, danvan.EInvalid, nil)

	h.update(start.Add(24*time.Hour), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
	h.update(start.Add(25*time.Hour), workflows.UpdateSubmit, submission("unit_plan"), danvan.EConflict, nil)
	h.update(start.Add(26*time.Hour), workflows.UpdateDecide, decision("unit_plan", "accept"), "", nil)
	// Closed task: neither a new submission nor an extension.
	h.update(start.Add(27*time.Hour), workflows.UpdateSubmit, submission("unit_plan"), danvan.EConflict, nil)
	closed := decision("unit_plan", "extend")
	closed.NewDue = "2022-12-01"
	h.update(start.Add(28*time.Hour), workflows.UpdateDecide, closed, danvan.EConflict, nil)
	h.update(start.Add(29*time.Hour), workflows.UpdateSubmit, submission("annual_report"), "", nil)
	h.update(start.Add(30*time.Hour), workflows.UpdateDecide, decision("annual_report", "accept"), "", nil)

	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	r := h.result()
	require.Equal(t, danvan.StatusAccepted, taskOf(r, "unit_plan").Status)
	// Only the two accepted submissions reached the store.
	require.Len(t, h.store.Submissions(), 2)
}

// TestUnitWorkflow_Expires ends a unit whose task is never submitted after
// the grace period, with the task left overdue and escalated once.
func TestUnitWorkflow_Expires(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 3, 25, 9, 0)
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"})
	in.Grace = 30 * 24 * time.Hour
	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	r := h.result()
	require.True(t, r.Expired)
	ts := taskOf(r, "unit_plan")
	require.Equal(t, danvan.StatusOverdue, ts.Status)
	require.True(t, ts.Escalated)
	n := h.notifications("unit_plan")
	require.Equal(t, 1, strings.Count(strings.Join(n, ","), "escalation"))
	require.Greater(t, ts.RemindersSent, 5)
}

// decodeContinueAsNew returns the input a ContinueAsNewError carries.
func decodeContinueAsNew[T any](t *testing.T, err error) T {
	t.Helper()
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(err, &can), "want ContinueAsNewError, got %v", err)
	var in T
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &in))
	return in
}

// TestUnitWorkflow_ContinueAsNew continues a unit as new mid-year and
// checks that the next run carries the state: no reminder is sent twice
// and the counts go on.
func TestUnitWorkflow_ContinueAsNew(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 3, 25, 9, 0)
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"},
		danvan.TaskDef{Kind: "annual_report", Title: "Báo cáo năm", Due: "2022-11-18"})
	h.update(vnTime(2022, 4, 6, 10, 0), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
	h.at(vnTime(2022, 4, 7, 9, 0), func() { h.env.SetContinueAsNewSuggested(true) })
	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	require.True(t, h.env.IsWorkflowCompleted())
	next := decodeContinueAsNew[workflows.UnitInput](t, h.env.GetWorkflowError())
	require.NotNil(t, next.State)
	require.Equal(t, 1, next.State.Runs)
	require.Equal(t, danvan.StatusSubmitted, next.State.Tasks[0].Status)
	require.Equal(t, 2, next.State.Tasks[0].RemindersSent)

	// Second run: same store, clock where the first run stopped.
	h2 := newHarness(t, vnTime(2022, 4, 7, 9, 0))
	h2.store = h.store
	h2.env.RegisterActivity(activitiesOver(h.store))
	h2.update(vnTime(2022, 4, 8, 9, 0), workflows.UpdateDecide, decision("unit_plan", "accept"), "", nil)
	h2.update(vnTime(2022, 11, 10, 9, 0), workflows.UpdateSubmit, submission("annual_report"), "", nil)
	h2.update(vnTime(2022, 11, 11, 9, 0), workflows.UpdateDecide, decision("annual_report", "accept"), "", nil)
	h2.env.ExecuteWorkflow(workflows.UnitWorkflow, next)
	r := h2.result()
	require.Equal(t, danvan.StatusAccepted, taskOf(r, "unit_plan").Status)
	require.Equal(t, []string{"reminder@01/04 08:00", "reminder@05/04 08:00", "accepted@08/04 09:00"}, h.notifications("unit_plan"))
	require.Equal(t, []string{"reminder@11/11 08:00", "accepted@11/11 09:00"}, h.notifications("annual_report"))
}

// TestUnitWorkflow_StartedAfterDeadline starts a unit after its deadline and
// its escalation point (a cycle started late): the task becomes overdue and
// is escalated once at the start, with no backlog of old reminders, and the
// unit still gets the grace period from the start to hand in its work.
func TestUnitWorkflow_StartedAfterDeadline(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 6, 1, 9, 0) // deadline 8/4, escalation 15/4 long past
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"})
	in.Grace = 30 * 24 * time.Hour
	h.update(start.Add(10*24*time.Hour), workflows.UpdateSubmit, submission("unit_plan"), "", func(ts workflows.TaskStatus) {
		require.Equal(t, danvan.StatusSubmitted, ts.Status, "still open for work ten days after the start")
	})
	// Returned, then handed in again well before the new deadline: the
	// first submission was late, so the task is still done late.
	ret := decision("unit_plan", "return")
	ret.Reason, ret.NewDue = "Bổ sung số liệu", "2022-06-30"
	h.update(start.Add(11*24*time.Hour), workflows.UpdateDecide, ret, "", func(ts workflows.TaskStatus) {
		require.Equal(t, danvan.StatusReturned, ts.Status)
	})
	h.update(start.Add(12*24*time.Hour), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
	h.update(start.Add(13*24*time.Hour), workflows.UpdateDecide, decision("unit_plan", "accept"), "", nil)
	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	r := h.result()
	require.False(t, r.Expired)
	require.Equal(t, danvan.StatusDoneLate, taskOf(r, "unit_plan").Status)
	n := h.notifications("unit_plan")
	require.Equal(t, []string{"overdue@01/06 09:00", "escalation@01/06 09:00"}, n[:2], n)
	joined := strings.Join(n, ",")
	require.Equal(t, 1, strings.Count(joined, "escalation"), n)
	require.Zero(t, strings.Count(joined, "reminder@"), "no backlog of reminders before the deadline: %v", n)
}
