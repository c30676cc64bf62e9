// Package summary compiles the province's summary of a cycle: every unit's
// accepted report figures summed over units and by tier, rates recomputed
// from the summed parts, the same-period comparison, the units that did not
// report or reported late, models, inspections with their open actions and
// the classification; and exports it as .docx (Nghị định 30/2020 layout),
// .xlsx and JSON. It reads everything through Source.
package summary

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/scoring"
)

// Unit is a unit in the cycle's scope.
type Unit struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Report is one unit's accepted report figures, by catalogue key (entered
// figures only; derived rates are computed here).
type Report struct {
	Figures    map[string]float64 `json:"figures"`
	AcceptedAt time.Time          `json:"accepted_at"`
}

// Models counts one unit's "Dân vận khéo" models in the cycle.
type Models struct {
	Registered int `json:"registered"`
	Recognised int `json:"recognised"`
}

// Sheets are one unit's self-assessment and appraisal; either may be nil.
type Sheets struct {
	Self      *scoring.Sheet
	Appraisal *scoring.Sheet
}

// Source is what a summary reads. Every method returns ENotFound for an
// unknown cycle and EUnavailable when its store cannot be reached.
type Source interface {
	// Cycle returns the cycle.
	Cycle(ctx context.Context, cycleID string) (*danvan.Cycle, error)
	// Units returns the units in the cycle's scope and its owner.
	Units(ctx context.Context, cycleID string) (scope []Unit, owner Unit, err error)
	// Reports returns the accepted annual report figures per unit code.
	Reports(ctx context.Context, cycleID string) (map[string]Report, error)
	// Models returns model counts per unit code.
	Models(ctx context.Context, cycleID string) (map[string]Models, error)
	// Tasks returns the cycle's tasks and those of the cycles cascaded
	// from it (inspection tasks, districts' cycles).
	Tasks(ctx context.Context, cycleID string) ([]danvan.Task, error)
	// Inspections returns the cycle's inspections with their actions.
	Inspections(ctx context.Context, cycleID string) ([]inspections.Summary, []inspections.Action, error)
	// Criteria returns the criteria set the cycle uses and the sheets per
	// unit; a nil set means none is chosen (no classification).
	Criteria(ctx context.Context, cycleID string) (*criteria.Set, map[string]Sheets, error)
	// Previous returns the id of the same owner's cycle of the previous
	// year, "" when there is none.
	Previous(ctx context.Context, cycleID string) (string, error)
	// Province returns the province unit above (or being) the cycle's
	// owner: the parent body, place and addressee of the summary. A zero
	// Unit means the tree has none.
	Province(ctx context.Context, cycleID string) (Unit, error)
}

// Tiers, in the order a summary lists them.
var Tiers = []string{danvan.UnitDepartment, danvan.UnitDistrict, danvan.UnitCommune, danvan.UnitOther}

// TierLabel is the Vietnamese name of each tier's block.
var TierLabel = map[string]string{
	danvan.UnitDepartment: "Sở, ban, ngành", danvan.UnitDistrict: "Cấp huyện", danvan.UnitCommune: "Cấp xã", danvan.UnitOther: "Đơn vị khác",
}

// FigureRow is one figure compiled.
type FigureRow struct {
	Key      string             `json:"key"`
	Name     string             `json:"name"`
	Unit     string             `json:"unit"`
	Total    *float64           `json:"total"`
	ByTier   map[string]float64 `json:"by_tier"`
	Previous *float64           `json:"previous,omitempty"`
	Change   *float64           `json:"change,omitempty"`
}

// UnitRow is one unit's figures, derived rates included.
type UnitRow struct {
	Unit     string             `json:"unit"`
	Name     string             `json:"name"`
	Kind     string             `json:"kind"`
	Reported bool               `json:"reported"`
	Figures  map[string]float64 `json:"figures"`
}

// Board is the evaluation of a cycle: results with grades, the
// publication list and the task-timeliness evidence.
type Board struct {
	CriteriaSet string                 `json:"criteria_set,omitempty"`
	Example     bool                   `json:"criteria_example"`
	Results     []scoring.Result       `json:"results"`
	Publication scoring.Publication    `json:"publication"`
	Timeliness  []scoring.TaskEvidence `json:"timeliness"`
}

// Summary is the compiled summary; its JSON is what `danvan summary
// --format json` writes.
type Summary struct {
	CycleID          string                        `json:"cycle_id"`
	Year             int                           `json:"year"`
	Title            string                        `json:"title"`
	Owner            Unit                          `json:"owner"`
	Province         Unit                          `json:"province"`
	CompiledAt       time.Time                     `json:"compiled_at"`
	Catalogue        string                        `json:"catalogue_version"`
	Totals           map[string]float64            `json:"totals"`
	ByTier           map[string]map[string]float64 `json:"by_tier"`
	Figures          []FigureRow                   `json:"figures"`
	Units            []UnitRow                     `json:"units"`
	Reported         int                           `json:"reported"`
	InScope          int                           `json:"in_scope"`
	Previous         string                        `json:"previous_cycle,omitempty"`
	NotReported      []string                      `json:"not_reported"`
	ReportedLate     []string                      `json:"reported_late"`
	WithoutModel     []string                      `json:"without_model"`
	ModelsRecognised map[string]int                `json:"models_recognised"`
	Inspections      []inspections.Summary         `json:"inspections"`
	Board            Board                         `json:"classification"`
}

// Compile builds the summary of cycleID at now from src with catalogue
// cat. It returns the first error of src.
func Compile(ctx context.Context, src Source, cat *Catalogue, cycleID string, now time.Time) (*Summary, error) {
	c, err := src.Cycle(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	scope, owner, err := src.Units(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	rec, err := LoadRecords(ctx, src, cycleID)
	if err != nil {
		return nil, err
	}
	reports, models, tasks, insp, actions := rec.Reports, rec.Models, rec.Tasks, rec.Inspections, rec.Actions
	province, err := src.Province(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	s := &Summary{Province: province, CycleID: c.ID, Year: c.Definition.Year, Title: c.Definition.Title, Owner: owner, CompiledAt: now,
		Catalogue: cat.Version, ByTier: map[string]map[string]float64{}, InScope: len(scope),
		NotReported: []string{}, ReportedLate: []string{}, WithoutModel: []string{}, ModelsRecognised: map[string]int{},
		Inspections: insp}
	if s.Inspections == nil {
		s.Inspections = []inspections.Summary{}
	}
	byTier := map[string][]map[string]float64{}
	var all []map[string]float64
	sort.Slice(scope, func(i, j int) bool {
		if tierIndex(scope[i].Kind) != tierIndex(scope[j].Kind) {
			return tierIndex(scope[i].Kind) < tierIndex(scope[j].Kind)
		}
		return scope[i].Code < scope[j].Code
	})
	for _, u := range scope {
		row := UnitRow{Unit: u.Code, Name: u.Name, Kind: u.Kind, Figures: map[string]float64{}}
		if r, ok := reports[u.Code]; ok {
			row.Reported = true
			for k, v := range r.Figures {
				row.Figures[k] = v
			}
			cat.Derive(row.Figures)
			raw := r.Figures
			all = append(all, raw)
			byTier[tierOf(u.Kind)] = append(byTier[tierOf(u.Kind)], raw)
			s.Reported++
		} else {
			s.NotReported = append(s.NotReported, u.Code)
		}
		s.Units = append(s.Units, row)
		if m := models[u.Code]; m.Registered == 0 {
			s.WithoutModel = append(s.WithoutModel, u.Code)
		} else if m.Recognised > 0 {
			s.ModelsRecognised[u.Code] = m.Recognised
		}
	}
	for _, t := range tasks {
		if t.CycleID == c.ID && t.Kind == danvan.TaskAnnualReport && scoring.TaskTimeliness(t, now) == scoring.Late {
			s.ReportedLate = append(s.ReportedLate, t.UnitCode)
		}
	}
	sort.Strings(s.ReportedLate)
	s.Totals = cat.Aggregate(all)
	for _, tier := range Tiers {
		if len(byTier[tier]) > 0 {
			s.ByTier[tier] = cat.Aggregate(byTier[tier])
		}
	}
	var prev map[string]float64
	if s.Previous, err = src.Previous(ctx, cycleID); err != nil {
		return nil, err
	}
	if s.Previous != "" {
		pr, err := src.Reports(ctx, s.Previous)
		if err != nil {
			return nil, err
		}
		var ps []map[string]float64
		for _, r := range pr {
			ps = append(ps, r.Figures)
		}
		prev = cat.Aggregate(ps)
	}
	for _, key := range cat.Keys() {
		name, unit := cat.Name(key)
		row := FigureRow{Key: key, Name: name, Unit: unit, ByTier: map[string]float64{}}
		if v, ok := s.Totals[key]; ok {
			row.Total = ptr(v)
		}
		for tier, m := range s.ByTier {
			if v, ok := m[key]; ok {
				row.ByTier[tier] = v
			}
		}
		if v, ok := prev[key]; ok {
			row.Previous = ptr(v)
			if row.Total != nil {
				row.Change = ptr(round(*row.Total-v, 2))
			}
		}
		s.Figures = append(s.Figures, row)
	}
	b, err := evaluate(ctx, src, cycleID, scope, reports, models, tasks, actions, cat, now)
	if err != nil {
		return nil, err
	}
	s.Board = *b
	return s, nil
}

// Evaluate scores and classifies every unit of cycleID and returns the
// board; with no criteria set chosen only the timeliness evidence is
// filled. It returns the first error of src.
func Evaluate(ctx context.Context, src Source, cat *Catalogue, cycleID string, now time.Time) (*Board, error) {
	scope, _, err := src.Units(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	rec, err := LoadRecords(ctx, src, cycleID)
	if err != nil {
		return nil, err
	}
	return evaluate(ctx, src, cycleID, scope, rec.Reports, rec.Models, rec.Tasks, rec.Actions, cat, now)
}

// Records is what the system recorded of a cycle's units: the evidence the
// summary compiles and the automatic criteria score.
type Records struct {
	Reports     map[string]Report
	Models      map[string]Models
	Tasks       []danvan.Task
	Inspections []inspections.Summary
	Actions     []inspections.Action
}

// LoadRecords reads cycleID's records from src; it returns the first
// error of src.
func LoadRecords(ctx context.Context, src Source, cycleID string) (*Records, error) {
	var r Records
	var err error
	if r.Reports, err = src.Reports(ctx, cycleID); err != nil {
		return nil, err
	}
	if r.Models, err = src.Models(ctx, cycleID); err != nil {
		return nil, err
	}
	if r.Tasks, err = src.Tasks(ctx, cycleID); err != nil {
		return nil, err
	}
	if r.Inspections, r.Actions, err = src.Inspections(ctx, cycleID); err != nil {
		return nil, err
	}
	return &r, nil
}

func evaluate(ctx context.Context, src Source, cycleID string, scope []Unit, reports map[string]Report, models map[string]Models,
	tasks []danvan.Task, actions []inspections.Action, cat *Catalogue, now time.Time) (*Board, error) {
	b := &Board{Results: []scoring.Result{}, Timeliness: scoring.Timeliness(tasks, now)}
	set, sheets, err := src.Criteria(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	if set == nil {
		return b, nil
	}
	b.CriteriaSet, b.Example = set.ID, set.Example
	for _, u := range scope {
		ev := Evidence(u.Code, reports, models, tasks, actions, cat, now)
		auto := scoring.Propose(set, ev)
		sh := sheets[u.Code]
		b.Results = append(b.Results, scoring.Score(set, u.Code, u.Kind, sh.Self, sh.Appraisal, auto))
	}
	b.Results = scoring.Classify(set, b.Results)
	b.Publication = scoring.Publish(set, b.Results)
	return b, nil
}

// Evidence gathers what the automatic rules read for one unit: its own
// tasks (the cycle's and its inspection tasks), figures with derived
// rates, models and corrective actions.
func Evidence(unit string, reports map[string]Report, models map[string]Models, tasks []danvan.Task,
	actions []inspections.Action, cat *Catalogue, now time.Time) scoring.Evidence {
	ev := scoring.Evidence{Unit: unit, Now: now, Figures: map[string]float64{}}
	for _, t := range tasks {
		if t.UnitCode == unit {
			ev.Tasks = append(ev.Tasks, t)
		}
	}
	if r, ok := reports[unit]; ok {
		for k, v := range r.Figures {
			ev.Figures[k] = v
		}
		cat.Derive(ev.Figures)
	}
	ev.ModelsRegistered, ev.ModelsRecognised = models[unit].Registered, models[unit].Recognised
	for _, a := range actions {
		if a.Unit != unit {
			continue
		}
		due, err := inspections.ActionDue(a.Due)
		if err != nil {
			continue
		}
		if a.Task != nil && a.Task.Due.After(due) {
			due = a.Task.Due // an extension granted moves the deadline
		}
		at := ActionTimeliness(a)
		ev.Actions = append(ev.Actions, scoring.ActionTimeliness{Due: due, AnsweredAt: at})
	}
	return ev
}

// ActionTimeliness returns when an action was answered, nil when not yet.
func ActionTimeliness(a inspections.Action) *time.Time {
	if a.Task == nil || a.Task.SubmittedAt == nil {
		return nil
	}
	switch a.Task.Status {
	case danvan.StatusSubmitted, danvan.StatusAccepted, danvan.StatusDoneLate:
		return a.Task.SubmittedAt
	}
	return nil
}

func tierOf(kind string) string {
	switch kind {
	case danvan.UnitDepartment, danvan.UnitDistrict, danvan.UnitCommune:
		return kind
	}
	return danvan.UnitOther
}

func tierIndex(kind string) int {
	for i, t := range Tiers {
		if t == tierOf(kind) {
			return i
		}
	}
	return len(Tiers)
}

func ptr(v float64) *float64 { return &v }

func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}
