// Package calendar is the Vietnamese business calendar behind deadlines and
// reminders: Vietnam time, weekends, the public holidays of the Labour Code
// 2019 (Tết and Giỗ Tổ by the lunar calendar), compensatory days off and the
// government's yearly decisions about them.
//
// Everything here is deterministic so that Temporal workflows may call it:
// no clock, no randomness, no I/O, no goroutines, and no result depends on
// map iteration order. A Calendar is immutable after New and safe for
// concurrent use.
package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors wrapped by this package, so callers can map them to the domain's
// "invalid" error code with errors.Is instead of matching text.
var (
	// ErrInvalidDate is wrapped by every error about a civil date.
	ErrInvalidDate = errors.New("invalid date")
	// ErrInvalidLunarDate is wrapped by LunarToSolar's errors.
	ErrInvalidLunarDate = errors.New("invalid lunar date")
	// ErrInvalidOffset is wrapped by ParseOffset's errors.
	ErrInvalidOffset = errors.New("invalid offset")
	// ErrInvalidConfig is wrapped by Config.Validate's errors.
	ErrInvalidConfig = errors.New("invalid calendar config")
)

// vietnam is a fixed UTC+7 zone rather than time.LoadLocation("Asia/Ho_Chi_Minh"):
// LoadLocation reads the host's tzdata (I/O, and a result that depends on the
// worker machine, which a replayed workflow must not), and the IANA zone has
// been a constant UTC+7 with no DST since 13 June 1975, so for every date this
// system handles the two are identical.
var vietnam = time.FixedZone("ICT", 7*3600)

// Location returns Vietnam's time zone (UTC+7, no daylight saving). It never
// fails and always returns the same pointer.
func Location() *time.Location { return vietnam }

// Date is a civil date in Vietnam, without time of day or zone. The zero
// Date means "unset". Methods assume a valid date; an invalid one (31 April)
// is normalised the way time.Date does (to 1 May).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the Date y-m-d as written, without validation; use Valid or
// ParseDate when the parts come from outside.
func NewDate(y int, m time.Month, d int) Date { return Date{Year: y, Month: m, Day: d} }

// DateOf returns the civil date in Vietnam of the instant t, whatever t's
// own location. It never fails.
func DateOf(t time.Time) Date {
	y, m, d := t.In(vietnam).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses "2022-03-31" (ISO), "31/3/2022" or "31/03/2022" (the way
// Vietnamese documents write dates), with surrounding spaces ignored. It
// returns the zero Date and an error wrapping ErrInvalidDate for any other
// shape and for impossible dates such as 31/4/2019 or 29/2/2023.
func ParseDate(s string) (Date, error) {
	t := strings.TrimSpace(s)
	fail := func(reason string) (Date, error) {
		return Date{}, fmt.Errorf("calendar: %w %q: %s", ErrInvalidDate, s, reason)
	}
	var ys, ms, ds string
	switch {
	case strings.Count(t, "-") == 2 && !strings.Contains(t, "/"):
		p := strings.Split(t, "-")
		ys, ms, ds = p[0], p[1], p[2]
	case strings.Count(t, "/") == 2 && !strings.Contains(t, "-"):
		p := strings.Split(t, "/")
		ds, ms, ys = p[0], p[1], p[2]
	default:
		return fail(`want YYYY-MM-DD or D/M/YYYY, e.g. "2022-03-31" or "31/3/2022"`)
	}
	y, okY := digits(ys, 4, 4)
	m, okM := digits(ms, 1, 2)
	d, okD := digits(ds, 1, 2)
	if !okY || !okM || !okD {
		return fail(`want YYYY-MM-DD or D/M/YYYY with a four-digit year, e.g. "2022-03-31" or "31/3/2022"`)
	}
	if m < 1 || m > 12 {
		return fail(fmt.Sprintf("there is no month %d", m))
	}
	if n := daysIn(y, time.Month(m)); d < 1 || d > n {
		return fail(fmt.Sprintf("%s %d has %d days", time.Month(m), y, n))
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

// digits parses s as a decimal number of minLen to maxLen ASCII digits; it
// rejects signs and spaces, which strconv.Atoi alone would partly accept.
func digits(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// daysIn returns the number of days in month m of year y (proleptic Gregorian).
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns the date as YYYY-MM-DD, or "" for the zero Date. It never fails.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Vietnamese returns the date as Vietnamese documents write it, "31/3/2022",
// or "" for the zero Date. It never fails.
func (d Date) Vietnamese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d/%d/%d", d.Day, int(d.Month), d.Year)
}

// IsZero reports whether d is the zero Date ("unset").
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a real day of the proleptic Gregorian
// calendar (false for the zero Date and for 31 April).
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.midnightUTC().Weekday() }

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return fromJDN(d.jdn() + n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch a, b := d.jdn(), o.jdn(); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// At returns the instant hour:min on d in Vietnam time. Out-of-range hour or
// min are normalised as time.Date does.
func (d Date) At(hour, min int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, vietnam)
}

// MarshalText encodes d as YYYY-MM-DD (empty for the zero Date), so dates in
// JSON configs and Temporal payloads read like the documents. It never fails.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText accepts what ParseDate accepts, and empty text as the zero
// Date. On failure it leaves d unchanged and returns ParseDate's error.
func (d *Date) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func (d Date) midnightUTC() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// unixEpochJDN is the Julian day number of 1970-01-01, the bridge between
// time's Unix seconds and the day numbers the lunar algorithm works in.
const unixEpochJDN = 2440588

// jdn returns d's Julian day number. Midnight UTC is a whole multiple of
// 86400 seconds, so the division is exact for dates before 1970 too.
func (d Date) jdn() int { return int(d.midnightUTC().Unix()/86400) + unixEpochJDN }

func fromJDN(j int) Date {
	y, m, d := time.Unix(int64(j-unixEpochJDN)*86400, 0).UTC().Date()
	return Date{Year: y, Month: m, Day: d}
}
