package workflows_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/workflows"
)

// TestSpreadAlarms (finding 6): thousands of units do not share an instant;
// each unit's offset is stable; a whole-day reminder stays on its working
// day inside 07:30-17:00.
func TestSpreadAlarms(t *testing.T) {
	t.Parallel()
	require.Zero(t, workflows.SpreadFor(workflows.SpreadFromUnits-1))
	spread := workflows.SpreadFor(10_000)
	require.Equal(t, workflows.DefaultAlarmSpread, spread)
	at := vnTime(2022, 4, 1, 8, 0)
	per := map[time.Time]int{}
	for i := range 10_000 {
		unit := fmt.Sprintf("X%05d", i)
		off := workflows.UnitOffset(unit, spread)
		require.Equal(t, off, workflows.UnitOffset(unit, spread), "deterministic")
		require.True(t, off >= 0 && off < spread)
		per[workflows.SpreadAlarms([]workflows.Alarm{{At: at, Kind: workflows.AlarmReminder}}, unit, spread)[0].At]++
	}
	require.Greater(t, len(per), 250, "spread over the seconds of five minutes")
	for _, n := range per {
		require.Less(t, n, 100, "no instant carries more than 1%% of the units")
	}
	late := vnTime(2022, 4, 1, 16, 59)
	for i := range 500 {
		got := workflows.SpreadAlarms([]workflows.Alarm{{At: late, Kind: workflows.AlarmReminder}}, fmt.Sprintf("U%d", i), spread)[0].At.In(vn)
		require.Equal(t, 1, got.Day(), "same day")
		require.False(t, got.After(vnTime(2022, 4, 1, 17, 0)), "not after 17:00: %v", got)
		require.False(t, got.Before(vnTime(2022, 4, 1, 7, 30)))
	}
}

// TestUnitWorkflow_SpreadReminders: with AlarmSpread set, the unit's
// whole-day reminders go out at 08:00 plus its offset, still on working
// days, and the deadline still marks the task overdue.
func TestUnitWorkflow_SpreadReminders(t *testing.T) {
	t.Parallel()
	start := vnTime(2022, 3, 25, 9, 0)
	h := newHarness(t, start)
	in := yearInput(t, danvan.TaskDef{Kind: "unit_plan", Title: "Kế hoạch", Due: "2022-04-08"})
	in.AlarmSpread = workflows.DefaultAlarmSpread
	in.Grace = 24 * time.Hour
	off := workflows.UnitOffset("VPUB", in.AlarmSpread)
	require.NotZero(t, off)
	h.env.ExecuteWorkflow(workflows.UnitWorkflow, in)
	h.result()
	cal := calendar.Default()
	var reminders int
	for _, n := range h.store.Notified() {
		if n.Kind != danvan.NotifyReminder {
			continue
		}
		reminders++
		local := n.CreatedAt.In(vn)
		require.True(t, cal.IsWorkingDay(calendar.DateOf(local)), "%v", local)
		require.Equal(t, 8*time.Hour+off, local.Sub(time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, vn)), "%v", local)
	}
	require.Equal(t, 3, reminders)
}
