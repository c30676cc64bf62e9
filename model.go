package danvan

import (
	"context"
	"time"
)

// Model statuses: the life of a "Dân vận khéo" model from registration to
// the standing agency's result.
const (
	ModelRegistered    = "registered"
	ModelImplementing  = "implementing"
	ModelInterimReview = "interim_review"
	ModelFinalReview   = "final_review"
	ModelRecognised    = "recognised"
	ModelTypical       = "typical"
	ModelReplicated    = "replicated"
	ModelCommended     = "commended"
	ModelNotRecognised = "not_recognised"
)

// ModelForce is one organisation that carries a model out and its role:
// chu_tri (lead), phoi_hop (coordinating) or tham_gia (participating).
type ModelForce struct {
	Org  string `json:"org" validate:"required,max=300"`
	Role string `json:"role" validate:"required,oneof=chu_tri phoi_hop tham_gia"`
}

// Milestone is one step of a model's schedule (tiến độ).
type Milestone struct {
	Date    string `json:"date" validate:"required,isodate"`
	Content string `json:"content" validate:"required,max=2000"`
}

// ModelRegistration is what a unit registers: the items of a real
// registration form (Văn bản 249/MTTQ-BTT; see shared/research).
type ModelRegistration struct {
	Name           string       `json:"name" validate:"required,max=500"`
	Field          string       `json:"field" validate:"required,max=64"`
	Kind           string       `json:"kind" validate:"required,oneof=mo_hinh dien_hinh"`
	OwnerType      string       `json:"owner_type" validate:"required,oneof=tap_the ca_nhan"`
	OwnerName      string       `json:"owner_name" validate:"required,max=300"`
	Problem        string       `json:"problem" validate:"required,max=20000"`
	Goals          string       `json:"goals" validate:"required,max=20000"`
	Criteria       string       `json:"criteria" validate:"required,max=20000"`
	Content        string       `json:"content" validate:"required,max=50000"`
	Area           string       `json:"area" validate:"required,max=2000"`
	Beneficiaries  string       `json:"beneficiaries" validate:"required,max=2000"`
	Forces         []ModelForce `json:"forces" validate:"required,min=1,max=50,dive"`
	Resources      string       `json:"resources" validate:"required,max=20000"`
	StartDate      string       `json:"start_date" validate:"required,isodate"`
	Milestones     []Milestone  `json:"milestones,omitempty" validate:"max=50,dive"`
	EvaluationDate string       `json:"evaluation_date" validate:"required,isodate"`
	Outputs        []string     `json:"outputs" validate:"required,min=1,max=50,dive,required,max=2000"`
	Sustainability string       `json:"sustainability" validate:"required,max=20000"`
	// ContinuesID names last cycle's model this one carries on, if any.
	ContinuesID int64 `json:"continues_id,omitempty"`
}

// Model is a registered model with its place in the cycle and its life.
type Model struct {
	ID       int64  `json:"id"`
	CycleID  string `json:"cycle_id"`
	UnitCode string `json:"unit"`
	Year     int    `json:"year"`
	ModelRegistration
	Status      string        `json:"status"`
	ResultNote  string        `json:"result_note,omitempty"`
	Reviews     []ModelReview `json:"reviews"`
	Attachments []Attachment  `json:"attachments"`
	CreatedBy   string        `json:"created_by,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// ModelReview is a sơ kết (interim) or tổng kết (final) review of a model.
type ModelReview struct {
	Stage      string `json:"stage" validate:"required,oneof=interim final"`
	PeriodFrom string `json:"period_from" validate:"required,isodate"`
	PeriodTo   string `json:"period_to" validate:"required,isodate"`
	// Done is what was done against the registered plan.
	Done string `json:"done" validate:"required,max=50000"`
	// Outputs is what was produced against the registered outputs.
	Outputs string `json:"outputs" validate:"required,max=50000"`
	Effect  string `json:"effect" validate:"required,max=50000"`
	// Proposal is cong_nhan (recognise), nhan_rong (replicate),
	// khen_thuong (commend), cung_co (consolidate) or dung (stop).
	Proposal     string    `json:"proposal" validate:"required,oneof=cong_nhan nhan_rong khen_thuong cung_co dung"`
	ProposalNote string    `json:"proposal_note,omitempty" validate:"max=5000"`
	CreatedBy    string    `json:"created_by,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// ModelFilter selects models; empty fields match everything.
type ModelFilter struct {
	CycleID, UnitCode, Field, Status, Kind string
	Year                                   int
	// Tier is the unit kind (province, department, district, commune).
	Tier string
}

// ModelService stores models and their reviews.
type ModelService interface {
	// CreateModel stores m (status registered) with its attachments in one
	// transaction, taking over the files of draft draftID (0 = none) and
	// deleting it; EInvalid for an unknown cycle, unit or continued model.
	CreateModel(ctx context.Context, m *Model, files []Upload, draftID int64) error
	// FindModel returns ENotFound for an unknown id.
	FindModel(ctx context.Context, id int64) (*Model, error)
	// FindModels returns matching models, newest first.
	FindModels(ctx context.Context, f ModelFilter) ([]Model, error)
	// UpdateModelStatus moves a model from one of from to status, adding
	// review when it is not nil; EConflict when the model is in no state
	// of from (someone moved it meanwhile), ENotFound for an unknown id.
	UpdateModelStatus(ctx context.Context, id int64, from []string, status, note string, review *ModelReview) (*Model, error)
	// UnitsWithoutModel returns the cycle's units that registered no model
	// in it; ENotFound for an unknown cycle.
	UnitsWithoutModel(ctx context.Context, cycleID string) ([]string, error)
}
