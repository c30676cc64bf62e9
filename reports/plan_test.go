package reports_test

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/reports"
)

func TestCheckPlan(t *testing.T) {
	parent := danvan.PlanRef{Number: "53/KH-UBND", Date: "2022-03-23", Issuer: "UBND tỉnh"}
	due := time.Date(2022, 3, 31, 16, 59, 59, 0, time.UTC) // end of 31/3 in Vietnam
	b, err := os.ReadFile("../examples/plan.txt")
	require.NoError(t, err)

	got := reports.CheckPlan(string(b), "2022-03-29", parent, due)
	require.True(t, got.CitesParent)
	require.Empty(t, got.Warnings)
	require.Contains(t, got.Citations, "04/2015/NĐ-CP")

	for _, form := range []string{"Kế hoạch số 53/KH-UBND ngày 23/3/2022", "KH 53/KH- UBND", "Kế hoạch\nsố 53/KH-UBND"} {
		require.True(t, reports.CheckPlan("Thực hiện "+form+" của UBND tỉnh.", "", parent, due).CitesParent, form)
	}

	got = reports.CheckPlan("Thực hiện Kế hoạch số 54/KH-UBND ngày 23/3/2022.", "2022-04-02", parent, due)
	codes := map[string]bool{}
	for _, w := range got.Warnings {
		codes[w.Code] = true
		require.NotEmpty(t, w.MessageVI)
	}
	require.True(t, codes[reports.WarnNoParentCitation])
	require.True(t, codes[reports.WarnAfterDeadline])

	got = reports.CheckPlan("Thực hiện Kế hoạch số 53/KH-UBND.", "2022-03-20", parent, due)
	require.Len(t, got.Warnings, 1)
	require.Equal(t, reports.WarnBeforeParent, got.Warnings[0].Code)
	require.Empty(t, reports.CheckPlan("Thực hiện Kế hoạch số 53/KH-UBND.", "2022-03-31", parent, due).Warnings, "the deadline day itself is in time")
}
