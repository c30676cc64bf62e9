package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// SimilarNumbers returns the numbers of registered documents that share
// number's serial, type and issuer but differ in their year segment
// ("04/2013/NĐ-CP" and "04/2015/NĐ-CP", or "48/QĐ-UBND" and
// "48/2021/QĐ-UBND"), at most ten. A number of another form gives none.
func (db *DB) SimilarNumbers(ctx context.Context, number string) ([]string, error) {
	norm := danvan.NormalizeNumber(number)
	serial, rest, ok := strings.Cut(norm, "/")
	if !ok || serial == "" || rest == "" {
		return nil, nil
	}
	// Drop a leading year segment: "2013/nd-cp" → "nd-cp".
	if y, tail, ok := strings.Cut(rest, "/"); ok && len(y) == 4 && strings.Trim(y, "0123456789") == "" {
		rest = tail
	}
	like := func(s string) string { return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) }
	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT number FROM documents
		WHERE (number_norm LIKE $1 OR number_norm = $2) AND number_norm <> $3 ORDER BY number LIMIT 10`,
		like(serial)+`/____/`+like(rest), serial+"/"+rest, norm)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate(err)
}

// splitNumber splits a normalised number into its serial, year segment
// ("" when it has none) and the rest: "22/2020/qđ-ubnd" → 22, 2020,
// qđ-ubnd. ok is false for a number without "/".
func splitNumber(norm string) (serial, year, rest string, ok bool) {
	serial, rest, ok = strings.Cut(norm, "/")
	if !ok || serial == "" || rest == "" {
		return "", "", "", false
	}
	if y, tail, ok := strings.Cut(rest, "/"); ok && len(y) == 4 && strings.Trim(y, "0123456789") == "" && tail != "" {
		return serial, y, tail, true
	}
	return serial, "", rest, true
}

// likeEscape escapes s for use in a LIKE pattern.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
