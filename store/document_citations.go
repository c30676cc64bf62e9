package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// SaveCitations replaces everything saved before for citingID — its
// mentions and anomalies — with set, in one transaction, upserting each
// cited document (merged, see UpsertDocument) and recounting cited_by for
// every document cited before or now. Saving the same set twice leaves the
// same rows. A document citing itself (its own number in its text) gets no
// mention: that is identity, not citation. It returns an ENotFound *Error
// when citingID does not exist and EInvalid for a cited document with
// neither number nor name.
func (db *DB) SaveCitations(ctx context.Context, citingID int64, set *danvan.CitationSet) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := saveCitations(ctx, tx, citingID, set)
		return err
	})
}

// ImportDocument upserts d (see UpsertDocument) and saves set as its
// citations (see SaveCitations) in one transaction, so an import is all or
// nothing. It returns the stored document and the ids of the documents it
// cites; EInvalid when d or a cited document has neither number nor name.
func (db *DB) ImportDocument(ctx context.Context, d *danvan.Document, set *danvan.CitationSet) (*danvan.Document, []int64, error) {
	var (
		out   *danvan.Document
		cited []int64
	)
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if out, err = upsertDocument(ctx, tx, d); err != nil {
			return err
		}
		cited, err = saveCitations(ctx, tx, out.ID, set)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	// cited_by of d itself may have been recounted meanwhile: read it back.
	if err := db.Pool.QueryRow(ctx, `SELECT cited_by FROM documents WHERE id = $1`, out.ID).Scan(&out.CitedBy); err != nil {
		return nil, nil, translate(err)
	}
	return out, cited, nil
}

// saveCitations is SaveCitations on tx; it returns the ids now cited.
func saveCitations(ctx context.Context, tx pgx.Tx, citingID int64, set *danvan.CitationSet) ([]int64, error) {
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM documents WHERE id = $1 FOR UPDATE`, citingID).Scan(&one); err != nil {
		if danvan.ErrorCode(translate(err)) == danvan.ENotFound {
			return nil, notFound("document", strconv.FormatInt(citingID, 10))
		}
		return nil, translate(err)
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT cited_document_id FROM document_mentions WHERE citing_document_id = $1`, citingID)
	if err != nil {
		return nil, translate(err)
	}
	touched, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, translate(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM document_mentions WHERE citing_document_id = $1`, citingID); err != nil {
		return nil, translate(err)
	}
	// A number clash belongs to the document's identity, not to its text:
	// it stays when the text is saved again.
	if _, err := tx.Exec(ctx, `DELETE FROM document_anomalies WHERE document_id = $1 AND kind <> $2`,
		citingID, AnomalyNumberClash); err != nil {
		return nil, translate(err)
	}
	rows, err = tx.Query(ctx, `DELETE FROM document_validity WHERE citing_document_id = $1 RETURNING cited_document_id`, citingID)
	if err != nil {
		return nil, translate(err)
	}
	judged, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, translate(err)
	}
	if set == nil {
		if err := recountStatus(ctx, tx, judged); err != nil {
			return nil, err
		}
		return nil, recountCitedBy(ctx, tx, touched)
	}
	idByKey := map[string]int64{}
	var now []int64
	var (
		cited, starts, ends                          []int64
		raws, datesWritten, relations, keys, issuers []string
	)
	for i := range set.Cited {
		c := &set.Cited[i]
		doc, err := upsertDocument(ctx, tx, &c.Document)
		if err != nil {
			return nil, err
		}
		idByKey[doc.Key] = doc.ID
		if c.Document.Key != "" {
			idByKey[c.Document.Key] = doc.ID
		}
		if k := danvan.DocumentKey(c.Document.IssuerCode, c.Document.Number, c.Document.Year, c.Document.Name); k != "" {
			idByKey[k] = doc.ID
		}
		if doc.ID == citingID {
			continue
		}
		touched = append(touched, doc.ID)
		now = append(now, doc.ID)
		for _, m := range c.Mentions {
			rel := m.Relation
			if rel == "" {
				rel = danvan.RelDanChieu
			}
			end := m.SpanEnd
			if end < m.SpanStart {
				end = m.SpanStart
			}
			cited = append(cited, doc.ID)
			starts = append(starts, int64(m.SpanStart))
			ends = append(ends, int64(end))
			raws = append(raws, m.Raw)
			datesWritten = append(datesWritten, m.DateAsWritten)
			relations = append(relations, rel)
			keys = append(keys, doc.Key)
			issuers = append(issuers, m.IssuerAsWritten)
		}
	}
	if len(cited) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO document_mentions
				(citing_document_id, cited_document_id, span_start, span_end, raw, date_as_written, relation, issuer_as_written)
				SELECT $1, c, s, e, r, dw, rel, iw
				FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])
				     AS u(c, s, e, r, dw, rel, iw)`,
			citingID, cited, starts, ends, raws, datesWritten, relations, issuers); err != nil {
			return nil, translate(err)
		}
	}
	for _, a := range set.Anomalies {
		var citedID *int64
		if id, ok := idByKey[a.CitedKey]; ok {
			citedID = &id
		}
		if _, err := tx.Exec(ctx, `INSERT INTO document_anomalies (document_id, cited_key, cited_document_id, kind, message, message_vi)
				VALUES ($1, $2, $3, $4, $5, $6)`, citingID, a.CitedKey, citedID, a.Kind, a.Message, a.MessageVI); err != nil {
			return nil, translate(err)
		}
	}
	for _, v := range set.Validity {
		citedID, ok := idByKey[v.CitedKey]
		if !ok || citedID == citingID {
			continue // about itself ("Quyết định này … hết hiệu lực") or about nothing stored
		}
		var byID *int64
		if v.BySayer {
			byID = &citingID
		}
		if v.ByKey != "" {
			id, ok := idByKey[v.ByKey]
			if !ok || id == citedID {
				continue
			}
			byID = &id
		}
		if _, err := tx.Exec(ctx, `INSERT INTO document_validity
				(citing_document_id, cited_document_id, by_document_id, kind, sentence, span_start)
				VALUES ($1, $2, $3, $4, $5, $6)`, citingID, citedID, byID, v.Kind, v.Sentence, v.SpanStart); err != nil {
			return nil, translate(err)
		}
		judged = append(judged, citedID)
	}
	if err := recountStatus(ctx, tx, judged); err != nil {
		return nil, err
	}
	return now, recountCitedBy(ctx, tx, touched)
}

// recountCitedBy sets cited_by of ids from the mentions: counting again is
// what makes a re-import idempotent, where incrementing would drift.
func recountCitedBy(ctx context.Context, q DBTX, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := q.Exec(ctx, `UPDATE documents d SET cited_by = c.n
		FROM (SELECT i.id, (SELECT count(DISTINCT citing_document_id) FROM document_mentions m
		                    WHERE m.cited_document_id = i.id)::int AS n
		      FROM unnest($1::bigint[]) AS i(id)) c
		WHERE d.id = c.id AND d.cited_by <> c.n`, ids)
	return translate(err)
}

// CitedBy returns what cites document id: one Relation per citing document
// and relation type, newest citing document first, with the first
// mention's words. It fails only on database errors (an unknown id cites
// nothing).
func (db *DB) CitedBy(ctx context.Context, id int64) ([]danvan.Relation, error) {
	return db.relations(ctx, `SELECT r.citing_document_id, r.cited_document_id, r.relation, r.mentions, r.first_raw,
		`+prefixed("d.", docCols)+`
		FROM document_relations r JOIN documents d ON d.id = r.citing_document_id
		WHERE r.cited_document_id = $1
		ORDER BY d.date DESC NULLS LAST, d.id, r.relation`, id)
}

// Cites returns what document id cites, in the order of first mention. It
// fails only on database errors.
func (db *DB) Cites(ctx context.Context, id int64) ([]danvan.Relation, error) {
	return db.relations(ctx, `SELECT r.citing_document_id, r.cited_document_id, r.relation, r.mentions, r.first_raw,
		`+prefixed("d.", docCols)+`
		FROM document_relations r JOIN documents d ON d.id = r.cited_document_id
		WHERE r.citing_document_id = $1
		ORDER BY r.first_span, r.relation`, id)
}

func (db *DB) relations(ctx context.Context, sql string, id int64) ([]danvan.Relation, error) {
	rows, err := db.Pool.Query(ctx, sql, id)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []danvan.Relation{}
	for rows.Next() {
		var r danvan.Relation
		var rest relationRow
		if err := rows.Scan(append([]any{&r.CitingID, &r.CitedID, &r.Type, &r.Mentions, &r.Raw}, rest.dest()...)...); err != nil {
			return nil, translate(err)
		}
		r.Other = rest.document()
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// Mentions returns the mentions in citing document id in text order. It
// fails only on database errors.
func (db *DB) Mentions(ctx context.Context, id int64) ([]danvan.Mention, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, citing_document_id, cited_document_id, span_start, span_end, raw,
		date_as_written, relation, issuer_as_written FROM document_mentions WHERE citing_document_id = $1 ORDER BY span_start, id`, id)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Mention, error) {
		var m danvan.Mention
		err := r.Scan(&m.ID, &m.CitingID, &m.CitedID, &m.SpanStart, &m.SpanEnd, &m.Raw, &m.DateAsWritten, &m.Relation, &m.IssuerAsWritten)
		return m, err
	})
	if out == nil {
		out = []danvan.Mention{}
	}
	return out, translate(err)
}

// Anomalies returns the anomalies found in citing document id, and the
// number clashes other documents have with it. It fails only on database
// errors.
func (db *DB) Anomalies(ctx context.Context, id int64) ([]danvan.Anomaly, error) {
	return db.anomalies(ctx, `SELECT id, document_id, cited_key, cited_document_id, kind, message, message_vi
		FROM document_anomalies WHERE document_id = $1 OR (cited_document_id = $1 AND kind = $2) ORDER BY id`,
		id, AnomalyNumberClash)
}

// NumberClashes returns every number clash in the registry, newest first,
// at most limit (the administrator's list). It fails only on database
// errors.
func (db *DB) NumberClashes(ctx context.Context, limit int) ([]danvan.Anomaly, error) {
	return db.anomalies(ctx, `SELECT id, document_id, cited_key, cited_document_id, kind, message, message_vi
		FROM document_anomalies WHERE kind = $1 ORDER BY id DESC LIMIT $2`, AnomalyNumberClash, limit)
}

func (db *DB) anomalies(ctx context.Context, sql string, args ...any) ([]danvan.Anomaly, error) {
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Anomaly, error) {
		var a danvan.Anomaly
		err := r.Scan(&a.ID, &a.DocumentID, &a.CitedKey, &a.CitedID, &a.Kind, &a.Message, &a.MessageVI)
		return a, err
	})
	if out == nil {
		out = []danvan.Anomaly{}
	}
	return out, translate(err)
}

// relationRow scans the documents columns that follow a relation's own.
type relationRow struct {
	d    danvan.Document
	date *time.Time
	year *int
}

func (r *relationRow) dest() []any {
	d := &r.d
	return []any{&d.ID, &d.Key, &d.Number, &d.Type, &d.TypeCode, &d.Issuer, &d.IssuerCode, &r.date, &r.year,
		&d.Subject, &d.Name, &d.Status, &d.HasText, &d.SourceFile, &d.ImportedAt, &d.CitedBy, &d.OwnerUnit}
}

func (r *relationRow) document() *danvan.Document {
	d := r.d
	if r.date != nil {
		d.Date = r.date.Format("2006-01-02")
	}
	if r.year != nil {
		d.Year = *r.year
	}
	return &d
}

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
