package registry_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/registry"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/store/storetest"
)

func importText(t *testing.T, svc *registry.Service, name, text string, id registry.Identity) int64 {
	t.Helper()
	rep, err := svc.Import(context.Background(), []registry.ImportInput{{Name: name, Text: text, Override: &id}}, nil)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Imported, "%+v", rep.Files)
	require.Nil(t, rep.Files[0].Error)
	return rep.Files[0].DocumentID
}

func show(t *testing.T, svc *registry.Service, id int64) *registry.DocumentView {
	t.Helper()
	v, err := svc.Show(context.Background(), strconv.FormatInt(id, 10))
	require.NoError(t, err)
	return v
}

// TestService_Validity: a decision that replaces another marks it
// replaced, with the sentence and the decision, on both documents' views,
// in `docs show`, in search; taking the sentence out undoes it; a report
// saying a document was repealed names no repealing document.
func TestService_Validity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := &registry.Service{DB: storetest.New(t)}

	oldID := importText(t, svc, "qd12.txt", "QUYẾT ĐỊNH\nBan hành Quy chế tiếp công dân của tỉnh.",
		registry.Identity{Number: "12/2019/QĐ-UBND", Date: "2019-03-05", Type: "QĐ", Issuer: "UBND tỉnh"})
	require.Equal(t, danvan.DocUnknown, show(t, svc, oldID).Status)

	replacing := "QUYẾT ĐỊNH\nBan hành Quy chế tiếp công dân mới.\nĐiều 3. Quyết định này có hiệu lực kể từ ngày ký và thay thế " +
		"Quyết định số 12/2019/QĐ-UBND ngày 05/3/2019 của UBND tỉnh ban hành Quy chế tiếp công dân."
	newIdentity := registry.Identity{Number: "45/2021/QĐ-UBND", Date: "2021-06-01", Type: "QĐ", Issuer: "UBND tỉnh"}
	newID := importText(t, svc, "qd45.txt", replacing, newIdentity)

	v := show(t, svc, oldID)
	require.Equal(t, danvan.DocReplaced, v.Status)
	require.Equal(t, "đã bị thay thế bởi Quyết định 45/2021/QĐ-UBND ngày 01/06/2021", v.StatusVI)
	require.Len(t, v.Validity, 1)
	require.Equal(t, danvan.ValReplaced, v.Validity[0].Kind)
	require.Contains(t, v.Validity[0].Sentence, "thay thế Quyết định số 12/2019/QĐ-UBND")
	require.Equal(t, newID, v.Validity[0].SaidBy.ID)
	require.Equal(t, newID, v.Validity[0].By.ID)

	nv := show(t, svc, newID)
	require.Len(t, nv.ValidityBy, 1, "the other direction")
	require.Equal(t, oldID, nv.ValidityBy[0].Cited.ID)
	require.Equal(t, "còn hiệu lực", nv.StatusVI)

	var out bytes.Buffer
	require.NoError(t, registry.WriteTable(&out, v))
	require.Contains(t, out.String(), "hiệu lực: đã bị thay thế bởi Quyết định 45/2021/QĐ-UBND ngày 01/06/2021")
	require.Contains(t, out.String(), "ngày: 05/03/2019")
	require.Contains(t, out.String(), "«Quyết định này có hiệu lực kể từ ngày ký và thay thế")
	for _, english := range []string{"unknown", "replaced", "in_force", "2019-03-05"} {
		require.NotContains(t, out.String(), english)
	}

	res, err := svc.Search(ctx, search.Query{Q: "12/2019/QĐ-UBND"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	require.Equal(t, oldID, res.Hits[0].DocumentID)
	require.Equal(t, danvan.DocReplaced, res.Hits[0].Status)
	labels, err := svc.StatusLabels(ctx, map[int64]string{oldID: res.Hits[0].Status, newID: danvan.DocUnknown})
	require.NoError(t, err)
	require.Equal(t, "đã bị thay thế bởi Quyết định 45/2021/QĐ-UBND ngày 01/06/2021", labels[oldID])
	require.Equal(t, "còn hiệu lực", labels[newID])

	// A report says the new decision was repealed: no repealing document is
	// named, so the label cites the report.
	importText(t, svc, "bc7.txt", "BÁO CÁO\nĐến nay Quyết định số 45/2021/QĐ-UBND ngày 01/6/2021 của UBND tỉnh đã bị bãi bỏ.",
		registry.Identity{Number: "7/BC-UBND", Date: "2024-02-01", Type: "BC", Issuer: "UBND tỉnh"})
	nv = show(t, svc, newID)
	require.Equal(t, danvan.DocRepealed, nv.Status)
	require.Equal(t, "đã bị bãi bỏ (theo Báo cáo 7/BC-UBND ngày 01/02/2024)", nv.StatusVI)
	require.Nil(t, nv.Validity[0].By)

	// The decision re-imported without the sentence: the old one is in
	// force again as far as the registry knows.
	importText(t, svc, "qd45.txt", "QUYẾT ĐỊNH\nBan hành Quy chế tiếp công dân mới.", newIdentity)
	v = show(t, svc, oldID)
	require.Equal(t, danvan.DocUnknown, v.Status)
	require.Equal(t, "còn hiệu lực", v.StatusVI)
	require.Empty(t, v.Validity)
}

// TestService_RegistryAnomalies: a citation without the year segment of a
// registered number (same date) is the same document, flagged; a cited
// date other than the registry's and an issuer with other diacritics are
// flagged too, whichever text came first.
func TestService_RegistryAnomalies(t *testing.T) {
	t.Parallel()
	for _, citationFirst := range []bool{false, true} {
		t.Run("CitationFirst="+strconv.FormatBool(citationFirst), func(t *testing.T) {
			t.Parallel()
			svc := &registry.Service{DB: storetest.New(t)}
			registered := func() int64 {
				return importText(t, svc, "qd22.txt", "QUYẾT ĐỊNH\nVề việc ban hành Quy chế dân chủ.",
					registry.Identity{Number: "22/2020/QĐ-UBND", Date: "2020-03-10", Type: "QĐ", Issuer: "Ủy ban nhân dân tỉnh Sơn La"})
			}
			citing := func() int64 {
				return importText(t, svc, "bc3.txt",
					"BÁO CÁO\nThực hiện Quyết định số 22/QĐ-UBND ngày 10/3/2020 của Uỷ ban nhân dân tỉnh Sơn La, Sở đã triển khai.",
					registry.Identity{Number: "3/BC-SNV", Date: "2021-01-15", Type: "BC", Issuer: "Sở Nội vụ"})
			}
			var regID, citID int64
			if citationFirst {
				citID, regID = citing(), registered()
			} else {
				regID, citID = registered(), citing()
			}
			v := show(t, svc, citID)
			require.Len(t, v.Cites, 1)
			require.Equal(t, regID, v.Cites[0].CitedID, "one document")
			require.Equal(t, "22/2020/QĐ-UBND", v.Cites[0].Other.Number)
			kinds := map[string]danvan.Anomaly{}
			for _, a := range v.Anomalies {
				kinds[a.Kind] = a
			}
			require.Contains(t, kinds, registry.AnomalyYearSegmentMissing)
			require.Contains(t, kinds[registry.AnomalyYearSegmentMissing].MessageVI, "thiếu năm")
			require.Contains(t, kinds, registry.AnomalyIssuerSpelling)
			require.NotContains(t, kinds, registry.AnomalyRegistryDate, "the dates agree")

			rv := show(t, svc, regID)
			var onCited bool
			for _, a := range rv.Anomalies {
				onCited = onCited || a.Kind == registry.AnomalyYearSegmentMissing
			}
			require.True(t, onCited, "the cited document's view shows who cites it without the year segment")
		})
	}

	t.Run("DateConflict", func(t *testing.T) {
		t.Parallel()
		svc := &registry.Service{DB: storetest.New(t)}
		importText(t, svc, "qd22.txt", "QUYẾT ĐỊNH\nVề việc ban hành Quy chế dân chủ.",
			registry.Identity{Number: "22/2020/QĐ-UBND", Date: "2020-03-10", Type: "QĐ", Issuer: "UBND tỉnh"})
		citID := importText(t, svc, "bc4.txt", "BÁO CÁO\nThực hiện Quyết định số 22/2020/QĐ-UBND ngày 12/3/2020 của UBND tỉnh.",
			registry.Identity{Number: "4/BC-SNV", Date: "2021-01-15", Type: "BC", Issuer: "Sở Nội vụ"})
		v := show(t, svc, citID)
		var found *danvan.Anomaly
		for i, a := range v.Anomalies {
			if a.Kind == registry.AnomalyRegistryDate {
				found = &v.Anomalies[i]
			}
		}
		require.NotNil(t, found, "%+v", v.Anomalies)
		require.Contains(t, found.MessageVI, "12/03/2020")
		require.Contains(t, found.MessageVI, "10/03/2020")
	})
}

// TestService_SubjectSearch: a cited document's subject written without
// "về" is stored with it and a search made of its words without
// diacritics finds it first, ahead of documents whose text only mentions
// the same words.
func TestService_SubjectSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	svc := &registry.Service{DB: db}
	importText(t, svc, "bc9.txt", "BÁO CÁO\nCông tác tuyên truyền chuyển đổi số năm 2024 trên địa bàn huyện được quan tâm; "+
		"các xã tuyên truyền về chuyển đổi số năm 2024 bằng nhiều hình thức.",
		registry.Identity{Number: "9/BC-UBND", Date: "2024-06-01", Type: "BC", Issuer: "UBND huyện"})
	citing := importText(t, svc, "bc10.txt", "BÁO CÁO\nThực hiện Kế hoạch số 41/KH-UBND ngày 02/3/2024 tuyên truyền chuyển đổi số năm 2024 trên địa bàn huyện.",
		registry.Identity{Number: "10/BC-UBND", Date: "2024-07-01", Type: "BC", Issuer: "UBND xã"})
	// The extractor's subject for a citation without "về", as the cite
	// package is to produce it, saved the way an import saves citations.
	require.NoError(t, db.SaveCitations(ctx, citing, &danvan.CitationSet{Cited: []danvan.CitedDocument{{
		Document: danvan.Document{Number: "41/KH-UBND", Type: "Kế hoạch", TypeCode: "KH", IssuerCode: "UBND", Date: "2024-03-02",
			Subject: "tuyên truyền chuyển đổi số năm 2024 trên địa bàn huyện"},
		Mentions: []danvan.Mention{{SpanStart: 18, SpanEnd: 55, Raw: "Kế hoạch số 41/KH-UBND ngày 02/3/2024"}},
	}}}))
	res, err := svc.Search(ctx, search.Query{Q: "tuyen truyen chuyen doi so nam 2024"})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(res.Hits), 2, "the report's text matches too")
	require.Equal(t, "41/KH-UBND", res.Hits[0].Number)
	require.Equal(t, "tuyên truyền chuyển đổi số năm 2024 trên địa bàn huyện", res.Hits[0].Subject)
}
