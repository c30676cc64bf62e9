package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/cite"
)

// PlanWarning is something a reviewer should look at in a unit's plan. A
// plan with warnings is still accepted: the reviewer decides.
type PlanWarning struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi"`
}

// PlanCheck is what the automatic reading of a unit plan found.
type PlanCheck struct {
	// Citations are the document numbers the plan cites.
	Citations []string `json:"citations"`
	// CitesParent says whether the cycle's parent plan is among them.
	CitesParent bool          `json:"cites_parent"`
	Warnings    []PlanWarning `json:"warnings"`
}

// Plan warning codes.
const (
	WarnNoParentCitation = "no_parent_citation"
	WarnAfterDeadline    = "after_deadline"
	WarnBeforeParent     = "before_parent"
)

var vn = time.FixedZone("ICT", 7*3600)

// CheckPlan reads a unit's plan: its citations (cite.Extract), whether it
// cites parent by number in any written form ("Kế hoạch số 53/KH-UBND",
// "KH 53/KH-UBND", "53/KH- UBND"), and whether its date (YYYY-MM-DD, may be
// empty) falls after due (the task's deadline; zero = none) or before the
// parent plan's date. It never fails: what it cannot read becomes a
// warning.
func CheckPlan(text, date string, parent danvan.PlanRef, due time.Time) *PlanCheck {
	out := &PlanCheck{Citations: []string{}, Warnings: []PlanWarning{}}
	want := numberKey(parent.Number)
	for _, c := range cite.Extract(text, cite.Options{}).Citations {
		if c.Number == "" {
			continue
		}
		out.Citations = append(out.Citations, c.Number)
		if want != "" && numberKey(c.Number) == want {
			out.CitesParent = true
		}
	}
	if want != "" && !out.CitesParent {
		out.Warnings = append(out.Warnings, PlanWarning{WarnNoParentCitation,
			fmt.Sprintf("the plan does not cite the parent plan %s", parent.Number),
			fmt.Sprintf("kế hoạch không trích dẫn kế hoạch cấp trên số %s", parent.Number)})
	}
	d, err := time.ParseInLocation("2006-01-02", date, vn)
	if err != nil {
		return out
	}
	if !due.IsZero() && d.After(due) {
		out.Warnings = append(out.Warnings, PlanWarning{WarnAfterDeadline,
			fmt.Sprintf("the plan is dated %s, after its deadline %s", d.Format("02/01/2006"), due.In(vn).Format("02/01/2006")),
			fmt.Sprintf("kế hoạch ban hành ngày %s, sau thời hạn %s", d.Format("02/01/2006"), due.In(vn).Format("02/01/2006"))})
	}
	if p, err := time.ParseInLocation("2006-01-02", parent.Date, vn); err == nil && d.Before(p) {
		out.Warnings = append(out.Warnings, PlanWarning{WarnBeforeParent,
			fmt.Sprintf("the plan is dated %s, before the parent plan (%s)", d.Format("02/01/2006"), p.Format("02/01/2006")),
			fmt.Sprintf("kế hoạch ban hành ngày %s, trước kế hoạch cấp trên (%s)", d.Format("02/01/2006"), p.Format("02/01/2006"))})
	}
	return out
}

// numberKey folds the ways one number is written: case, spaces, Đ/D, and
// the dash forms.
func numberKey(n string) string {
	r := strings.NewReplacer(" ", "", "Đ", "D", "đ", "d", "–", "-", "—", "-", "‐", "-")
	return strings.ToUpper(r.Replace(strings.TrimSpace(n)))
}
