package scoring

import (
	"sort"
	"time"

	"github.com/danvan/danvan"
)

// TaskEvidence is one unit's task-timeliness evidence in the shape the
// 100-point frame of Nghị định 335/2025/NĐ-CP needs for its "results of
// assigned tasks" part: tasks assigned, done on time, done late, not done
// (open ones are not yet due and counted apart).
type TaskEvidence struct {
	Unit     string `json:"unit"`
	Assigned int    `json:"assigned"`
	OnTime   int    `json:"done_on_time"`
	Late     int    `json:"done_late"`
	NotDone  int    `json:"not_done"`
	Open     int    `json:"open"`
}

// Timeliness counts tasks per unit at now, units in code order.
func Timeliness(tasks []danvan.Task, now time.Time) []TaskEvidence {
	by := map[string]*TaskEvidence{}
	for _, t := range tasks {
		e := by[t.UnitCode]
		if e == nil {
			e = &TaskEvidence{Unit: t.UnitCode}
			by[t.UnitCode] = e
		}
		e.Assigned++
		switch TaskTimeliness(t, now) {
		case OnTime:
			e.OnTime++
		case Late:
			e.Late++
		case Missing:
			e.NotDone++
		default:
			e.Open++
		}
	}
	out := make([]TaskEvidence, 0, len(by))
	for _, e := range by {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	return out
}
