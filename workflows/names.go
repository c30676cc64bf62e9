// Package workflows holds danvan's Temporal workflows: CycleWorkflow, which
// launches one UnitWorkflow per unit in scope, and UnitWorkflow, which holds
// one unit's tasks for the year (deadlines, reminders, escalation,
// submissions and decisions). It does no I/O: every effect goes through an
// activity (package activities) called by name, and the message types here
// are shared by the worker, the API and the activities.
//
// # Versioning policy
//
// Unit workflows live for a whole cycle (about 14 months with the grace
// period), so changed workflow code will replay histories written by the
// old code. Every change that adds, removes or reorders commands (activities,
// timers, side effects, search-attribute upserts) goes behind a patch:
//
//	if workflow.GetVersion(ctx, "2026-05-unit-xyz", workflow.DefaultVersion, 1) == 1 { new } else { old }
//
// Change IDs are "<yyyy-mm>-<workflow>-<what>" and are listed in the
// changeIDs comment in version.go. The old branch is removed only when no
// open run (and no ContinueAsNew chain) predates the patch; for unit
// workflows that is after the cycle's grace period. New fields in input,
// state and message structs are added with zero values that mean "as before",
// never renamed or retyped. The replay tests over testdata/*.json must keep
// passing: a history that fails to replay is a breaking change.
package workflows

import (
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// TaskQueue is the one task queue danvan's workers poll for workflows and
// activities.
const TaskQueue = "danvan"

// Message names shared by the worker, the API and the tests.
const (
	// UpdateSubmit hands in a unit's work for a task: argument
	// SubmitInput (a reference to the stored content), result SubmitResult.
	UpdateSubmit = "submit"
	// UpdateDecide is an administrator's accept, return or extend: argument
	// DecideInput, result DecideResult.
	UpdateDecide = "decide"
	// SignalCalendar tells a running UnitWorkflow the official days off
	// changed: argument CalendarInput. It recomputes its future alarms.
	SignalCalendar = "calendar"
	// SignalClose ends a UnitWorkflow now (`danvan cycle close`): argument
	// CloseInput. What was left undone is audited and in the result.
	SignalClose = "close"
	// QueryStatus returns UnitStatus from UnitWorkflow and CycleStatus from
	// CycleWorkflow.
	QueryStatus = "status"
)

// Workflow type names as registered by package worker (the function names).
const (
	CycleWorkflowName = "CycleWorkflow"
	UnitWorkflowName  = "UnitWorkflow"
)

// Activity names: the method names of *activities.Activities, which is how
// worker.Register registers them. Workflows call activities by these names
// because package activities imports this one (it starts unit workflows with
// UnitInput), so this package cannot import it back.
const (
	ActivityStartUnitWorkflows = "StartUnitWorkflows"
	ActivityUpsertTasks        = "UpsertTasks"
	ActivitySaveSubmission     = "SaveSubmission"
	ActivityRecordSubmission   = "RecordSubmission"
	ActivityIndexSubmission    = "IndexSubmission"
	ActivityNotify             = "Notify"
	ActivityAudit              = "RecordAudit"
)

// Search attribute names kept on unit (and cycle) workflows for operators
// using the Temporal UI or `temporal workflow list --query`.
const (
	SADanvanStatus       = "DanvanStatus"
	SADanvanNextDeadline = "DanvanNextDeadline"
	SADanvanCycle        = "DanvanCycle"
	SADanvanUnit         = "DanvanUnit"
)

// SearchAttributes lists the custom search attributes danvan's workflows
// upsert; the server (devserver.Config.SearchAttributes) must register them
// before any workflow runs, or upserts fail the workflow task.
var SearchAttributes = map[string]enums.IndexedValueType{
	SADanvanStatus:       enums.INDEXED_VALUE_TYPE_KEYWORD,
	SADanvanNextDeadline: enums.INDEXED_VALUE_TYPE_DATETIME,
	SADanvanCycle:        enums.INDEXED_VALUE_TYPE_KEYWORD,
	SADanvanUnit:         enums.INDEXED_VALUE_TYPE_KEYWORD,
}

// Typed keys for the search attributes above.
var (
	// StatusKey is the worst status among the unit's tasks (overdue >
	// returned > pending > submitted > done_late > accepted).
	StatusKey = temporal.NewSearchAttributeKeyKeyword(SADanvanStatus)
	// NextDeadlineKey is the earliest deadline among the unit's open tasks;
	// unset when none is open.
	NextDeadlineKey = temporal.NewSearchAttributeKeyTime(SADanvanNextDeadline)
	// CycleKey is the cycle id, on cycle and unit workflows.
	CycleKey = temporal.NewSearchAttributeKeyKeyword(SADanvanCycle)
	// UnitKey is the unit code, on unit workflows.
	UnitKey = temporal.NewSearchAttributeKeyKeyword(SADanvanUnit)
)

// CycleWorkflowID returns the workflow ID of a cycle: "cycle/" + cycleID
// (cycleID is danvan.CycleID(year, owner)). It never fails.
func CycleWorkflowID(cycleID string) string { return "cycle/" + cycleID }

// UnitWorkflowID returns the workflow ID of a unit's workflow in a cycle:
// "unit/" + cycleID + "/" + unit. It never fails.
func UnitWorkflowID(cycleID, unit string) string { return "unit/" + cycleID + "/" + unit }
