package store

import (
	"context"

	"github.com/danvan/danvan"
)

// validitySelect reads validity statements with their three documents
// (cited, said by; by is read after), without text; the WHERE clause
// follows.
var validitySelect = `SELECT v.id, v.kind, v.sentence, v.by_document_id, ` + prefixed("c.", docCols) + `, ` + prefixed("s.", docCols) + `
	FROM document_validity v
	JOIN documents c ON c.id = v.cited_document_id
	JOIN documents s ON s.id = v.citing_document_id `

// ValidityAbout returns what texts say about the force of the documents
// ids, strongest first (repealed, expired, replaced, amended), then by the
// saying document's date, newest first. It fails only on database errors.
func (db *DB) ValidityAbout(ctx context.Context, ids []int64) ([]danvan.Validity, error) {
	return db.validity(ctx, validitySelect+`WHERE v.cited_document_id = ANY($1)
		ORDER BY CASE v.kind WHEN 'bai_bo' THEN 1 WHEN 'het_hieu_luc' THEN 2 WHEN 'sua_doi' THEN 4 ELSE 3 END,
		s.date DESC NULLS LAST, v.id`, ids)
}

// ValidityBy returns what document id's text says, or what it is named as
// doing, about other documents' force (the other direction of
// ValidityAbout), in text order. It fails only on database errors.
func (db *DB) ValidityBy(ctx context.Context, id int64) ([]danvan.Validity, error) {
	return db.validity(ctx, validitySelect+`WHERE (v.citing_document_id = $1 OR v.by_document_id = $1)
		AND v.cited_document_id <> $1 ORDER BY v.citing_document_id = $1 DESC, v.span_start, v.id`, id)
}

func (db *DB) validity(ctx context.Context, sql string, arg any) ([]danvan.Validity, error) {
	rows, err := db.Pool.Query(ctx, sql, arg)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []danvan.Validity{}
	var byIDs []*int64
	for rows.Next() {
		var (
			v    danvan.Validity
			by   *int64
			c, s relationRow
			dest = []any{&v.ID, &v.Kind, &v.Sentence, &by}
		)
		dest = append(dest, c.dest()...)
		dest = append(dest, s.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, translate(err)
		}
		v.KindVI = danvan.ValidityKindVI(v.Kind)
		v.Cited, v.SaidBy = c.document(), s.document()
		out = append(out, v)
		byIDs = append(byIDs, by)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	rows.Close()
	var ids []int64
	for _, id := range byIDs {
		if id != nil {
			ids = append(ids, *id)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	docs, err := db.DocumentsByID(ctx, ids, false)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*danvan.Document{}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	for i, id := range byIDs {
		if id != nil {
			out[i].By = byID[*id]
		}
	}
	return out, nil
}
