// Package searchtest is the behavioural suite every search.Index backend
// must pass: the same documents, the same queries, the same expectations,
// so switching backends never changes what staff find.
package searchtest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search"
)

// Docs are the suite's documents: real numbers and subjects from the
// corpus, with distractors that share a number head (33/KH-UBND,
// 33/2018/QĐ-UBND) or mention another document in their text, so ranking
// has to be right and not merely lucky. IDs are registry keys with "/" and
// "|" on purpose: Meilisearch refuses those as primary keys.
var Docs = []search.Doc{
	{ID: "ttg|33/ct-ttg|2021", Number: "33/CT-TTg", Type: "Chỉ thị", TypeCode: "CT", Issuer: "Thủ tướng Chính phủ", IssuerCode: "TTg",
		Date: "2021-11-26", Year: 2021, Status: danvan.DocInForce,
		Subject: "về tiếp tục tăng cường và đổi mới công tác dân vận của cơ quan nhà nước, chính quyền các cấp trong tình hình mới"},
	{ID: "ubnd|53/kh-ubnd|2022", Number: "53/KH-UBND", Type: "Kế hoạch", TypeCode: "KH", Issuer: "UBND tỉnh", IssuerCode: "UBND",
		Date: "2022-03-23", Year: 2022,
		Subject: "về thực hiện Quy chế dân chủ ở cơ sở và công tác dân vận chính quyền năm 2022",
		Text:    "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ, UBND tỉnh ban hành Kế hoạch thực hiện công tác dân vận chính quyền năm 2022."},
	{ID: "vp|495/kh-vp|2022", Number: "495/KH-VP", Type: "Kế hoạch", TypeCode: "KH", Issuer: "Văn phòng UBND tỉnh", IssuerCode: "VP",
		Date: "2022-03-29", Year: 2022,
		Subject: "về thực hiện Quy chế dân chủ cơ sở và công tác dân vận chính quyền năm 2022",
		Text:    "Thực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh; tiếp tục thực hiện Chỉ thị 33; xây dựng mô hình Dân vận khéo tại Ban Tiếp công dân tỉnh."},
	{ID: "ubnd|33/kh-ubnd|2023", Number: "33/KH-UBND", Type: "Kế hoạch", TypeCode: "KH", Issuer: "UBND tỉnh", IssuerCode: "UBND",
		Date: "2023-02-20", Year: 2023, Subject: "về công tác cải cách hành chính năm 2023"},
	{ID: "ubnd|33/2018/qđ-ubnd|2018", Number: "33/2018/QĐ-UBND", Type: "Quyết định", TypeCode: "QĐ", Issuer: "UBND tỉnh", IssuerCode: "UBND",
		Date: "2018-08-10", Year: 2018, Status: danvan.DocReplaced,
		Subject: "ban hành Quy định về thực hiện cơ chế một cửa, một cửa liên thông"},
	{ID: "ubnd|1211/qđ-ubnd|2022", Number: "1211/QĐ-UBND", Type: "Quyết định", TypeCode: "QĐ", Issuer: "UBND tỉnh", IssuerCode: "UBND",
		Date: "2022-11-02", Year: 2022,
		Subject: "Quy định tiêu chí, thang điểm và phương pháp đánh giá, phân loại công tác dân vận"},
	{ID: "cp|04/2015/nđ-cp|2015", Number: "04/2015/NĐ-CP", Type: "Nghị định", TypeCode: "NĐ", Issuer: "Chính phủ", IssuerCode: "CP",
		Date: "2015-01-09", Year: 2015,
		Subject: "về thực hiện dân chủ trong hoạt động của cơ quan hành chính nhà nước và đơn vị sự nghiệp công lập"},
	{ID: "snv|1787/snv-xdcq|2022", Number: "1787/SNV-XDCQ", Type: "Công văn", Issuer: "Sở Nội vụ", IssuerCode: "SNV",
		Date: "2022-11-04", Year: 2022, Subject: "về việc báo cáo kết quả công tác dân vận chính quyền năm 2022"},
	{ID: "tu|12-qđ/tu|2019", Number: "12-QĐ/TU", Type: "Quy định", TypeCode: "QĐ", Issuer: "Ban Thường vụ Tỉnh ủy", IssuerCode: "TU",
		Date: "2019-12-27", Year: 2019,
		Subject: "về đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền với nhân dân"},
	{ID: "ubnd|3235/qđ-ubnd|2017", Number: "3235/QĐ-UBND", Type: "Quyết định", TypeCode: "QĐ", Issuer: "UBND tỉnh Sơn La", IssuerCode: "UBND",
		Date: "2017-12-18", Year: 2017,
		Subject: "phê duyệt Đề án đổi mới công tác dân vận trong cơ quan nhà nước",
		Text:    "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015; Đảng ủy và chính quyền đổi mới phương thức dân vận."},
}

// Run runs the suite on the index newIndex returns; newIndex gives each
// call an empty index of its own (the suite calls it twice).
func Run(t *testing.T, newIndex func(t *testing.T) search.Index) {
	ctx := context.Background()
	ix := newIndex(t)
	require.NoError(t, ix.Setup(ctx))
	require.NoError(t, ix.Ping(ctx))
	require.NotEmpty(t, ix.Name())
	require.NoError(t, ix.Upsert(ctx, Docs))

	find := func(t *testing.T, q search.Query) *search.Result {
		t.Helper()
		res, err := ix.Search(ctx, q)
		require.NoError(t, err)
		return res
	}
	numbers := func(res *search.Result) []string {
		out := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			out[i] = h.Number
		}
		return out
	}

	t.Run("TypeWordsAndNumber", func(t *testing.T) {
		for _, q := range []string{"chi thi 33", "Chỉ thị 33", "CHI THI 33", "ct 33", "chỉ thị số 33"} {
			res := find(t, search.Query{Q: q})
			require.NotEmpty(t, res.Hits, q)
			require.Equal(t, "33/CT-TTg", res.Hits[0].Number, "%q: %v", q, numbers(res))
		}
		res := find(t, search.Query{Q: "ke hoach 33"})
		require.Equal(t, "33/KH-UBND", res.Hits[0].Number, numbers(res))
	})

	t.Run("ExactNumber", func(t *testing.T) {
		for q, want := range map[string]string{
			"53/KH-UBND": "53/KH-UBND", "53/kh-ubnd": "53/KH-UBND", "04/2015/NĐ-CP": "04/2015/NĐ-CP",
			"04/2015/ND-CP": "04/2015/NĐ-CP", "12-QĐ/TU": "12-QĐ/TU", "1787/SNV-XDCQ": "1787/SNV-XDCQ",
		} {
			res := find(t, search.Query{Q: q})
			require.NotEmpty(t, res.Hits, q)
			require.Equal(t, want, res.Hits[0].Number, "%q: %v", q, numbers(res))
		}
	})

	t.Run("Filters", func(t *testing.T) {
		res := find(t, search.Query{Types: []string{"KH"}})
		require.ElementsMatch(t, []string{"53/KH-UBND", "495/KH-VP", "33/KH-UBND"}, numbers(res))
		res = find(t, search.Query{Types: []string{"Kế hoạch"}})
		require.Len(t, res.Hits, 3)
		res = find(t, search.Query{Q: "dan van", Types: []string{"QĐ"}, YearFrom: 2020})
		require.Equal(t, []string{"1211/QĐ-UBND"}, numbers(res))
		res = find(t, search.Query{Issuer: "Sở Nội vụ"})
		require.Equal(t, []string{"1787/SNV-XDCQ"}, numbers(res))
		res = find(t, search.Query{YearFrom: 2022, YearTo: 2022})
		require.ElementsMatch(t, []string{"53/KH-UBND", "495/KH-VP", "1211/QĐ-UBND", "1787/SNV-XDCQ"}, numbers(res))
		res = find(t, search.Query{Q: "dan van", YearTo: 2017})
		require.Equal(t, []string{"3235/QĐ-UBND"}, numbers(res))
		res = find(t, search.Query{Status: danvan.DocReplaced})
		require.Equal(t, []string{"33/2018/QĐ-UBND"}, numbers(res))
	})

	t.Run("EmptyQueryLists", func(t *testing.T) {
		res := find(t, search.Query{})
		require.Equal(t, len(Docs), res.Total)
		require.Len(t, res.Hits, len(Docs))
		page := find(t, search.Query{Limit: 4, Offset: 4})
		require.Len(t, page.Hits, 4)
		require.Equal(t, len(Docs), page.Total)
		require.NotContains(t, numbers(res)[:4], page.Hits[0].Number)
	})

	t.Run("Snippets", func(t *testing.T) {
		res := find(t, search.Query{Q: "dan chu co so"})
		require.NotEmpty(t, res.Hits)
		for _, h := range res.Hits[:1] {
			require.Contains(t, h.Snippet, "<mark>", h.Snippet)
			require.Contains(t, strings.ToLower(danvan.Fold(h.Snippet)), "<mark>dan</mark>", h.Snippet)
		}
		res = find(t, search.Query{Q: "ban tiep cong dan"}) // only in 495/KH-VP's text
		require.NotEmpty(t, res.Hits)
		require.Equal(t, "495/KH-VP", res.Hits[0].Number)
		require.Contains(t, res.Hits[0].Snippet, "<mark>Tiếp</mark>", res.Hits[0].Snippet)
	})

	t.Run("IDsAndJSON", func(t *testing.T) {
		res := find(t, search.Query{Q: "04/2015/NĐ-CP"})
		require.Equal(t, "cp|04/2015/nđ-cp|2015", res.Hits[0].ID)
		b, err := json.Marshal(res)
		require.NoError(t, err)
		var out struct {
			Hits []map[string]any `json:"hits"`
		}
		require.NoError(t, json.Unmarshal(b, &out))
		for _, k := range []string{"number", "type", "issuer", "date", "subject", "cited_by", "snippet"} {
			require.Contains(t, out.Hits[0], k)
		}
		require.Equal(t, "Nghị định", out.Hits[0]["type"])
	})

	t.Run("Delete", func(t *testing.T) {
		ix2 := newIndex(t)
		require.NoError(t, ix2.Setup(ctx))
		require.NoError(t, ix2.Upsert(ctx, Docs[:3]))
		require.NoError(t, ix2.Delete(ctx, []string{Docs[0].ID, "no|such/id|"}))
		res, err := ix2.Search(ctx, search.Query{})
		require.NoError(t, err)
		require.Equal(t, 2, res.Total)
		res, err = ix2.Search(ctx, search.Query{Q: "33/CT-TTg"})
		require.NoError(t, err)
		for _, h := range res.Hits {
			require.NotEqual(t, "33/CT-TTg", h.Number)
		}
	})
}
