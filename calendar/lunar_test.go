package calendar

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTetDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		year int
		want string
	}{
		{2000, "2000-02-05"}, {2001, "2001-01-24"}, {2002, "2002-02-12"}, {2003, "2003-02-01"},
		{2004, "2004-01-22"}, {2005, "2005-02-09"}, {2006, "2006-01-29"}, {2007, "2007-02-17"},
		{2008, "2008-02-07"}, {2009, "2009-01-26"}, {2010, "2010-02-14"}, {2011, "2011-02-03"},
		{2012, "2012-01-23"}, {2013, "2013-02-10"}, {2014, "2014-01-31"}, {2015, "2015-02-19"},
		{2016, "2016-02-08"}, {2017, "2017-01-28"}, {2018, "2018-02-16"}, {2019, "2019-02-05"},
		{2020, "2020-01-25"}, {2021, "2021-02-12"}, {2022, "2022-02-01"}, {2023, "2023-01-22"},
		{2024, "2024-02-10"}, {2025, "2025-01-29"}, {2026, "2026-02-17"}, {2027, "2027-02-06"},
		{2028, "2028-01-26"}, {2029, "2029-02-13"},
		// Not 3/2, China's date: the new moon is at about 23:07 on 2/2 in
		// UTC+7 and 00:07 on 3/2 in UTC+8, so Vietnam's Tết is a day earlier.
		{2030, "2030-02-02"},
		{2031, "2031-01-23"}, {2032, "2032-02-11"}, {2033, "2033-01-31"}, {2034, "2034-02-19"},
		{2035, "2035-02-08"},
		// Years where UTC+7 gives a different Tết from China's calendar.
		{1968, "1968-01-29"}, // China: 30/1
		{1985, "1985-01-21"}, // China: 20/2, a whole month later
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			t.Parallel()
			got := TetDate(tt.year)
			require.Equal(t, tt.want, got.String())
			require.Equal(t, LunarDate{Year: tt.year, Month: 1, Day: 1}, SolarToLunar(got))
		})
	}
}

func TestHungKingsDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		year int
		want string
	}{
		{2022, "2022-04-10"},
		{2023, "2023-04-29"}, // a year with a leap 2nd month
		{2024, "2024-04-18"},
		{2025, "2025-04-07"},
		{2026, "2026-04-26"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, HungKingsDate(tt.year).String())
		})
	}
}

func TestSolarToLunar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		solar string
		want  LunarDate
	}{
		// Last day of the lunar year: 29 or 30 tháng Chạp, the first Tết day off.
		{"2022-01-31", LunarDate{Year: 2021, Month: 12, Day: 29}},
		{"2023-01-21", LunarDate{Year: 2022, Month: 12, Day: 30}},
		{"2024-02-09", LunarDate{Year: 2023, Month: 12, Day: 30}},
		{"2025-01-28", LunarDate{Year: 2024, Month: 12, Day: 29}},
		// Leap months start.
		{"2020-05-23", LunarDate{Year: 2020, Month: 4, Day: 1, Leap: true}},
		{"2023-03-22", LunarDate{Year: 2023, Month: 2, Day: 1, Leap: true}},
		{"2025-07-25", LunarDate{Year: 2025, Month: 6, Day: 1, Leap: true}},
		// Month 11 and 12 belong to the lunar year begun in the previous
		// Gregorian year.
		{"2024-01-01", LunarDate{Year: 2023, Month: 11, Day: 20}},
		{"2022-09-02", LunarDate{Year: 2022, Month: 8, Day: 7}},
		// Hồ Ngọc Đức's two-candidate month search gave day 0 here.
		{"2054-05-07", LunarDate{Year: 2054, Month: 3, Day: 30}},
	}
	for _, tt := range tests {
		t.Run(tt.solar, func(t *testing.T) {
			t.Parallel()
			d, err := ParseDate(tt.solar)
			require.NoError(t, err)
			require.Equal(t, tt.want, SolarToLunar(d))
			back, err := LunarToSolar(tt.want)
			require.NoError(t, err)
			require.Equal(t, d, back)
		})
	}
}

func TestLunarToSolar_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		l    LunarDate
	}{
		{"month 0", LunarDate{Year: 2024, Month: 0, Day: 1}},
		{"month 13", LunarDate{Year: 2024, Month: 13, Day: 1}},
		{"day 31", LunarDate{Year: 2024, Month: 1, Day: 31}},
		{"day 0", LunarDate{Year: 2024, Month: 1, Day: 0}},
		{"leap in a common year", LunarDate{Year: 2024, Month: 2, Day: 1, Leap: true}},
		{"wrong leap month", LunarDate{Year: 2023, Month: 3, Day: 1, Leap: true}},
		{"30 in a 29-day month", LunarDate{Year: 2024, Month: 12, Day: 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := LunarToSolar(tt.l)
			require.ErrorIs(t, err, ErrInvalidLunarDate)
			require.Zero(t, d)
		})
	}
}

// Every civil day maps to a lunar date that maps back to it, and lunar days
// run 1, 2, ... without gaps.
func TestLunar_RoundTrip(t *testing.T) {
	t.Parallel()
	d := NewDate(1900, 1, 1)
	prev := SolarToLunar(d.AddDays(-1))
	for ; d.Year <= 2200; d = d.AddDays(1) {
		l := SolarToLunar(d)
		if l.Day != 1 {
			require.Equal(t, prev.Day+1, l.Day, "day after %s", prev)
		} else {
			require.Contains(t, []int{29, 30}, prev.Day, "month before %s", d)
		}
		back, err := LunarToSolar(l)
		require.NoError(t, err, "%s", d)
		require.Equal(t, d, back, "%s is %s", d, l)
		prev = l
	}
}

// The astronomy is float64 and may differ in the last bit between CPUs (FMA);
// results are floored to days and 30° sectors, so it only matters if a value
// sits within a hair of a floor boundary. None does in 1900-2200.
func TestLunar_FarFromRoundingBoundaries(t *testing.T) {
	t.Parallel()
	const margin = 1e-6
	first := floor((float64(NewDate(1900, 1, 1).jdn()) - epochNewMoon) / synodicMonth)
	last := floor((float64(NewDate(2200, 12, 31).jdn()) - epochNewMoon) / synodicMonth)
	for k := first; k <= last; k++ {
		x := newMoon(k) + 0.5 + lunarZone/24
		require.Greater(t, math.Abs(x-math.Round(x)), margin, "new moon %d", k)
		s := sunLongitude(float64(newMoonDay(k))-0.5-lunarZone/24) / math.Pi * 6
		require.Greater(t, math.Abs(s-math.Round(s)), margin, "sector at new moon %d", k)
	}
}
