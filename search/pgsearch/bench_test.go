package pgsearch_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/search/pgsearch"
	"github.com/danvan/danvan/search/synthetic"
	"github.com/danvan/danvan/store/storetest"
)

// benchDocs is how many synthetic documents BenchmarkSearch loads.
const benchDocs = 100_000

// BenchmarkSearch measures query latency on 100k synthetic documents built
// deterministically from the corpus vocabulary (real subjects and
// sentences recombined, real number shapes), bulk-loaded with COPY into a
// schema of its own. Only the load is slow (tens of seconds); each
// sub-benchmark is one query kind.
//
//	go test ./search/pgsearch -run '^$' -bench Search -benchtime 200x
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	db := storetest.New(b)
	start := time.Now()
	n, err := synthetic.Load(ctx, db.Pool, benchDocs, "../../../shared/corpus")
	require.NoError(b, err)
	b.Logf("loaded %d documents in %s", n, time.Since(start).Round(time.Millisecond))
	ix := pgsearch.New(db)

	queries := []struct {
		name string
		q    search.Query
		top  string // expected first hit's number, "" for any
	}{
		{"exact_number", search.Query{Q: "53/KH-UBND"}, "53/KH-UBND"},
		{"type_and_number", search.Query{Q: "chi thi 33"}, "33/CT-TTg"},
		{"number_prefix", search.Query{Q: "1211/QĐ"}, ""},
		{"common_words", search.Query{Q: "dan van chinh quyen"}, ""},
		{"rare_words", search.Query{Q: "doi thoai truc tiep nguoi dung dau"}, ""},
		{"words_and_filters", search.Query{Q: "cai cach hanh chinh", Types: []string{"KH"}, YearFrom: 2020, YearTo: 2022}, ""},
		{"filters_only", search.Query{Types: []string{"QĐ"}, Issuer: "UBND", YearFrom: 2018, YearTo: 2019}, ""},
	}
	for _, qc := range queries {
		b.Run(qc.name, func(b *testing.B) {
			res, err := ix.Search(ctx, qc.q)
			require.NoError(b, err)
			require.NotEmpty(b, res.Hits)
			if qc.top != "" {
				require.Equal(b, qc.top, res.Hits[0].Number)
			}
			b.ResetTimer()
			t0 := time.Now()
			for b.Loop() {
				if _, err := ix.Search(ctx, qc.q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(t0).Microseconds())/1000/float64(b.N), "ms/query")
			b.ReportMetric(float64(res.Total), "matches")
		})
	}
}
