package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

var _ danvan.DocumentService = (*DB)(nil)

// docCols is every documents column a Document carries except text, which
// is large and read only where needed (docColsText).
const docCols = `id, key, number, type, type_code, issuer, issuer_code, date, year, subject, name,
	status, has_text, source_file, imported_at, cited_by, owner_unit`

const docColsText = docCols + `, text`

// UpsertDocument merges d into the registry and returns the stored row. A
// document first seen as a citation is completed, never emptied: fields the
// registry lacks are filled, and an import with text (HasText) overrides
// what citations guessed. Text never replaces text of another owner
// (d.OwnerUnit, "" for an administrator's import): a unit submitting under
// a number the registry already holds gets a document of its own and the
// clash is recorded as a "number_clash" anomaly. d.Key, when empty, is
// danvan.DocumentKey of d. It returns an EInvalid *Error when d has neither
// number nor name or a malformed date.
func (db *DB) UpsertDocument(ctx context.Context, d *danvan.Document) (*danvan.Document, error) {
	var out *danvan.Document
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = upsertDocument(ctx, tx, d)
		return err
	})
	return out, err
}

func upsertDocument(ctx context.Context, q DBTX, d *danvan.Document) (*danvan.Document, error) {
	in := *d
	if in.Status == "" {
		in.Status = danvan.DocUnknown
	}
	if in.Date != "" {
		t, err := time.Parse("2006-01-02", in.Date)
		if err != nil {
			return nil, danvan.Invalid("date", "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD")
		}
		if in.Year == 0 {
			in.Year = t.Year()
		}
	}
	if in.Key == "" {
		in.Key = danvan.DocumentKey(in.IssuerCode, in.Number, in.Year, in.Name)
	}
	if in.Key == "" || (in.Number == "" && in.Name == "") {
		return nil, danvan.Invalid("number", "a document needs a number or a name", "văn bản phải có số hoặc tên")
	}
	key := in.Key
	old, err := resolveDocument(ctx, q, &in)
	if err != nil {
		return nil, err
	}
	if old != nil && !mayMerge(old, &in, key) {
		return clashDocument(ctx, q, old, &in, key)
	}
	if old == nil {
		return insertDocument(ctx, q, &in)
	}
	merged, changed := mergeDocument(old, &in)
	if !changed {
		return old, nil
	}
	return updateDocument(ctx, q, merged, &in)
}

// mayMerge reports whether in may be merged into old, the row resolved
// for it under key. Citations only fill gaps and always may. Text may
// replace text of its own owner only; it may complete a row known only
// from citations when it is an administrator's import, or a unit's own
// document cited by its exact identity (issuer code, number and year):
// another commune's 01/KH-UBND cited without a date is not this one's.
func mayMerge(old, in *danvan.Document, key string) bool {
	if !in.HasText {
		return true
	}
	if old.HasText || old.OwnerUnit != "" {
		return old.OwnerUnit == in.OwnerUnit
	}
	return in.OwnerUnit == "" || old.Key == key
}

// clashDocument stores in as a document of its own beside old, whose
// number it shares but whose text it may not replace, and records the
// clash on the new row once: a retried or repeated submission merges into
// the row it got the first time.
func clashDocument(ctx context.Context, q DBTX, old, in *danvan.Document, key string) (*danvan.Document, error) {
	in.Key = key
	if old.Key == key {
		owner := "import"
		if in.OwnerUnit != "" {
			owner = "unit:" + danvan.Fold(in.OwnerUnit)
		}
		in.Key = owner + "|" + key
	}
	own, err := scanDocument(q.QueryRow(ctx, `SELECT `+docColsText+` FROM documents WHERE key = $1 FOR UPDATE`, in.Key), true)
	switch {
	case err == nil && own.OwnerUnit == in.OwnerUnit:
		merged, changed := mergeDocument(own, in)
		if !changed {
			return own, nil
		}
		return updateDocument(ctx, q, merged, in)
	case err == nil:
		return nil, danvan.Errorf(danvan.EConflict, "document key %s is held by another owner", "khóa văn bản %s đã thuộc chủ khác", in.Key)
	case danvan.ErrorCode(err) != danvan.ENotFound:
		return nil, err
	}
	out, err := insertDocument(ctx, q, in)
	if err != nil {
		return nil, err
	}
	by := "an administrator's import"
	byVI := "văn bản do quản trị viên nhập"
	if old.OwnerUnit != "" {
		by, byVI = "unit "+old.OwnerUnit+"'s document", "văn bản của đơn vị "+old.OwnerUnit
	} else if !old.HasText {
		by, byVI = "a document known from citations", "văn bản đã được dẫn chiếu"
	}
	owner, ownerVI := "an administrator's import", "văn bản do quản trị viên nhập"
	if in.OwnerUnit != "" {
		owner, ownerVI = "unit "+in.OwnerUnit, "đơn vị "+in.OwnerUnit
	}
	title := old.Title()
	if _, err := q.Exec(ctx, `INSERT INTO document_anomalies (document_id, cited_key, cited_document_id, kind, message, message_vi)
		VALUES ($1, $2, $3, $4, $5, $6)`, out.ID, old.Key, old.ID, AnomalyNumberClash,
		fmt.Sprintf("number clash: %s (%s) already exists as %s (id %d); kept as a separate document, the registry's text is unchanged",
			title, owner, by, old.ID),
		fmt.Sprintf("trùng số: %s (%s) đã có trong kho là %s (id %d); lưu thành văn bản riêng, văn bản trong kho không bị thay đổi",
			title, ownerVI, byVI, old.ID)); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// AnomalyNumberClash is the anomaly kind of a document whose number an
// earlier document of another owner already has.
const AnomalyNumberClash = "number_clash"

// resolveDocument finds the row in stands for, locked for update: the same
// key; else, for a dated document, the row of the same number still
// waiting for its year, or the row of the same date whose number differs
// only by its year segment (22/QĐ-UBND and 22/2020/QĐ-UBND); else, for an
// undated one, the only row with that number. Merging these keeps one row
// per document when texts cite it with and without its date.
func resolveDocument(ctx context.Context, q DBTX, in *danvan.Document) (*danvan.Document, error) {
	d, err := scanDocument(q.QueryRow(ctx, `SELECT `+docColsText+` FROM documents WHERE key = $1 FOR UPDATE`, in.Key), true)
	if err == nil || danvan.ErrorCode(err) != danvan.ENotFound {
		return d, err
	}
	n := danvan.NormalizeNumber(in.Number)
	if n == "" {
		return nil, nil
	}
	if in.Year > 0 {
		d, err = scanDocument(q.QueryRow(ctx, `SELECT `+docColsText+` FROM documents WHERE key = $1 FOR UPDATE`,
			danvan.DocumentKey("", in.Number, 0, "")), true)
		if err == nil {
			d.Key = in.Key // the year is now known: the row takes the full identity
			return d, nil
		}
		if danvan.ErrorCode(err) != danvan.ENotFound {
			return nil, err
		}
		if in.Date != "" {
			return resolveYearSegment(ctx, q, in, n)
		}
		return nil, nil
	}
	rows, err := q.Query(ctx, `SELECT `+docColsText+` FROM documents WHERE number_norm = $1 ORDER BY id LIMIT 2 FOR UPDATE`, n)
	if err != nil {
		return nil, translate(err)
	}
	docs, err := collectDocuments(rows, true)
	if err != nil || len(docs) != 1 {
		return nil, err // none, or ambiguous: a new year-less row
	}
	in.Key = docs[0].Key
	return &docs[0], nil
}

// resolveYearSegment finds the one row of in's date whose number is in's
// with or without a year segment. A citation without the segment joins
// the full number's row (which keeps its number); a full number joins a
// row known only from citations without it, and that row takes the full
// number and key.
func resolveYearSegment(ctx context.Context, q DBTX, in *danvan.Document, norm string) (*danvan.Document, error) {
	serial, year, rest, ok := splitNumber(norm)
	if !ok {
		return nil, nil
	}
	var rows pgx.Rows
	var err error
	if year == "" {
		rows, err = q.Query(ctx, `SELECT `+docColsText+` FROM documents WHERE number_norm LIKE $1 AND date = $2
			ORDER BY id LIMIT 2 FOR UPDATE`, likeEscape(serial)+`/____/`+likeEscape(rest), in.Date)
	} else {
		rows, err = q.Query(ctx, `SELECT `+docColsText+` FROM documents WHERE number_norm = $1 AND date = $2
			AND NOT has_text AND owner_unit = '' ORDER BY id LIMIT 2 FOR UPDATE`, serial+"/"+rest, in.Date)
	}
	if err != nil {
		return nil, translate(err)
	}
	docs, err := collectDocuments(rows, true)
	if err != nil || len(docs) != 1 {
		return nil, err
	}
	d := &docs[0]
	if year == "" {
		in.Key, in.Number = d.Key, d.Number
	} else {
		d.Key, d.Number = in.Key, in.Number
	}
	return d, nil
}

// mergeDocument returns old completed by in, and whether anything changed.
// An import with text is the document speaking for itself and wins; a
// citation only fills gaps, because the first citation seen is no more
// authoritative than the next. Status is not merged here: it is derived
// from validity statements and the stated status (see updateDocument).
func mergeDocument(old, in *danvan.Document) (*danvan.Document, bool) {
	m := *old
	pick := func(dst *string, v string) {
		if v != "" && (*dst == "" || in.HasText) {
			*dst = v
		}
	}
	m.Key = in.Key
	pick(&m.Number, in.Number)
	pick(&m.Type, in.Type)
	pick(&m.TypeCode, in.TypeCode)
	pick(&m.Issuer, in.Issuer)
	pick(&m.IssuerCode, in.IssuerCode)
	pick(&m.Date, in.Date)
	pick(&m.Subject, in.Subject)
	pick(&m.Name, in.Name)
	if in.Year > 0 && (m.Year == 0 || in.HasText) {
		m.Year = in.Year
	}
	if in.HasText {
		m.Text, m.HasText = in.Text, true
		m.OwnerUnit = in.OwnerUnit
		pick(&m.SourceFile, in.SourceFile)
		if in.ImportedAt != nil {
			m.ImportedAt = in.ImportedAt
		}
	}
	changed := m.Key != old.Key || m.Number != old.Number || m.Type != old.Type || m.TypeCode != old.TypeCode ||
		m.Issuer != old.Issuer || m.IssuerCode != old.IssuerCode || m.Date != old.Date || m.Year != old.Year ||
		m.Subject != old.Subject || m.Name != old.Name || m.HasText != old.HasText ||
		m.Text != old.Text || m.SourceFile != old.SourceFile || m.OwnerUnit != old.OwnerUnit ||
		(in.Status != danvan.DocUnknown && in.Status != old.Status)
	return &m, changed
}

// derivedStatus is the SQL expression of a document's status from what
// texts say about it (the strongest statement wins: repealed, expired,
// replaced, amended), NULL when nothing is said. d names the documents row.
const derivedStatus = `(SELECT CASE v.kind WHEN 'bai_bo' THEN 'repealed' WHEN 'het_hieu_luc' THEN 'expired'
		WHEN 'sua_doi' THEN 'amended' ELSE 'replaced' END
	FROM document_validity v WHERE v.cited_document_id = d.id
	ORDER BY CASE v.kind WHEN 'bai_bo' THEN 1 WHEN 'het_hieu_luc' THEN 2 WHEN 'sua_doi' THEN 4 ELSE 3 END, v.id LIMIT 1)`

func insertDocument(ctx context.Context, q DBTX, d *danvan.Document) (*danvan.Document, error) {
	if d.HasText && d.ImportedAt == nil {
		now := time.Now().UTC()
		d.ImportedAt = &now
	}
	return scanDocument(q.QueryRow(ctx, `INSERT INTO documents
		(key, number, number_norm, type, type_code, issuer, issuer_code, date, year, subject, name, status,
		 stated_status, text, has_text, source_file, imported_at, owner_unit)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16, $17)
		RETURNING `+docColsText,
		d.Key, d.Number, danvan.NormalizeNumber(d.Number), d.Type, d.TypeCode, d.Issuer, d.IssuerCode,
		nullDate(d.Date), nullInt(d.Year), d.Subject, d.Name, d.Status, d.Text, d.HasText, d.SourceFile, d.ImportedAt,
		d.OwnerUnit), true)
}

// updateDocument writes d; in is what was merged into it. The stated
// status changes when in states one (a citation only where none was
// stated), and the status is derived again from it and the validity
// statements.
func updateDocument(ctx context.Context, q DBTX, d, in *danvan.Document) (*danvan.Document, error) {
	if d.HasText && d.ImportedAt == nil {
		now := time.Now().UTC()
		d.ImportedAt = &now
	}
	return scanDocument(q.QueryRow(ctx, `UPDATE documents d SET
		key = $2, number = $3, number_norm = $4, type = $5, type_code = $6, issuer = $7, issuer_code = $8,
		date = $9, year = $10, subject = $11, name = $12,
		stated_status = CASE WHEN $13 <> 'unknown' AND ($18 OR d.stated_status = 'unknown') THEN $13 ELSE d.stated_status END,
		status = coalesce(`+derivedStatus+`,
			CASE WHEN $13 <> 'unknown' AND ($18 OR d.stated_status = 'unknown') THEN $13 ELSE d.stated_status END),
		text = $14, has_text = $15, source_file = $16, imported_at = $17, owner_unit = $19, updated_at = now()
		WHERE id = $1 RETURNING `+prefixed("d.", docColsText),
		d.ID, d.Key, d.Number, danvan.NormalizeNumber(d.Number), d.Type, d.TypeCode, d.Issuer, d.IssuerCode,
		nullDate(d.Date), nullInt(d.Year), d.Subject, d.Name, in.Status, d.Text, d.HasText, d.SourceFile, d.ImportedAt,
		in.HasText, d.OwnerUnit), true)
}

// recountStatus derives the status of ids again from the validity
// statements about them and their stated status.
func recountStatus(ctx context.Context, q DBTX, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := q.Exec(ctx, `UPDATE documents d SET status = coalesce(`+derivedStatus+`, d.stated_status)
		WHERE d.id = ANY($1) AND d.status IS DISTINCT FROM coalesce(`+derivedStatus+`, d.stated_status)`, ids)
	return translate(err)
}

// FindDocument returns the document whose id, key or number is s, without
// its text. When several documents share a number (two provinces' 53/KH-UBND)
// it returns the imported one, then the most cited, then the newest. It
// returns an ENotFound *Error when none matches.
func (db *DB) FindDocument(ctx context.Context, s string) (*danvan.Document, error) {
	s = strings.TrimSpace(s)
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		d, err := scanDocument(db.Pool.QueryRow(ctx, `SELECT `+docCols+` FROM documents WHERE id = $1`, id), false)
		if danvan.ErrorCode(err) != danvan.ENotFound {
			return d, err
		}
	}
	d, err := scanDocument(db.Pool.QueryRow(ctx, `SELECT `+docCols+` FROM documents
		WHERE key = $1 OR number_norm = $2
		ORDER BY key = $1 DESC, has_text DESC, cited_by DESC, year DESC NULLS LAST, id
		LIMIT 1`, s, danvan.NormalizeNumber(s)), false)
	if danvan.ErrorCode(err) == danvan.ENotFound {
		return nil, notFound("document", s)
	}
	return d, err
}

// DocumentText returns the full text of document id ("" when only cited),
// or an ENotFound *Error.
func (db *DB) DocumentText(ctx context.Context, id int64) (string, error) {
	var text string
	err := db.Pool.QueryRow(ctx, `SELECT text FROM documents WHERE id = $1`, id).Scan(&text)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", notFound("document", strconv.FormatInt(id, 10))
	}
	return text, translate(err)
}

// DocumentsByID returns the documents with the given ids in id order,
// with their text when withText; missing ids are skipped. It fails only
// on database errors.
func (db *DB) DocumentsByID(ctx context.Context, ids []int64, withText bool) ([]danvan.Document, error) {
	cols := docCols
	if withText {
		cols = docColsText
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+cols+` FROM documents WHERE id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, translate(err)
	}
	return collectDocuments(rows, withText)
}

// ListDocuments returns up to limit documents with id > afterID in id
// order, for paging through the registry (Reindex). It fails only on
// database errors.
func (db *DB) ListDocuments(ctx context.Context, afterID int64, limit int, withText bool) ([]danvan.Document, error) {
	cols := docCols
	if withText {
		cols = docColsText
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+cols+` FROM documents WHERE id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, translate(err)
	}
	return collectDocuments(rows, withText)
}

// DeleteDocumentsByKey deletes the documents with the given keys, their
// mentions and anomalies, and returns how many it deleted. It fails only
// on database errors.
func (db *DB) DeleteDocumentsByKey(ctx context.Context, keys []string) (int, error) {
	var n int
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT DISTINCT m.cited_document_id FROM document_mentions m
			JOIN documents d ON d.id = m.citing_document_id WHERE d.key = ANY($1)`, keys)
		if err != nil {
			return translate(err)
		}
		cited, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return translate(err)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM documents WHERE key = ANY($1)`, keys)
		if err != nil {
			return translate(err)
		}
		n = int(tag.RowsAffected())
		return recountCitedBy(ctx, tx, cited)
	})
	return n, err
}

type rowScanner interface{ Scan(dest ...any) error }

func scanDocument(row rowScanner, withText bool) (*danvan.Document, error) {
	var r relationRow
	dest := r.dest()
	if withText {
		dest = append(dest, &r.d.Text)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return r.document(), nil
}

func collectDocuments(rows pgx.Rows, withText bool) ([]danvan.Document, error) {
	defer rows.Close()
	var out []danvan.Document
	for rows.Next() {
		d, err := scanDocument(rows, withText)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, translate(rows.Err())
}

func nullDate(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}
