package workflows

import (
	"fmt"
	"slices"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
)

// PlanUnits resolves a cycle definition into the plan every unit receives:
// each task's due (a date becomes the end of that day in Vietnam moved to
// the next working day of cal; an RFC 3339 instant is used as is) and the
// reminder offsets. It is pure and deterministic, so the API may call it to
// reject a definition before starting anything, and CycleWorkflow calls it
// inside a side effect. It returns an EInvalid *danvan.Error naming the bad
// field.
func PlanUnits(def danvan.CycleDefinition, cal *calendar.Calendar) (UnitPlan, error) {
	var p UnitPlan
	for i, t := range def.Tasks {
		due, err := ResolveDue(t.Due, cal)
		if err != nil {
			return UnitPlan{}, danvan.Invalid(fmt.Sprintf("tasks[%d].due", i), err.Error(), "hạn không hợp lệ: "+err.Error())
		}
		p.Tasks = append(p.Tasks, TaskPlan{Kind: t.Kind, Title: t.Title, Due: due})
	}
	for i, s := range def.Reminders.Before {
		d, err := calendar.ParseOffset(s)
		if err != nil {
			return UnitPlan{}, danvan.Invalid(fmt.Sprintf("reminders.before[%d]", i), err.Error(), "khoảng thời gian không hợp lệ")
		}
		p.Reminders.Before = append(p.Reminders.Before, d)
	}
	if def.Closes != "" {
		at, err := ResolveDue(def.Closes, cal)
		if err != nil {
			return UnitPlan{}, danvan.Invalid("closes", err.Error(), "ngày kết thúc không hợp lệ: "+err.Error())
		}
		p.Closes = at
	}
	var err error
	if p.Reminders.OverdueEvery, err = optionalOffset(def.Reminders.OverdueEvery); err != nil {
		return UnitPlan{}, danvan.Invalid("reminders.overdue_every", err.Error(), "khoảng thời gian không hợp lệ")
	}
	if p.Reminders.EscalateAfter, err = optionalOffset(def.Reminders.EscalateAfter); err != nil {
		return UnitPlan{}, danvan.Invalid("reminders.escalate_after", err.Error(), "khoảng thời gian không hợp lệ")
	}
	return p, nil
}

func optionalOffset(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return calendar.ParseOffset(s)
}

// ResolveDue turns a due as written (TaskDef.Due, Decision.NewDue) into an
// instant: a date (YYYY-MM-DD, or D/M/YYYY as documents write it) is the end of that day in Vietnam moved to the
// next working day; an RFC 3339 instant is used as is. It returns an error
// for anything else.
func ResolveDue(s string, cal *calendar.Calendar) (time.Time, error) {
	if d, err := calendar.ParseDate(s); err == nil {
		return cal.DueFromDate(d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date YYYY-MM-DD nor an RFC 3339 time", s)
	}
	return t, nil
}

// Schedule returns the alarms of a task with deadline due under policy r, in
// time order, dropping those not after now: a reminder per Before offset
// (whole days fall back to the previous working day at 08:00), the deadline,
// overdue reminders every OverdueEvery until the deadline plus grace
// (whole days move to the next working day), and the escalation after
// EscalateAfter. It is deterministic; the unit workflow records its result
// with a side effect so a later change of the holiday table never changes a
// replay.
func Schedule(due time.Time, r ReminderPlan, grace time.Duration, now time.Time, cal *calendar.Calendar) []Alarm {
	var out []Alarm
	add := func(at time.Time, kind string) {
		if at.After(now) {
			out = append(out, Alarm{At: at, Kind: kind})
		}
	}
	for _, b := range r.Before {
		if at := cal.ReminderTime(due, b); at.Before(due) {
			add(at, AlarmReminder)
		}
	}
	// A deadline (and an escalation) already past when the schedule is made
	// (a cycle started late, an extension to a past date) still happens,
	// once, at once: the unit must learn its task is overdue. Reminders and
	// repeated overdue notices in the past are not sent as a backlog.
	late := func(at time.Time, kind string) {
		if !at.After(now) {
			at = now
		}
		out = append(out, Alarm{At: at, Kind: kind})
	}
	late(due, AlarmDeadline)
	if r.OverdueEvery > 0 {
		end := due.Add(grace)
		for k := 1; k <= maxOverdueReminders; k++ {
			at := cal.AfterTime(due, time.Duration(k)*r.OverdueEvery)
			if at.After(end) {
				break
			}
			add(at, AlarmOverdue)
		}
	}
	if r.EscalateAfter > 0 {
		late(cal.AfterTime(due, r.EscalateAfter), AlarmEscalation)
	}
	// Stable: at equal instants the deadline stays before the overdue and
	// escalation alarms it precedes in the list above.
	slices.SortStableFunc(out, func(a, b Alarm) int { return a.At.Compare(b.At) })
	return dedupe(out)
}

// dedupe drops a reminder at the same instant as an earlier one ("3d" and
// "2d" both falling back over a holiday to the same working day).
func dedupe(in []Alarm) []Alarm {
	out := in[:0]
	for i, a := range in {
		if i > 0 && a.Kind == AlarmReminder && in[i-1].Kind == AlarmReminder && a.At.Equal(in[i-1].At) {
			continue
		}
		out = append(out, a)
	}
	return out
}
