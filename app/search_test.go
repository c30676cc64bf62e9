package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/app"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

// TestSearch_IndexSubmission: two communes' plans that both carry the
// number 01/KH-UBND stay two documents, each citing the province's plan.
func TestSearch_IndexSubmission(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	units := store.NewUnitService(db)
	_, _, err := units.ImportUnits(ctx, []danvan.Unit{
		{Code: "X1", Name: "UBND xã Một", Kind: danvan.UnitCommune},
		{Code: "X2", Name: "UBND xã Hai", Kind: danvan.UnitCommune},
	})
	require.NoError(t, err)
	s, err := app.OpenSearch(ctx, db, "", "", slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s.Units = units
	for _, u := range []string{"X1", "X2"} {
		sub := &danvan.Submission{CycleID: "2022-SNV", UnitCode: u, Kind: danvan.TaskUnitPlan, Seq: 1, Number: "01/KH-UBND",
			Date: "2022-04-01", Text: "KẾ HOẠCH\nThực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh về công tác dân vận.",
			SubmittedAt: time.Now()}
		require.NoError(t, s.IndexSubmission(ctx, sub))
		require.NoError(t, s.IndexSubmission(ctx, sub), "idempotent")
	}
	var n int
	require.NoError(t, db.Pool.QueryRow(ctx, `SELECT count(*) FROM documents WHERE number = '01/KH-UBND'`).Scan(&n))
	require.Equal(t, 2, n)
	v, err := s.ShowDocument(ctx, "53/KH-UBND")
	require.NoError(t, err)
	require.Len(t, v.CitedBy, 2)

	// No number: nothing to register, and no error either.
	require.NoError(t, s.IndexSubmission(ctx, &danvan.Submission{UnitCode: "X1", Text: "x"}))
}
