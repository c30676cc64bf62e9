package perf

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/search/pgsearch"
	"github.com/danvan/danvan/search/synthetic"
	"github.com/danvan/danvan/store"
)

// searchQueries are what staff type: a number, a type and number without
// diacritics, common and rare words, words with filters, filters alone.
var searchQueries = []search.Query{
	{Q: "53/KH-UBND"}, {Q: "chi thi 33"}, {Q: "1211/QĐ"}, {Q: "dan van chinh quyen"},
	{Q: "doi thoai truc tiep nguoi dung dau"},
	{Q: "cai cach hanh chinh", Types: []string{"KH"}, YearFrom: 2020, YearTo: 2022},
	{Types: []string{"QĐ"}, Issuer: "UBND", YearFrom: 2018, YearTo: 2019},
}

// Search loads n synthetic documents into a fresh database with the
// product's migrations and measures the local backend's query latency over
// rounds passes of searchQueries.
func Search(ctx context.Context, dbName string, n, rounds int, corpusDir string) (p50, p95 time.Duration, err error) {
	if err := dropDB(ctx, dbName); err != nil {
		return 0, 0, err
	}
	defer dropDB(context.Background(), dbName)
	db, err := store.Open(ctx, dbURL(dbName), store.Options{CreateDatabase: true, MaxConns: 4})
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return 0, 0, err
	}
	if _, err := synthetic.Load(ctx, db.Pool, n, corpusDir); err != nil {
		return 0, 0, err
	}
	ix := pgsearch.New(db)
	var lat []time.Duration
	for range rounds {
		for _, q := range searchQueries {
			t := time.Now()
			if _, err := ix.Search(ctx, q); err != nil {
				return 0, 0, fmt.Errorf("search %+v: %w", q, err)
			}
			lat = append(lat, time.Since(t))
		}
	}
	slices.Sort(lat)
	return percentile(lat, 50), percentile(lat, 95), nil
}
