// Package activities holds danvan's Temporal activities: the only place
// where workflows touch the outside world (the store, e-mail, the Temporal
// client that starts unit workflows). Activities are methods on Activities,
// built once by package worker; each is idempotent, so a retry with the same
// input changes nothing twice, and invalid input fails without retry with an
// ApplicationError whose type is the danvan error code.
package activities

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/workflows"
)

// WorkflowStarter is the part of the Temporal client StartUnitWorkflows
// needs; client.Client implements it.
type WorkflowStarter interface {
	ExecuteWorkflow(ctx context.Context, options client.StartWorkflowOptions, workflow any, args ...any) (client.WorkflowRun, error)
}

// Activities holds the dependencies of every activity. Build it once; its
// methods are safe for concurrent use when the services are.
type Activities struct {
	Units         danvan.UnitService
	Tasks         danvan.TaskService
	Notifications danvan.NotificationService
	Audit         danvan.AuditService
	// Mailer sends notification e-mails; nil means no e-mail.
	Mailer danvan.Mailer
	// Documents registers submitted texts and the documents they cite in
	// the document registry; nil means submissions are not indexed.
	Documents SubmissionIndexer
	// Starter starts unit workflows for StartUnitWorkflows.
	Starter WorkflowStarter
	// Logger receives activity logs; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock for e-mail timestamps; nil means time.Now.
	Now func() time.Time
	// StartConcurrency bounds concurrent starts inside one
	// StartUnitWorkflows call; 0 means 16.
	StartConcurrency int
}

func (a *Activities) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// fail turns a domain error into what Temporal should do with it: the codes
// that cannot heal by retrying (invalid, not_found, conflict, forbidden,
// unauthorized) become non-retryable ApplicationErrors typed by the code;
// anything else is returned as is and retried.
func fail(err error) error {
	if err == nil {
		return nil
	}
	switch code := danvan.ErrorCode(err); code {
	case danvan.EInvalid, danvan.ENotFound, danvan.EConflict, danvan.EForbidden, danvan.EUnauthorized:
		return temporal.NewNonRetryableApplicationError(danvan.ErrorMessage(err), code, err)
	}
	return err
}

// invalid returns a non-retryable EInvalid error for a malformed input.
func invalid(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, danvan.EInvalid, nil)
}

// StartUnitWorkflows writes the initial task rows of every unit in the
// batch (pending, version 0) and starts its unit workflow, with the
// business ID workflows.UnitWorkflowID and the cycle and unit search
// attributes set from the start. A unit whose workflow exists
// already (running or closed: a retried batch, a restarted cycle) counts as
// Existing and is left alone, so the activity is idempotent. It returns an
// EInvalid non-retryable error for a malformed batch and the first start
// error otherwise (the batch is then retried; the units started meanwhile
// count as Existing next time).
func (a *Activities) StartUnitWorkflows(ctx context.Context, in workflows.StartUnitsInput) (workflows.StartUnitsResult, error) {
	if a.Starter == nil {
		return workflows.StartUnitsResult{}, temporal.NewNonRetryableApplicationError("no workflow starter configured", danvan.EInternal, nil)
	}
	if in.Template.CycleID == "" || len(in.Template.Plan.Tasks) == 0 {
		return workflows.StartUnitsResult{}, invalid("start batch needs a cycle id and tasks")
	}
	for _, u := range in.Units {
		if u == "" {
			return workflows.StartUnitsResult{}, invalid("start batch has an empty unit code")
		}
	}
	// The initial rows go in before the workflows start, so the store shows
	// every unit's tasks as soon as they run; version 0 never overwrites a
	// row the workflow itself wrote (versions 1 and up).
	if err := a.projectInitial(ctx, in); err != nil {
		return workflows.StartUnitsResult{}, err
	}
	in.Template.Projected = true
	limit := a.StartConcurrency
	if limit <= 0 {
		limit = 16
	}
	var (
		mu       sync.Mutex
		res      workflows.StartUnitsResult
		firstErr error
		wg       sync.WaitGroup
		sem      = make(chan struct{}, limit)
	)
	for _, code := range in.Units {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			existing, err := a.startUnit(ctx, in.Template, code)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				if firstErr == nil {
					firstErr = err
				}
			case existing:
				res.Existing++
			default:
				res.Started++
			}
			if activity.IsActivity(ctx) {
				activity.RecordHeartbeat(ctx, res.Started+res.Existing)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		a.logger().Error("starting unit workflows", "cycle", in.Template.CycleID, "error", firstErr)
		return res, firstErr
	}
	return res, nil
}

// projectInitial writes every task of every unit in the batch as pending,
// with version 0. It returns the store's error, non-retryable for domain
// codes that retrying cannot heal.
func (a *Activities) projectInitial(ctx context.Context, in workflows.StartUnitsInput) error {
	if a.Tasks == nil {
		return nil
	}
	now := a.now()
	for i, code := range in.Units {
		// A batch is hundreds of rows: report progress so a slow database
		// is not mistaken for a dead worker.
		activity.RecordHeartbeat(ctx, i)
		for _, p := range in.Template.Plan.Tasks {
			t := danvan.Task{CycleID: in.Template.CycleID, UnitCode: code, Kind: p.Kind, Title: p.Title,
				Status: danvan.StatusPending, Due: p.Due, Version: 0, UpdatedAt: now}
			if err := a.Tasks.UpsertTask(ctx, &t); err != nil {
				return fail(err)
			}
		}
	}
	return nil
}

// startUnit starts one unit workflow. The conflict policy FAIL plus
// ALLOW_DUPLICATE_FAILED_ONLY, with the already-started error turned on,
// makes the server tell an existing workflow (running or completed: left
// alone) apart from a new one; both are success. A unit workflow that
// failed or was terminated (a broken launch, an operator's terminate)
// starts again on a relaunch; its projection versions and notification
// IDs come from its own start and its business events, so they do not
// collide with the earlier run's rows.
func (a *Activities) startUnit(ctx context.Context, template workflows.UnitInput, code string) (existing bool, err error) {
	in := template
	in.Unit = code
	in.State = nil
	opts := client.StartWorkflowOptions{
		ID:                                       workflows.UnitWorkflowID(in.CycleID, code),
		TaskQueue:                                workflows.TaskQueue,
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		WorkflowIDConflictPolicy:                 enums.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.CycleKey.ValueSet(in.CycleID),
			workflows.UnitKey.ValueSet(code),
		),
	}
	_, err = a.Starter.ExecuteWorkflow(ctx, opts, workflows.UnitWorkflow, in)
	if temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return true, nil
	}
	return false, err
}

// UpsertTasks projects tasks to the store. The store keeps the row with the
// highest Version, so a late retry never overwrites newer state. It returns
// a non-retryable EInvalid error for a task without its keys.
func (a *Activities) UpsertTasks(ctx context.Context, in workflows.UpsertTasksInput) error {
	for i := range in.Tasks {
		t := &in.Tasks[i]
		if t.CycleID == "" || t.UnitCode == "" || t.Kind == "" || t.Version <= 0 {
			return invalid("task projection needs cycle, unit, kind and a positive version")
		}
		if err := a.Tasks.UpsertTask(ctx, t); err != nil {
			return fail(err)
		}
	}
	return nil
}

// SaveSubmission stores a submission once per (cycle, unit, kind, seq). It
// returns a non-retryable EInvalid error for an invalid submission.
func (a *Activities) SaveSubmission(ctx context.Context, in workflows.SaveSubmissionInput) error {
	s := in.Submission
	if err := danvan.Validate(&s); err != nil {
		return fail(err)
	}
	if s.Seq <= 0 || s.SubmittedAt.IsZero() {
		return invalid("submission needs a sequence number and a time")
	}
	if err := a.Tasks.SaveSubmission(ctx, &s); err != nil {
		return fail(err)
	}
	if a.Documents == nil {
		return nil
	}
	// Indexing is idempotent too (the registry replaces a document's
	// citations), so a retry after a failure here repeats both steps
	// safely. It is best effort: the submission is saved, and the unit
	// workflow waits on this activity, so a text the registry refuses, or
	// a registry failing for several attempts, is logged and left for
	// `danvan docs reindex`/a later import rather than retried for ever.
	if err := a.Documents.IndexSubmission(ctx, &s); err != nil {
		if danvan.ErrorCode(err) == danvan.EInvalid || activity.GetInfo(ctx).Attempt >= maxIndexAttempts {
			a.logger().Error("submission saved but not registered as a document", "cycle", s.CycleID, "unit", s.UnitCode,
				"kind", s.Kind, "seq", s.Seq, "error", err)
			return nil
		}
		// A conflict here is two imports racing for one cited document:
		// the retry finds it.
		return err
	}
	return nil
}

// maxIndexAttempts bounds the attempts at registering a submission on the
// legacy SaveSubmission path.
const maxIndexAttempts = 5

// RecordSubmission marks the stored submission a workflow accepted as
// recorded and returns the seq the store assigned. Retried, it returns the
// same seq. The stored row must be the one the workflow names (cycle,
// unit, task and checksum): a reference to another unit's content fails
// without retry with EForbidden; an unknown id (swept) with ENotFound.
func (a *Activities) RecordSubmission(ctx context.Context, in workflows.RecordSubmissionInput) (workflows.RecordSubmissionResult, error) {
	if in.ID <= 0 || in.At.IsZero() {
		return workflows.RecordSubmissionResult{}, invalid("recording a submission needs its id and a time")
	}
	s, err := a.Tasks.RecordSubmission(ctx, in.ID, in.At)
	if err != nil {
		return workflows.RecordSubmissionResult{}, fail(err)
	}
	if s.CycleID != in.CycleID || s.UnitCode != in.Unit || s.Kind != in.Kind || s.SHA256 != in.SHA256 {
		return workflows.RecordSubmissionResult{}, fail(danvan.Errorf(danvan.EForbidden,
			"submission %d belongs to another task or has other content", "bản nộp %d thuộc nhiệm vụ khác hoặc có nội dung khác", in.ID))
	}
	return workflows.RecordSubmissionResult{Seq: s.Seq}, nil
}

// IndexSubmission registers an accepted submission in the document
// registry, loading its text from the store by reference (no body travels
// through Temporal). A text the registry refuses (EInvalid) is logged and
// skipped; other errors are retried within the workflow's bounds. Without a
// registry it does nothing.
func (a *Activities) IndexSubmission(ctx context.Context, in workflows.IndexSubmissionInput) error {
	if in.CycleID == "" || in.Unit == "" || in.Kind == "" || in.Seq <= 0 {
		return invalid("indexing a submission needs cycle, unit, kind and seq")
	}
	if a.Documents == nil {
		return nil
	}
	s, err := a.Tasks.FindSubmission(ctx, in.CycleID, in.Unit, in.Kind, in.Seq)
	if err != nil {
		return fail(err)
	}
	if err := a.Documents.IndexSubmission(ctx, s); err != nil {
		if danvan.ErrorCode(err) == danvan.EInvalid {
			a.logger().Error("accepted submission not registered as a document", "cycle", s.CycleID, "unit", s.UnitCode,
				"kind", s.Kind, "seq", s.Seq, "error", err)
			return nil
		}
		return err
	}
	return nil
}

// SubmissionIndexer registers a submission's text in the document registry:
// the submitted document itself and every document it cites. It returns an
// error only for failures worth retrying; a text it cannot register (no
// number) is logged and skipped by the implementation.
type SubmissionIndexer interface {
	IndexSubmission(ctx context.Context, s *danvan.Submission) error
}

// RecordAudit appends an audit entry once per key. It returns a
// non-retryable EInvalid error for an entry without key or action.
func (a *Activities) RecordAudit(ctx context.Context, in workflows.AuditInput) error {
	if in.Entry.Key == "" || in.Entry.Action == "" {
		return invalid("audit entry needs a key and an action")
	}
	if a.Audit == nil {
		return nil
	}
	return fail(a.Audit.Audit(ctx, &in.Entry))
}
