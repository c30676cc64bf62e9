package workflows

import (
	"strconv"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
)

// Defaults applied when an input leaves a knob at zero. They are part of the
// workflow's behaviour: changing one changes running workflows on their next
// decision, so treat a change like a code change (see the versioning policy).
const (
	// DefaultGrace keeps a unit workflow open after its last deadline so late
	// work can still be submitted, returned and accepted.
	DefaultGrace = 60 * 24 * time.Hour
	// DefaultReturnDays is how long a returned task gets when the decision
	// names no new deadline: seven days from the return, moved to a working
	// day (counting from the return, not the old deadline, because the old
	// deadline has usually passed by the time a return is decided).
	DefaultReturnDays = 7
	// DefaultMaxHistory is the history length after which a unit workflow
	// continues as new even if the server has not suggested it yet.
	DefaultMaxHistory = 5000
	// DefaultBatchSize is how many unit workflows one StartUnitWorkflows
	// activity starts.
	DefaultBatchSize = 200
	// DefaultMaxInFlight is how many StartUnitWorkflows activities a cycle
	// runs at once; with DefaultBatchSize that is at most 800 starts in
	// flight, and never more than a handful of pending activities.
	DefaultMaxInFlight = 4
	// DefaultBatchesPerRun is how many batches a cycle run launches before
	// it continues as new, so its history stays a few hundred events.
	DefaultBatchesPerRun = 10
	// maxOverdueReminders caps the overdue reminders scheduled per deadline.
	maxOverdueReminders = 100
)

// TaskPlan is one task of a unit with its deadline resolved to an instant.
type TaskPlan struct {
	Kind  string    `json:"kind"`
	Title string    `json:"title"`
	Due   time.Time `json:"due"`
}

// ReminderPlan is danvan.ReminderPolicy with offsets parsed. Zero
// OverdueEvery means no repeated overdue reminders; zero EscalateAfter means
// no escalation.
type ReminderPlan struct {
	Before        []time.Duration `json:"before,omitempty"`
	OverdueEvery  time.Duration   `json:"overdue_every,omitempty"`
	EscalateAfter time.Duration   `json:"escalate_after,omitempty"`
}

// UnitPlan is what every unit of a cycle receives: the tasks with resolved
// deadlines and the reminder policy.
type UnitPlan struct {
	Tasks     []TaskPlan   `json:"tasks"`
	Reminders ReminderPlan `json:"reminders"`
	// Closes, when set, ends the unit workflow at that instant
	// (danvan.CycleDefinition.Closes); zero means no closing date.
	Closes time.Time `json:"closes,omitzero"`
}

// UnitInput starts (or continues) a UnitWorkflow.
type UnitInput struct {
	CycleID string `json:"cycle_id"`
	Unit    string `json:"unit"`
	// Owner is the unit that owns the cycle (the administrator's unit); it
	// is copied on escalations.
	Owner string   `json:"owner"`
	Plan  UnitPlan `json:"plan"`
	// Calendar holds the year's official days off; the zero value is the
	// statutory calendar.
	Calendar calendar.Config `json:"calendar,omitzero"`
	// Grace keeps the workflow open after the last deadline; 0 means
	// DefaultGrace.
	Grace time.Duration `json:"grace,omitempty"`
	// MaxHistory forces ContinueAsNew past this many events; 0 means
	// DefaultMaxHistory.
	MaxHistory int `json:"max_history,omitempty"`
	// AlarmSpread moves every alarm of the unit by a per-unit offset below
	// it (SpreadAlarms); 0 (every history recorded before the field) means
	// alarms on the minute. CycleWorkflow sets SpreadFor(units).
	AlarmSpread time.Duration `json:"alarm_spread,omitempty"`
	// Projected is set by StartUnitWorkflows, which writes the initial
	// task rows (version 0) for a whole batch before starting it; the
	// workflow then skips its own initial UpsertTasks, which halves the
	// work of launching a large cycle. False (a unit started any other
	// way, and every history recorded before the field existed) means the
	// workflow projects its tasks itself.
	Projected bool `json:"projected,omitempty"`
	// State is nil on the first run and carries everything over
	// ContinueAsNew.
	State *UnitState `json:"state,omitempty"`
}

// UnitState is a unit workflow's whole state, carried over ContinueAsNew.
type UnitState struct {
	Tasks []TaskState `json:"tasks"`
	// Version increases with every change projected to the store, so a
	// late or retried UpsertTasks never overwrites a newer row.
	Version int64 `json:"version"`
	// Runs counts ContinueAsNew hand-overs.
	Runs int `json:"runs"`
	// StartedAt is when the first run started. It stays zero for a chain
	// that had already continued as new before the field existed; such a
	// workflow expires at its last deadline plus grace, as before.
	StartedAt time.Time `json:"started_at,omitzero"`
	// Failures counts activities that failed for good (projection,
	// notification, audit, indexing) and LastFailure says which and why:
	// what an administrator sees in the status when the store or the
	// registry has been down for longer than the retries last.
	Failures    int    `json:"failures,omitempty"`
	LastFailure string `json:"last_failure,omitempty"`
}

// Alarm is one scheduled moment of a task: a reminder before the deadline,
// the deadline itself, a repeated overdue reminder or the escalation.
type Alarm struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
}

// Alarm kinds.
const (
	AlarmReminder   = "reminder"
	AlarmDeadline   = "deadline"
	AlarmOverdue    = "overdue"
	AlarmEscalation = "escalation"
)

// TaskState is one task inside a unit workflow.
type TaskState struct {
	Kind          string     `json:"kind"`
	Title         string     `json:"title"`
	Status        string     `json:"status"`
	Due           time.Time  `json:"due"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	RemindersSent int        `json:"reminders_sent"`
	Escalated     bool       `json:"escalated"`
	Extensions    int        `json:"extensions"`
	Returns       int        `json:"returns"`
	ReturnReason  string     `json:"return_reason,omitempty"`
	// Late is set when any submission came after the deadline in force.
	Late bool `json:"late,omitempty"`
	// Submissions is the seq of the last submission (danvan.Submission.Seq).
	Submissions int `json:"submissions"`
	// Accepted is the seq of the accepted submission, for indexing.
	Accepted int `json:"accepted,omitempty"`
	// Alarms is the schedule for the current deadline, in time order;
	// NextAlarm indexes the first one not yet handled.
	Alarms    []Alarm `json:"alarms,omitempty"`
	NextAlarm int     `json:"next_alarm"`
	// Notified counts notifications per kind; the counts make the
	// notification IDs ("<cycle>/<unit>/<task>/<kind>/<n>").
	Notified map[string]int `json:"notified,omitempty"`
}

// UnitResult is what a completed UnitWorkflow returns.
type UnitResult struct {
	Status UnitStatus `json:"status"`
	// Expired is true when the workflow ended at the grace period with
	// tasks still open rather than with every task closed.
	Expired bool `json:"expired"`
	// Closed is true when the cycle was closed (SignalClose or the plan's
	// Closes date); Undone lists the kinds of the tasks left unfinished.
	Closed bool     `json:"closed,omitempty"`
	Undone []string `json:"undone,omitempty"`
}

// CloseInput is the argument of SignalClose.
type CloseInput struct {
	By     string `json:"by,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// TaskStatus is one task as the status query and update results show it.
type TaskStatus struct {
	Kind          string     `json:"kind"`
	Title         string     `json:"title"`
	Status        string     `json:"status"`
	Due           time.Time  `json:"due"`
	SubmittedAt   *time.Time `json:"submitted_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	RemindersSent int        `json:"reminders_sent"`
	Escalated     bool       `json:"escalated"`
	Extensions    int        `json:"extensions"`
	Returns       int        `json:"returns"`
	ReturnReason  string     `json:"return_reason,omitempty"`
}

// UnitStatus is the result of QueryStatus on a UnitWorkflow.
type UnitStatus struct {
	CycleID string       `json:"cycle_id"`
	Unit    string       `json:"unit"`
	Tasks   []TaskStatus `json:"tasks"`
	// Failures and LastFailure are UnitState's: activities that failed for
	// good, shown to administrators.
	Failures    int    `json:"failures,omitempty"`
	LastFailure string `json:"last_failure,omitempty"`
}

// SubmitInput is the argument of UpdateSubmit: a reference to a submission
// the API has already stored (claim check), never its content. The server
// sets everything here from the stored row and the authenticated user; the
// workflow sets the time and the store the seq, so no caller can.
type SubmitInput struct {
	CycleID string `json:"cycle_id"`
	Unit    string `json:"unit"`
	Kind    string `json:"kind"`
	// SubmissionID, SHA256 and Size name the stored pending submission.
	SubmissionID int64  `json:"submission_id,omitempty"`
	SHA256       string `json:"sha256,omitempty"`
	Size         int64  `json:"size,omitempty"`
	// Files counts the stored files.
	Files int `json:"files,omitempty"`
	// Title is a short title for the status (at most MaxShortTitle runes).
	Title  string `json:"title,omitempty"`
	Number string `json:"number,omitempty"`
	Date   string `json:"date,omitempty"`
	By     string `json:"submitted_by,omitempty"`
	// LegacyText is the text an Update carried before the claim check
	// (its argument was then a danvan.Submission, whose JSON this type
	// reads). It exists only so those recorded histories replay; the
	// validator refuses an Update that sets it.
	LegacyText string `json:"text,omitempty"`
}

// MaxShortTitle bounds SubmitInput.Title in runes.
const MaxShortTitle = 200

// SubmitResult is the result of UpdateSubmit: the task after submission,
// with the seq the store assigned and the time the workflow accepted it.
type SubmitResult struct {
	Task        TaskStatus `json:"task"`
	Seq         int        `json:"seq,omitempty"`
	SubmittedAt time.Time  `json:"submitted_at,omitzero"`
}

// DecideInput is the argument of UpdateDecide. Its JSON is that of
// danvan.Decision (the argument before this type existed), so recorded
// histories decode into it. By is set by the server from the signed-in
// administrator.
type DecideInput struct {
	CycleID string `json:"cycle_id"`
	Unit    string `json:"unit"`
	Kind    string `json:"kind"`
	Action  string `json:"action"`
	Reason  string `json:"reason,omitempty"`
	NewDue  string `json:"new_due,omitempty"`
	By      string `json:"by,omitempty"`
}

// Decision returns d as the domain's decision, for validation. It never
// fails.
func (d DecideInput) Decision() danvan.Decision {
	return danvan.Decision{CycleID: d.CycleID, UnitCode: d.Unit, Kind: d.Kind, Action: d.Action, Reason: d.Reason, NewDue: d.NewDue, By: d.By}
}

// DecideResult is the result of UpdateDecide: the task after the decision.
type DecideResult struct {
	Task TaskStatus `json:"task"`
}

// RecordSubmissionInput is the input of the RecordSubmission activity: the
// stored submission a workflow accepted and when. CycleID, Unit, Kind and
// SHA256 must match the stored row, so a reference to another unit's
// content is refused.
type RecordSubmissionInput struct {
	ID      int64     `json:"id"`
	CycleID string    `json:"cycle_id"`
	Unit    string    `json:"unit"`
	Kind    string    `json:"kind"`
	SHA256  string    `json:"sha256"`
	At      time.Time `json:"at"`
}

// RecordSubmissionResult carries the seq the store assigned.
type RecordSubmissionResult struct {
	Seq int `json:"seq"`
}

// IndexSubmissionInput is the input of the IndexSubmission activity: an
// accepted submission, by its business key; the activity loads the text.
type IndexSubmissionInput struct {
	CycleID string `json:"cycle_id"`
	Unit    string `json:"unit"`
	Kind    string `json:"kind"`
	Seq     int    `json:"seq"`
}

// CycleInput starts (or continues) a CycleWorkflow.
type CycleInput struct {
	CycleID    string                 `json:"cycle_id"`
	Definition danvan.CycleDefinition `json:"definition"`
	// Units are the unit codes in scope, resolved by the API before start.
	Units []string `json:"units"`
	// Plan is the resolved unit plan. Nil means the workflow resolves it
	// from Definition (recorded with a side effect, so a later change of
	// the holiday table never alters a replay).
	Plan *UnitPlan `json:"plan,omitempty"`
	// Calendar is passed to every unit workflow and used to resolve Plan;
	// the zero value is the statutory calendar.
	Calendar calendar.Config `json:"calendar,omitzero"`
	// Grace is passed to every unit workflow; 0 means DefaultGrace.
	Grace time.Duration `json:"grace,omitempty"`
	// Batching knobs; 0 means the Default* constants.
	BatchSize     int `json:"batch_size,omitempty"`
	MaxInFlight   int `json:"max_in_flight,omitempty"`
	BatchesPerRun int `json:"batches_per_run,omitempty"`
	// Progress carried over ContinueAsNew.
	Cursor   int `json:"cursor,omitempty"`
	Started  int `json:"started,omitempty"`
	Existing int `json:"existing,omitempty"`
	Runs     int `json:"runs,omitempty"`
}

// CycleResult is what a completed CycleWorkflow returns.
type CycleResult struct {
	CycleID string `json:"cycle_id"`
	// Parent is the cycle this one cascades from (Definition.Parent).
	Parent string `json:"parent,omitempty"`
	Units  int    `json:"units"`
	// Started counts unit workflows this cycle started; Existing those
	// that were already there (a retried batch, a restarted cycle).
	Started  int `json:"started"`
	Existing int `json:"existing"`
	Runs     int `json:"runs"`
}

// CycleStatus is the result of QueryStatus on a CycleWorkflow.
type CycleStatus struct {
	CycleID  string `json:"cycle_id"`
	Parent   string `json:"parent,omitempty"`
	Units    int    `json:"units"`
	Launched int    `json:"launched"`
	Runs     int    `json:"runs"`
}

// StartUnitsInput is the input of the StartUnitWorkflows activity: one
// batch of units sharing a template input.
type StartUnitsInput struct {
	// Template is the UnitInput every unit gets, with Unit set per unit.
	Template UnitInput `json:"template"`
	Units    []string  `json:"units"`
}

// StartUnitsResult counts the batch's unit workflows by outcome.
type StartUnitsResult struct {
	Started  int `json:"started"`
	Existing int `json:"existing"`
}

// UpsertTasksInput is the input of the UpsertTasks activity.
type UpsertTasksInput struct {
	Tasks []danvan.Task `json:"tasks"`
}

// SaveSubmissionInput is the input of the SaveSubmission activity, which
// only histories recorded before the claim check schedule (their Update
// carried the text).
type SaveSubmissionInput struct {
	Submission danvan.Submission `json:"submission"`
}

// NotifyInput is the input of the Notify activity: one notification of a
// unit's task. The activity renders the text and finds the recipients.
type NotifyInput struct {
	// ID is the business key, NotificationID(...).
	ID        string    `json:"id"`
	CycleID   string    `json:"cycle_id"`
	Unit      string    `json:"unit"`
	Owner     string    `json:"owner"`
	TaskKind  string    `json:"task_kind"`
	TaskTitle string    `json:"task_title"`
	Kind      string    `json:"kind"`
	Due       time.Time `json:"due"`
	// Reason is the return reason for NotifyReturned.
	Reason string `json:"reason,omitempty"`
	// At is when the workflow decided to notify (the notification's
	// CreatedAt), so a retry creates the same row.
	At time.Time `json:"at"`
}

// NotifyResult says what the Notify activity did.
type NotifyResult struct {
	Created bool `json:"created"`
	Emailed bool `json:"emailed"`
}

// AuditInput is the input of the Audit activity.
type AuditInput struct {
	Entry danvan.AuditEntry `json:"entry"`
}

// NotificationID returns the business key of the n-th notification of kind
// about a unit's task, e.g. "2022-SNV/VPUB/unit_plan/reminder/1". It never
// fails.
func NotificationID(cycleID, unit, taskKind, kind string, n int) string {
	return cycleID + "/" + unit + "/" + taskKind + "/" + kind + "/" + strconv.Itoa(n)
}

// NotificationKey returns the business key of a notification of kind about
// a unit's task, ending with what it is about: an alarm's instant or a
// decision's time ("20220401T080000") or a submission ("seq2"), e.g.
// "2022-SNV/VPUB/unit_plan/reminder/20220401T080000". It never fails.
func NotificationKey(cycleID, unit, taskKind, kind, about string) string {
	return cycleID + "/" + unit + "/" + taskKind + "/" + kind + "/" + about
}

// CalendarInput is the argument of SignalCalendar: the whole calendar
// configuration now in force.
type CalendarInput struct {
	Calendar calendar.Config `json:"calendar"`
}
