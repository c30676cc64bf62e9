package calendar

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	require.NoError(t, err)
	return d
}

// offDays lists the days off (weekends included) from..to, as strings.
func offDays(c *Calendar, from, to Date) []string {
	var out []string
	for d := from; !d.After(to); d = d.AddDays(1) {
		if !c.IsWorkingDay(d) {
			out = append(out, d.String())
		}
	}
	return out
}

func TestCalendar_Weekends(t *testing.T) {
	t.Parallel()
	c := Default()
	for d := NewDate(2024, time.March, 4); d.Day <= 10; d = d.AddDays(1) {
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		require.Equal(t, !weekend, c.IsWorkingDay(d), "%s %s", d, d.Weekday())
		name, ok := c.Holiday(d)
		require.False(t, ok, "%s", d)
		require.Empty(t, name)
	}
}

// The statutory calendar for 2022-2026: every holiday with its name, and the
// compensatory days the automatic rule gives. These match the official
// notices for those years except where TestCalendar_OfficialNotices says.
func TestDefault_Holidays2022To2026(t *testing.T) {
	t.Parallel()
	const (
		nb = NameCompensatory
		tn = NameTet
		qk = NameNationalDay
	)
	want := map[int][][2]string{
		2022: {{"2022-01-01", NameNewYear}, {"2022-01-03", nb},
			{"2022-01-31", tn}, {"2022-02-01", tn}, {"2022-02-02", tn}, {"2022-02-03", tn}, {"2022-02-04", tn},
			{"2022-04-10", NameHungKings}, {"2022-04-11", nb},
			{"2022-04-30", NameLiberation}, {"2022-05-01", NameLabourDay}, {"2022-05-02", nb}, {"2022-05-03", nb},
			{"2022-09-01", qk}, {"2022-09-02", qk}},
		2023: {{"2023-01-01", NameNewYear}, {"2023-01-02", nb},
			{"2023-01-21", tn}, {"2023-01-22", tn}, {"2023-01-23", tn}, {"2023-01-24", tn}, {"2023-01-25", tn},
			{"2023-01-26", nb}, {"2023-01-27", nb},
			{"2023-04-29", NameHungKings}, {"2023-04-30", NameLiberation}, {"2023-05-01", NameLabourDay},
			{"2023-05-02", nb}, {"2023-05-03", nb},
			{"2023-09-01", qk}, {"2023-09-02", qk}, {"2023-09-04", nb}},
		2024: {{"2024-01-01", NameNewYear},
			{"2024-02-09", tn}, {"2024-02-10", tn}, {"2024-02-11", tn}, {"2024-02-12", tn}, {"2024-02-13", tn},
			{"2024-02-14", nb}, {"2024-02-15", nb},
			{"2024-04-18", NameHungKings}, {"2024-04-30", NameLiberation}, {"2024-05-01", NameLabourDay},
			{"2024-09-01", qk}, {"2024-09-02", qk}, {"2024-09-03", nb}},
		2025: {{"2025-01-01", NameNewYear},
			{"2025-01-28", tn}, {"2025-01-29", tn}, {"2025-01-30", tn}, {"2025-01-31", tn}, {"2025-02-01", tn},
			{"2025-02-03", nb},
			{"2025-04-07", NameHungKings}, {"2025-04-30", NameLiberation}, {"2025-05-01", NameLabourDay},
			{"2025-09-01", qk}, {"2025-09-02", qk}},
		2026: {{"2026-01-01", NameNewYear},
			{"2026-02-16", tn}, {"2026-02-17", tn}, {"2026-02-18", tn}, {"2026-02-19", tn}, {"2026-02-20", tn},
			{"2026-04-26", NameHungKings}, {"2026-04-27", nb},
			{"2026-04-30", NameLiberation}, {"2026-05-01", NameLabourDay},
			{"2026-09-01", qk}, {"2026-09-02", qk}},
	}
	c := Default()
	for year := 2022; year <= 2026; year++ {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			t.Parallel()
			var got [][2]string
			for _, h := range c.Holidays(year) {
				got = append(got, [2]string{h.Date.String(), h.Name})
			}
			require.Equal(t, want[year], got)
			off := map[Date]bool{}
			for _, h := range want[year] {
				d := mustDate(t, h[0])
				off[d] = true
				require.False(t, c.IsWorkingDay(d), "%s", d)
				name, ok := c.Holiday(d)
				require.True(t, ok, "%s", d)
				require.Equal(t, h[1], name, "%s", d)
			}
			// Every other weekday of the year is a working day.
			for d := NewDate(year, 1, 1); d.Year == year; d = d.AddDays(1) {
				if !off[d] && !isWeekend(d) {
					require.True(t, c.IsWorkingDay(d), "%s", d)
				}
			}
		})
	}
}

// How the government's notices for real years are written as Config.
func TestCalendar_OfficialNotices(t *testing.T) {
	t.Parallel()
	d := func(s string) Date { return mustDate(t, s) }
	cfg := Config{Years: map[int]Year{
		// 2023: Tết from 29 tháng Chạp (Fri 20/1) instead of 30; with 21/1
		// and 22/1 on the weekend, the automatic rule adds 25/1 and 26/1, so
		// the office is closed 20/1-26/1 as announced. 2/9 is a Saturday:
		// the official 1/9-4/9 is the default rule (1/9 adjacent, Monday
		// 4/9 nghỉ bù); listing 4/9 explicitly gives the same.
		2023: {
			Tet:                 []Date{d("2023-01-20"), d("2023-01-21"), d("2023-01-22"), d("2023-01-23"), d("2023-01-24")},
			NationalDayAdjacent: d("2023-09-01"),
		},
		// 2024: Tết 8/2 (29 Chạp) to 12/2, closed 8/2-14/2. 30/4: Monday
		// 29/4 swapped with Saturday 4/5, closed 27/4-1/5. 2/9: the adjacent
		// day was Tuesday 3/9, closed 31/8-3/9.
		2024: {
			Tet:                 []Date{d("2024-02-08"), d("2024-02-09"), d("2024-02-10"), d("2024-02-11"), d("2024-02-12")},
			NationalDayAdjacent: d("2024-09-03"),
			DaysOff:             []DayOff{{Date: d("2024-04-29")}},
			WorkingDays:         []Date{d("2024-05-04")},
		},
		// 2025: Friday 2/5 swapped with Saturday 26/4, closed 30/4-4/5.
		2025: {
			DaysOff:     []DayOff{{Date: d("2025-05-02"), Name: "Nghỉ hoán đổi (làm bù 26/4)"}},
			WorkingDays: []Date{d("2025-04-26")},
		},
	}}
	require.NoError(t, cfg.Validate())
	c := New(cfg)

	tests := []struct {
		from, to string
		wantOff  []string
	}{
		{"2023-01-16", "2023-01-29", []string{"2023-01-20", "2023-01-21", "2023-01-22", "2023-01-23",
			"2023-01-24", "2023-01-25", "2023-01-26", "2023-01-28", "2023-01-29"}},
		{"2023-08-28", "2023-09-10", []string{"2023-09-01", "2023-09-02", "2023-09-03", "2023-09-04",
			"2023-09-09", "2023-09-10"}},
		{"2024-02-05", "2024-02-18", []string{"2024-02-08", "2024-02-09", "2024-02-10", "2024-02-11",
			"2024-02-12", "2024-02-13", "2024-02-14", "2024-02-17", "2024-02-18"}},
		{"2024-04-22", "2024-05-05", []string{"2024-04-27", "2024-04-28", "2024-04-29", "2024-04-30",
			"2024-05-01", "2024-05-05"}}, // Saturday 4/5 is a working day
		{"2024-08-26", "2024-09-08", []string{"2024-08-31", "2024-09-01", "2024-09-02", "2024-09-03",
			"2024-09-07", "2024-09-08"}},
		{"2025-04-21", "2025-05-04", []string{"2025-04-27", "2025-04-30", "2025-05-01", "2025-05-02",
			"2025-05-03", "2025-05-04"}}, // Saturday 26/4 is a working day
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.wantOff, offDays(c, d(tt.from), d(tt.to)))
		})
	}

	name, ok := c.Holiday(d("2024-09-03"))
	require.True(t, ok)
	require.Equal(t, NameNationalDay, name)
	name, _ = c.Holiday(d("2024-04-29"))
	require.Equal(t, NameSwappedDayOff, name)
	name, _ = c.Holiday(d("2025-05-02"))
	require.Equal(t, "Nghỉ hoán đổi (làm bù 26/4)", name)

	// The same 2023 with the year's nghỉ bù days all listed by hand.
	manual := New(Config{Years: map[int]Year{2023: {
		Tet:          cfg.Years[2023].Tet,
		Compensatory: []Date{d("2023-01-02"), d("2023-01-25"), d("2023-01-26"), d("2023-05-02"), d("2023-05-03"), d("2023-09-04")},
	}}})
	require.Equal(t, c.Holidays(2023), manual.Holidays(2023))
}

func TestConfig_JSON(t *testing.T) {
	t.Parallel()
	const data = `{"years": {"2024": {
		"tet": ["2024-02-08", "2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12"],
		"national_day_adjacent": "3/9/2024",
		"days_off": [{"date": "29/4/2024"}],
		"working_days": ["2024-05-04"]}}}`
	var cfg Config
	require.NoError(t, json.Unmarshal([]byte(data), &cfg))
	require.NoError(t, cfg.Validate())
	c := New(cfg)
	require.False(t, c.IsWorkingDay(NewDate(2024, 4, 29)))
	require.True(t, c.IsWorkingDay(NewDate(2024, 5, 4)))

	b, err := json.Marshal(Config{Years: map[int]Year{2025: {}}})
	require.NoError(t, err)
	require.JSONEq(t, `{"years":{"2025":{}}}`, string(b))
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		year    Year
		wantMsg string
	}{
		{"impossible date", Year{Tet: []Date{{2024, time.February, 30}}}, "not a real date"},
		{"wrong year", Year{DaysOff: []DayOff{{Date: NewDate(2025, 5, 2)}}}, "2025-05-02 is not in 2024"},
		{"adjacent day", Year{NationalDayAdjacent: NewDate(2024, 9, 4)}, "must be 1/9 or 3/9"},
		{"working weekday", Year{WorkingDays: []Date{NewDate(2024, 5, 8)}}, "already a working day"},
		{"working holiday", Year{WorkingDays: []Date{NewDate(2024, 9, 1)}}, "is a day off (Quốc khánh)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Config{Years: map[int]Year{2024: tt.year}}.Validate()
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.ErrorContains(t, err, tt.wantMsg)
		})
	}
	require.NoError(t, Config{}.Validate())
}

func TestNew_CopiesConfig(t *testing.T) {
	t.Parallel()
	days := []DayOff{{Date: NewDate(2025, 5, 2)}}
	cfg := Config{Years: map[int]Year{2025: {DaysOff: days}}}
	c := New(cfg)
	days[0].Date = NewDate(2025, 5, 5)
	cfg.Years[2026] = Year{DaysOff: []DayOff{{Date: NewDate(2026, 5, 4)}}}
	require.False(t, c.IsWorkingDay(NewDate(2025, 5, 2)))
	require.True(t, c.IsWorkingDay(NewDate(2025, 5, 5)))
	require.True(t, c.IsWorkingDay(NewDate(2026, 5, 4)))
}

func TestCalendar_WorkingDaySteps(t *testing.T) {
	t.Parallel()
	c := Default()
	tests := []struct {
		from, next, prev string
	}{
		{"2022-03-31", "2022-03-31", "2022-03-31"}, // a Thursday
		{"2022-04-30", "2022-05-04", "2022-04-29"}, // 30/4 Sat, 1/5 Sun, bù 2/5 and 3/5
		{"2023-01-21", "2023-01-30", "2023-01-20"}, // Tết 2023 with its nghỉ bù
		{"2023-09-02", "2023-09-05", "2023-08-31"},
		{"2023-12-31", "2024-01-02", "2023-12-29"}, // across the year, 1/1 Monday
		{"2022-01-01", "2022-01-04", "2021-12-31"}, // 1/1 Saturday, bù Monday 3/1
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			t.Parallel()
			d := mustDate(t, tt.from)
			require.Equal(t, tt.next, c.NextWorkingDay(d).String())
			require.Equal(t, tt.prev, c.PrevWorkingDay(d).String())
		})
	}
}

func TestCalendar_AddWorkingDays(t *testing.T) {
	t.Parallel()
	c := Default()
	d := NewDate(2022, time.April, 28) // Thursday before 30/4
	require.Equal(t, "2022-04-28", c.AddWorkingDays(d, 0).String())
	require.Equal(t, "2022-04-29", c.AddWorkingDays(d, 1).String())
	require.Equal(t, "2022-05-04", c.AddWorkingDays(d, 2).String())
	require.Equal(t, "2022-05-06", c.AddWorkingDays(d, 4).String())
	require.Equal(t, "2022-04-27", c.AddWorkingDays(d, -1).String())
	require.Equal(t, "2022-04-29", c.AddWorkingDays(NewDate(2022, time.May, 4), -1).String())
	require.Equal(t, "2022-05-04", c.AddWorkingDays(NewDate(2022, time.May, 1), 0).String())
}
