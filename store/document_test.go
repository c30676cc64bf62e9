package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store/storetest"
)

func TestDocumentStore_Unaccent(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	var got string
	require.NoError(t, db.Pool.QueryRow(context.Background(),
		`SELECT public.danvan_unaccent('Đảng ủy đổi mới Chỉ thị NĐ-CP Quyết định')`).Scan(&got))
	require.Equal(t, "Dang uy doi moi Chi thi ND-CP Quyet dinh", got)
}

func TestDocumentStore_Upsert(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("CitationThenImport", func(t *testing.T) {
		t.Parallel()
		db := storetest.New(t)
		cited, err := db.UpsertDocument(ctx, &danvan.Document{Number: "53/KH-UBND", Type: "Kế hoạch", TypeCode: "KH",
			IssuerCode: "UBND", Issuer: "UBND tỉnh", Date: "2022-03-23", Subject: "về dân vận"})
		require.NoError(t, err)
		require.Equal(t, 2022, cited.Year)
		require.Equal(t, "ubnd|53/kh-ubnd|2022", cited.Key)
		require.False(t, cited.HasText)

		imported, err := db.UpsertDocument(ctx, &danvan.Document{Number: "53/KH-UBND", Type: "Kế hoạch", TypeCode: "KH",
			IssuerCode: "UBND", Date: "2022-03-23", Text: "Toàn văn", HasText: true, SourceFile: "kh53.txt"})
		require.NoError(t, err)
		require.Equal(t, cited.ID, imported.ID)
		require.True(t, imported.HasText)
		require.Equal(t, "UBND tỉnh", imported.Issuer, "an import without issuer keeps the cited one")
		require.Equal(t, "về dân vận", imported.Subject)
		require.NotNil(t, imported.ImportedAt)

		again, err := db.UpsertDocument(ctx, &danvan.Document{Number: "53/KH-UBND", IssuerCode: "UBND", Year: 2022,
			Subject: "khác"})
		require.NoError(t, err)
		require.Equal(t, "về dân vận", again.Subject, "a later citation never overrides")
		text, err := db.DocumentText(ctx, again.ID)
		require.NoError(t, err)
		require.Equal(t, "Toàn văn", text)
	})

	t.Run("YearLearnedLater", func(t *testing.T) {
		t.Parallel()
		db := storetest.New(t)
		a, err := db.UpsertDocument(ctx, &danvan.Document{Number: "26/KH-UBND", IssuerCode: "UBND"})
		require.NoError(t, err)
		require.Equal(t, "|26/kh-ubnd|", a.Key)
		b, err := db.UpsertDocument(ctx, &danvan.Document{Number: "26/KH-UBND", IssuerCode: "UBND", Date: "2023-03-17"})
		require.NoError(t, err)
		require.Equal(t, a.ID, b.ID)
		require.Equal(t, "ubnd|26/kh-ubnd|2023", b.Key)
		c, err := db.UpsertDocument(ctx, &danvan.Document{Number: "26/kh-ubnd"})
		require.NoError(t, err)
		require.Equal(t, a.ID, c.ID, "an undated mention resolves to the only document of that number")
	})

	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		db := storetest.New(t)
		_, err := db.UpsertDocument(ctx, &danvan.Document{Type: "Kế hoạch"})
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
		_, err = db.UpsertDocument(ctx, &danvan.Document{Number: "1/QĐ", Date: "2019-04-31"})
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
	})
}

func TestDocumentStore_SaveCitations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	report, err := db.UpsertDocument(ctx, &danvan.Document{Number: "100/BC-VP", IssuerCode: "VP", Date: "2022-12-01",
		Type: "Báo cáo", Text: "Thực hiện Kế hoạch số 53/KH-UBND; Chỉ thị số 33/CT-TTg.", HasText: true})
	require.NoError(t, err)
	set := &danvan.CitationSet{
		Cited: []danvan.CitedDocument{
			{Document: danvan.Document{Number: "53/KH-UBND", IssuerCode: "UBND", Date: "2022-03-23", Type: "Kế hoạch"},
				Mentions: []danvan.Mention{
					{SpanStart: 0, SpanEnd: 32, Raw: "Thực hiện Kế hoạch số 53/KH-UBND", Relation: danvan.RelThucHien},
					{SpanStart: 40, SpanEnd: 50, Raw: "Kế hoạch số 53/KH-UBND"},
				}},
			{Document: danvan.Document{Number: "33/CT-TTg", IssuerCode: "TTg", Type: "Chỉ thị", Year: 2021},
				Mentions: []danvan.Mention{{SpanStart: 34, SpanEnd: 55, Raw: "Chỉ thị số 33/CT-TTg", DateAsWritten: "26/11/2021"}}},
			{Document: danvan.Document{Number: "100/BC-VP", IssuerCode: "VP", Year: 2022}}, // its own number is identity, not a citation
		},
		Anomalies: []danvan.Anomaly{{CitedKey: "ttg|33/ct-ttg|2021", Kind: "date", Message: "two dates"}},
	}
	count := func() (docs, mentions, anomalies int) {
		require.NoError(t, db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM documents),
			(SELECT count(*) FROM document_mentions), (SELECT count(*) FROM document_anomalies)`).Scan(&docs, &mentions, &anomalies))
		return
	}
	require.NoError(t, db.SaveCitations(ctx, report.ID, set))
	d1, m1, a1 := count()
	require.Equal(t, []int{3, 3, 1}, []int{d1, m1, a1})
	require.NoError(t, db.SaveCitations(ctx, report.ID, set))
	d2, m2, a2 := count()
	require.Equal(t, []int{d1, m1, a1}, []int{d2, m2, a2}, "saving twice changes nothing")

	kh, err := db.FindDocument(ctx, "53/kh-ubnd")
	require.NoError(t, err)
	require.Equal(t, 1, kh.CitedBy)
	by, err := db.CitedBy(ctx, kh.ID)
	require.NoError(t, err)
	require.Len(t, by, 2) // thuc_hien and dan_chieu
	require.Equal(t, report.ID, by[0].CitingID)
	require.Equal(t, "100/BC-VP", by[0].Other.Number)

	cites, err := db.Cites(ctx, report.ID)
	require.NoError(t, err)
	require.Len(t, cites, 3)
	require.Equal(t, "53/KH-UBND", cites[0].Other.Number)
	require.Equal(t, danvan.RelThucHien, cites[0].Type)

	an, err := db.Anomalies(ctx, report.ID)
	require.NoError(t, err)
	require.Len(t, an, 1)
	require.NotNil(t, an[0].CitedID)

	// Dropping a citation on re-import recounts the cited document.
	require.NoError(t, db.SaveCitations(ctx, report.ID, &danvan.CitationSet{Cited: set.Cited[1:2]}))
	kh, err = db.FindDocument(ctx, "53/KH-UBND")
	require.NoError(t, err)
	require.Zero(t, kh.CitedBy)

	err = db.SaveCitations(ctx, 999999, set)
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	_, err = db.FindDocument(ctx, "9999/XX")
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
}
