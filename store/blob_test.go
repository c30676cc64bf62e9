package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

func TestBlobService(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	s := store.NewBlobService(db)

	t.Run("RoundTripAndDedupe", func(t *testing.T) {
		data := []byte("a\t\"quoted\"\\ text\n\x01")
		sum, err := s.PutBlob(ctx, data, "text/plain")
		require.NoError(t, err)
		require.Len(t, sum, 64)
		again, err := s.PutBlob(ctx, data, "text/plain")
		require.NoError(t, err)
		require.Equal(t, sum, again)
		got, mt, err := s.GetBlob(ctx, sum)
		require.NoError(t, err)
		require.Equal(t, data, got)
		require.Equal(t, "text/plain", mt)
		var n int
		require.NoError(t, db.Pool.QueryRow(ctx, `SELECT count(*) FROM blobs`).Scan(&n))
		require.Equal(t, 1, n)
	})
	t.Run("NotFound", func(t *testing.T) {
		_, _, err := s.GetBlob(ctx, strings.Repeat("0", 64))
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	})
	t.Run("TooLarge", func(t *testing.T) {
		_, err := store.PutBlob(ctx, db.Pool, []byte("12345"), "", 4)
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
	})
}
