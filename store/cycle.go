package store

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// CycleService implements danvan.CycleService.
type CycleService struct{ db *DB }

// NewCycleService returns a CycleService on db.
func NewCycleService(db *DB) *CycleService { return &CycleService{db} }

var _ danvan.CycleService = (*CycleService)(nil)

// CreateCycle returns EConflict when a cycle with c.ID exists.
func (s *CycleService) CreateCycle(ctx context.Context, c *danvan.Cycle) error {
	def, err := json.Marshal(c.Definition)
	if err != nil {
		return err
	}
	var parent *string
	if c.Definition.Parent != "" {
		parent = &c.Definition.Parent
	}
	_, err = s.db.Pool.Exec(ctx, `INSERT INTO cycles (id, year, owner, title, definition, units, status, parent_id, started_by, started_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		c.ID, c.Definition.Year, c.Definition.Owner, c.Definition.Title, def, c.Units, c.Status, parent, c.StartedBy, c.StartedAt)
	if danvan.ErrorCode(translate(err)) == danvan.EConflict {
		return danvan.Errorf(danvan.EConflict, "cycle %s already exists", "chu kỳ %s đã tồn tại", c.ID)
	}
	return translate(err)
}

const cycleColumns = `id, definition, units, status, started_by, started_at`

func scanCycle(r pgx.Row) (*danvan.Cycle, error) {
	var c danvan.Cycle
	var def []byte
	if err := r.Scan(&c.ID, &def, &c.Units, &c.Status, &c.StartedBy, &c.StartedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(def, &c.Definition); err != nil {
		return nil, err
	}
	return &c, nil
}

// FindCycle returns ENotFound when no cycle has id.
func (s *CycleService) FindCycle(ctx context.Context, id string) (*danvan.Cycle, error) {
	c, err := scanCycle(s.db.Pool.QueryRow(ctx, `SELECT `+cycleColumns+` FROM cycles WHERE id = $1`, id))
	if err == pgx.ErrNoRows {
		return nil, notFound("cycle", id)
	}
	return c, translate(err)
}

// ListCycles returns cycles newest first.
func (s *CycleService) ListCycles(ctx context.Context) ([]danvan.Cycle, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+cycleColumns+` FROM cycles ORDER BY year DESC, started_at DESC`)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Cycle, error) {
		c, err := scanCycle(r)
		if err != nil {
			return danvan.Cycle{}, err
		}
		return *c, nil
	})
	return out, translate(err)
}

// SetCycleStatus sets a cycle's status; ENotFound for an unknown id.
func (s *CycleService) SetCycleStatus(ctx context.Context, id, status string) error {
	tag, err := s.db.Pool.Exec(ctx, `UPDATE cycles SET status = $2 WHERE id = $1`, id, status)
	if err == nil && tag.RowsAffected() == 0 {
		return notFound("cycle", id)
	}
	return translate(err)
}

// DeleteCycle removes a cycle without tasks; EConflict when it has tasks,
// ENotFound when no cycle has id.
func (s *CycleService) DeleteCycle(ctx context.Context, id string) error {
	var tasks int
	if err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE cycle_id = $1`, id).Scan(&tasks); err != nil {
		return translate(err)
	}
	if tasks > 0 {
		return danvan.Errorf(danvan.EConflict, "cycle %s has tasks and cannot be removed", "chu kỳ %s đã có nhiệm vụ, không thể xóa", id)
	}
	tag, err := s.db.Pool.Exec(ctx, `DELETE FROM cycles WHERE id = $1`, id)
	if err == nil && tag.RowsAffected() == 0 {
		return notFound("cycle", id)
	}
	return translate(err)
}
