package meili_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search/meili"
	"github.com/danvan/danvan/search/searchtest"
)

// fakeMeili answers writes with 202 and a task that then fails, the way
// Meilisearch does, and records the documents it was sent.
func fakeMeili(t *testing.T, taskStatus string) (*httptest.Server, *[]map[string]any) {
	var (
		mu   sync.Mutex
		docs []map[string]any
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/documents"):
			b, _ := io.ReadAll(r.Body)
			var batch []map[string]any
			require.NoError(t, json.Unmarshal(b, &batch))
			mu.Lock()
			docs = append(docs, batch...)
			mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, `{"taskUid": 7, "indexUid": "documents", "status": "enqueued", "type": "documentAdditionOrUpdate"}`)
		case r.Method == http.MethodGet && r.URL.Path == "/tasks/7":
			_, _ = io.WriteString(w, `{"uid": 7, "indexUid": "documents", "status": "`+taskStatus+`", "type": "documentAdditionOrUpdate",
				"error": {"message": "Document identifier is invalid", "code": "invalid_document_id", "type": "invalid_request", "link": ""}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message": "not here", "code": "not_found", "type": "invalid_request", "link": ""}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &docs
}

func TestIndex_TaskStatusChecked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, docs := fakeMeili(t, "failed")
	ix := meili.New(meili.Config{URL: srv.URL})
	err := ix.Upsert(ctx, searchtest.Docs)
	require.Error(t, err, "a failed task must be an error although the request was accepted")
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
	require.Contains(t, err.Error(), "Document identifier is invalid")

	safe := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,511}$`)
	seen := map[string]bool{}
	for _, d := range *docs {
		pk := d["pk"].(string)
		require.Regexp(t, safe, pk)
		require.False(t, seen[pk], "primary keys are unique")
		seen[pk] = true
		require.Contains(t, d["id"], "/", "the registry key is kept as a field")
	}

	srv2, _ := fakeMeili(t, "succeeded")
	require.NoError(t, meili.New(meili.Config{URL: srv2.URL}).Upsert(ctx, searchtest.Docs[:1]))
}

func TestSettings(t *testing.T) {
	t.Parallel()
	s := meili.Settings()
	require.Equal(t, []string{"number", "title", "subject", "name", "issuer", "issuer_code", "text"}, s.SearchableAttributes)
	require.Contains(t, s.TypoTolerance.DisableOnAttributes, "number")
	require.Contains(t, s.SortableAttributes, "date")
	syn := meili.Synonyms()
	require.Contains(t, syn["qđ"], "quyết định")
	require.Contains(t, syn["quyết định"], "qđ")
	require.Contains(t, syn["kh"], "kế hoạch")
	require.Contains(t, syn["nghi dinh"], "nd")
}
