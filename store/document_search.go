package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/danvan/danvan"
)

// DocumentSearch is a search over the documents table, already parsed by
// search/pgsearch: which words are numbers, which name a type. The SQL
// lives here so database errors are translated where all others are.
type DocumentSearch struct {
	Words       []string // folded words, matched against head and body
	AnyWord     bool     // OR the words instead of AND (the fallback)
	Numbers     []string // whole normalised numbers: exact match ranks first
	NumberHeads []string // bare leading numbers ("33") boosted with QueryTypes
	QueryTypes  []string // folded type codes the query words name

	// Filters.
	TypeFolds  []string // folded type codes
	TypeNames  []string // folded type names, for documents without a code
	IssuerFold string   // folded issuer name or code
	YearFrom   int
	YearTo     int
	Status     string
	Limit      int
	Offset     int
}

// DocumentHit is one search hit: the document (with its text, for the
// snippet) and its score.
type DocumentHit struct {
	danvan.Document
	Score float64
}

// Ranking weights. An exact number beats everything; a type word plus the
// number's head ("chi thi 33") comes next; then number prefixes; then text
// rank over the small head vector (number parts, type, subject, issuer)
// where ts_rank weights A..D put the number and type above the subject
// above the issuer. Being cited often breaks ties.
const (
	scoreExact      = 1000
	scoreTypeHead   = 500
	scorePrefix     = 200
	scoreHead       = 50
	scoreType       = 5
	scoreRankFactor = 100
)

// SearchDocuments runs s and returns one page of hits, best first, and the
// number of matches. With no words and no numbers it lists documents
// matching the filters, newest first. It fails only on database errors.
func (db *DB) SearchDocuments(ctx context.Context, s DocumentSearch) ([]DocumentHit, int, error) {
	var (
		args  []any
		where []string
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(s.TypeFolds) > 0 || len(s.TypeNames) > 0 {
		where = append(where, "(type_fold = ANY("+arg(s.TypeFolds)+"::text[]) OR lower(public.danvan_unaccent(type)) = ANY("+arg(s.TypeNames)+"::text[]))")
	}
	if s.IssuerFold != "" {
		p := arg(s.IssuerFold)
		where = append(where, "(issuer_fold = "+p+" OR lower(public.danvan_unaccent(issuer_code)) = "+p+")")
	}
	if s.YearFrom > 0 {
		where = append(where, "year >= "+arg(s.YearFrom))
	}
	if s.YearTo > 0 {
		where = append(where, "year <= "+arg(s.YearTo))
	}
	if s.Status != "" {
		where = append(where, "status = "+arg(s.Status))
	}
	score := "0::float8"
	order, outer := "date DESC NULLS LAST, id", "r.date DESC NULLS LAST, r.id"
	if len(s.Words) > 0 || len(s.Numbers) > 0 {
		tsq := arg(tsQuery(s.Words, s.AnyWord))
		nums := arg(s.Numbers)
		prefixes := arg(likePrefixes(s.Numbers))
		heads := arg(trimZeros(s.NumberHeads))
		qtypes := arg(s.QueryTypes)
		where = append(where, `(head_tsv @@ to_tsquery('simple', `+tsq+`) OR body_tsv @@ to_tsquery('simple', `+tsq+`)
			OR number_norm = ANY(`+nums+`::text[]) OR number_norm LIKE ANY(`+prefixes+`::text[]))`)
		head := `ltrim(split_part(split_part(number_norm, '/', 1), '-', 1), '0')`
		score = `(CASE WHEN number_norm = ANY(` + nums + `::text[]) THEN ` + itoa(scoreExact) + ` ELSE 0 END
			+ CASE WHEN number_norm LIKE ANY(` + prefixes + `::text[]) THEN ` + itoa(scorePrefix) + ` ELSE 0 END
			+ CASE WHEN ` + head + ` = ANY(` + heads + `::text[])
			       THEN CASE WHEN type_fold = ANY(` + qtypes + `::text[]) THEN ` + itoa(scoreTypeHead) + ` ELSE ` + itoa(scoreHead) + ` END
			       ELSE 0 END
			+ CASE WHEN type_fold = ANY(` + qtypes + `::text[]) THEN ` + itoa(scoreType) + ` ELSE 0 END
			+ ts_rank(head_tsv, to_tsquery('simple', ` + tsq + `)) * ` + itoa(scoreRankFactor) + `
			+ ln(1 + cited_by))::float8`
		order, outer = "score DESC, date DESC NULLS LAST, id", "r.score DESC, r.date DESC NULLS LAST, r.id"
	}
	cond := "true"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	limit, offset := s.Limit, s.Offset
	if limit <= 0 {
		limit = 20
	}
	// Rank over ids and scores only, then fetch the page's rows with their
	// text: reading every match's text would dominate the time.
	sql := `WITH ranked AS (
		SELECT id, date, ` + score + ` AS score, count(*) OVER () AS total
		FROM documents WHERE ` + cond + `
		ORDER BY ` + order + ` LIMIT ` + arg(limit) + ` OFFSET ` + arg(offset) + `)
		SELECT r.score, r.total, ` + prefixed("d.", docColsText) + `
		FROM ranked r JOIN documents d USING (id)
		ORDER BY ` + outer
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, 0, translate(err)
	}
	defer rows.Close()
	var (
		hits  []DocumentHit
		total int64
	)
	for rows.Next() {
		var h DocumentHit
		var r relationRow
		if err := rows.Scan(append([]any{&h.Score, &total}, append(r.dest(), &r.d.Text)...)...); err != nil {
			return nil, 0, translate(err)
		}
		h.Document = *r.document()
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, translate(err)
	}
	if len(hits) == 0 && offset > 0 {
		// The page is past the end; count separately so Total stays right.
		var n int
		countArgs := args[:len(args)-2]
		err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM documents WHERE `+cond, countArgs...).Scan(&n)
		return nil, n, translate(err)
	}
	return hits, int(total), nil
}

// tsQuery ANDs (or ORs) words, the last one as a prefix so a query typed
// half-way ("dan van chinh qu") already matches. Words are letters and
// digits only (search.Words), so quoting them is enough.
func tsQuery(words []string, any bool) string {
	op := " & "
	if any {
		op = " | "
	}
	parts := make([]string, 0, len(words))
	for i, w := range words {
		q := "'" + strings.ReplaceAll(w, "'", "''") + "'"
		if i == len(words)-1 {
			q += ":*"
		}
		parts = append(parts, q)
	}
	if len(parts) == 0 {
		return "''" // matches nothing; numbers do the matching
	}
	return strings.Join(parts, op)
}

func likePrefixes(numbers []string) []string {
	out := make([]string, 0, len(numbers))
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for _, n := range numbers {
		out = append(out, r.Replace(n)+"%")
	}
	return out
}

func trimZeros(heads []string) []string {
	out := make([]string, 0, len(heads))
	for _, h := range heads {
		out = append(out, strings.TrimLeft(h, "0"))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
