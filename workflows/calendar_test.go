package workflows_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/workflows"
)

// TestUnitWorkflow_CalendarSignal (finding 8): a day off announced during
// the year reaches the running workflow; the reminder that fell on it moves
// to the working day before.
func TestUnitWorkflow_CalendarSignal(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 3, 25, 9, 0)
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"})
	// Tuesday 5/4 (the T-3 reminder's day) becomes a day off, swapped with
	// Saturday 9/4.
	cfg := calendar.Config{Years: map[int]calendar.Year{2022: {
		DaysOff:     []calendar.DayOff{{Date: calendar.Date{Year: 2022, Month: 4, Day: 5}, Name: "Nghỉ hoán đổi"}},
		WorkingDays: []calendar.Date{{Year: 2022, Month: 4, Day: 9}},
	}}}
	h.at(vnTime(2022, 4, 2, 10, 0), func() {
		h.env.SignalWorkflow(workflows.SignalCalendar, workflows.CalendarInput{Calendar: cfg})
	})
	h.update(vnTime(2022, 4, 8, 9, 0), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
	h.update(vnTime(2022, 4, 8, 10, 0), workflows.UpdateDecide, decision("unit_plan", "accept"), "", nil)
	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	h.result()
	require.Equal(t, []string{"reminder@01/04 08:00", "reminder@04/04 08:00", "reminder@07/04 08:00", "accepted@08/04 10:00"},
		h.notifications("unit_plan"), "the 3-day reminder moved off the new day off")
}

// TestUnitWorkflow_Close (finding 8): `danvan cycle close` ends the unit
// workflow at once, even with a submission awaiting a decision for ever,
// and records what was left undone; a closing date in the plan does the
// same by itself.
func TestUnitWorkflow_Close(t *testing.T) {
	t.Parallel()
	t.Run("Signal", func(t *testing.T) {
		t.Parallel()
		start := vnTime(2022, 3, 25, 9, 0)
		h := newHarness(t, start)
		in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"},
			danvan.TaskDef{Kind: "annual_report", Title: "Báo cáo năm", Due: "2022-11-18"})
		h.update(vnTime(2022, 4, 6, 10, 0), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
		h.at(vnTime(2022, 5, 2, 9, 0), func() {
			h.env.SignalWorkflow(workflows.SignalClose, workflows.CloseInput{By: "admin", Reason: "kết thúc kỳ"})
		})
		h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
		r := h.result()
		require.True(t, r.Closed)
		require.Equal(t, []string{"unit_plan", "annual_report"}, r.Undone)
		require.Equal(t, vnTime(2022, 5, 2, 9, 0), h.env.Now().In(vn))
		e, ok := h.store.Audits()[cycleID+"/VPUB/unit.close"]
		require.True(t, ok, "the close is audited")
		require.Contains(t, string(e.Detail), "annual_report")
	})
	t.Run("ClosingDate", func(t *testing.T) {
		t.Parallel()
		start := vnTime(2022, 3, 25, 9, 0)
		h := newHarness(t, start)
		in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"})
		in.Plan.Closes = vnTime(2022, 6, 30, 17, 0)
		h.update(vnTime(2022, 4, 6, 10, 0), workflows.UpdateSubmit, submission("unit_plan"), "", nil)
		h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
		r := h.result()
		require.True(t, r.Closed, "a submission never decided does not keep the workflow open past the closing date")
		require.Equal(t, []string{"unit_plan"}, r.Undone)
		require.Equal(t, vnTime(2022, 6, 30, 17, 0), h.env.Now().In(vn))
	})
}
