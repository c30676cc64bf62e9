package activities_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/activities"
	"github.com/danvan/danvan/activities/memstore"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/workflows"
)

var vn = calendar.Location()

func newEnv(t *testing.T) (*testsuite.TestActivityEnvironment, *memstore.Store, *flakyMailer) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	store := memstore.New(
		danvan.Unit{Code: "SNV", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment, Email: "snv@example.org", HeadEmail: "gd@example.org"},
		danvan.Unit{Code: "VPUB", Name: "Văn phòng UBND tỉnh", Kind: danvan.UnitDepartment, Email: "vpub@example.org", HeadEmail: "cvp@example.org"},
	)
	mailer := &flakyMailer{store: store}
	env.RegisterActivity(&activities.Activities{Units: store, Tasks: store, Notifications: store, Audit: store, Mailer: mailer,
		Now: func() time.Time { return time.Date(2022, 4, 1, 1, 0, 0, 0, time.UTC) }})
	return env, store, mailer
}

// flakyMailer fails the first fail sends, then delegates to the store.
type flakyMailer struct {
	store   *memstore.Store
	fail    int
	calls   int
	refused bool // every send is refused for good (a 5xx reply)
}

func (f *flakyMailer) Send(ctx context.Context, m danvan.Mail) error {
	f.calls++
	if f.refused {
		return danvan.Errorf(danvan.EInvalid, "550 no such mailbox", "550 không có hộp thư")
	}
	if f.fail > 0 {
		f.fail--
		return errors.New("smtp: connection refused")
	}
	return f.store.Send(ctx, m)
}

func reminder() workflows.NotifyInput {
	return workflows.NotifyInput{
		ID: "2022-SNV/VPUB/unit_plan/reminder/1", CycleID: "2022-SNV", Unit: "VPUB", Owner: "SNV",
		TaskKind: "unit_plan", TaskTitle: "Ban hành kế hoạch thực hiện", Kind: danvan.NotifyReminder,
		Due: time.Date(2022, 4, 8, 23, 59, 59, 0, vn), At: time.Date(2022, 4, 1, 8, 0, 0, 0, vn),
	}
}

func TestNotify_Idempotent(t *testing.T) {
	t.Parallel()
	env, store, mailer := newEnv(t)
	v, err := env.ExecuteActivity(workflows.ActivityNotify, reminder())
	require.NoError(t, err)
	var r workflows.NotifyResult
	require.NoError(t, v.Get(&r))
	require.Equal(t, workflows.NotifyResult{Created: true, Emailed: true}, r)

	// A retry with the same input finds the notification e-mailed already.
	v, err = env.ExecuteActivity(workflows.ActivityNotify, reminder())
	require.NoError(t, err)
	require.NoError(t, v.Get(&r))
	require.Equal(t, workflows.NotifyResult{}, r)
	require.Len(t, store.Mails(), 1, "queued once")
	require.Zero(t, mailer.calls, "the activity never talks SMTP: the outbox sender does")

	n := store.Notified()
	require.Len(t, n, 1)
	require.Equal(t, "Nhắc nhở: Ban hành kế hoạch thực hiện - hạn ngày 08/04/2022", n[0].Subject)
	require.Contains(t, n[0].Body, "Hạn hoàn thành: 08/04/2022 23:59 (còn 8 ngày)")
	require.Equal(t, "vpub@example.org", n[0].Recipient)
	m := store.Mails()[0]
	require.Equal(t, "2022-SNV/VPUB/unit_plan/reminder/1", m.ID)
	require.Equal(t, []string{"vpub@example.org"}, m.To)
}

// TestNotify_MailServerDownDoesNotMatter: the activity only queues, so a
// mail server that refuses everything cannot fail or delay it; without a
// mailer nothing is queued.
func TestNotify_MailServerDownDoesNotMatter(t *testing.T) {
	t.Parallel()
	env, store, mailer := newEnv(t)
	mailer.refused = true
	v, err := env.ExecuteActivity(workflows.ActivityNotify, reminder())
	require.NoError(t, err)
	var r workflows.NotifyResult
	require.NoError(t, v.Get(&r))
	require.Equal(t, workflows.NotifyResult{Created: true, Emailed: true}, r)
	require.Zero(t, mailer.calls)
	require.Len(t, store.Mails(), 1)

	var s testsuite.WorkflowTestSuite
	noMail := s.NewTestActivityEnvironment()
	store2 := memstore.New(danvan.Unit{Code: "VPUB", Name: "Văn phòng UBND tỉnh", Kind: danvan.UnitDepartment, Email: "vpub@example.org"})
	noMail.RegisterActivity(&activities.Activities{Units: store2, Tasks: store2, Notifications: store2, Audit: store2})
	v, err = noMail.ExecuteActivity(workflows.ActivityNotify, reminder())
	require.NoError(t, err)
	require.NoError(t, v.Get(&r))
	require.Equal(t, workflows.NotifyResult{Created: true}, r)
	require.Empty(t, store2.Mails())
	require.Len(t, store2.Notified(), 1)
}

func TestNotify_Escalation(t *testing.T) {
	t.Parallel()
	env, store, _ := newEnv(t)
	in := reminder()
	in.ID, in.Kind, in.At = "2022-SNV/VPUB/unit_plan/escalation/1", danvan.NotifyEscalation, time.Date(2022, 4, 18, 8, 0, 0, 0, vn)
	_, err := env.ExecuteActivity(workflows.ActivityNotify, in)
	require.NoError(t, err)
	n := store.Notified()[0]
	require.Equal(t, "Báo cáo người đứng đầu: Văn phòng UBND tỉnh chưa hoàn thành Ban hành kế hoạch thực hiện", n.Subject)
	require.Equal(t, "vpub@example.org, cvp@example.org, snv@example.org", n.Recipient)
	require.Contains(t, n.Body, "Sở Nội vụ")
	require.Contains(t, n.Body, "quá hạn 9 ngày")
	require.Len(t, store.Notified(), 2, "the owner keeps a copy in its inbox")
	require.Equal(t, "SNV", store.Notified()[1].UnitCode)
	require.Len(t, store.Mails(), 1, "one e-mail, to everyone")
	_, err = env.ExecuteActivity(workflows.ActivityNotify, in)
	require.NoError(t, err)
	require.Len(t, store.Notified(), 2, "idempotent")
}

func TestNotify_AllKinds(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		danvan.NotifyReminder:   "Nhắc nhở: ",
		danvan.NotifyOverdue:    "Quá hạn: ",
		danvan.NotifyEscalation: "Báo cáo người đứng đầu: ",
		danvan.NotifySubmitted:  "Đã nộp: ",
		danvan.NotifyAccepted:   "Đã tiếp nhận: ",
		danvan.NotifyReturned:   "Yêu cầu bổ sung: ",
		danvan.NotifyExtended:   "Gia hạn: ",
	}
	env, store, _ := newEnv(t)
	for kind := range want {
		in := reminder()
		in.ID, in.Kind, in.Reason = "2022-SNV/VPUB/unit_plan/"+kind+"/1", kind, "Bổ sung số liệu"
		_, err := env.ExecuteActivity(workflows.ActivityNotify, in)
		require.NoError(t, err, kind)
	}
	for _, n := range store.Notified() {
		require.True(t, strings.HasPrefix(n.Subject, want[n.Kind]), "%s: %s", n.Kind, n.Subject)
		require.NotContains(t, n.Body, "<no value>", n.Kind)
		if n.Kind == danvan.NotifyReturned {
			require.Contains(t, n.Body, "Lý do: Bổ sung số liệu")
		}
	}
}

func requireAppError(t *testing.T, err error, code string) {
	t.Helper()
	var ae *temporal.ApplicationError
	require.True(t, errors.As(err, &ae), "want ApplicationError, got %v", err)
	require.Equal(t, code, ae.Type())
	require.True(t, ae.NonRetryable())
}

func TestNotify_Invalid(t *testing.T) {
	t.Parallel()
	env, _, _ := newEnv(t)
	in := reminder()
	in.Kind = "gossip"
	_, err := env.ExecuteActivity(workflows.ActivityNotify, in)
	requireAppError(t, err, danvan.EInvalid)
	in = reminder()
	in.Unit = "NOPE"
	_, err = env.ExecuteActivity(workflows.ActivityNotify, in)
	requireAppError(t, err, danvan.ENotFound)
}

func TestUpsertTasks_Versions(t *testing.T) {
	t.Parallel()
	env, store, _ := newEnv(t)
	task := danvan.Task{CycleID: "2022-SNV", UnitCode: "VPUB", Kind: "unit_plan", Status: danvan.StatusSubmitted, Version: 3}
	_, err := env.ExecuteActivity(workflows.ActivityUpsertTasks, workflows.UpsertTasksInput{Tasks: []danvan.Task{task}})
	require.NoError(t, err)
	late := task
	late.Status, late.Version = danvan.StatusPending, 2
	_, err = env.ExecuteActivity(workflows.ActivityUpsertTasks, workflows.UpsertTasksInput{Tasks: []danvan.Task{late}})
	require.NoError(t, err)
	require.Equal(t, danvan.StatusSubmitted, store.Task("2022-SNV", "VPUB", "unit_plan").Status)

	_, err = env.ExecuteActivity(workflows.ActivityUpsertTasks, workflows.UpsertTasksInput{Tasks: []danvan.Task{{Kind: "x"}}})
	requireAppError(t, err, danvan.EInvalid)
}

func TestSaveSubmission(t *testing.T) {
	t.Parallel()
	env, store, _ := newEnv(t)
	s := danvan.Submission{CycleID: "2022-SNV", UnitCode: "VPUB", Kind: "unit_plan", Text: "Kế hoạch", Seq: 1,
		SubmittedAt: time.Date(2022, 4, 6, 10, 0, 0, 0, vn)}
	for range 2 {
		_, err := env.ExecuteActivity(workflows.ActivitySaveSubmission, workflows.SaveSubmissionInput{Submission: s})
		require.NoError(t, err)
	}
	require.Len(t, store.Submissions(), 1)
	s.Text = ""
	_, err := env.ExecuteActivity(workflows.ActivitySaveSubmission, workflows.SaveSubmissionInput{Submission: s})
	requireAppError(t, err, danvan.EInvalid)
}

// TestRecordSubmission: recording assigns the store's seq, is idempotent,
// and refuses a reference to another unit's content.
func TestRecordSubmission(t *testing.T) {
	t.Parallel()
	env, store, _ := newEnv(t)
	s := danvan.Submission{CycleID: "2022-SNV", UnitCode: "VPUB", Kind: "unit_plan", Text: "Kế hoạch"}
	require.NoError(t, store.CreateSubmission(t.Context(), &s, nil))
	in := workflows.RecordSubmissionInput{ID: s.ID, CycleID: "2022-SNV", Unit: "VPUB", Kind: "unit_plan", SHA256: s.SHA256,
		At: time.Date(2022, 4, 6, 10, 0, 0, 0, vn)}
	for range 2 {
		v, err := env.ExecuteActivity(workflows.ActivityRecordSubmission, in)
		require.NoError(t, err)
		var r workflows.RecordSubmissionResult
		require.NoError(t, v.Get(&r))
		require.Equal(t, 1, r.Seq)
	}
	forged := in
	forged.Unit = "SNV"
	_, err := env.ExecuteActivity(workflows.ActivityRecordSubmission, forged)
	requireAppError(t, err, danvan.EForbidden)
	forged = in
	forged.ID = 999
	_, err = env.ExecuteActivity(workflows.ActivityRecordSubmission, forged)
	requireAppError(t, err, danvan.ENotFound)
}

func TestRecordAudit(t *testing.T) {
	t.Parallel()
	env, _, _ := newEnv(t)
	_, err := env.ExecuteActivity(workflows.ActivityAudit, workflows.AuditInput{Entry: danvan.AuditEntry{Key: "k", Action: "task.submit"}})
	require.NoError(t, err)
	_, err = env.ExecuteActivity(workflows.ActivityAudit, workflows.AuditInput{})
	requireAppError(t, err, danvan.EInvalid)
}
