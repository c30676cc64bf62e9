// Package synthetic generates a large, deterministic document registry for
// benchmarks: real subjects and sentences of the corpus recombined, real
// number shapes, bulk-loaded with COPY. It is used by the search benchmark
// and by `make bench`; nothing in the product imports it.
package synthetic

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search"
)

// Planted are real documents the benchmark's assertions look for.
var Planted = []search.Doc{searchtest0("33/CT-TTg", "Chỉ thị", "CT", "Thủ tướng Chính phủ", "TTg", 2021,
	"về tiếp tục tăng cường và đổi mới công tác dân vận của cơ quan nhà nước, chính quyền các cấp trong tình hình mới"),
	searchtest0("53/KH-UBND", "Kế hoạch", "KH", "UBND tỉnh", "UBND", 2022,
		"về thực hiện Quy chế dân chủ ở cơ sở và công tác dân vận chính quyền năm 2022")}

func searchtest0(number, typ, code, issuer, icode string, year int, subject string) search.Doc {
	return search.Doc{Number: number, Type: typ, TypeCode: code, Issuer: issuer, IssuerCode: icode, Year: year,
		Date: fmt.Sprintf("%d-03-23", year), Subject: subject}
}

// Load COPYs the planted documents and n synthetic ones into the
// schema's documents table (generated tsvector columns fill themselves),
// then ANALYZEs so the planner sees real statistics. It returns the rows
// loaded, or the database error. corpusDir holds the corpus .txt files;
// when it has none a small built-in vocabulary is used.
func Load(ctx context.Context, pool *pgxpool.Pool, n int, corpusDir string) (int, error) {
	sentences, subjects := vocabulary(corpusDir)
	r := rand.New(rand.NewPCG(2022, 53))
	seen := map[string]bool{}
	rows := make([][]any, 0, n+len(Planted))
	add := func(d search.Doc) {
		key := danvan.DocumentKey(d.IssuerCode, d.Number, d.Year, "")
		if seen[key] {
			return
		}
		seen[key] = true
		date, err := time.Parse("2006-01-02", d.Date)
		if err != nil {
			panic("synthetic: bad generated date " + d.Date) // generated, never user input
		}
		rows = append(rows, []any{key, d.Number, danvan.NormalizeNumber(d.Number), d.Type, d.TypeCode, d.Issuer,
			d.IssuerCode, date, d.Year, d.Subject, d.Text, d.Text != "", d.CitedBy})
	}
	for _, d := range Planted {
		add(d)
	}
	for i := 0; len(rows) < n+len(Planted) && i < 2*n; i++ {
		add(synthetic(i, r, sentences, subjects))
	}
	cnt, err := pool.CopyFrom(ctx, pgx.Identifier{"documents"},
		[]string{"key", "number", "number_norm", "type", "type_code", "issuer", "issuer_code", "date", "year",
			"subject", "text", "has_text", "cited_by"}, pgx.CopyFromRows(rows))
	if err != nil {
		return 0, err
	}
	if _, err = pool.Exec(ctx, "ANALYZE documents"); err != nil {
		return 0, err
	}
	return int(cnt), nil
}

// vocabulary returns sentences and subjects from the corpus, or a small
// built-in set when the corpus is missing, so the benchmark still runs.
func vocabulary(corpusDir string) (sentences, subjects []string) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
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
