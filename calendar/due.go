package calendar

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Day is a whole calendar day as an offset. Vietnam has no DST, so a day is
// always 24 hours.
const Day = 24 * time.Hour

// ReminderHour is the local hour at which whole-day reminders and overdue
// follow-ups fire: 08:00, the start of office hours, so that officers see
// them at their desks and nobody is messaged at midnight.
const ReminderHour = 8

// DueFromDate returns the deadline instant for a due date written in a plan,
// such as "31/3": 23:59:59 Vietnam time on d, or on the next working day when
// d is not one. It never fails.
//
// 23:59:59 rather than 23:59:59.999999999 or the next midnight: it survives
// a round trip through Postgres (microseconds, which would round .999999999
// up into the next day) and JSON, and it shows the right date when printed.
// A submission is late when its time, truncated to the second, is after it;
// see IsLate.
func (c *Calendar) DueFromDate(d Date) time.Time {
	w := c.NextWorkingDay(d)
	return time.Date(w.Year, w.Month, w.Day, 23, 59, 59, 0, vietnam)
}

// IsLate reports whether an action at instant at misses the deadline due,
// comparing at whole seconds so that anything during the last second of
// the due day (23:59:59.x) is still on time.
func IsLate(at, due time.Time) bool {
	return at.Truncate(time.Second).After(due)
}

// ReminderTime returns the instant, in Vietnam time, at which a reminder
// "before ahead of due" fires. It never fails; the result may already be in
// the past, which the caller should check against its clock.
//
// A whole number of days (before > 0 and a multiple of 24h) counts calendar
// days back from due's date in Vietnam; if that day is not a working day it
// moves to the previous working day, because reminders are not sent on
// weekends and holidays; the reminder fires at ReminderHour there. Any other
// offset, including zero and negative ones, is applied exactly (due -
// before), on whatever day it lands: a "2h before" reminder is meant literally.
func (c *Calendar) ReminderTime(due time.Time, before time.Duration) time.Time {
	if before <= 0 || before%Day != 0 {
		return due.Add(-before).In(vietnam)
	}
	d := c.PrevWorkingDay(DateOf(due).AddDays(-int(before / Day)))
	return d.At(ReminderHour, 0)
}

// AfterTime returns the instant, in Vietnam time, of an overdue follow-up
// "after past due". It never fails.
//
// A whole number of days (after > 0 and a multiple of 24h) counts calendar
// days on from due's date in Vietnam and moves to the next working day when
// that day is not one, firing at ReminderHour: with due at 23:59:59 on 31/3,
// "1d" fires at 08:00 on 1/4 if that is a working day. Any other offset,
// including zero and negative ones, is applied exactly (due + after).
func (c *Calendar) AfterTime(due time.Time, after time.Duration) time.Time {
	if after <= 0 || after%Day != 0 {
		return due.Add(after).In(vietnam)
	}
	d := c.NextWorkingDay(DateOf(due).AddDays(int(after / Day)))
	return d.At(ReminderHour, 0)
}

// ParseOffset parses a reminder or follow-up offset: a Go duration ("36h",
// "90m", "30s"), a number of days ("3d"), or days followed by a duration
// ("1d12h"). Surrounding spaces are ignored; zero is allowed. It returns 0
// and an error wrapping ErrInvalidOffset for empty text, negative offsets,
// fractional days, anything else that does not parse, and overflow.
func ParseOffset(s string) (time.Duration, error) {
	fail := func(reason string) (time.Duration, error) {
		return 0, fmt.Errorf("calendar: %w %q: %s", ErrInvalidOffset, s, reason)
	}
	const want = `want days like "3d", a Go duration like "36h", or both like "1d12h"`
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return fail("empty; " + want)
	case strings.HasPrefix(t, "-"):
		return fail("negative offsets are not allowed; use an offset before or after the deadline instead")
	}
	var days int64
	rest := t
	if i := strings.IndexByte(t, 'd'); i >= 0 {
		n, ok := digits(t[:i], 1, 6) // a million days is far beyond any deadline
		if !ok {
			return fail("days must be a whole number of days before the d; " + want)
		}
		days, rest = int64(n), t[i+1:]
	}
	var dur time.Duration
	if rest != "" {
		var err error
		if dur, err = time.ParseDuration(rest); err != nil {
			return fail(want)
		}
		if dur < 0 {
			return fail("negative offsets are not allowed")
		}
	}
	if days > int64((math.MaxInt64-dur)/Day) {
		return fail("too large")
	}
	return time.Duration(days)*Day + dur, nil
}
