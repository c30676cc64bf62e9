package store

import (
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/summary"
)

// SummarySource implements summary.Source on the database.
//
// Report figures and models are read here, in this one file, from the
// accepted annual_report submission's text (summary.ParseFigures) and its
// dvk.* figures, because report figures and models are not yet records of
// their own. When they are, Reports and Models are the only two methods to
// point at those tables.
type SummarySource struct {
	DB        *DB
	Catalogue *summary.Catalogue
	Sets      *CriteriaService
	Scores    *ScoreService
	Insp      *InspectionService
	Cycles    *CycleService
	// ReportKind is the task whose accepted submission carries the figures
	// (default annual_report).
	ReportKind string
}

// NewSummarySource returns a SummarySource on db with the default
// catalogue.
func NewSummarySource(db *DB) *SummarySource {
	return &SummarySource{DB: db, Catalogue: summary.MustDefault(), Sets: NewCriteriaService(db), Scores: NewScoreService(db),
		Insp: NewInspectionService(db), Cycles: NewCycleService(db), ReportKind: danvan.TaskAnnualReport}
}

var _ summary.Source = (*SummarySource)(nil)

// Cycle returns ENotFound for an unknown cycle.
func (s *SummarySource) Cycle(ctx context.Context, id string) (*danvan.Cycle, error) {
	return s.Cycles.FindCycle(ctx, id)
}

// Units returns the cycle's units with their names and kinds, and its
// owner; a code missing from the units table keeps its code as name.
func (s *SummarySource) Units(ctx context.Context, id string) ([]summary.Unit, summary.Unit, error) {
	c, err := s.Cycles.FindCycle(ctx, id)
	if err != nil {
		return nil, summary.Unit{}, err
	}
	rows, err := s.DB.Pool.Query(ctx, `SELECT code, name, kind FROM units WHERE code = ANY($1)`, append(append([]string{}, c.Units...), c.Definition.Owner))
	if err != nil {
		return nil, summary.Unit{}, translate(err)
	}
	known, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (summary.Unit, error) {
		var u summary.Unit
		return u, r.Scan(&u.Code, &u.Name, &u.Kind)
	})
	if err != nil {
		return nil, summary.Unit{}, translate(err)
	}
	by := map[string]summary.Unit{}
	for _, u := range known {
		by[u.Code] = u
	}
	get := func(code string) summary.Unit {
		if u, ok := by[code]; ok {
			return u
		}
		return summary.Unit{Code: code, Name: code, Kind: danvan.UnitOther}
	}
	out := make([]summary.Unit, len(c.Units))
	for i, code := range c.Units {
		out[i] = get(code)
	}
	return out, get(c.Definition.Owner), nil
}

// Reports returns, per unit, the figures of its accepted report task: the
// structured report (reports table, issue 9) when there is one, else the
// figures written in the last submission's text (a JSON {"figures": …}
// or "key: value" lines), read from the blob store.
func (s *SummarySource) Reports(ctx context.Context, id string) (map[string]summary.Report, error) {
	rows, err := s.DB.Pool.Query(ctx, `SELECT DISTINCT ON (t.unit_code) t.unit_code, t.decided_at,
			coalesce(r.figures::text, ''), coalesce(convert_from(b.data, 'UTF8'), '')
		FROM tasks t
		LEFT JOIN reports r ON r.cycle_id = t.cycle_id AND r.unit_code = t.unit_code AND r.kind = t.kind
		LEFT JOIN submissions s ON s.cycle_id = t.cycle_id AND s.unit_code = t.unit_code AND s.kind = t.kind AND s.state = 'recorded'
		LEFT JOIN blobs b ON b.sha256 = s.sha256
		WHERE t.cycle_id = $1 AND t.kind = $2 AND t.status IN ('accepted', 'done_late')
		ORDER BY t.unit_code, s.seq DESC NULLS LAST`, id, s.ReportKind)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]summary.Report{}
	for rows.Next() {
		var unit, figures, body string
		var decided *time.Time
		if err := rows.Scan(&unit, &decided, &figures, &body); err != nil {
			return nil, translate(err)
		}
		if figures != "" {
			body = `{"figures": ` + figures + `}`
		}
		r := summary.Report{Figures: summary.ParseFigures(body, s.Catalogue)}
		if decided != nil {
			r.AcceptedAt = *decided
		}
		out[unit] = r
	}
	return out, translate(rows.Err())
}

// Models counts each unit's registered and recognised models of the cycle
// (models table, issue 9); a unit with none there falls back to its
// accepted report's dvk.dang_ky and dvk.cong_nhan figures.
func (s *SummarySource) Models(ctx context.Context, id string) (map[string]summary.Models, error) {
	reports, err := s.Reports(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[string]summary.Models{}
	for unit, r := range reports {
		out[unit] = summary.Models{Registered: int(r.Figures["dvk.dang_ky"]), Recognised: int(r.Figures["dvk.cong_nhan"])}
	}
	rows, err := s.DB.Pool.Query(ctx, `SELECT unit_code, count(*),
			count(*) FILTER (WHERE status IN ('recognised','typical','replicated','commended'))
		FROM models WHERE cycle_id = $1 GROUP BY unit_code`, id)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var m summary.Models
		if err := rows.Scan(&unit, &m.Registered, &m.Recognised); err != nil {
			return nil, translate(err)
		}
		out[unit] = m
	}
	return out, translate(rows.Err())
}

// Tasks returns the tasks of id and of the cycles cascaded from it.
func (s *SummarySource) Tasks(ctx context.Context, id string) ([]danvan.Task, error) {
	rows, err := s.DB.Pool.Query(ctx, `SELECT cycle_id, unit_code, kind, title, status, due, submitted_at, decided_at,
			reminders_sent, escalated, extensions, return_reason, version, updated_at
		FROM tasks WHERE cycle_id = $1 OR cycle_id IN (SELECT id FROM cycles WHERE parent_id = $1)
		ORDER BY unit_code, due, kind`, id)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Task, error) {
		var t danvan.Task
		err := r.Scan(&t.CycleID, &t.UnitCode, &t.Kind, &t.Title, &t.Status, &t.Due, &t.SubmittedAt, &t.DecidedAt,
			&t.RemindersSent, &t.Escalated, &t.Extensions, &t.ReturnReason, &t.Version, &t.UpdatedAt)
		return t, err
	})
	return out, translate(err)
}

// Inspections returns the cycle's inspections with their open actions and
// every action.
func (s *SummarySource) Inspections(ctx context.Context, id string) ([]inspections.Summary, []inspections.Action, error) {
	plans, err := s.Insp.ListInspections(ctx, id, "")
	if err != nil {
		return nil, nil, err
	}
	actions, err := s.Insp.FindActions(ctx, id, 0, "")
	if err != nil {
		return nil, nil, err
	}
	out := []inspections.Summary{}
	for _, p := range plans {
		recs, err := s.Insp.FindRecords(ctx, p.ID)
		if err != nil {
			return nil, nil, err
		}
		sm := inspections.Summary{ID: p.ID, Kind: p.Kind, Title: p.Title, Number: p.Number, Status: p.Status, Recorded: []string{}, OpenActions: []inspections.Action{}}
		for _, v := range p.Units {
			sm.Units = append(sm.Units, v.Unit)
			if _, ok := recs[v.Unit]; ok {
				sm.Recorded = append(sm.Recorded, v.Unit)
			}
		}
		for _, a := range actions {
			if a.InspectionID != p.ID {
				continue
			}
			sm.Actions++
			if a.State != inspections.ActionAccepted {
				sm.OpenActions = append(sm.OpenActions, a)
			}
		}
		out = append(out, sm)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, actions, nil
}

// Criteria returns the cycle's set (nil when none is chosen) and sheets.
func (s *SummarySource) Criteria(ctx context.Context, id string) (*criteria.Set, map[string]summary.Sheets, error) {
	set, err := s.Sets.CycleSet(ctx, id)
	if err != nil || set == nil {
		return nil, nil, err
	}
	raw, err := s.Scores.Sheets(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]summary.Sheets{}
	for unit, m := range raw {
		out[unit] = summary.Sheets{Self: m[SheetSelf], Appraisal: m[SheetAppraisal]}
	}
	return set, out, nil
}

// Previous returns the same owner's top-level cycle of the year before.
func (s *SummarySource) Previous(ctx context.Context, id string) (string, error) {
	var prev string
	err := s.DB.Pool.QueryRow(ctx, `SELECT p.id FROM cycles c JOIN cycles p ON p.owner = c.owner AND p.year = c.year - 1 AND p.parent_id IS NULL
		WHERE c.id = $1 ORDER BY p.started_at DESC LIMIT 1`, id).Scan(&prev)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return prev, translate(err)
}

// Province walks up from the cycle's owner to the first unit of kind
// province; a zero Unit when there is none.
func (s *SummarySource) Province(ctx context.Context, id string) (summary.Unit, error) {
	var u summary.Unit
	err := s.DB.Pool.QueryRow(ctx, `WITH RECURSIVE up AS (
			SELECT u.code, u.name, u.kind, u.parent_code, 0 AS depth FROM units u JOIN cycles c ON c.owner = u.code WHERE c.id = $1
			UNION ALL
			SELECT p.code, p.name, p.kind, p.parent_code, up.depth + 1 FROM units p JOIN up ON p.code = up.parent_code WHERE up.depth < 50)
		SELECT code, name, kind FROM up WHERE kind = 'province' ORDER BY depth LIMIT 1`, id).Scan(&u.Code, &u.Name, &u.Kind)
	if err == pgx.ErrNoRows {
		return summary.Unit{}, nil
	}
	return u, translate(err)
}
