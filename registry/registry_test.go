package registry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/registry"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/store/storetest"
)

const corpus = "../../shared/corpus"

// corpusInputs are the three corpus files; two have no number in their
// header ("Số: /BC-VPUB" is blank), so they get an identity by override
// the way `docs import --number …` gives one.
func corpusInputs(t *testing.T) []registry.ImportInput {
	t.Helper()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not found at %s: %v", corpus, err)
	}
	return []registry.ImportInput{
		{Path: filepath.Join(corpus, "qn-vpubnd-bao-cao-dan-van-2022.txt"),
			Override: &registry.Identity{Number: "2071/BC-VP", Date: "25/11/2022", Type: "BC", Issuer: "Văn phòng UBND tỉnh Quảng Ngãi"}},
		{Path: filepath.Join(corpus, "sl-qd-3235-de-an-dan-van-2018-2022.txt")},
		{Path: filepath.Join(corpus, "sl-vpubnd-so-ket-doi-thoai-2022.txt"),
			Override: &registry.Identity{Number: "30/BC-VPUB", Date: "2022-01-20", Type: "Báo cáo", Issuer: "Văn phòng UBND tỉnh Sơn La"}},
	}
}

func counts(t *testing.T, svc *registry.Service) [4]int {
	t.Helper()
	var c [4]int
	require.NoError(t, svc.DB.Pool.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM documents), (SELECT count(*) FROM document_mentions),
		(SELECT count(*) FROM document_relations), (SELECT count(*) FROM document_anomalies)`).Scan(&c[0], &c[1], &c[2], &c[3]))
	return c
}

func TestService_Import(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inputs := corpusInputs(t)
	svc := &registry.Service{DB: storetest.New(t)}

	var calls [][2]int
	withBad := append(append([]registry.ImportInput{}, inputs...),
		registry.ImportInput{Name: "no-header.txt", Text: "Thực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022."},
		registry.ImportInput{Path: filepath.Join(corpus, "missing.txt")})
	rep, err := svc.Import(ctx, withBad, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	require.NoError(t, err)
	require.Equal(t, 3, rep.Imported)
	require.Equal(t, 2, rep.Failed)
	require.Len(t, calls, 5)
	require.Equal(t, [2]int{5, 5}, calls[4])
	for _, f := range rep.Files[:3] {
		require.True(t, f.Imported, f.File)
		require.Nil(t, f.Error, f.File)
		require.Greater(t, f.Citations, 10, f.File)
	}
	require.Equal(t, "3235/QĐ-UBND", rep.Files[1].Number, "identity from the header")
	require.Equal(t, danvan.EInvalid, rep.Files[3].Error.Code)
	require.Equal(t, danvan.EInvalid, rep.Files[4].Error.Code)

	first := counts(t, svc)
	require.Greater(t, first[0], 50)
	rep, err = svc.Import(ctx, inputs, nil)
	require.NoError(t, err)
	require.Equal(t, 3, rep.Imported)
	require.Equal(t, first, counts(t, svc), "importing twice changes nothing")

	t.Run("ShowCitedBy", func(t *testing.T) {
		v, err := svc.Show(ctx, "53/KH-UBND")
		require.NoError(t, err)
		require.False(t, v.Document.HasText)
		require.Equal(t, 1, v.Document.CitedBy)
		require.NotEmpty(t, v.CitedBy)
		rels := map[string]bool{}
		for _, r := range v.CitedBy {
			require.Equal(t, "2071/BC-VP", r.Other.Number)
			require.Contains(t, r.Raw, "53/KH-UBND")
			rels[r.Type] = true
		}
		require.True(t, rels[danvan.RelThucHien], "Thực hiện Kế hoạch số 53/KH-UBND")

		v, err = svc.Show(ctx, "30/BC-VPUB")
		require.NoError(t, err)
		require.True(t, v.Document.HasText)
		require.NotEmpty(t, v.Cites)
		require.NotEmpty(t, v.Mentions)
		require.NotEmpty(t, v.Mentions[0].CitedNumber)
		require.NotEmpty(t, v.Anomalies, "12-QĐ/TU is cited with two dates")

		b, err := json.Marshal(v)
		require.NoError(t, err)
		require.Contains(t, string(b), `"cited_by":[`)

		var buf bytes.Buffer
		require.NoError(t, registry.WriteTable(&buf, v))
		require.Contains(t, buf.String(), "Dẫn chiếu")
		require.Contains(t, buf.String(), "12-QĐ/TU")

		_, err = svc.Show(ctx, "9999/XX-YY")
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	})

	t.Run("SearchFindsCited", func(t *testing.T) {
		res, err := svc.Search(ctx, search.Query{Q: "chi thi 33"})
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits)
		require.Equal(t, "33/CT-TTg", res.Hits[0].Number)
		require.GreaterOrEqual(t, res.Hits[0].CitedBy, 1)

		res, err = svc.Search(ctx, search.Query{Q: "3235/QĐ-UBND"})
		require.NoError(t, err)
		require.Equal(t, "3235/QĐ-UBND", res.Hits[0].Number)

		res, err = svc.Search(ctx, search.Query{Q: "doi thoai truc tiep", Types: []string{"BC"}})
		require.NoError(t, err)
		require.Equal(t, "30/BC-VPUB", res.Hits[0].Number)
		require.Contains(t, res.Hits[0].Snippet, "<mark>")

		var buf bytes.Buffer
		require.NoError(t, registry.WriteResults(&buf, res))
		require.Contains(t, buf.String(), "30/BC-VPUB")
	})
}

// recorder is an external index that keeps what it is sent.
type recorder struct {
	mu   sync.Mutex
	docs map[string]search.Doc
	at   map[string]time.Time // when each doc was last upserted
}

func (r *recorder) Setup(context.Context) error { return nil }
func (r *recorder) Ping(context.Context) error  { return nil }
func (r *recorder) Name() string                { return "recorder" }
func (r *recorder) Delete(_ context.Context, ids []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		delete(r.docs, id)
	}
	return nil
}
func (r *recorder) Upsert(_ context.Context, docs []search.Doc) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range docs {
		r.docs[d.ID] = d
		r.at[d.ID] = time.Now()
	}
	return nil
}
func (r *recorder) DeleteStale(_ context.Context, t time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, at := range r.at {
		if at.Before(t) {
			delete(r.docs, id)
			delete(r.at, id)
		}
	}
	return nil
}
func (r *recorder) Search(context.Context, search.Query) (*search.Result, error) {
	return &search.Result{}, nil
}

func TestService_ExternalIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inputs := corpusInputs(t)
	rec := &recorder{docs: map[string]search.Doc{}, at: map[string]time.Time{}}
	svc := &registry.Service{DB: storetest.New(t), Index: rec}
	_, err := svc.Import(ctx, inputs[:1], nil)
	require.NoError(t, err)
	c := counts(t, svc)
	require.Len(t, rec.docs, c[0], "the citing document and every cited one are indexed")
	d, ok := rec.docs["ubnd|53/kh-ubnd|2022"]
	require.True(t, ok)
	require.Equal(t, 1, d.CitedBy)
	require.NotZero(t, d.DocumentID)

	rec.docs = map[string]search.Doc{}
	// A document deleted from the registry but still in the index.
	rec.docs["ubnd|9/kh-ubnd|2019"] = search.Doc{ID: "ubnd|9/kh-ubnd|2019", Number: "9/KH-UBND"}
	rec.at["ubnd|9/kh-ubnd|2019"] = time.Now().Add(-time.Hour)
	n, err := svc.Reindex(ctx)
	require.NoError(t, err)
	require.Equal(t, c[0], n)
	require.Len(t, rec.docs, n)
	require.NotContains(t, rec.docs, "ubnd|9/kh-ubnd|2019", "reindex removes what the registry no longer has")
}

// TestImport_Unnumbered registers a report that carries no number (a draft,
// or as a unit sent it) by its heading, title and text, once.
func TestImport_Unnumbered(t *testing.T) {
	t.Parallel()
	svc := &registry.Service{DB: storetest.New(t)}
	ctx := context.Background()
	text := "\n\nBÁO CÁO\n\nKết quả công tác dân vận năm 2022\n\nThực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh về công tác dân vận.\n"
	for i := 0; i < 2; i++ {
		rep, err := svc.Import(ctx, []registry.ImportInput{{Name: "draft.txt", Text: text}}, nil)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Imported, rep.Files)
	}
	v, err := svc.Show(ctx, "53/KH-UBND")
	require.NoError(t, err)
	require.Len(t, v.CitedBy, 1, "imported twice, registered once")
	require.Equal(t, "Báo cáo Kết quả công tác dân vận năm 2022", v.CitedBy[0].Other.Name)
	require.Equal(t, "thuc_hien", v.CitedBy[0].Type)

	rep, err := svc.Import(ctx, []registry.ImportInput{{Name: "notes.txt", Text: "ghi chú: xem Kế hoạch số 53/KH-UBND"}}, nil)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Failed, "no heading and no number: the identity must be given")
}

// TestImport_RegistryYearConflict: a number cited with a year segment the
// rest of the registry does not use is flagged (04/2013/NĐ-CP in the Sơn La
// decision, where the Quảng Ngãi report cites 04/2015/NĐ-CP).
func TestImport_RegistryYearConflict(t *testing.T) {
	t.Parallel()
	svc := &registry.Service{DB: storetest.New(t)}
	ctx := context.Background()
	rep, err := svc.Import(ctx, []registry.ImportInput{
		{Name: "a.txt", Text: "Số: 1/QĐ-UBND\nCăn cứ Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ."},
		{Name: "b.txt", Text: "Số: 2/QĐ-UBND\nCăn cứ Nghị định số 04/2013/NĐ-CP của Chính phủ."},
		{Name: "c.txt", Text: "Số: 3/QĐ-UBND\nCăn cứ Quyết định số 48/QĐ-UBND; Nghị định số 05/2015/NĐ-CP."},
	}, nil)
	require.NoError(t, err)
	require.Equal(t, 3, rep.Imported, rep.Files)
	v, err := svc.Show(ctx, "2/QĐ-UBND")
	require.NoError(t, err)
	var msgs []string
	for _, a := range v.Anomalies {
		msgs = append(msgs, a.Message)
	}
	require.Len(t, msgs, 1, msgs)
	require.Contains(t, msgs[0], "04/2015/NĐ-CP")
	v, err = svc.Show(ctx, "3/QĐ-UBND")
	require.NoError(t, err)
	require.Empty(t, v.Anomalies, "different serials or types are not conflicts")
}
