package danvan

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Task kinds known to the product. Kinds are data: a cycle may define more.
const (
	TaskUnitPlan           = "unit_plan"
	TaskModelRegistration  = "model_registration"
	TaskMidyearReport      = "midyear_report"
	TaskModelReport        = "model_report"
	TaskAnnualReport       = "annual_report"
	TaskSelfAssessment     = "self_assessment"
	TaskInspectionResponse = "inspection_response"
)

// PlanRef identifies the plan a cycle implements ("Kế hoạch số 53/KH-UBND
// ngày 23/3/2022 của UBND tỉnh").
type PlanRef struct {
	Number string `json:"number" validate:"required,max=100"`
	Date   string `json:"date" validate:"required,isodate"`
	Issuer string `json:"issuer" validate:"required,max=300"`
}

// Scope chooses the units of a cycle: explicit codes, a subtree, or all.
// In JSON it is either a list of codes or an object.
type Scope struct {
	Units   []string `json:"units,omitempty" validate:"dive,code"`
	Subtree string   `json:"subtree,omitempty" validate:"omitempty,code"`
	All     bool     `json:"all,omitempty"`
}

// UnmarshalJSON accepts ["A","B"], "all", or {"units":[...],"subtree":"X","all":true}.
func (s *Scope) UnmarshalJSON(b []byte) error {
	var codes []string
	if err := json.Unmarshal(b, &codes); err == nil {
		*s = Scope{Units: codes}
		return nil
	}
	var word string
	if err := json.Unmarshal(b, &word); err == nil {
		if strings.EqualFold(word, "all") {
			*s = Scope{All: true}
			return nil
		}
		return fmt.Errorf(`scope must be a list of unit codes, "all" or an object`)
	}
	type plain Scope
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf(`scope must be a list of unit codes, "all" or an object: %w`, err)
	}
	*s = Scope(p)
	return nil
}

// TaskDef is one task every unit in scope must do.
type TaskDef struct {
	Kind  string `json:"kind" validate:"required,kind"`
	Title string `json:"title" validate:"required,max=500"`
	// Due is a date (the end of that day in Vietnam, moved to the next
	// working day) or an RFC 3339 instant used as is.
	Due string `json:"due" validate:"required,due"`
}

// ReminderPolicy says when units are reminded and escalated.
type ReminderPolicy struct {
	Before        []string `json:"before,omitempty" validate:"max=10,dive,offset"`
	OverdueEvery  string   `json:"overdue_every,omitempty" validate:"omitempty,offset"`
	EscalateAfter string   `json:"escalate_after,omitempty" validate:"omitempty,offset"`
}

// CycleDefinition is what an administrator starts a year's cycle from.
type CycleDefinition struct {
	Year       int            `json:"year" validate:"required,min=2000,max=2100"`
	Title      string         `json:"title" validate:"required,max=500"`
	ParentPlan PlanRef        `json:"parent_plan"`
	Owner      string         `json:"owner" validate:"required,code"`
	Scope      Scope          `json:"scope"`
	Tasks      []TaskDef      `json:"tasks" validate:"required,min=1,max=50,dive"`
	Reminders  ReminderPolicy `json:"reminders"`
	// Parent is the cycle this one cascades from (a district's cycle for its
	// communes rolls up into the province's), empty for a top-level cycle.
	Parent string `json:"parent,omitempty" validate:"omitempty,max=100"`
	// Closes, when set (same forms as TaskDef.Due), ends every unit
	// workflow of the cycle at that time, whatever is still open or
	// awaiting a decision; what was left undone is recorded.
	Closes string `json:"closes,omitempty" validate:"omitempty,due"`
}

// Check validates tags and the rules tags cannot express.
func (d *CycleDefinition) Check() error {
	if err := Validate(d); err != nil {
		return err
	}
	if !d.Scope.All && d.Scope.Subtree == "" && len(d.Scope.Units) == 0 {
		return Invalid("scope", "choose unit codes, a subtree or all", "chọn mã đơn vị, một nhánh hoặc tất cả")
	}
	seen := map[string]bool{}
	for i, t := range d.Tasks {
		if seen[t.Kind] {
			return Invalid(fmt.Sprintf("tasks[%d].kind", i), fmt.Sprintf("task kind %q appears twice", t.Kind),
				fmt.Sprintf("loại nhiệm vụ %q bị lặp", t.Kind))
		}
		seen[t.Kind] = true
	}
	return nil
}

// CycleID is the business key of a cycle: year and owner unit.
func CycleID(year int, owner string) string { return fmt.Sprintf("%d-%s", year, owner) }

// Cycle statuses.
const (
	CycleRunning  = "running"
	CycleFinished = "finished"
)

// Cycle is a started annual cycle.
type Cycle struct {
	ID         string          `json:"id"`
	Definition CycleDefinition `json:"definition"`
	Units      []string        `json:"units"`
	Status     string          `json:"status"`
	StartedAt  time.Time       `json:"started_at"`
	StartedBy  string          `json:"started_by,omitempty"`
}

// CycleService stores cycles (the projection; Temporal holds the process).
type CycleService interface {
	// CreateCycle returns EConflict when a cycle with that id exists.
	CreateCycle(ctx context.Context, c *Cycle) error
	// FindCycle returns ENotFound when no cycle has id.
	FindCycle(ctx context.Context, id string) (*Cycle, error)
	// ListCycles returns cycles newest first.
	ListCycles(ctx context.Context) ([]Cycle, error)
	// DeleteCycle removes a cycle that has no tasks (one whose workflow
	// never started); EConflict when it has tasks, ENotFound when unknown.
	DeleteCycle(ctx context.Context, id string) error
}
