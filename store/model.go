package store

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// ModelService implements danvan.ModelService.
type ModelService struct{ db *DB }

// NewModelService returns a ModelService on db.
func NewModelService(db *DB) *ModelService { return &ModelService{db} }

var _ danvan.ModelService = (*ModelService)(nil)

// CreateModel stores m as registered with its files, in one transaction;
// EInvalid for an unknown cycle or unit or a continued model of another
// unit, ENotFound for a draft that is not the unit's.
func (s *ModelService) CreateModel(ctx context.Context, m *danvan.Model, files []danvan.Upload, draftID int64) error {
	body, err := json.Marshal(m.ModelRegistration)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		var cont *int64
		if m.ContinuesID != 0 {
			var unit string
			err := tx.QueryRow(ctx, `SELECT unit_code FROM models WHERE id = $1`, m.ContinuesID).Scan(&unit)
			if errors.Is(err, pgx.ErrNoRows) || (err == nil && unit != m.UnitCode) {
				return danvan.Invalid("continues_id", "names no model of this unit", "không phải mô hình của đơn vị này")
			} else if err != nil {
				return translate(err)
			}
			cont = &m.ContinuesID
		}
		m.Status = danvan.ModelRegistered
		err := tx.QueryRow(ctx, `INSERT INTO models (cycle_id, unit_code, year, name, field, kind, status, body, continues_id, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id, created_at, updated_at`,
			m.CycleID, m.UnitCode, m.Year, m.Name, m.Field, m.Kind, m.Status, body, cont, m.CreatedBy).Scan(&m.ID, &m.CreatedAt, &m.UpdatedAt)
		if err != nil {
			return translate(err)
		}
		if err := addAttachments(ctx, tx, m.UnitCode, "model_id", m.ID, files); err != nil {
			return err
		}
		if err := moveDraftFiles(ctx, tx, m.UnitCode, draftID, "model_id", m.ID); err != nil {
			return err
		}
		m.Reviews = []danvan.ModelReview{}
		m.Attachments, err = listAttachments(ctx, tx, "model_id", m.ID)
		return err
	})
}

const modelColumns = `m.id, m.cycle_id, m.unit_code, m.year, m.status, m.body, m.result_note, m.created_by, m.created_at, m.updated_at`

func scanModel(r pgx.Row) (*danvan.Model, error) {
	var m danvan.Model
	var body []byte
	if err := r.Scan(&m.ID, &m.CycleID, &m.UnitCode, &m.Year, &m.Status, &body, &m.ResultNote, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, &m.ModelRegistration); err != nil {
		return nil, err
	}
	m.Reviews, m.Attachments = []danvan.ModelReview{}, []danvan.Attachment{}
	return &m, nil
}

// FindModel returns the model with its reviews and files; ENotFound for an
// unknown id.
func (s *ModelService) FindModel(ctx context.Context, id int64) (*danvan.Model, error) {
	return findModel(ctx, s.db.Pool, id)
}

func findModel(ctx context.Context, q DBTX, id int64) (*danvan.Model, error) {
	m, err := scanModel(q.QueryRow(ctx, `SELECT `+modelColumns+` FROM models m WHERE m.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("model", strconv.FormatInt(id, 10))
	} else if err != nil {
		return nil, translate(err)
	}
	rows, err := q.Query(ctx, `SELECT body, created_by, created_at FROM model_reviews WHERE model_id = $1 ORDER BY created_at, id`, id)
	if err != nil {
		return nil, translate(err)
	}
	m.Reviews, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.ModelReview, error) {
		var rv danvan.ModelReview
		var body []byte
		var by string
		var at time.Time
		if err := r.Scan(&body, &by, &at); err != nil {
			return rv, err
		}
		err := json.Unmarshal(body, &rv)
		rv.CreatedBy, rv.CreatedAt = by, at
		return rv, err
	})
	if err != nil {
		return nil, translate(err)
	}
	if m.Reviews == nil {
		m.Reviews = []danvan.ModelReview{}
	}
	m.Attachments, err = listAttachments(ctx, q, "model_id", id)
	return m, err
}

// FindModels returns matching models newest first, without their reviews
// and files (FindModel has them).
func (s *ModelService) FindModels(ctx context.Context, f danvan.ModelFilter) ([]danvan.Model, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+modelColumns+` FROM models m JOIN units u ON u.code = m.unit_code
		WHERE ($1 = '' OR m.cycle_id = $1) AND ($2 = '' OR m.unit_code = $2) AND ($3 = '' OR m.field = $3)
		  AND ($4 = '' OR m.status = $4) AND ($5 = '' OR m.kind = $5) AND ($6 = 0 OR m.year = $6) AND ($7 = '' OR u.kind = $7)
		ORDER BY m.created_at DESC, m.id DESC`, f.CycleID, f.UnitCode, f.Field, f.Status, f.Kind, f.Year, f.Tier)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Model, error) {
		m, err := scanModel(r)
		if err != nil {
			return danvan.Model{}, err
		}
		return *m, nil
	})
	if out == nil {
		out = []danvan.Model{}
	}
	return out, translate(err)
}

// UpdateModelStatus moves model id from a status in from to status and
// records review when given, in one transaction. It returns EConflict
// naming the model's status when it is in none of from (or already has a
// review of that stage), ENotFound for an unknown id.
func (s *ModelService) UpdateModelStatus(ctx context.Context, id int64, from []string, status, note string, review *danvan.ModelReview) (*danvan.Model, error) {
	var out *danvan.Model
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var cur string
		err := tx.QueryRow(ctx, `SELECT status FROM models WHERE id = $1 FOR UPDATE`, id).Scan(&cur)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("model", strconv.FormatInt(id, 10))
		} else if err != nil {
			return translate(err)
		}
		allowed := false
		for _, f := range from {
			allowed = allowed || f == cur
		}
		if !allowed {
			return danvan.Errorf(danvan.EConflict, "model %d is %s; this step needs it to be %v", "mô hình %d đang ở trạng thái %s; bước này cần trạng thái %v", id, cur, from)
		}
		if _, err := tx.Exec(ctx, `UPDATE models SET status = $2, result_note = CASE WHEN $3 = '' THEN result_note ELSE $3 END, updated_at = now()
			WHERE id = $1`, id, status, note); err != nil {
			return translate(err)
		}
		if review != nil {
			body, err := json.Marshal(review)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO model_reviews (model_id, stage, body, created_by) VALUES ($1, $2, $3, $4)`,
				id, review.Stage, body, review.CreatedBy); err != nil {
				return translate(err)
			}
		}
		out, err = findModel(ctx, tx, id)
		return err
	})
	return out, err
}

// UnitsWithoutModel returns the cycle's units that registered no model in
// it, in code order; ENotFound for an unknown cycle.
func (s *ModelService) UnitsWithoutModel(ctx context.Context, cycleID string) ([]string, error) {
	var units []string
	err := s.db.Pool.QueryRow(ctx, `SELECT coalesce(array_agg(u ORDER BY u), '{}') FROM cycles c, unnest(c.units) u
		WHERE c.id = $1 AND NOT EXISTS (SELECT 1 FROM models m WHERE m.cycle_id = c.id AND m.unit_code = u)`, cycleID).Scan(&units)
	if err != nil {
		return nil, translate(err)
	}
	if len(units) == 0 {
		var n int
		if err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM cycles WHERE id = $1`, cycleID).Scan(&n); err != nil {
			return nil, translate(err)
		}
		if n == 0 {
			return nil, notFound("cycle", cycleID)
		}
	}
	return units, nil
}
