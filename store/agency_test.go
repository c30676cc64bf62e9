package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/scoring"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

func TestCriteriaService_ImportVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	newCycle(t, db)
	cs := store.NewCriteriaService(db)
	set, err := criteria.Parse(criteria.ExampleTayNinh2022)
	require.NoError(t, err)

	v1, err := cs.ImportSet(ctx, set, "admin")
	require.NoError(t, err)
	require.Equal(t, 1, v1.Version)
	again, err := cs.ImportSet(ctx, set, "admin")
	require.NoError(t, err)
	require.Equal(t, 1, again.Version, "the same content is not a new version")
	changed := *set
	changed.Cap = &criteria.Cap{Grade: "hoan_thanh_xuat_sac", MaxShare: 0.3}
	v2, err := cs.ImportSet(ctx, &changed, "admin")
	require.NoError(t, err)
	require.Equal(t, 2, v2.Version)

	all, err := cs.ListSets(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Equal(t, 2, all[0].Version)

	none, err := cs.CycleSet(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Nil(t, none)
	used, err := cs.UseSet(ctx, "2022-SNV", set.ID, 1)
	require.NoError(t, err)
	require.Equal(t, 1, used.Version)
	got, err := cs.CycleSet(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Equal(t, 0.2, got.Cap.MaxShare)

	t.Run("NotFound", func(t *testing.T) {
		_, err := cs.UseSet(ctx, "2022-SNV", "nope", 0)
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
		_, err = cs.UseSet(ctx, "1999-X", set.ID, 0)
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	})
	t.Run("Invalid", func(t *testing.T) {
		bad := *set
		bad.MaxTotal = 90
		_, err := cs.ImportSet(ctx, &bad, "admin")
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
		all, err := cs.ListSets(ctx)
		require.NoError(t, err)
		require.Len(t, all, 2, "nothing of a bad set is kept")
	})
}

func plan() *inspections.Plan {
	return &inspections.Plan{CycleID: "2022-SNV", Kind: inspections.KindInspection, Body: "Sở Nội vụ", Title: "Kiểm tra dân vận 2022",
		Purpose: "Đánh giá", Content: []inspections.ContentItem{{Code: "ND1", Title: "Lãnh đạo, chỉ đạo"}},
		Units: []inspections.Visit{{Unit: "DP", Date: "2022-06-10"}}, PeriodFrom: "2021-12-15", PeriodTo: "2022-06-14",
		WindowFrom: "2022-06-01", WindowTo: "2022-06-30", Team: []inspections.Member{{Name: "A", Position: "PGĐ", Agency: "SNV", Role: inspections.RoleHead, UserID: 7}},
		ReportOutline: []string{"Kết quả"}, CreatedAt: time.Now()}
}

func TestInspectionService_Lifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	newCycle(t, db)
	is := store.NewInspectionService(db)
	p := plan()
	require.NoError(t, p.Check())
	id, err := is.CreateInspection(ctx, p)
	require.NoError(t, err)
	got, err := is.FindInspection(ctx, id)
	require.NoError(t, err)
	require.Equal(t, id, got.ID)
	require.Equal(t, inspections.StatusOpen, got.Status)
	require.True(t, got.HasMember(7))

	mine, err := is.ListInspections(ctx, "", "DP")
	require.NoError(t, err)
	require.Len(t, mine, 1)
	other, err := is.ListInspections(ctx, "", "SNV")
	require.NoError(t, err)
	require.Empty(t, other, "a unit sees only inspections of itself")

	rec := &inspections.Record{InspectionID: id, Unit: "DP", Date: "2022-06-10", Participants: []string{"A"},
		Findings: []inspections.Finding{{Content: "ND1", Text: "Tốt"}}, Conclusion: "Đạt", Rating: "dat",
		Actions: []inspections.ActionInput{{Text: "Ban hành quy chế", Due: "2022-07-10"}}, RecordedAt: time.Now()}
	require.NoError(t, rec.Check(got))
	acts := []inspections.Action{{InspectionID: id, Unit: "DP", Seq: 1, Text: "Ban hành quy chế", Due: "2022-07-10",
		TaskCycle: inspections.ActionCycleID("2022-SNV", id, "DP", 1)}}
	require.NoError(t, is.SaveRecord(ctx, rec, acts))
	require.NoError(t, is.SaveRecord(ctx, rec, acts), "the same record again changes nothing")
	changed := *rec
	changed.Conclusion = "Khác"
	require.Equal(t, danvan.EConflict, danvan.ErrorCode(is.SaveRecord(ctx, &changed, acts)))

	list, err := is.FindActions(ctx, "2022-SNV", id, "")
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, inspections.ActionOpen, list[0].State)
	require.Nil(t, list[0].Task)

	// The action's task, as the workflow projects it, decides its state.
	require.NoError(t, store.NewCycleService(db).CreateCycle(ctx, &danvan.Cycle{ID: acts[0].TaskCycle, Status: danvan.CycleRunning, Units: []string{"DP"},
		StartedAt: time.Now(), Definition: danvan.CycleDefinition{Year: 2022, Title: "KN", Owner: "SNV", Parent: "2022-SNV"}}))
	at := time.Now()
	require.NoError(t, store.NewTaskService(db).UpsertTask(ctx, &danvan.Task{CycleID: acts[0].TaskCycle, UnitCode: "DP", Kind: inspections.TaskResponse,
		Title: "KN", Status: danvan.StatusAccepted, Due: at.Add(time.Hour), SubmittedAt: &at, Version: 3}))
	list, err = is.FindActions(ctx, "", 0, "DP")
	require.NoError(t, err)
	require.Equal(t, inspections.ActionAccepted, list[0].State)

	recs, err := is.FindRecords(ctx, id)
	require.NoError(t, err)
	require.Equal(t, "Đạt", recs["DP"].Conclusion)

	require.NoError(t, is.CloseInspection(ctx, id, time.Now()))
	require.Equal(t, danvan.EConflict, danvan.ErrorCode(is.CloseInspection(ctx, id, time.Now())))
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(is.CloseInspection(ctx, id+100, time.Now())))

	t.Run("RecordForUninspectedUnit", func(t *testing.T) {
		bad := *rec
		bad.Unit = "SNV"
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(bad.Check(got)))
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(is.SaveRecord(ctx, &bad, nil)))
	})
}

func TestSummarySource_ReportsAndScores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	_, _, err := store.NewUnitService(db).ImportUnits(ctx, []danvan.Unit{{Code: "QNG", Name: "UBND tỉnh Quảng Ngãi", Kind: danvan.UnitProvince},
		{Code: "SNV", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment, ParentCode: "QNG"}, {Code: "DP", Name: "UBND thị xã Đức Phổ", Kind: danvan.UnitDistrict, ParentCode: "SNV"}})
	require.NoError(t, err)
	newCycle(t, db)
	ts := store.NewTaskService(db)
	due := time.Date(2022, 12, 14, 16, 59, 0, 0, time.UTC)
	at := due.Add(-time.Hour)
	for _, u := range []string{"SNV", "DP"} {
		status := danvan.StatusAccepted
		if u == "SNV" {
			status = danvan.StatusSubmitted // not accepted: its figures do not count
		}
		require.NoError(t, ts.UpsertTask(ctx, &danvan.Task{CycleID: "2022-SNV", UnitCode: u, Kind: "annual_report", Title: "BC", Status: status, Due: due, SubmittedAt: &at, DecidedAt: &at, Version: 2}))
		require.NoError(t, ts.SaveSubmission(ctx, &danvan.Submission{CycleID: "2022-SNV", UnitCode: u, Kind: "annual_report", Seq: 1,
			Text: "BÁO CÁO\ntcd.luot: 10\ntthc.dung_han = 5\ntthc.da_giai_quyet: 10\nkhông phải số: 3", SubmittedAt: at}))
	}
	require.NoError(t, ts.SaveSubmission(ctx, &danvan.Submission{CycleID: "2022-SNV", UnitCode: "DP", Kind: "annual_report", Seq: 2,
		Text: `{"figures": {"tcd.luot": 42, "dvk.dang_ky": 1, "bogus": 9}}`, SubmittedAt: at}))
	src := store.NewSummarySource(db)
	reps, err := src.Reports(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Equal(t, map[string]float64{"tcd.luot": 42, "dvk.dang_ky": 1}, reps["DP"].Figures, "the last submission counts")
	_, ok := reps["SNV"]
	require.False(t, ok)
	models, err := src.Models(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Equal(t, 1, models["DP"].Registered)
	units, owner, err := src.Units(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Equal(t, "Sở Nội vụ", owner.Name)
	require.Len(t, units, 2)
	prov, err := src.Province(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Equal(t, "QNG", prov.Code)
	prev, err := src.Previous(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Empty(t, prev)
	require.NoError(t, store.NewCycleService(db).CreateCycle(ctx, &danvan.Cycle{ID: "2021-SNV", Status: danvan.CycleFinished, Units: []string{"DP"},
		StartedAt: time.Now(), Definition: danvan.CycleDefinition{Year: 2021, Title: "2021", Owner: "SNV"}}))
	prev, err = src.Previous(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Equal(t, "2021-SNV", prev, "the same owner's cycle of the year before")

	sc := store.NewScoreService(db)
	require.NoError(t, sc.SaveSheet(ctx, "2022-SNV", "DP", store.SheetSelf, &scoring.Sheet{Entries: []scoring.Entry{{Criterion: "TC1.1", Points: 5}}}))
	require.NoError(t, sc.SaveSheet(ctx, "2022-SNV", "DP", store.SheetSelf, &scoring.Sheet{Entries: []scoring.Entry{{Criterion: "TC1.1", Points: 4}}}))
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(sc.SaveSheet(ctx, "2022-SNV", "DP", "other", &scoring.Sheet{})))
	sheets, err := sc.Sheets(ctx, "2022-SNV")
	require.NoError(t, err)
	require.Equal(t, 4.0, sheets["DP"][store.SheetSelf].Entries[0].Points)
}
