package store

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// SavePlan stores p, replacing the unit's earlier plan in the cycle (files
// attached before are kept), adds files and takes over draft draftID, all
// in one transaction.
func (s *ReportService) SavePlan(ctx context.Context, p *danvan.UnitPlan, files []danvan.Upload, draftID int64) error {
	if p.Citations == nil {
		p.Citations = []string{}
	}
	if len(p.Warnings) == 0 {
		p.Warnings = json.RawMessage("[]")
	}
	cites, _ := json.Marshal(p.Citations)
	var date *string
	if p.Date != "" {
		date = &p.Date
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO unit_plans (cycle_id, unit_code, number, date, issuer, title, body, citations, cites_parent,
				warnings, submitted_by, submitted_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
			ON CONFLICT (cycle_id, unit_code) DO UPDATE SET number = excluded.number, date = excluded.date, issuer = excluded.issuer,
				title = excluded.title, body = excluded.body, citations = excluded.citations, cites_parent = excluded.cites_parent,
				warnings = excluded.warnings, submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at
			RETURNING id`, p.CycleID, p.UnitCode, p.Number, date, p.Issuer, p.Title, p.Text, cites, p.CitesParent,
			[]byte(p.Warnings), p.SubmittedBy, p.SubmittedAt).Scan(&p.ID)
		if err != nil {
			return translate(err)
		}
		if err := addAttachments(ctx, tx, p.UnitCode, "plan_id", p.ID, files); err != nil {
			return err
		}
		if err := moveDraftFiles(ctx, tx, p.UnitCode, draftID, "plan_id", p.ID); err != nil {
			return err
		}
		p.Attachments, err = listAttachments(ctx, tx, "plan_id", p.ID)
		return err
	})
}

// FindPlan returns the unit's plan in the cycle; ENotFound when none.
func (s *ReportService) FindPlan(ctx context.Context, cycleID, unit string) (*danvan.UnitPlan, error) {
	var p danvan.UnitPlan
	var cites, warnings []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT id, cycle_id, unit_code, number, coalesce(to_char(date, 'YYYY-MM-DD'), ''), issuer, title, body,
			citations, cites_parent, warnings, submitted_by, submitted_at
		FROM unit_plans WHERE cycle_id = $1 AND unit_code = $2`, cycleID, unit).
		Scan(&p.ID, &p.CycleID, &p.UnitCode, &p.Number, &p.Date, &p.Issuer, &p.Title, &p.Text, &cites, &p.CitesParent, &warnings,
			&p.SubmittedBy, &p.SubmittedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("plan", cycleID+"/"+unit)
	} else if err != nil {
		return nil, translate(err)
	}
	if err := json.Unmarshal(cites, &p.Citations); err != nil {
		return nil, err
	}
	p.Warnings = warnings
	p.Attachments, err = listAttachments(ctx, s.db.Pool, "plan_id", p.ID)
	return &p, err
}
