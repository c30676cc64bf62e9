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
//     path indexing it. Read once per run, at its start.
//   - 2026-12-unit-alarm-spread: timed alarms (not whole-day ones) move by
//     a deterministic per-unit offset of up to AlarmSpread, so thousands of
//     units do not fire at one instant. Read once per run, at its start.
//
// The claim check (UpdateSubmit carrying a reference and the
// RecordSubmission activity instead of SaveSubmission) needs no patch: the
// path is chosen by the Update's own recorded argument (LegacyText set or
// not), which replays identically.
const (
	changeSubmittedReceipt   = "2026-11-unit-submitted-receipt"
	changeUnlockedProjection = "2026-12-unit-unlocked-projections"
	changeAlarmSpread        = "2026-12-unit-alarm-spread"
)
