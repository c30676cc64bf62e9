package meili_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/search/meili"
	"github.com/danvan/danvan/search/searchtest"
)

func newIndex(t *testing.T) *meili.Index {
	t.Helper()
	url := os.Getenv("DANVAN_MEILI_URL")
	if url == "" {
		t.Skip("DANVAN_MEILI_URL is not set: Meilisearch cannot be installed in this environment; " +
			"run with DANVAN_MEILI_URL=http://127.0.0.1:7700 (and DANVAN_MEILI_KEY) to test this backend")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	ix := meili.New(meili.Config{URL: url, Key: os.Getenv("DANVAN_MEILI_KEY"), IndexUID: "danvan_test_" + hex.EncodeToString(b[:])})
	t.Cleanup(func() { _ = ix.DeleteIndex(context.Background()) })
	return ix
}

func TestIndex_Suite(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, func(t *testing.T) search.Index { return newIndex(t) })
}

// A failed task returns no Go error from the client: the adapter must see it.
func TestIndex_FailedTaskIsAnError(t *testing.T) {
	t.Parallel()
	ix := newIndex(t)
	ctx := context.Background()
	require.NoError(t, ix.Setup(ctx))
	require.NoError(t, ix.Setup(ctx), "setup is idempotent")
	_, err := ix.Search(ctx, search.Query{Q: "x", Status: `"unterminated`})
	require.NoError(t, err, "a value with a quote is quoted, not a broken filter")
	missing := meili.New(meili.Config{URL: os.Getenv("DANVAN_MEILI_URL"), Key: os.Getenv("DANVAN_MEILI_KEY"),
		IndexUID: ix.UID() + "_missing"})
	_, err = missing.Search(ctx, search.Query{Q: "x"})
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	err = meili.New(meili.Config{URL: "http://127.0.0.1:1"}).Ping(ctx)
	require.Equal(t, danvan.EUnavailable, danvan.ErrorCode(err))
}
