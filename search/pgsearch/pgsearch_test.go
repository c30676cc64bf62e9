package pgsearch_test

import (
	"testing"

	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/search/pgsearch"
	"github.com/danvan/danvan/search/searchtest"
	"github.com/danvan/danvan/store/storetest"
)

func TestIndex_Suite(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, func(t *testing.T) search.Index { return pgsearch.New(storetest.New(t)) })
}
