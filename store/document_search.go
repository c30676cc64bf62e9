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

// CandidateLimit bounds how many full-text matches of each vector (head,
// body) are ranked. Ranking every match of a broad query ("dân vận" hits
// half the registry) costs hundreds of milliseconds at 100k documents;
// ranking the first CandidateLimit of each, plus every number match
// (always complete: they are looked up by index), keeps queries in tens of
// milliseconds. The price: on a broad query the page is the best of those
// candidates, not of every match. Beyond it Total is a lower bound and Capped is set, the way
// search engines estimate totals.
const CandidateLimit = 1000

// DocumentSearchResult is one page of hits and the number of matches.
type DocumentSearchResult struct {
	Hits   []DocumentHit
	Total  int
	Capped bool // Total is a lower bound: a text tier hit CandidateLimit
}

// SearchDocuments runs s and returns one page of hits, best first. With no
// words and no numbers it lists documents matching the filters, newest
// first. It fails only on database errors.
func (db *DB) SearchDocuments(ctx context.Context, s DocumentSearch) (*DocumentSearchResult, error) {
	var (
		args  []any
		where []string
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(s.TypeFolds) > 0 || len(s.TypeNames) > 0 {
		where = append(where, "(type_fold = ANY("+arg(s.TypeFolds)+"::text[]) OR type_name_fold = ANY("+arg(s.TypeNames)+"::text[]))")
	}
	if s.IssuerFold != "" {
		p := arg(s.IssuerFold)
		where = append(where, "(issuer_fold = "+p+" OR issuer_code_fold = "+p+")")
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
	filters := "true"
	if len(where) > 0 {
		filters = strings.Join(where, " AND ")
	}
	limit, offset := s.Limit, s.Offset
	if limit <= 0 {
		limit = 20
	}

	if len(s.Words) == 0 && len(s.Numbers) == 0 {
		sql := `WITH page AS (SELECT id, date, count(*) OVER () AS total FROM documents WHERE ` + filters + `
			ORDER BY date DESC NULLS LAST, id LIMIT ` + arg(limit) + ` OFFSET ` + arg(offset) + `)
			SELECT 0::float8, p.total, false, ` + prefixed("d.", docColsText) + `
			FROM page p JOIN documents d USING (id) ORDER BY p.date DESC NULLS LAST, p.id`
		return db.searchPage(ctx, sql, args)
	}

	tsq := "to_tsquery('simple', " + arg(tsQuery(s.Words, s.AnyWord)) + ")"
	nums := arg(s.Numbers)
	qtypes := arg(s.QueryTypes)
	k := itoa(CandidateLimit)
	// Number tiers are looked up by index and never capped.
	cand := `SELECT id FROM h UNION SELECT id FROM bd
		UNION SELECT id FROM documents WHERE ` + filters + ` AND number_norm = ANY(` + nums + `::text[])`
	var prefixes []string
	for _, p := range likePrefixes(s.Numbers) {
		ph := arg(p)
		prefixes = append(prefixes, "number_norm LIKE "+ph)
		cand += ` UNION SELECT id FROM documents WHERE ` + filters + ` AND number_norm LIKE ` + ph
	}
	heads := arg(trimZeros(s.NumberHeads))
	if len(s.NumberHeads) > 0 && len(s.QueryTypes) > 0 {
		cand += ` UNION SELECT id FROM documents WHERE ` + filters + ` AND number_head = ANY(` + heads + `::text[])
			AND type_fold = ANY(` + qtypes + `::text[])`
	}
	prefixScore := "0"
	if len(prefixes) > 0 {
		prefixScore = "CASE WHEN " + strings.Join(prefixes, " OR ") + " THEN " + itoa(scorePrefix) + " ELSE 0 END"
	}
	score := `(CASE WHEN number_norm = ANY(` + nums + `::text[]) THEN ` + itoa(scoreExact) + ` ELSE 0 END
		+ ` + prefixScore + `
		+ CASE WHEN number_head = ANY(` + heads + `::text[])
		       THEN CASE WHEN type_fold = ANY(` + qtypes + `::text[]) THEN ` + itoa(scoreTypeHead) + ` ELSE ` + itoa(scoreHead) + ` END
		       ELSE 0 END
		+ CASE WHEN type_fold = ANY(` + qtypes + `::text[]) THEN ` + itoa(scoreType) + ` ELSE 0 END
		+ ts_rank(head_tsv, ` + tsq + `) * ` + itoa(scoreRankFactor) + `
		+ ln(1 + cited_by))::float8`
	// The text tiers take the first CandidateLimit matches in table order,
	// unordered: any ORDER BY tempts the planner into walking an ordered
	// index and testing every row's tsvector, which is what costs.
	ctes := `WITH h AS MATERIALIZED (SELECT id FROM documents WHERE ` + filters + ` AND head_tsv @@ ` + tsq + `
			LIMIT ` + k + `),
		bd AS MATERIALIZED (SELECT id FROM documents WHERE ` + filters + ` AND body_tsv @@ ` + tsq + `
			LIMIT ` + k + `),
		cand AS MATERIALIZED (` + cand + `),
		totals AS (SELECT (SELECT count(*) FROM cand) AS total,
			(SELECT count(*) FROM h) >= ` + k + ` OR (SELECT count(*) FROM bd) >= ` + k + ` AS capped)`
	sql := ctes + `,
		page AS (SELECT d.id, d.date, ` + score + ` AS score FROM cand JOIN documents d USING (id)
			ORDER BY score DESC, date DESC NULLS LAST, id LIMIT ` + arg(limit) + ` OFFSET ` + arg(offset) + `)
		SELECT p.score, t.total, t.capped, ` + prefixed("d.", docColsText) + `
		FROM page p JOIN documents d USING (id) CROSS JOIN totals t
		ORDER BY p.score DESC, p.date DESC NULLS LAST, p.id`
	return db.searchPage(ctx, sql, args)
}

// searchPage runs a page query whose rows are (score, total, capped,
// document columns…) and whose last two args are limit and offset. When a
// page past the end comes back empty it asks for the first row again, so
// Total stays right.
func (db *DB) searchPage(ctx context.Context, sql string, args []any) (*DocumentSearchResult, error) {
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	res := &DocumentSearchResult{}
	var total int64
	for rows.Next() {
		var h DocumentHit
		var r relationRow
		if err := rows.Scan(append([]any{&h.Score, &total, &res.Capped}, append(r.dest(), &r.d.Text)...)...); err != nil {
			return nil, translate(err)
		}
		h.Document = *r.document()
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	res.Total = int(total)
	if len(res.Hits) == 0 && args[len(args)-1] != 0 {
		first := append(append([]any{}, args[:len(args)-2]...), 1, 0)
		again, err := db.searchPage(ctx, sql, first)
		if err != nil {
			return nil, err
		}
		res.Total, res.Capped = again.Total, again.Capped
	}
	return res, nil
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
