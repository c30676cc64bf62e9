package calendar

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// vn builds an instant in Vietnam time from "2006-01-02 15:04:05".
func vn(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation(time.DateTime, s, Location())
	require.NoError(t, err)
	return at
}

func TestCalendar_DueFromDate(t *testing.T) {
	t.Parallel()
	c := Default()
	tests := []struct {
		name, date, want string
	}{
		{"working day", "31/3/2022", "2022-03-31 23:59:59"},
		// 30/4 Sat, 1/5 Sun, nghỉ bù Mon 2/5 and Tue 3/5: due Wednesday.
		{"30/4/2022", "30/4/2022", "2022-05-04 23:59:59"},
		{"Tết 2023", "22/1/2023", "2023-01-30 23:59:59"},
		{"2/9/2023 Saturday", "2/9/2023", "2023-09-05 23:59:59"},
		{"ordinary Sunday", "2022-03-27", "2022-03-28 23:59:59"},
		{"new year across", "31/12/2022", "2023-01-03 23:59:59"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := c.DueFromDate(mustDate(t, tt.date))
			require.Equal(t, vn(t, tt.want), got)
			require.Equal(t, Location(), got.Location())
		})
	}
}

func TestCalendar_DueFromDate_Config(t *testing.T) {
	t.Parallel()
	// 2025: Friday 2/5 swapped with Saturday 26/4.
	c := New(Config{Years: map[int]Year{2025: {
		DaysOff:     []DayOff{{Date: NewDate(2025, 5, 2)}},
		WorkingDays: []Date{NewDate(2025, 4, 26)},
	}}})
	require.Equal(t, vn(t, "2025-04-26 23:59:59"), c.DueFromDate(NewDate(2025, 4, 26)))
	require.Equal(t, vn(t, "2025-05-05 23:59:59"), c.DueFromDate(NewDate(2025, 4, 30)))
	require.Equal(t, vn(t, "2025-04-28 23:59:59"), Default().DueFromDate(NewDate(2025, 4, 26)))
}

func TestCalendar_ReminderTime(t *testing.T) {
	t.Parallel()
	c := Default()
	due := c.DueFromDate(NewDate(2022, 4, 30)) // Wednesday 4/5/2022 23:59:59
	tests := []struct {
		name   string
		before time.Duration
		want   string
	}{
		// 3/5 and 2/5 are nghỉ bù, 1/5 and 30/4 the weekend: back to Friday.
		{"1 day onto a holiday", 1 * Day, "2022-04-29 08:00:00"},
		{"3 days onto a holiday", 3 * Day, "2022-04-29 08:00:00"},
		{"5 days onto a working day", 5 * Day, "2022-04-29 08:00:00"},
		{"7 days", 7 * Day, "2022-04-27 08:00:00"},
		{"14 days", 14 * Day, "2022-04-20 08:00:00"},
		// Sub-day and non-whole-day offsets are exact, even on a holiday.
		{"2 hours", 2 * time.Hour, "2022-05-04 21:59:59"},
		{"36 hours", 36 * time.Hour, "2022-05-03 11:59:59"},
		{"25 hours", 25 * time.Hour, "2022-05-03 22:59:59"},
		{"zero", 0, "2022-05-04 23:59:59"},
		{"negative", -time.Hour, "2022-05-05 00:59:59"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := c.ReminderTime(due, tt.before)
			require.Equal(t, vn(t, tt.want), got)
			require.Equal(t, Location(), got.Location())
			// The same due instant given in UTC gives the same answer.
			require.Equal(t, got, c.ReminderTime(due.UTC(), tt.before))
		})
	}
}

func TestCalendar_AfterTime(t *testing.T) {
	t.Parallel()
	c := Default()
	due := vn(t, "2022-04-29 23:59:59") // Friday before 30/4
	tests := []struct {
		name  string
		after time.Duration
		want  string
	}{
		{"1 day onto a holiday", 1 * Day, "2022-05-04 08:00:00"},
		{"5 days", 5 * Day, "2022-05-04 08:00:00"},
		{"6 days", 6 * Day, "2022-05-05 08:00:00"},
		{"2 hours, exact on a holiday", 2 * time.Hour, "2022-04-30 01:59:59"},
		{"zero", 0, "2022-04-29 23:59:59"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := c.AfterTime(due, tt.after)
			require.Equal(t, vn(t, tt.want), got)
			require.Equal(t, Location(), got.Location())
		})
	}
}

// Vietnam has no DST: every due instant is 16:59:59 UTC, all year, every year.
func TestCalendar_NoDST(t *testing.T) {
	t.Parallel()
	c := Default()
	for d := NewDate(1976, 1, 1); d.Year < 2100; d = d.AddDays(13) {
		due := c.DueFromDate(d)
		_, offset := due.Zone()
		require.Equal(t, 7*3600, offset, "%s", d)
		h, m, s := due.UTC().Clock()
		require.Equal(t, [3]int{16, 59, 59}, [3]int{h, m, s}, "%s", d)
		r := c.ReminderTime(due, 2*Day)
		require.Equal(t, 1, r.UTC().Hour(), "%s", d) // 08:00 in Vietnam
	}
}

func TestIsLate(t *testing.T) {
	t.Parallel()
	due := Default().DueFromDate(NewDate(2022, 3, 31))
	require.False(t, IsLate(due, due))
	require.False(t, IsLate(due.Add(999*time.Millisecond), due))
	require.True(t, IsLate(due.Add(time.Second), due))
	require.False(t, IsLate(due.Add(-time.Hour), due))
}

func TestParseOffset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"3d", 3 * Day},
		{"0d", 0},
		{"36h", 36 * time.Hour},
		{"30s", 30 * time.Second},
		{"90m", 90 * time.Minute},
		{"1d12h", 36 * time.Hour},
		{" 7d ", 7 * Day},
		{"0", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseOffset(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseOffset_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, wantMsg string
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"-3d", "negative"},
		{"-1h", "negative"},
		{"1d-5h", "negative"},
		{"1.5d", "whole number of days"},
		{"d", "whole number of days"},
		{"+3d", "whole number of days"},
		{"3 ngày", "want days like"},
		{"abc", "want days like"},
		{"1d1d", "want days like"},
		{"3", "want days like"},
		{"999999d", "too large"},
		{"1000000d", "whole number of days"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseOffset(tt.in)
			require.ErrorIs(t, err, ErrInvalidOffset)
			require.ErrorContains(t, err, tt.wantMsg)
			require.Zero(t, got)
		})
	}
}
