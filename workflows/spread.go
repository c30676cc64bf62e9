package workflows

import (
	"hash/fnv"
	"slices"
	"time"

	"github.com/danvan/danvan/calendar"
)

// Alarm spreading: a province's cycle has thousands of units whose
// reminders would all fire at 08:00 sharp, every one a Notify activity and
// an e-mail at the same instant. Each unit's alarms move by its own
// offset, the same on every replay.
const (
	// DefaultAlarmSpread is the widest offset CycleWorkflow gives a large
	// cycle's units.
	DefaultAlarmSpread = 5 * time.Minute
	// SpreadFromUnits is the cycle size from which CycleWorkflow spreads
	// alarms; smaller cycles keep them on the minute.
	SpreadFromUnits = 100
)

// Office hours whole-day reminders stay in.
const (
	officeOpen  = 7*time.Hour + 30*time.Minute
	officeClose = 17 * time.Hour
)

// SpreadFor returns the UnitInput.AlarmSpread CycleWorkflow sets for a
// cycle of n units. It never fails.
func SpreadFor(n int) time.Duration {
	if n < SpreadFromUnits {
		return 0
	}
	return DefaultAlarmSpread
}

// UnitOffset returns unit's alarm offset in [0, spread), whole seconds,
// from a hash of its code. It never fails; spread <= 0 gives 0.
func UnitOffset(unit string, spread time.Duration) time.Duration {
	secs := int64(spread / time.Second)
	if secs <= 0 {
		return 0
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(unit)) // a hash never fails to write
	return time.Duration(int64(h.Sum32())%secs) * time.Second
}

// SpreadAlarms returns alarms moved by unit's offset. An alarm inside
// office hours (07:30-17:00 in Vietnam, where whole-day reminders are)
// stays inside them on the same day: it moves earlier instead when later
// would pass 17:00, and stays put if neither fits. Alarms outside office
// hours (deadlines at 23:59:59) only move later. The result is in time
// order; alarms is not changed.
func SpreadAlarms(alarms []Alarm, unit string, spread time.Duration) []Alarm {
	off := UnitOffset(unit, spread)
	if off == 0 || len(alarms) == 0 {
		return alarms
	}
	out := make([]Alarm, len(alarms))
	for i, a := range alarms {
		out[i] = a
		local := a.At.In(calendar.Location())
		midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, calendar.Location())
		tod := local.Sub(midnight)
		switch {
		case tod < officeOpen || tod > officeClose:
			out[i].At = a.At.Add(off)
		case tod+off <= officeClose:
			out[i].At = a.At.Add(off)
		case tod-off >= officeOpen:
			out[i].At = a.At.Add(-off)
		}
	}
	slices.SortStableFunc(out, func(a, b Alarm) int { return a.At.Compare(b.At) })
	return out
}
