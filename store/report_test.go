package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/reports"
	"github.com/danvan/danvan/store"
)

func TestReportService_Catalogue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rs := store.NewReportService(workDB(t))
	v, body, err := rs.ActiveCatalogue(ctx)
	require.NoError(t, err)
	require.Equal(t, reports.Default().Version, v)
	_, err = reports.Parse(body)
	require.NoError(t, err)

	custom := []byte(`{"version":"2027-QN","sections":[{"key":"a","code":"I","title":"A","required":true}],"figures":[],"identities":[],"derived":[]}`)
	require.NoError(t, rs.ImportCatalogue(ctx, "2027-QN", custom, "admin"))
	v, _, err = rs.ActiveCatalogue(ctx)
	require.NoError(t, err)
	require.Equal(t, "2027-QN", v)
	require.NoError(t, rs.ImportCatalogue(ctx, "2027-QN", custom, "admin"), "same body again is harmless")
	err = rs.ImportCatalogue(ctx, "2027-QN", []byte(`{"version":"2027-QN"}`), "admin")
	require.Equal(t, danvan.EConflict, danvan.ErrorCode(err))
	// The old version stays readable for the reports that used it.
	_, err = rs.Catalogue(ctx, reports.Default().Version)
	require.NoError(t, err)
	_, err = rs.Catalogue(ctx, "nope")
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
}

func TestReportService_Life(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := workDB(t)
	rs := store.NewReportService(db)
	v, _, err := rs.ActiveCatalogue(ctx)
	require.NoError(t, err)
	mk := func(cycle string, year int, luot float64) *danvan.Report {
		return &danvan.Report{CycleID: cycle, UnitCode: "A", Kind: danvan.ReportAnnual, Year: year, Number: "1/BC-A", Date: "2022-11-25",
			Title: "Báo cáo năm", Sections: map[string]string{"tinh_hinh": "..."}, Figures: map[string]float64{"tcd.luot": luot},
			Citations: []string{"53/KH-UBND"}, CatalogueVersion: v, SubmittedBy: "Cán bộ A", SubmittedAt: time.Now()}
	}
	_, err = rs.PreviousReport(ctx, "A", danvan.ReportAnnual, 2022)
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	require.NoError(t, rs.SaveReport(ctx, mk("2021-OWN", 2021, 100), nil, 0))
	r := mk("2022-OWN", 2022, 124)
	require.NoError(t, rs.SaveReport(ctx, r, []danvan.Upload{{Name: "ky.pdf", MediaType: "application/pdf", Data: []byte("%PDF")}}, 0))
	prev, err := rs.PreviousReport(ctx, "A", danvan.ReportAnnual, 2022)
	require.NoError(t, err)
	require.Equal(t, 100.0, prev.Figures["tcd.luot"])

	// Submitting again replaces the report and keeps its earlier files.
	again := mk("2022-OWN", 2022, 130)
	require.NoError(t, rs.SaveReport(ctx, again, nil, 0))
	require.Equal(t, r.ID, again.ID)
	got, err := rs.FindReport(ctx, "2022-OWN", "A", danvan.ReportAnnual)
	require.NoError(t, err)
	require.Equal(t, 130.0, got.Figures["tcd.luot"])
	require.Len(t, got.Attachments, 1)
	require.Equal(t, []string{"53/KH-UBND"}, got.Citations)

	// Nothing is half saved: a file over the limit, a draft of another
	// unit or an unknown catalogue refuses the whole report.
	failing := mk("2021-OWN", 2021, 1)
	err = rs.SaveReport(ctx, failing, []danvan.Upload{{Name: "big.pdf", Data: make([]byte, danvan.DefaultMaxFileSize+1)}}, 0)
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
	d := &danvan.Draft{CycleID: "2022-OWN", UnitCode: "B", Kind: "annual_report", Body: []byte(`{}`)}
	require.NoError(t, rs.SaveDraft(ctx, d, nil))
	err = rs.SaveReport(ctx, mk("2021-OWN", 2021, 2), nil, d.ID)
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	bad := mk("2021-OWN", 2021, 3)
	bad.CatalogueVersion = "none"
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(rs.SaveReport(ctx, bad, nil, 0)))
	prev, err = rs.PreviousReport(ctx, "A", danvan.ReportAnnual, 2022)
	require.NoError(t, err)
	require.Equal(t, 100.0, prev.Figures["tcd.luot"], "the refused reports changed nothing")
	_, err = rs.FindDraft(ctx, d.ID)
	require.NoError(t, err, "the draft of B is untouched")
}

func TestReportService_Drafts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rs := store.NewReportService(workDB(t))
	d := &danvan.Draft{CycleID: "2022-OWN", UnitCode: "A", Kind: "model_registration", Body: []byte(`{"name":"Tiếp dân"}`)}
	require.NoError(t, rs.SaveDraft(ctx, d, []danvan.Upload{{Name: "x.txt", Data: []byte("x"), Text: "x"}}))
	d.Body = []byte(`{"name":"Tiếp dân tận tình"}`)
	require.NoError(t, rs.SaveDraft(ctx, d, nil))
	require.Len(t, d.Attachments, 1)
	intruder := &danvan.Draft{ID: d.ID, CycleID: "2022-OWN", UnitCode: "B", Kind: "model_registration", Body: []byte(`{}`)}
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(rs.SaveDraft(ctx, intruder, nil)))
	list, err := rs.FindDrafts(ctx, "A", "")
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.JSONEq(t, `{"name":"Tiếp dân tận tình"}`, string(list[0].Body))
	list, err = rs.FindDrafts(ctx, "B", "")
	require.NoError(t, err)
	require.Empty(t, list)

	// Registering the model from the draft takes its files and removes it.
	m := &danvan.Model{CycleID: "2022-OWN", UnitCode: "A", Year: 2022, ModelRegistration: registration("Tiếp dân tận tình", "kinh_te")}
	require.NoError(t, store.NewModelService(rs.DB()).CreateModel(ctx, m, nil, d.ID))
	require.Len(t, m.Attachments, 1)
	_, err = rs.FindDraft(ctx, d.ID)
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	a, unit, data, err := rs.FindAttachment(ctx, m.Attachments[0].ID)
	require.NoError(t, err)
	require.Equal(t, "A", unit)
	require.Equal(t, "x", string(data))
	require.False(t, a.InDraft)
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(rs.DeleteDraft(ctx, d.ID)))
}
