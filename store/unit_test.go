package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

func sampleUnits() []danvan.Unit {
	return []danvan.Unit{
		{Code: "QNG", Name: "UBND tỉnh Quảng Ngãi", Kind: danvan.UnitProvince},
		{Code: "SNV", Name: "Sở Nội vụ", ParentCode: "QNG", Kind: danvan.UnitDepartment, Email: "snv@example.org"},
		{Code: "DP", Name: "UBND thị xã Đức Phổ", ParentCode: "QNG", Kind: danvan.UnitDistrict},
		{Code: "NN", Name: "UBND phường Nguyễn Nghiêm", ParentCode: "DP", Kind: danvan.UnitCommune},
	}
}

func TestUnitService_Import(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	s := store.NewUnitService(db)

	created, updated, err := s.ImportUnits(ctx, sampleUnits())
	require.NoError(t, err)
	require.Equal(t, 4, created)
	require.Equal(t, 0, updated)

	t.Run("ReimportUpdatesInPlace", func(t *testing.T) {
		units := sampleUnits()
		units[1].Name = "Sở Nội vụ tỉnh Quảng Ngãi"
		created, updated, err := s.ImportUnits(ctx, units)
		require.NoError(t, err)
		require.Equal(t, 0, created)
		require.Equal(t, 4, updated)
		u, err := s.FindUnit(ctx, "SNV")
		require.NoError(t, err)
		require.Equal(t, "Sở Nội vụ tỉnh Quảng Ngãi", u.Name)
		var hist int
		require.NoError(t, db.Pool.QueryRow(ctx, `SELECT count(*) FROM unit_history WHERE code = 'SNV'`).Scan(&hist))
		require.Equal(t, 1, hist, "the old name is kept in history")
	})

	t.Run("Subtree", func(t *testing.T) {
		codes, err := s.Subtree(ctx, "DP")
		require.NoError(t, err)
		require.Equal(t, []string{"DP", "NN"}, codes)
		_, err = s.Subtree(ctx, "NOPE")
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	})

	t.Run("BadRowsImportNothing", func(t *testing.T) {
		bad := []danvan.Unit{
			{Code: "A1", Name: "Đơn vị A", Kind: danvan.UnitOther, ParentCode: "QNG"},
			{Code: "A1", Name: "Trùng mã", Kind: danvan.UnitOther},
			{Code: "B1", Name: "", Kind: "village", ParentCode: "MISSING"},
			{Code: "C1", Name: "Vòng 1", Kind: danvan.UnitOther, ParentCode: "C2"},
			{Code: "C2", Name: "Vòng 2", Kind: danvan.UnitOther, ParentCode: "C1"},
		}
		_, _, err := s.ImportUnits(ctx, bad)
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
		msg := err.Error()
		for _, want := range []string{"row 2 code", "row 3 name", "row 3 kind", "row 3 parent_code", "loop"} {
			require.Contains(t, msg, want)
		}
		_, err = s.FindUnit(ctx, "A1")
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err), "nothing half-imported")
	})
}

func TestUserService_Authenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	_, _, err := store.NewUnitService(db).ImportUnits(ctx, sampleUnits())
	require.NoError(t, err)
	users := store.NewUserService(db)

	token, err := users.CreateUser(ctx, &danvan.User{Name: "Cán bộ SNV", Role: danvan.RoleOfficer, UnitCode: "SNV"})
	require.NoError(t, err)
	u, err := users.Authenticate(ctx, token)
	require.NoError(t, err)
	require.Equal(t, "SNV", u.UnitCode)
	require.True(t, u.CanActFor("SNV"))
	require.False(t, u.CanActFor("DP"))

	_, err = users.Authenticate(ctx, token+"x")
	require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err))

	_, err = users.CreateUser(ctx, &danvan.User{Name: "x", Role: danvan.RoleOfficer})
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), "an officer needs a unit")
	_, err = users.CreateUser(ctx, &danvan.User{Name: "x", Role: danvan.RoleOfficer, UnitCode: "NOPE"})
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), "unknown unit")
}
