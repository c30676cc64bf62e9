package app_test

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/app"
	"github.com/danvan/danvan/registry"
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

// TestSearch_IndexSubmission_Ownership: a department submitting under the
// number of a document an administrator imported (the review's attack:
// same number, same issuer code, same year) leaves that document's text
// unchanged; the submission becomes a document of its own, the clash an
// anomaly on both, and submitting again changes nothing more.
func TestSearch_IndexSubmission_Ownership(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	units := store.NewUnitService(db)
	_, _, err := units.ImportUnits(ctx, []danvan.Unit{{Code: "SNV", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment}})
	require.NoError(t, err)
	s, err := app.OpenSearch(ctx, db, "", "", slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s.Units = units

	const original = "BÁO CÁO\nKết quả công tác dân vận chính quyền năm 2022 của Sở Nội vụ, văn bản gốc do quản trị viên nhập."
	rep, err := s.ImportDocuments(ctx, []registry.ImportInput{{Name: "bc.txt", Text: original,
		Override: &registry.Identity{Number: "1787/BC-SNV", Date: "2022-11-04", Type: "BC"}}})
	require.NoError(t, err)
	require.Equal(t, 1, rep.Imported)
	importedID := rep.Files[0].DocumentID

	sub := &danvan.Submission{CycleID: "2022-SNV", UnitCode: "SNV", Kind: danvan.TaskAnnualReport, Seq: 1, Number: "1787/BC-SNV",
		Date: "2022-11-04", Text: "BÁO CÁO\nNội dung khác do đơn vị nộp, ghi đè thử.", SubmittedAt: time.Now()}
	require.NoError(t, s.IndexSubmission(ctx, sub))
	require.NoError(t, s.IndexSubmission(ctx, sub), "idempotent")

	text, err := db.DocumentText(ctx, importedID)
	require.NoError(t, err)
	require.Equal(t, original, text, "the imported document's text is unchanged")

	var ids []int64
	rows, err := db.Pool.Query(ctx, `SELECT id FROM documents WHERE number = '1787/BC-SNV' ORDER BY id`)
	require.NoError(t, err)
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	require.Len(t, ids, 2, "the submission is a document of its own")
	require.Equal(t, importedID, ids[0])
	subText, err := db.DocumentText(ctx, ids[1])
	require.NoError(t, err)
	require.Equal(t, sub.Text, subText)

	clashes, err := db.NumberClashes(ctx, 10)
	require.NoError(t, err)
	require.Len(t, clashes, 1, "one clash, recorded once")
	require.Equal(t, ids[1], clashes[0].DocumentID)
	require.Equal(t, importedID, *clashes[0].CitedID)
	require.Contains(t, clashes[0].MessageVI, "trùng số")

	for _, id := range ids {
		v, err := s.ShowDocument(ctx, strconv.FormatInt(id, 10))
		require.NoError(t, err)
		var kinds []string
		for _, a := range v.Anomalies {
			kinds = append(kinds, a.Kind)
		}
		require.Contains(t, kinds, store.AnomalyNumberClash, "the administrator sees the clash on document %d", id)
	}
	v, err := s.ShowDocument(ctx, strconv.FormatInt(ids[1], 10))
	require.NoError(t, err)
	require.Equal(t, "SNV", v.Document.OwnerUnit)
}
