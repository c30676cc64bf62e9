package store

import (
	"context"
	"errors"
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
	status, has_text, source_file, imported_at, cited_by`

const docColsText = docCols + `, text`

// UpsertDocument merges d into the registry and returns the stored row. A
// document first seen as a citation is completed, never emptied: fields the
// registry lacks are filled, and an import with text (HasText) overrides
// what citations guessed. d.Key, when empty, is danvan.DocumentKey of d. It
// returns an EInvalid *Error when d has neither number nor name.
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
	old, err := resolveDocument(ctx, q, &in)
	if err != nil {
		return nil, err
	}
	if old == nil {
		return insertDocument(ctx, q, &in)
	}
	merged, changed := mergeDocument(old, &in)
	if !changed {
		return old, nil
	}
	return updateDocument(ctx, q, merged)
}

// resolveDocument finds the row in stands for, locked for update: the same
// key; else, for a dated document, the row of the same number still
// waiting for its year; else, for an undated one, the only row with that
// number. Merging these keeps one row per document when texts cite it
// with and without its date.
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

// mergeDocument returns old completed by in, and whether anything changed.
// An import with text is the document speaking for itself and wins; a
// citation only fills gaps, because the first citation seen is no more
// authoritative than the next.
func mergeDocument(old, in *danvan.Document) (*danvan.Document, bool) {
	m := *old
	pick := func(dst *string, v string) {
		if v != "" && (*dst == "" || in.HasText) {
			*dst = v
		}
	}
	pick(&m.Key, in.Key)
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
	if in.Status != danvan.DocUnknown && (m.Status == danvan.DocUnknown || in.HasText) {
		m.Status = in.Status
	}
	if in.HasText {
		m.Text, m.HasText = in.Text, true
		pick(&m.SourceFile, in.SourceFile)
		if in.ImportedAt != nil {
			m.ImportedAt = in.ImportedAt
		}
	}
	changed := m.Key != old.Key || m.Number != old.Number || m.Type != old.Type || m.TypeCode != old.TypeCode ||
		m.Issuer != old.Issuer || m.IssuerCode != old.IssuerCode || m.Date != old.Date || m.Year != old.Year ||
		m.Subject != old.Subject || m.Name != old.Name || m.Status != old.Status || m.HasText != old.HasText ||
		m.Text != old.Text || m.SourceFile != old.SourceFile
	return &m, changed
}

func insertDocument(ctx context.Context, q DBTX, d *danvan.Document) (*danvan.Document, error) {
	if d.HasText && d.ImportedAt == nil {
		now := time.Now().UTC()
		d.ImportedAt = &now
	}
	return scanDocument(q.QueryRow(ctx, `INSERT INTO documents
		(key, number, number_norm, type, type_code, issuer, issuer_code, date, year, subject, name, status,
		 text, has_text, source_file, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		RETURNING `+docColsText,
		d.Key, d.Number, danvan.NormalizeNumber(d.Number), d.Type, d.TypeCode, d.Issuer, d.IssuerCode,
		nullDate(d.Date), nullInt(d.Year), d.Subject, d.Name, d.Status, d.Text, d.HasText, d.SourceFile, d.ImportedAt), true)
}

func updateDocument(ctx context.Context, q DBTX, d *danvan.Document) (*danvan.Document, error) {
	if d.HasText && d.ImportedAt == nil {
		now := time.Now().UTC()
		d.ImportedAt = &now
	}
	return scanDocument(q.QueryRow(ctx, `UPDATE documents SET
		key = $2, number = $3, number_norm = $4, type = $5, type_code = $6, issuer = $7, issuer_code = $8,
		date = $9, year = $10, subject = $11, name = $12, status = $13, text = $14, has_text = $15,
		source_file = $16, imported_at = $17, updated_at = now()
		WHERE id = $1 RETURNING `+docColsText,
		d.ID, d.Key, d.Number, danvan.NormalizeNumber(d.Number), d.Type, d.TypeCode, d.Issuer, d.IssuerCode,
		nullDate(d.Date), nullInt(d.Year), d.Subject, d.Name, d.Status, d.Text, d.HasText, d.SourceFile, d.ImportedAt), true)
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
