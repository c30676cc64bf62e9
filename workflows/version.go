package workflows

// Change IDs of the workflow.GetVersion patches in force, newest last (the
// policy is in the package documentation and the README's developer
// section). Each says what the new branch does; the old branch stays until
// no run that started before the patch can still be open (for unit
// workflows: the cycle's last deadline plus grace).
//
// changeIDs:
//   - 2026-11-unit-submitted-receipt: the submit handler notifies the unit
//     that its submission was received (one more Notify activity).
//   - 2026-12-unit-unlocked-projections: handlers release the lock before
//     they wait for their projection, notification and audit activities,
//     and alarms do not wait for theirs at all (a coroutine does), so a
//     slow store never stalls another task's alarm; accepting a submission
//     schedules IndexSubmission, off the lock, instead of the submission
//     path indexing it; an extension that lands while the workflow is
//     expiring keeps it open; notification IDs name what they are about
//     and projection versions start from the run's start (relaunch).
//     Read once per run, at its start.
//
// Two changes need no patch because the recorded input chooses the path,
// which replays identically: the claim check (UpdateSubmit carrying a
// reference and the RecordSubmission activity instead of SaveSubmission;
// an old Update's argument has LegacyText set) and alarm spreading
// (UnitInput.AlarmSpread, absent from every older input).
const (
	changeSubmittedReceipt   = "2026-11-unit-submitted-receipt"
	changeUnlockedProjection = "2026-12-unit-unlocked-projections"
)
