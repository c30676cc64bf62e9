package store

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// addAttachments stores files for the report, model or draft id (owner is
// its column: report_id, model_id or draft_id) on q, normally the
// transaction that writes the owner, so a refused owner leaves no file.
func addAttachments(ctx context.Context, q DBTX, unit, owner string, id int64, files []danvan.Upload) error {
	switch owner {
	case "report_id", "model_id", "draft_id", "plan_id":
	default:
		return errors.New("store: unknown attachment owner " + owner)
	}
	for _, f := range files {
		if f.Name == "" {
			return danvan.Invalid("attachments", "every file needs a name", "mỗi tệp cần có tên")
		}
		sum, err := PutBlob(ctx, q, f.Data, f.MediaType, 0)
		if err != nil {
			e := danvan.AsError(err)
			return danvan.Invalid("attachments."+f.Name, e.Message, e.MessageVI)
		}
		mt := f.MediaType
		if mt == "" {
			mt = "application/octet-stream"
		}
		if _, err := q.Exec(ctx, `INSERT INTO attachments (unit_code, `+owner+`, sha256, name, media_type, size, text)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, unit, id, sum, f.Name, mt, len(f.Data), f.Text); err != nil {
			return translate(err)
		}
	}
	return nil
}

// moveDraftFiles hands a draft's files to the report or model made from it
// and deletes the draft, in the caller's transaction. A draft of another
// unit is ENotFound: nothing of another unit can be taken over.
func moveDraftFiles(ctx context.Context, q DBTX, unit string, draftID int64, owner string, id int64) error {
	if draftID == 0 {
		return nil
	}
	var n int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM drafts WHERE id = $1 AND unit_code = $2`, draftID, unit).Scan(&n); err != nil {
		return translate(err)
	}
	if n == 0 {
		return notFound("draft", strconv.FormatInt(draftID, 10))
	}
	if _, err := q.Exec(ctx, `UPDATE attachments SET draft_id = NULL, `+owner+` = $2 WHERE draft_id = $1`, draftID, id); err != nil {
		return translate(err)
	}
	_, err := q.Exec(ctx, `DELETE FROM drafts WHERE id = $1`, draftID)
	return translate(err)
}

// listAttachments returns the files of owner id, oldest first.
func listAttachments(ctx context.Context, q DBTX, owner string, id int64) ([]danvan.Attachment, error) {
	rows, err := q.Query(ctx, `SELECT id, sha256, name, media_type, size, text <> '', created_at FROM attachments
		WHERE `+owner+` = $1 ORDER BY id`, id)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Attachment, error) {
		var a danvan.Attachment
		err := r.Scan(&a.ID, &a.SHA256, &a.Name, &a.MediaType, &a.Size, &a.HasText, &a.CreatedAt)
		return a, err
	})
	if out == nil {
		out = []danvan.Attachment{}
	}
	return out, translate(err)
}

// FindAttachment returns an attachment, its unit and its bytes; ENotFound
// when unknown.
func (s *ReportService) FindAttachment(ctx context.Context, id int64) (*danvan.Attachment, string, []byte, error) {
	var a danvan.Attachment
	var unit string
	var data []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT a.id, a.sha256, a.name, a.media_type, a.size, a.text <> '', a.created_at, a.draft_id IS NOT NULL,
			a.unit_code, b.data
		FROM attachments a JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = $1`, id).
		Scan(&a.ID, &a.SHA256, &a.Name, &a.MediaType, &a.Size, &a.HasText, &a.CreatedAt, &a.InDraft, &unit, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", nil, notFound("attachment", strconv.FormatInt(id, 10))
	}
	if err != nil {
		return nil, "", nil, translate(err)
	}
	return &a, unit, data, nil
}
