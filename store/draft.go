package store

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// SaveDraft creates a draft (d.ID 0) or replaces the body of d's unit's
// draft d.ID, adding files, in one transaction. ENotFound when d.ID names
// no draft of that unit: a unit never overwrites another's draft.
func (s *ReportService) SaveDraft(ctx context.Context, d *danvan.Draft, files []danvan.Upload) error {
	if len(d.Body) == 0 {
		d.Body = []byte("{}")
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if d.ID == 0 {
			err = tx.QueryRow(ctx, `INSERT INTO drafts (cycle_id, unit_code, kind, body, saved_by) VALUES ($1,$2,$3,$4,$5)
				RETURNING id, updated_at`, d.CycleID, d.UnitCode, d.Kind, d.Body, d.SavedBy).Scan(&d.ID, &d.UpdatedAt)
		} else {
			err = tx.QueryRow(ctx, `UPDATE drafts SET body = $3, saved_by = $4, kind = $5, updated_at = now()
				WHERE id = $1 AND unit_code = $2 RETURNING updated_at, cycle_id`, d.ID, d.UnitCode, d.Body, d.SavedBy, d.Kind).Scan(&d.UpdatedAt, &d.CycleID)
			if errors.Is(err, pgx.ErrNoRows) {
				return notFound("draft", strconv.FormatInt(d.ID, 10))
			}
		}
		if err != nil {
			return translate(err)
		}
		if err := addAttachments(ctx, tx, d.UnitCode, "draft_id", d.ID, files); err != nil {
			return err
		}
		d.Attachments, err = listAttachments(ctx, tx, "draft_id", d.ID)
		return err
	})
}

// FindDraft returns the draft with its files; ENotFound for an unknown id.
func (s *ReportService) FindDraft(ctx context.Context, id int64) (*danvan.Draft, error) {
	var d danvan.Draft
	err := s.db.Pool.QueryRow(ctx, `SELECT id, cycle_id, unit_code, kind, body, saved_by, updated_at FROM drafts WHERE id = $1`, id).
		Scan(&d.ID, &d.CycleID, &d.UnitCode, &d.Kind, &d.Body, &d.SavedBy, &d.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("draft", strconv.FormatInt(id, 10))
	} else if err != nil {
		return nil, translate(err)
	}
	d.Attachments, err = listAttachments(ctx, s.db.Pool, "draft_id", id)
	return &d, err
}

// FindDrafts returns unit's drafts in cycleID ("" = every cycle), newest
// first, without their files.
func (s *ReportService) FindDrafts(ctx context.Context, unit, cycleID string) ([]danvan.Draft, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT id, cycle_id, unit_code, kind, body, saved_by, updated_at FROM drafts
		WHERE unit_code = $1 AND ($2 = '' OR cycle_id = $2) ORDER BY updated_at DESC, id DESC`, unit, cycleID)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Draft, error) {
		var d danvan.Draft
		err := r.Scan(&d.ID, &d.CycleID, &d.UnitCode, &d.Kind, &d.Body, &d.SavedBy, &d.UpdatedAt)
		d.Attachments = []danvan.Attachment{}
		return d, err
	})
	if out == nil {
		out = []danvan.Draft{}
	}
	return out, translate(err)
}

// DeleteDraft removes a draft and its files; ENotFound when unknown.
func (s *ReportService) DeleteDraft(ctx context.Context, id int64) error {
	tag, err := s.db.Pool.Exec(ctx, `DELETE FROM drafts WHERE id = $1`, id)
	if err == nil && tag.RowsAffected() == 0 {
		return notFound("draft", strconv.FormatInt(id, 10))
	}
	return translate(err)
}
