package calendar

import (
	"fmt"
	"math"
)

// This file is Hồ Ngọc Đức's lunar calendar algorithm
// (https://www.informatik.uni-leipzig.de/~duc/amlich/), the one Vietnamese
// calendars follow: months begin on the day of the astronomical new moon and
// the winter solstice falls in month 11, both reckoned in UTC+7, the zone
// Vietnam has used for its calendar since 1968. That is why Vietnam's Tết
// differs from China's (UTC+8) in some years, e.g. 21/1/1985 against
// 20/2/1985, and 17/2/2007 against 18/2/2007.
//
// Determinism: the astronomy is float64 arithmetic, and Go may fuse a*b+c
// into an FMA on some targets (arm64, GOAMD64=v3), which can change the last
// bit. Every result is floored to a whole day or a 30° solar sector, and the
// tests check that no new moon or sector boundary in 1900-2200 comes within
// 1e-6 of a floor boundary, a million times more than any last-bit change, so
// every worker computes the same dates.

// lunarZone is Vietnam's offset from UTC in hours, as the algorithm wants it.
const lunarZone = 7.0

// synodicMonth is the mean length of a lunar month in days; epochNewMoon is
// the Julian day of the new moon of 1900-01-01 that the series counts from.
const (
	synodicMonth = 29.530588853
	epochNewMoon = 2415021.076998695
)

// LunarDate is a date of the Vietnamese lunar calendar (âm lịch). Year is
// the Gregorian year in which the lunar year begins; Leap marks the
// intercalary month (tháng nhuận) that repeats Month.
type LunarDate struct {
	Year  int
	Month int
	Day   int
	Leap  bool
}

// String returns the date the way Vietnamese write it, "10/3/2024" or
// "15/2 nhuận/2023" for a day of a leap month. It never fails.
func (l LunarDate) String() string {
	if l.Leap {
		return fmt.Sprintf("%d/%d nhuận/%d", l.Day, l.Month, l.Year)
	}
	return fmt.Sprintf("%d/%d/%d", l.Day, l.Month, l.Year)
}

// SolarToLunar returns the lunar date of the civil date d. It never fails;
// the astronomical series behind it is accurate for about 1800-2199 and the
// results outside that range may be a day off published calendars.
func SolarToLunar(d Date) LunarDate {
	day := d.jdn()
	// Hồ Ngọc Đức tries months k+1 and k from the mean-motion estimate; the
	// true new moon wanders far enough from the mean that in rare years
	// (7/5/2054) both start after day, so walk until month k holds day.
	k := floor((float64(day)-epochNewMoon)/synodicMonth) + 1
	for newMoonDay(k) > day {
		k--
	}
	for newMoonDay(k+1) <= day {
		k++
	}
	monthStart := newMoonDay(k)
	a11 := lunarMonth11(d.Year)
	b11 := a11
	var year int
	if a11 >= monthStart {
		year = d.Year
		a11 = lunarMonth11(d.Year - 1)
	} else {
		year = d.Year + 1
		b11 = lunarMonth11(d.Year + 1)
	}
	// Months since month 11; a lunar month is 29 or 30 days, so /29 counts them.
	diff := (monthStart - a11) / 29
	month := diff + 11
	leap := false
	if b11-a11 > 365 { // 13 new moons between two months 11: a leap year
		leapDiff := leapMonthOffset(a11)
		if diff >= leapDiff {
			month = diff + 10
			leap = diff == leapDiff
		}
	}
	if month > 12 {
		month -= 12
	}
	if month >= 11 && diff < 4 {
		year--
	}
	return LunarDate{Year: year, Month: month, Day: day - monthStart + 1, Leap: leap}
}

// LunarToSolar returns the civil date of the lunar date l. It returns the
// zero Date and an error wrapping ErrInvalidLunarDate when the month or day
// is out of range, when l.Leap is set but that year has no such leap month,
// or when l.Day is 30 in a month of 29 days.
func LunarToSolar(l LunarDate) (Date, error) {
	fail := func(reason string) (Date, error) {
		return Date{}, fmt.Errorf("calendar: %w %s: %s", ErrInvalidLunarDate, l, reason)
	}
	if l.Month < 1 || l.Month > 12 {
		return fail("month must be 1-12")
	}
	if l.Day < 1 || l.Day > 30 {
		return fail("day must be 1-30")
	}
	var a11, b11 int
	if l.Month < 11 {
		a11, b11 = lunarMonth11(l.Year-1), lunarMonth11(l.Year)
	} else {
		a11, b11 = lunarMonth11(l.Year), lunarMonth11(l.Year+1)
	}
	k := floor(0.5 + (float64(a11)-epochNewMoon)/synodicMonth)
	off := l.Month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if l.Leap && l.Month != leapMonth {
			return fail(fmt.Sprintf("the leap month of lunar year %d is %d", l.Year, leapMonth))
		}
		if l.Leap || off >= leapOff {
			off++
		}
	} else if l.Leap {
		return fail(fmt.Sprintf("lunar year %d has no leap month", l.Year))
	}
	d := fromJDN(newMoonDay(k+off) + l.Day - 1)
	// Day 30 of a 29-day month lands on the next month's first day; the round
	// trip catches it (and anything else the arithmetic above let through).
	if SolarToLunar(d) != l {
		return fail("that month has only 29 days")
	}
	return d, nil
}

// TetDate returns the civil date of Tết Nguyên đán (lunar 1/1) that falls in
// Gregorian year y; it is always between 21 January and 20 February. It
// never fails.
func TetDate(y int) Date {
	d, _ := LunarToSolar(LunarDate{Year: y, Month: 1, Day: 1}) // always exists
	return d
}

// HungKingsDate returns the civil date of Giỗ Tổ Hùng Vương (10/3 lunar, in
// the ordinary third month when the year repeats it) in Gregorian year y. It
// never fails.
func HungKingsDate(y int) Date {
	d, _ := LunarToSolar(LunarDate{Year: y, Month: 3, Day: 10}) // always exists
	return d
}

func floor(x float64) int { return int(math.Floor(x)) }

// newMoon returns the Julian day (with fraction, UT) of the k-th new moon
// after the one of 1900-01-01, from the series in Meeus's Astronomical
// Algorithms as Hồ Ngọc Đức uses them.
func newMoon(k int) float64 {
	const dr = math.Pi / 180
	kf := float64(k)
	t := kf / 1236.85 // Julian centuries since 1900-01-00.5
	t2 := t * t
	t3 := t2 * t
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)      // mean new moon
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3    // Sun's mean anomaly
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3 // Moon's mean anomaly
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3    // Moon's argument of latitude
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c1 = c1 - 0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c1 -= 0.0004 * math.Sin(dr*3*mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltaT float64 // TT-UT, in days
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// sunLongitude returns the Sun's apparent longitude in radians, in [0, 2π),
// at Julian day jd (UT).
func sunLongitude(jd float64) float64 {
	const dr = math.Pi / 180
	t := (jd - 2451545.0) / 36525 // Julian centuries since 2000-01-01 12:00 UT
	t2 := t * t
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2 // mean anomaly
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2                  // mean longitude
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// newMoonDay returns the Julian day number of the civil day in Vietnam on
// which the k-th new moon falls.
func newMoonDay(k int) int { return floor(newMoon(k) + 0.5 + lunarZone/24) }

// sunSector returns which 30° sector (0-11) of longitude the Sun is in at
// Vietnamese midnight starting day jdn; sector 9 begins at the winter solstice.
func sunSector(jdn int) int {
	return floor(sunLongitude(float64(jdn)-0.5-lunarZone/24) / math.Pi * 6)
}

// lunarMonth11 returns the Julian day number of the first day of lunar
// month 11 of year y: the month that contains the winter solstice.
func lunarMonth11(y int) int {
	off := Date{Year: y, Month: 12, Day: 31}.jdn() - 2415021
	k := floor(float64(off) / synodicMonth)
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 { // the solstice came before this new moon
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns, for a leap year whose month 11 starts on day a11,
// how many months after month 11 the leap month comes: it is the first month
// in which the Sun enters no new sector (contains no major solar term).
func leapMonthOffset(a11 int) int {
	k := floor((float64(a11)-epochNewMoon)/synodicMonth + 0.5)
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}
