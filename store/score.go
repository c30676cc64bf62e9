package store

import (
	"context"
	"encoding/json"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/scoring"
)

// Score sheet kinds.
const (
	SheetSelf      = "self"
	SheetAppraisal = "appraisal"
)

// ScoreService stores self-assessments and appraisals.
type ScoreService struct{ db *DB }

// NewScoreService returns a ScoreService on db.
func NewScoreService(db *DB) *ScoreService { return &ScoreService{db} }

// SaveSheet stores a unit's sheet of kind, replacing an earlier one (a
// unit may correct its self-assessment, the agency its appraisal; the
// audit log keeps each version). EInvalid for an unknown kind or cycle.
func (s *ScoreService) SaveSheet(ctx context.Context, cycleID, unit, kind string, sh *scoring.Sheet) error {
	if kind != SheetSelf && kind != SheetAppraisal {
		return danvan.Invalid("kind", "must be self or appraisal", "phải là self hoặc appraisal")
	}
	b, err := json.Marshal(sh)
	if err != nil {
		return err
	}
	_, err = s.db.Pool.Exec(ctx, `INSERT INTO score_sheets (cycle_id, unit_code, kind, sheet, saved_by, saved_at) VALUES ($1,$2,$3,$4,$5, now())
		ON CONFLICT (cycle_id, unit_code, kind) DO UPDATE SET sheet = excluded.sheet, saved_by = excluded.saved_by, saved_at = now()`,
		cycleID, unit, kind, b, sh.By)
	return translate(err)
}

// Sheets returns every sheet of cycleID by unit and kind.
func (s *ScoreService) Sheets(ctx context.Context, cycleID string) (map[string]map[string]*scoring.Sheet, error) {
	out := map[string]map[string]*scoring.Sheet{}
	rows, err := s.db.Pool.Query(ctx, `SELECT unit_code, kind, sheet FROM score_sheets WHERE cycle_id = $1`, cycleID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit, kind string
		var b []byte
		if err := rows.Scan(&unit, &kind, &b); err != nil {
			return nil, translate(err)
		}
		var sh scoring.Sheet
		if err := json.Unmarshal(b, &sh); err != nil {
			return nil, err
		}
		if out[unit] == nil {
			out[unit] = map[string]*scoring.Sheet{}
		}
		out[unit][kind] = &sh
	}
	return out, translate(rows.Err())
}

// Agency is the standing agency's store: inspections, criteria sets and
// score sheets behind one value (api.AgencyStore).
type Agency struct {
	*InspectionService
	*CriteriaService
	*ScoreService
}

// NewAgency returns an Agency on db.
func NewAgency(db *DB) *Agency {
	return &Agency{NewInspectionService(db), NewCriteriaService(db), NewScoreService(db)}
}
