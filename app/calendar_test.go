package app_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/app"
	"github.com/danvan/danvan/calendar"
)

func TestLoadCalendar(t *testing.T) {
	t.Parallel()
	cfg, err := app.LoadCalendar("")
	require.NoError(t, err)
	require.Empty(t, cfg.Years)

	dir := t.TempDir()
	good := filepath.Join(dir, "cal.json")
	require.NoError(t, os.WriteFile(good, []byte(`{"years": {"2023": {"compensatory": ["2023-09-04"], "days_off": [{"date": "2023-09-01"}]}}}`), 0o600))
	cfg, err = app.LoadCalendar(good)
	require.NoError(t, err)
	cal := calendar.New(cfg)
	require.False(t, cal.IsWorkingDay(calendar.NewDate(2023, 9, 4)))

	for name, body := range map[string]string{
		"syntax":        `{"years": `,
		"unknown field": `{"yaers": {}}`,
		"bad date":      `{"years": {"2023": {"compensatory": ["2023-02-30"]}}}`,
		"wrong year":    `{"years": {"2023": {"compensatory": ["2024-01-02"]}}}`,
	} {
		p := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		_, err := app.LoadCalendar(p)
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), name)
	}
	_, err = app.LoadCalendar(filepath.Join(dir, "missing.json"))
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
}
