package meili_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/search/meili"
	"github.com/danvan/danvan/search/meili/meilitest"
	"github.com/danvan/danvan/search/searchtest"
)

// specPath is Meilisearch's own OpenAPI description (v1.15.2), shared by
// every worktree; CI runs this test, so a missing file is a failure.
const specPath = "../../../shared/meilisearch/open-api.json"

func contractIndex(t *testing.T, srv *meilitest.Server, key string, client *http.Client) *meili.Index {
	t.Helper()
	return meili.New(meili.Config{URL: srv.URL, Key: key, IndexUID: "documents", PollInterval: time.Millisecond,
		BatchSize: 4, HTTPClient: client})
}

// TestContract_Lifecycle runs every call the adapter makes against the
// validating server: any request or answer the description does not
// allow fails the test (the server is strict).
func TestContract_Lifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := meilitest.New(t, specPath)
	ix := contractIndex(t, srv, srv.Key, nil)

	require.NoError(t, ix.Ping(ctx))
	require.NoError(t, ix.Setup(ctx))
	require.NoError(t, ix.Setup(ctx), "setup again: index_already_exists is accepted")
	require.NoError(t, ix.Upsert(ctx, searchtest.Docs), "in batches of 4, each task polled to its end")
	require.Len(t, srv.Docs("documents"), len(searchtest.Docs))

	res, err := ix.Search(ctx, search.Query{Q: "dân vận", Types: []string{"KH"}, Issuer: "UBND tỉnh", YearFrom: 2022, YearTo: 2022})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	for _, h := range res.Hits {
		require.Equal(t, "KH", h.TypeCode)
		require.Equal(t, 2022, h.Year)
	}
	require.Contains(t, res.Hits[0].Snippet, "<mark>", "highlighting requested and read back")

	res, err = ix.Search(ctx, search.Query{Status: danvan.DocReplaced})
	require.NoError(t, err, "an empty query lists by date with a status filter")
	require.Len(t, res.Hits, 1)
	require.Equal(t, "33/2018/QĐ-UBND", res.Hits[0].Number)

	require.NoError(t, ix.Delete(ctx, []string{searchtest.Docs[0].ID, searchtest.Docs[1].ID, "no|such|key"}))
	require.Len(t, srv.Docs("documents"), len(searchtest.Docs)-2)

	// Everything upserted before the cut is stale after a reindex.
	time.Sleep(5 * time.Millisecond)
	cut := time.Now()
	time.Sleep(5 * time.Millisecond)
	require.NoError(t, ix.Upsert(ctx, searchtest.Docs[5:6]))
	require.NoError(t, ix.DeleteStale(ctx, cut))
	require.Len(t, srv.Docs("documents"), 1, "only what was upserted after the cut remains")

	require.NoError(t, ix.DeleteIndex(ctx))
	require.Empty(t, srv.Docs("documents"))
	require.Empty(t, srv.Violations())

	for _, route := range []string{"GET /health", "POST /indexes", "PATCH /indexes/{indexUid}/settings",
		"POST /indexes/{indexUid}/documents", "POST /indexes/{indexUid}/documents/delete", "POST /indexes/{indexUid}/search",
		"GET /tasks/{taskUid}", "DELETE /indexes/{indexUid}"} {
		require.NotZero(t, srv.Requests()[route], "the adapter's call %s was exercised", route)
	}
}

// TestContract_Errors: Meilisearch's error answers, themselves valid
// against the description, become the right domain errors.
func TestContract_Errors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := meilitest.New(t, specPath)
	ix := contractIndex(t, srv, srv.Key, nil)

	_, err := ix.Search(ctx, search.Query{Q: "x"})
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err), "missing index: %v", err)

	// Documents added before Setup: the index exists without filterable
	// attributes, so Meilisearch refuses the filter (400
	// invalid_search_filter).
	require.NoError(t, ix.Upsert(ctx, searchtest.Docs[:2]))
	_, err = ix.Search(ctx, search.Query{Q: "x", Status: danvan.DocReplaced})
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), "invalid filter: %v", err)
	require.Contains(t, err.Error(), "not filterable")
	require.NoError(t, ix.Setup(ctx))
	_, err = ix.Search(ctx, search.Query{Q: "x", Status: `"unterminated`})
	require.NoError(t, err, "a value with a quote is quoted, not a broken filter")

	bad := contractIndex(t, srv, "wrong-key", nil)
	_, err = bad.Search(ctx, search.Query{Q: "x"})
	require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err), "401: %v", err)
	require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(bad.Upsert(ctx, searchtest.Docs[:1])))
	require.Empty(t, srv.Violations())
}

// rewrite is a transport that changes the adapter's requests on their way.
type rewrite struct {
	path func(string) string
	body func([]byte) []byte
}

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if rw.path != nil {
		r.URL.Path = rw.path(r.URL.Path)
	}
	if rw.body != nil && r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		b = rw.body(b)
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestContract_ValidatorRefuses shows the test can fail: the adapter's own
// requests, with their path or body changed to something the description
// does not allow, are reported as violations (and refused).
func TestContract_ValidatorRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		rw   rewrite
		want string
	}{
		{"Path", rewrite{path: func(p string) string { return strings.Replace(p, "/search", "/serch", 1) }}, "/serch"},
		{"DeleteBatchPath", rewrite{path: func(p string) string { return strings.Replace(p, "/documents/delete", "/documents/delete-batch", 1) }},
			"delete-batch"},
		{"Body", rewrite{body: func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"limit":20`), []byte(`"limit":"twenty"`), 1)
		}}, "limit"},
		{"BodyUnknownField", rewrite{body: func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"limit":20`), []byte(`"limit":20,"hitsPerPage":"many"`), 1)
		}}, "hitsPerPage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := meilitest.New(t, specPath)
			require.NoError(t, contractIndex(t, srv, srv.Key, nil).Setup(ctx))
			ix := contractIndex(t, srv, srv.Key, &http.Client{Transport: tc.rw})
			srv.SetStrict(false)
			if tc.name == "DeleteBatchPath" {
				require.Error(t, ix.Delete(ctx, []string{"a"}))
			} else {
				_, err := ix.Search(ctx, search.Query{Q: "dân vận"})
				require.Error(t, err)
			}
			v := srv.Violations()
			require.NotEmpty(t, v, "the validator must refuse the changed request")
			require.Contains(t, strings.Join(v, "\n"), tc.want)
		})
	}
}

// TestContract_Errata: every correction to the description is still
// needed (LoadSpec fails otherwise) and says why.
func TestContract_Errata(t *testing.T) {
	t.Parallel()
	_, err := meilitest.LoadSpec(specPath)
	require.NoError(t, err)
	for _, e := range meilitest.Errata {
		require.NotEmpty(t, e.Why)
	}
	compose, err := os.ReadFile("../../docker-compose.yml")
	require.NoError(t, err)
	require.Contains(t, string(compose), "image: getmeili/meilisearch:v1.15.2", "the server version the description is of")
}
