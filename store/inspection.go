package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/inspections"
)

// InspectionService stores inspection plans, the records made at each
// unit and the corrective actions.
type InspectionService struct{ db *DB }

// NewInspectionService returns an InspectionService on db.
func NewInspectionService(db *DB) *InspectionService { return &InspectionService{db} }

// CreateInspection stores p (already checked) and its units in one
// transaction and returns its new id. EInvalid when the cycle does not
// exist.
func (s *InspectionService) CreateInspection(ctx context.Context, p *inspections.Plan) (int64, error) {
	var id int64
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p.Status = inspections.StatusOpen
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO inspections (cycle_id, kind, plan, created_by, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
			p.CycleID, p.Kind, body, p.CreatedBy, p.CreatedAt).Scan(&id); err != nil {
			return translate(err)
		}
		p.ID = id
		if body, err = json.Marshal(p); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE inspections SET plan = $2 WHERE id = $1`, id, body); err != nil {
			return translate(err)
		}
		for _, v := range p.Units {
			if _, err := tx.Exec(ctx, `INSERT INTO inspection_units (inspection_id, unit_code, visit_date) VALUES ($1,$2,$3)`, id, v.Unit, v.Date); err != nil {
				return translate(err)
			}
		}
		return nil
	})
	return id, err
}

func scanPlan(r pgx.Row) (*inspections.Plan, error) {
	var b []byte
	var p inspections.Plan
	var status string
	var closed *time.Time
	if err := r.Scan(&b, &status, &closed); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	p.Status, p.ClosedAt = status, closed
	return &p, nil
}

// FindInspection returns ENotFound when no inspection has id.
func (s *InspectionService) FindInspection(ctx context.Context, id int64) (*inspections.Plan, error) {
	p, err := scanPlan(s.db.Pool.QueryRow(ctx, `SELECT plan, status, closed_at FROM inspections WHERE id = $1`, id))
	if err == pgx.ErrNoRows {
		return nil, notFound("inspection", fmt.Sprint(id))
	}
	return p, translate(err)
}

// ListInspections returns inspections newest first, of cycleID when not
// empty and, when unit is not empty, only those that inspect unit.
func (s *InspectionService) ListInspections(ctx context.Context, cycleID, unit string) ([]inspections.Plan, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT plan, status, closed_at FROM inspections i
		WHERE ($1 = '' OR cycle_id = $1) AND ($2 = '' OR EXISTS (SELECT 1 FROM inspection_units u WHERE u.inspection_id = i.id AND u.unit_code = $2))
		ORDER BY id DESC`, cycleID, unit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (inspections.Plan, error) {
		p, err := scanPlan(r)
		if err != nil {
			return inspections.Plan{}, err
		}
		return *p, nil
	})
	return out, translate(err)
}

// SaveRecord stores a unit's record and its actions in one transaction.
// The same record again changes nothing; a different one for a unit
// already recorded is EConflict (a record is minutes, not a draft).
func (s *InspectionService) SaveRecord(ctx context.Context, r *inspections.Record, actions []inspections.Action) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO inspection_records (inspection_id, unit_code, record, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5)
			ON CONFLICT DO NOTHING`, r.InspectionID, r.Unit, body, r.RecordedBy, r.RecordedAt)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			var old []byte
			if err := tx.QueryRow(ctx, `SELECT record FROM inspection_records WHERE inspection_id=$1 AND unit_code=$2`, r.InspectionID, r.Unit).Scan(&old); err != nil {
				return translate(err)
			}
			if !sameRecord(old, r) {
				return danvan.Errorf(danvan.EConflict, "inspection %d already has a record for %s", "đợt kiểm tra %d đã có biên bản của %s", r.InspectionID, r.Unit)
			}
			return nil
		}
		for _, a := range actions {
			if _, err := tx.Exec(ctx, `INSERT INTO inspection_actions (inspection_id, unit_code, seq, text, due, task_cycle) VALUES ($1,$2,$3,$4,$5,$6)`,
				a.InspectionID, a.Unit, a.Seq, a.Text, a.Due, a.TaskCycle); err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// sameRecord compares a stored record with r, ignoring who and when.
func sameRecord(old []byte, r *inspections.Record) bool {
	var o inspections.Record
	if json.Unmarshal(old, &o) != nil {
		return false
	}
	o.RecordedAt, o.RecordedBy = r.RecordedAt, r.RecordedBy
	a, _ := json.Marshal(o)
	b, _ := json.Marshal(r)
	return string(a) == string(b)
}

// FindRecords returns an inspection's records by unit code.
func (s *InspectionService) FindRecords(ctx context.Context, id int64) (map[string]inspections.Record, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT unit_code, record FROM inspection_records WHERE inspection_id = $1`, id)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]inspections.Record{}
	for rows.Next() {
		var unit string
		var b []byte
		if err := rows.Scan(&unit, &b); err != nil {
			return nil, translate(err)
		}
		var r inspections.Record
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, err
		}
		out[unit] = r
	}
	return out, translate(rows.Err())
}

// FindActions returns the actions of inspection id (all when id is 0) of
// cycleID's inspections (all when empty), of unit when not empty, each
// with its task and state.
func (s *InspectionService) FindActions(ctx context.Context, cycleID string, id int64, unit string) ([]inspections.Action, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT a.inspection_id, a.unit_code, a.seq, a.text, to_char(a.due, 'YYYY-MM-DD'), a.task_cycle,
			t.status, t.due, t.submitted_at, t.decided_at, t.title, t.reminders_sent, t.escalated, t.extensions, t.return_reason, t.version, t.updated_at
		FROM inspection_actions a JOIN inspections i ON i.id = a.inspection_id
		LEFT JOIN tasks t ON t.cycle_id = a.task_cycle AND t.unit_code = a.unit_code AND t.kind = $4
		WHERE ($1 = '' OR i.cycle_id = $1) AND ($2 = 0 OR a.inspection_id = $2) AND ($3 = '' OR a.unit_code = $3)
		ORDER BY a.inspection_id, a.unit_code, a.seq`, cycleID, id, unit, inspections.TaskResponse)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []inspections.Action
	for rows.Next() {
		var a inspections.Action
		var status, title, reason *string
		var due, updated *time.Time
		var submitted, decided *time.Time
		var reminders, extensions *int
		var escalated *bool
		var version *int64
		if err := rows.Scan(&a.InspectionID, &a.Unit, &a.Seq, &a.Text, &a.Due, &a.TaskCycle,
			&status, &due, &submitted, &decided, &title, &reminders, &escalated, &extensions, &reason, &version, &updated); err != nil {
			return nil, translate(err)
		}
		if status != nil {
			a.Task = &danvan.Task{CycleID: a.TaskCycle, UnitCode: a.Unit, Kind: inspections.TaskResponse, Status: *status, Due: *due,
				SubmittedAt: submitted, DecidedAt: decided, Title: *title, RemindersSent: *reminders, Escalated: *escalated,
				Extensions: *extensions, ReturnReason: *reason, Version: *version, UpdatedAt: *updated}
		}
		a.State = inspections.StateOf(a.Task)
		out = append(out, a)
	}
	return out, translate(rows.Err())
}

// CloseInspection closes an open inspection at at. EConflict when it is
// closed already, ENotFound when unknown.
func (s *InspectionService) CloseInspection(ctx context.Context, id int64, at time.Time) error {
	tag, err := s.db.Pool.Exec(ctx, `UPDATE inspections SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open'`, id, at)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.FindInspection(ctx, id); err != nil {
			return err
		}
		return danvan.Errorf(danvan.EConflict, "inspection %d is closed already", "đợt kiểm tra %d đã kết thúc", id)
	}
	return nil
}
