package store

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
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

// SaveCalendar stores the years of cfg (each replaces that year's stored
// row) in one transaction and returns the whole stored calendar. It returns
// EInvalid for a calendar that does not validate.
func (s *CycleService) SaveCalendar(ctx context.Context, cfg calendar.Config) (calendar.Config, error) {
	if err := cfg.Validate(); err != nil {
		return calendar.Config{}, danvan.Errorf(danvan.EInvalid, "calendar: %v", "lịch nghỉ không hợp lệ: %v", err)
	}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		for y, yc := range cfg.Years {
			raw, err := json.Marshal(yc)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO calendar_years (year, config) VALUES ($1, $2)
				ON CONFLICT (year) DO UPDATE SET config = excluded.config, updated_at = now()`, y, raw); err != nil {
				return translate(err)
			}
		}
		return nil
	})
	if err != nil {
		return calendar.Config{}, err
	}
	return s.LoadCalendar(ctx)
}

// LoadCalendar returns the stored calendar; the zero Config (statutory)
// when none is stored.
func (s *CycleService) LoadCalendar(ctx context.Context) (calendar.Config, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT year, config FROM calendar_years ORDER BY year`)
	if err != nil {
		return calendar.Config{}, translate(err)
	}
	var cfg calendar.Config
	var y int
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&y, &raw}, func() error {
		var yc calendar.Year
		if err := json.Unmarshal(raw, &yc); err != nil {
			return err
		}
		if cfg.Years == nil {
			cfg.Years = map[int]calendar.Year{}
		}
		cfg.Years[y] = yc
		return nil
	})
	return cfg, translate(err)
}
