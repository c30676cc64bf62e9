package calendar

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Date
	}{
		{"2022-03-31", NewDate(2022, time.March, 31)},
		{"31/3/2022", NewDate(2022, time.March, 31)},
		{"31/03/2022", NewDate(2022, time.March, 31)},
		{" 4/11/2022 ", NewDate(2022, time.November, 4)},
		{"29/2/2024", NewDate(2024, time.February, 29)},
		{"2000-02-29", NewDate(2000, time.February, 29)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.True(t, got.Valid())
		})
	}
}

func TestParseDate_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, wantMsg string
	}{
		{"31/4/2019", "April 2019 has 30 days"},
		{"29/2/2023", "February 2023 has 28 days"},
		{"1900-02-29", "February 1900 has 28 days"},
		{"2022-13-01", "there is no month 13"},
		{"0/1/2022", "January 2022 has 31 days"},
		{"", "want YYYY-MM-DD or D/M/YYYY"},
		{"31.3.2022", "want YYYY-MM-DD or D/M/YYYY"},
		{"31/3/22", "four-digit year"},
		{"31/-3/2022", "want YYYY-MM-DD or D/M/YYYY"},
		{"2022-+3-31", "four-digit year"},
		{"ngày 31/3/2022", "four-digit year"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			require.ErrorIs(t, err, ErrInvalidDate)
			require.ErrorContains(t, err, tt.wantMsg)
			require.Zero(t, got)
		})
	}
}

func TestDate_Formatting(t *testing.T) {
	t.Parallel()
	d := NewDate(2022, time.March, 5)
	require.Equal(t, "2022-03-05", d.String())
	require.Equal(t, "5/3/2022", d.Vietnamese())
	require.Equal(t, "", Date{}.String())

	b, err := json.Marshal(struct {
		D Date   `json:"d"`
		Z Date   `json:"z,omitzero"`
		M []Date `json:"m"`
	}{D: d, M: []Date{d}})
	require.NoError(t, err)
	require.JSONEq(t, `{"d":"2022-03-05","m":["2022-03-05"]}`, string(b))

	var back struct{ D, E Date }
	require.NoError(t, json.Unmarshal([]byte(`{"D":"5/3/2022","E":""}`), &back))
	require.Equal(t, d, back.D)
	require.True(t, back.E.IsZero())
	require.ErrorIs(t, json.Unmarshal([]byte(`{"D":"31/4/2019"}`), &back), ErrInvalidDate)
}

func TestDate_Arithmetic(t *testing.T) {
	t.Parallel()
	d := NewDate(2023, time.December, 30)
	require.Equal(t, NewDate(2024, time.January, 2), d.AddDays(3))
	require.Equal(t, NewDate(2024, time.March, 1), NewDate(2024, time.February, 28).AddDays(2))
	require.Equal(t, NewDate(1969, time.December, 31), NewDate(1970, time.January, 1).AddDays(-1))
	require.Equal(t, time.Saturday, NewDate(2022, time.April, 30).Weekday())
	require.True(t, d.Before(d.AddDays(1)))
	require.True(t, d.After(d.AddDays(-1)))
	require.Zero(t, d.Compare(NewDate(2023, time.December, 30)))
	require.False(t, NewDate(2019, time.April, 31).Valid())
	require.False(t, Date{}.Valid())
}

func TestDateOf(t *testing.T) {
	t.Parallel()
	// 17:00 UTC is already the next day in Vietnam.
	require.Equal(t, NewDate(2022, time.April, 1), DateOf(time.Date(2022, 3, 31, 17, 0, 0, 0, time.UTC)))
	require.Equal(t, NewDate(2022, time.March, 31), DateOf(time.Date(2022, 3, 31, 16, 59, 59, 0, time.UTC)))
	at := NewDate(2022, time.March, 31).At(8, 0)
	require.Equal(t, time.Date(2022, 3, 31, 1, 0, 0, 0, time.UTC), at.UTC())
}

// Location is a fixed UTC+7 zone; this checks the claim that justifies it,
// against the host's tzdata when there is one.
func TestLocation_MatchesIANA(t *testing.T) {
	t.Parallel()
	name, offset := time.Date(2024, 7, 1, 0, 0, 0, 0, Location()).Zone()
	require.Equal(t, "ICT", name)
	require.Equal(t, 7*3600, offset)

	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Skip("no tzdata on this host:", err)
	}
	for at := time.Date(1976, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2100; at = at.Add(97 * 24 * time.Hour) {
		_, want := at.In(hcm).Zone()
		_, got := at.In(Location()).Zone()
		require.Equal(t, want, got, "%s", at)
	}
}
