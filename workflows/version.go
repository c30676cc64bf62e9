package workflows

// Change IDs of the workflow.GetVersion patches in force, newest last (the
// policy is in the package documentation). Each says what the new branch
// does; the old branch stays until no run that started before the patch can
// still be open (for unit workflows: the cycle's last deadline plus grace).
//
// changeIDs:
//   - 2026-11-unit-submitted-receipt: the submit handler notifies the unit
//     that its submission was received (one more Notify activity).
const (
	changeSubmittedReceipt = "2026-11-unit-submitted-receipt"
)
