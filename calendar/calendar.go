package calendar

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Holiday names as Holiday and Holidays report them.
const (
	NameNewYear       = "Tết Dương lịch"
	NameTet           = "Tết Nguyên đán"
	NameHungKings     = "Giỗ Tổ Hùng Vương"
	NameLiberation    = "Ngày Giải phóng miền Nam"
	NameLabourDay     = "Quốc tế Lao động"
	NameNationalDay   = "Quốc khánh"
	NameCompensatory  = "Nghỉ bù"
	NameSwappedDayOff = "Nghỉ hoán đổi" // default name of a Year.DaysOff entry
)

// Config holds the government's yearly decisions on days off. The zero
// Config is the statutory calendar: the holidays of Art. 112 of the Labour
// Code 2019 with their defaults, and for each holiday that falls on a
// Saturday or Sunday a compensatory day on the next working day (Art. 111(3):
// "được nghỉ bù ... vào ngày làm việc kế tiếp").
type Config struct {
	// Years is keyed by the Gregorian year the listed dates fall in (every
	// holiday of a year, and its compensatory days, fall in that year). A
	// year that is absent gets the statutory default.
	Years map[int]Year `json:"years,omitempty"`
}

// Year is what the government's notice for one year decides (thông báo
// nghỉ lễ, Tết của Bộ Lao động / Bộ Nội vụ). Every field is optional.
type Year struct {
	// Tet lists the five statutory days of Tết Nguyên đán. Empty means the
	// default: the last day of the lunar year and the first four of the next.
	// The notice often shifts them (2024: 29 tháng Chạp to mùng 3).
	Tet []Date `json:"tet,omitempty"`
	// NationalDayAdjacent is the day off next to 2/9, 1/9 or 3/9. Zero means 1/9.
	NationalDayAdjacent Date `json:"national_day_adjacent,omitzero"`
	// Compensatory, when not empty, lists the year's nghỉ bù days and turns
	// off the automatic next-working-day rule for the whole year.
	Compensatory []Date `json:"compensatory,omitempty"`
	// DaysOff are further non-working days, usually weekdays swapped with a
	// Saturday listed in WorkingDays (hoán đổi ngày làm việc).
	DaysOff []DayOff `json:"days_off,omitempty"`
	// WorkingDays are weekend days declared working days (làm bù).
	WorkingDays []Date `json:"working_days,omitempty"`
}

// DayOff is a named non-working day other than an ordinary weekend.
type DayOff struct {
	Date Date   `json:"date"`
	Name string `json:"name,omitempty"` // NameSwappedDayOff when empty in a Year
}

// Validate reports every problem in c: invalid dates, dates listed under the
// wrong year, an adjacent National Day other than 1/9 or 3/9, and working
// days that are not weekend days or that are holidays. It returns nil when c
// is usable, otherwise the problems joined, each wrapping ErrInvalidConfig.
func (c Config) Validate() error {
	var errs []error
	bad := func(y int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("calendar: %w: year %d: %s", ErrInvalidConfig, y, fmt.Sprintf(format, args...)))
	}
	cal := New(c)
	years := make([]int, 0, len(c.Years))
	for y := range c.Years {
		years = append(years, y)
	}
	slices.Sort(years) // so the errors come out in the same order every time
	for _, y := range years {
		yc := c.Years[y]
		check := func(field string, d Date) {
			switch {
			case !d.Valid():
				bad(y, "%s: %+v is not a real date", field, d)
			case d.Year != y:
				bad(y, "%s: %s is not in %d", field, d, y)
			}
		}
		for _, d := range yc.Tet {
			check("tet", d)
		}
		if a := yc.NationalDayAdjacent; !a.IsZero() {
			check("national_day_adjacent", a)
			if a != NewDate(y, time.September, 1) && a != NewDate(y, time.September, 3) {
				bad(y, "national_day_adjacent: %s must be 1/9 or 3/9", a)
			}
		}
		for _, d := range yc.Compensatory {
			check("compensatory", d)
		}
		for _, d := range yc.DaysOff {
			check("days_off", d.Date)
		}
		for _, d := range yc.WorkingDays {
			check("working_days", d)
			if !isWeekend(d) {
				bad(y, "working_days: %s is a %s, already a working day", d, d.Weekday())
			}
			if name, ok := cal.Holiday(d); ok {
				bad(y, "working_days: %s is a day off (%s)", d, name)
			}
		}
	}
	return errors.Join(errs...)
}

// Calendar answers which days are working days in Vietnam. It is immutable
// and safe for concurrent use. Build it with New or Default.
type Calendar struct {
	years map[int]Year // deep copy of Config.Years; only read
}

// New returns the calendar for cfg. It never fails: entries that Validate
// would reject are kept if harmless and otherwise ignored (a date listed
// under the wrong year is not seen). Call cfg.Validate when cfg comes from
// data.
func New(cfg Config) *Calendar {
	c := &Calendar{years: make(map[int]Year, len(cfg.Years))}
	for y, yc := range cfg.Years { // a copy, so the caller's later edits do not leak in
		c.years[y] = Year{
			Tet:                 slices.Clone(yc.Tet),
			NationalDayAdjacent: yc.NationalDayAdjacent,
			Compensatory:        slices.Clone(yc.Compensatory),
			DaysOff:             slices.Clone(yc.DaysOff),
			WorkingDays:         slices.Clone(yc.WorkingDays),
		}
	}
	return c
}

var defaultCalendar = New(Config{})

// Default returns the statutory calendar, New(Config{}). It is shared; it
// never fails.
func Default() *Calendar { return defaultCalendar }

// IsWorkingDay reports whether d is a working day: Monday to Friday and not
// a day off, or a weekend day declared a working day. A day that is both a
// day off and a declared working day counts as a day off.
func (c *Calendar) IsWorkingDay(d Date) bool { return c.year(d.Year).isWorking(d) }

// Holiday returns the name of the day off on d (one of the Name constants,
// or a Year.DaysOff name) and true; for ordinary weekends and working days
// it returns "" and false.
func (c *Calendar) Holiday(d Date) (name string, ok bool) { return c.year(d.Year).lookup(d) }

// Holidays returns every day off of year y other than ordinary weekends, in
// date order: the statutory holidays (including those on a weekend), the
// compensatory days and the extra days off. It never fails.
func (c *Calendar) Holidays(y int) []DayOff { return slices.Clone(c.year(y).off) }

// NextWorkingDay returns d if it is a working day, else the first working
// day after it. It never fails.
func (c *Calendar) NextWorkingDay(d Date) Date { return c.step(d, 1) }

// PrevWorkingDay returns d if it is a working day, else the last working day
// before it. It never fails.
func (c *Calendar) PrevWorkingDay(d Date) Date { return c.step(d, -1) }

// AddWorkingDays returns the date n working days after d (before it when n
// is negative), as in "trong thời hạn 05 ngày làm việc": d itself is not
// counted. AddWorkingDays(d, 0) is NextWorkingDay(d). It never fails.
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	if n == 0 {
		return c.NextWorkingDay(d)
	}
	dir := 1
	if n < 0 {
		dir, n = -1, -n
	}
	for ; n > 0; n-- {
		d = c.step(d.AddDays(dir), dir)
	}
	return d
}

// step walks from d in direction dir until a working day; it always ends
// because every year has working weekdays.
func (c *Calendar) step(d Date, dir int) Date {
	yd := c.year(d.Year)
	for !yd.isWorking(d) {
		d = d.AddDays(dir)
		if d.Year != yd.y { // recompute only when crossing into another year
			yd = c.year(d.Year)
		}
	}
	return d
}

// yearDays is one year's days off, computed on demand. Years are not cached:
// the computation takes microseconds, and no cache keeps Calendar free of
// locks and shared mutable state.
type yearDays struct {
	y    int
	off  []DayOff // sorted by date, one entry per date
	work []Date   // declared working days
}

func isWeekend(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

func (yd yearDays) lookup(d Date) (string, bool) {
	i, ok := slices.BinarySearchFunc(yd.off, d, func(o DayOff, d Date) int { return o.Date.Compare(d) })
	if !ok {
		return "", false
	}
	return yd.off[i].Name, true
}

func (yd yearDays) isWorking(d Date) bool {
	if _, off := yd.lookup(d); off {
		return false
	}
	return !isWeekend(d) || slices.Contains(yd.work, d)
}

// year computes the days off of Gregorian year y.
func (c *Calendar) year(y int) yearDays {
	yc := c.years[y]
	yd := yearDays{y: y}
	for _, d := range yc.WorkingDays {
		if d.Valid() && d.Year == y {
			yd.work = append(yd.work, d)
		}
	}
	// add keeps the first name given to a date; statutory holidays go first.
	add := func(d Date, name string) {
		if !d.Valid() || d.Year != y {
			return
		}
		i, found := slices.BinarySearchFunc(yd.off, d, func(o DayOff, d Date) int { return o.Date.Compare(d) })
		if !found {
			yd.off = slices.Insert(yd.off, i, DayOff{Date: d, Name: name})
		}
	}

	add(NewDate(y, time.January, 1), NameNewYear)
	tet := yc.Tet
	if len(tet) == 0 {
		first := TetDate(y)
		tet = []Date{first.AddDays(-1), first, first.AddDays(1), first.AddDays(2), first.AddDays(3)}
	}
	for _, d := range tet {
		add(d, NameTet)
	}
	add(HungKingsDate(y), NameHungKings)
	add(NewDate(y, time.April, 30), NameLiberation)
	add(NewDate(y, time.May, 1), NameLabourDay)
	add(NewDate(y, time.September, 2), NameNationalDay)
	adjacent := yc.NationalDayAdjacent
	if adjacent.IsZero() {
		adjacent = NewDate(y, time.September, 1)
	}
	add(adjacent, NameNationalDay)
	statutory := slices.Clone(yd.off)

	// Extra days off go in before compensation so that a compensatory day
	// is never placed on a day that is already off.
	for _, d := range yc.DaysOff {
		name := d.Name
		if name == "" {
			name = NameSwappedDayOff
		}
		add(d.Date, name)
	}

	if len(yc.Compensatory) > 0 {
		for _, d := range yc.Compensatory {
			add(d, NameCompensatory)
		}
		return yd
	}
	// Date order matters: 30/4 on Saturday takes Monday 2/5, then 1/5 on
	// Sunday takes Tuesday 3/5.
	for _, h := range statutory {
		if !isWeekend(h.Date) || slices.Contains(yd.work, h.Date) {
			continue
		}
		d := h.Date.AddDays(1)
		for !yd.isWorking(d) {
			d = d.AddDays(1)
		}
		add(d, NameCompensatory)
	}
	return yd
}
