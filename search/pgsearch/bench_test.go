package pgsearch_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/search/pgsearch"
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
	n := loadSynthetic(ctx, b, db.Pool, benchDocs)
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

// planted are real documents the benchmark's assertions look for.
var planted = []search.Doc{searchtest0("33/CT-TTg", "Chỉ thị", "CT", "Thủ tướng Chính phủ", "TTg", 2021,
	"về tiếp tục tăng cường và đổi mới công tác dân vận của cơ quan nhà nước, chính quyền các cấp trong tình hình mới"),
	searchtest0("53/KH-UBND", "Kế hoạch", "KH", "UBND tỉnh", "UBND", 2022,
		"về thực hiện Quy chế dân chủ ở cơ sở và công tác dân vận chính quyền năm 2022")}

func searchtest0(number, typ, code, issuer, icode string, year int, subject string) search.Doc {
	return search.Doc{Number: number, Type: typ, TypeCode: code, Issuer: issuer, IssuerCode: icode, Year: year,
		Date: fmt.Sprintf("%d-03-23", year), Subject: subject}
}

// loadSynthetic COPYs the planted documents and n synthetic ones into the
// schema's documents table (generated tsvector columns fill themselves),
// then ANALYZEs so the planner sees real statistics. It returns the rows.
func loadSynthetic(ctx context.Context, b *testing.B, pool *pgxpool.Pool, n int) int {
	b.Helper()
	sentences, subjects := vocabulary()
	r := rand.New(rand.NewPCG(2022, 53))
	seen := map[string]bool{}
	rows := make([][]any, 0, n+len(planted))
	add := func(d search.Doc) {
		key := danvan.DocumentKey(d.IssuerCode, d.Number, d.Year, "")
		if seen[key] {
			return
		}
		seen[key] = true
		date, err := time.Parse("2006-01-02", d.Date)
		require.NoError(b, err)
		rows = append(rows, []any{key, d.Number, danvan.NormalizeNumber(d.Number), d.Type, d.TypeCode, d.Issuer,
			d.IssuerCode, date, d.Year, d.Subject, d.Text, d.Text != "", d.CitedBy})
	}
	for _, d := range planted {
		add(d)
	}
	for i := 0; len(rows) < n+len(planted) && i < 2*n; i++ {
		add(synthetic(i, r, sentences, subjects))
	}
	cnt, err := pool.CopyFrom(ctx, pgx.Identifier{"documents"},
		[]string{"key", "number", "number_norm", "type", "type_code", "issuer", "issuer_code", "date", "year",
			"subject", "text", "has_text", "cited_by"}, pgx.CopyFromRows(rows))
	require.NoError(b, err)
	_, err = pool.Exec(ctx, "ANALYZE documents")
	require.NoError(b, err)
	return int(cnt)
}

// vocabulary returns sentences and subjects from the corpus, or a small
// built-in set when the corpus is missing, so the benchmark still runs.
func vocabulary() (sentences, subjects []string) {
	files, _ := filepath.Glob("../../../shared/corpus/*.txt")
	veRE := regexp.MustCompile(`\bvề [^.;:\n]{20,140}`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		text := string(b)
		for _, s := range regexp.MustCompile(`[^.;\n]{40,300}[.;]`).FindAllString(text, -1) {
			sentences = append(sentences, strings.TrimSpace(s))
		}
		subjects = append(subjects, veRE.FindAllString(text, -1)...)
	}
	if len(sentences) < 10 {
		sentences = []string{"Công tác dân vận chính quyền được triển khai kịp thời, hiệu quả.",
			"Tổ chức đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền với nhân dân.",
			"Đẩy mạnh cải cách hành chính, cải cách thủ tục hành chính trên địa bàn tỉnh.",
			"Tiếp công dân định kỳ và đột xuất theo quy định."}
	}
	if len(subjects) < 10 {
		subjects = []string{"về thực hiện Quy chế dân chủ ở cơ sở", "về công tác cải cách hành chính",
			"về tiếp công dân và giải quyết khiếu nại, tố cáo", "về xây dựng mô hình Dân vận khéo"}
	}
	return sentences, subjects
}

var (
	benchTypes   = []string{"KH", "QĐ", "CV", "BC", "CT", "NQ", "TB", "HD", "TTr", "KL"}
	benchIssuers = [][2]string{{"UBND", "UBND tỉnh"}, {"SNV", "Sở Nội vụ"}, {"VP", "Văn phòng UBND tỉnh"},
		{"TU", "Ban Thường vụ Tỉnh ủy"}, {"HĐND", "Hội đồng nhân dân tỉnh"}, {"BDVTU", "Ban Dân vận Tỉnh ủy"}}
)

func synthetic(i int, r *rand.Rand, sentences, subjects []string) search.Doc {
	// (number, year, issuer) is unique per i, so keys never collide.
	num := i%3000 + 1
	rest := i / 3000
	year := 2010 + rest%14
	iss := benchIssuers[(rest/14)%len(benchIssuers)]
	code := benchTypes[r.IntN(len(benchTypes))]
	number := fmt.Sprintf("%d/%s-%s", num, code, iss[0])
	if code == "CV" {
		number = fmt.Sprintf("%d/%s-XDCQ", num, iss[0])
	}
	var text strings.Builder
	for k := 0; k < 3+r.IntN(5); k++ {
		text.WriteString(sentences[r.IntN(len(sentences))])
		text.WriteByte(' ')
	}
	return search.Doc{Number: number, Type: search.TypeCodes[code], TypeCode: code, Issuer: iss[1], IssuerCode: iss[0],
		Date: fmt.Sprintf("%d-%02d-%02d", year, 1+r.IntN(12), 1+r.IntN(28)), Year: year,
		Subject: subjects[r.IntN(len(subjects))], Text: text.String(), CitedBy: r.IntN(4)}
}
