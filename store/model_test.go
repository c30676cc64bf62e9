package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

// workDB returns a database with units A, B (departments), C (commune)
// and cycles 2021-OWN and 2022-OWN over them.
func workDB(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	_, _, err := store.NewUnitService(db).ImportUnits(ctx, []danvan.Unit{
		{Code: "OWN", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment},
		{Code: "A", Name: "A", ParentCode: "OWN", Kind: danvan.UnitDepartment},
		{Code: "B", Name: "B", ParentCode: "OWN", Kind: danvan.UnitDepartment},
		{Code: "C", Name: "C", ParentCode: "OWN", Kind: danvan.UnitCommune},
	})
	require.NoError(t, err)
	for _, y := range []int{2021, 2022} {
		require.NoError(t, store.NewCycleService(db).CreateCycle(ctx, &danvan.Cycle{ID: danvan.CycleID(y, "OWN"), Units: []string{"A", "B", "C"},
			Status: danvan.CycleRunning, StartedAt: time.Now(), Definition: danvan.CycleDefinition{Year: y, Title: "DVCQ", Owner: "OWN"}}))
	}
	return db
}

func registration(name, field string) danvan.ModelRegistration {
	return danvan.ModelRegistration{Name: name, Field: field, Kind: "mo_hinh", OwnerType: "tap_the", OwnerName: "Ban Tiếp công dân",
		Problem: "p", Goals: "g", Criteria: "c", Content: "n", Area: "a", Beneficiaries: "b",
		Forces: []danvan.ModelForce{{Org: "Ban Tiếp công dân", Role: "chu_tri"}}, Resources: "r",
		StartDate: "2022-04-01", EvaluationDate: "2022-11-30", Outputs: []string{"Sổ theo dõi"}, Sustainability: "s"}
}

func TestModelService_Life(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := workDB(t)
	ms := store.NewModelService(db)

	missing, err := ms.UnitsWithoutModel(ctx, "2022-OWN")
	require.NoError(t, err)
	require.Equal(t, []string{"A", "B", "C"}, missing)
	_, err = ms.UnitsWithoutModel(ctx, "1999-X")
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))

	m := &danvan.Model{CycleID: "2021-OWN", UnitCode: "A", Year: 2021, ModelRegistration: registration("Tiếp dân tận tình", "xay_dung_he_thong_chinh_tri")}
	require.NoError(t, ms.CreateModel(ctx, m, []danvan.Upload{{Name: "dang-ky.txt", MediaType: "text/plain", Data: []byte("Công văn số 496/VP-TTHC"), Text: "Công văn số 496/VP-TTHC"}}, 0))
	require.NotZero(t, m.ID)
	require.Len(t, m.Attachments, 1)
	require.True(t, m.Attachments[0].HasText)

	// Carried into the next cycle: it continues last year's model of the
	// same unit, never another unit's.
	next := &danvan.Model{CycleID: "2022-OWN", UnitCode: "A", Year: 2022, ModelRegistration: registration("Tiếp dân tận tình (năm 2)", "xay_dung_he_thong_chinh_tri")}
	next.ContinuesID = m.ID
	require.NoError(t, ms.CreateModel(ctx, next, nil, 0))
	other := &danvan.Model{CycleID: "2022-OWN", UnitCode: "B", Year: 2022, ModelRegistration: registration("Mượn", "kinh_te")}
	other.ContinuesID = m.ID
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(ms.CreateModel(ctx, other, nil, 0)))
	bad := &danvan.Model{CycleID: "2022-OWN", UnitCode: "ZZ", Year: 2022, ModelRegistration: registration("x", "kinh_te")}
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(ms.CreateModel(ctx, bad, nil, 0)))

	missing, err = ms.UnitsWithoutModel(ctx, "2022-OWN")
	require.NoError(t, err)
	require.Equal(t, []string{"B", "C"}, missing)

	rv := &danvan.ModelReview{Stage: "interim", PeriodFrom: "2022-04-01", PeriodTo: "2022-06-30", Done: "d", Outputs: "o", Effect: "e", Proposal: "cong_nhan"}
	got, err := ms.UpdateModelStatus(ctx, next.ID, []string{danvan.ModelRegistered}, danvan.ModelInterimReview, "", rv)
	require.NoError(t, err)
	require.Equal(t, danvan.ModelInterimReview, got.Status)
	require.Len(t, got.Reviews, 1)
	_, err = ms.UpdateModelStatus(ctx, next.ID, []string{danvan.ModelRegistered}, danvan.ModelInterimReview, "", rv)
	require.Equal(t, danvan.EConflict, danvan.ErrorCode(err), "moved meanwhile")
	_, err = ms.UpdateModelStatus(ctx, next.ID, []string{danvan.ModelInterimReview}, danvan.ModelInterimReview, "", rv)
	require.Equal(t, danvan.EConflict, danvan.ErrorCode(err), "one review per stage")
	got, err = ms.FindModel(ctx, next.ID)
	require.NoError(t, err)
	require.Equal(t, danvan.ModelInterimReview, got.Status, "the refused review changed nothing")
	_, err = ms.FindModel(ctx, 999999)
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))

	c := &danvan.Model{CycleID: "2022-OWN", UnitCode: "C", Year: 2022, ModelRegistration: registration("Đường làng", "kinh_te")}
	require.NoError(t, ms.CreateModel(ctx, c, nil, 0))
	for f, want := range map[danvan.ModelFilter]int{
		{}: 3, {Year: 2022}: 2, {Tier: danvan.UnitCommune}: 1, {Field: "kinh_te"}: 1, {UnitCode: "A"}: 2,
		{Status: danvan.ModelInterimReview}: 1, {CycleID: "2021-OWN"}: 1, {Kind: "dien_hinh"}: 0,
	} {
		list, err := ms.FindModels(ctx, f)
		require.NoError(t, err)
		require.Len(t, list, want, "%+v", f)
	}
}
