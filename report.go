package danvan

import (
	"context"
	"encoding/json"
	"time"
)

// Report kinds: the tasks whose content is a report.
const (
	ReportMidyear = TaskMidyearReport
	ReportAnnual  = TaskAnnualReport
)

// Report is a unit's mid-year or annual report: sections keyed and figures
// keyed as in the catalogue it was checked against.
type Report struct {
	ID       int64  `json:"id"`
	CycleID  string `json:"cycle_id"`
	UnitCode string `json:"unit"`
	Kind     string `json:"kind"`
	Year     int    `json:"year"`
	Number   string `json:"number"`
	Date     string `json:"date"`
	Title    string `json:"title"`
	// Sections maps a catalogue section key to its text.
	Sections map[string]string `json:"sections"`
	// Figures maps a catalogue figure key to what the unit reported.
	Figures map[string]float64 `json:"figures"`
	// Derived holds the rates computed from Figures (never typed).
	Derived map[string]float64 `json:"derived"`
	// Citations are the document numbers the section texts cite.
	Citations        []string     `json:"citations"`
	CatalogueVersion string       `json:"catalogue_version"`
	Attachments      []Attachment `json:"attachments"`
	SubmittedBy      string       `json:"submitted_by,omitempty"`
	SubmittedAt      time.Time    `json:"submitted_at"`
}

// Attachment is a stored file attached to a report, a model or a draft.
type Attachment struct {
	ID int64 `json:"id"`
	File
	// HasText says whether text was extracted (for citations and search).
	HasText bool `json:"has_text"`
	// InDraft says the file belongs to a draft: only its unit may see it.
	InDraft bool `json:"-"`
}

// UnitPlan is a unit's plan as submitted with what its automatic reading
// found: citations, whether it cites the parent plan, warnings for the
// reviewer (each {code, message, message_vi}).
type UnitPlan struct {
	ID          int64           `json:"id"`
	CycleID     string          `json:"cycle_id"`
	UnitCode    string          `json:"unit"`
	Number      string          `json:"number"`
	Date        string          `json:"date"`
	Issuer      string          `json:"issuer"`
	Title       string          `json:"title"`
	Text        string          `json:"text"`
	Citations   []string        `json:"citations"`
	CitesParent bool            `json:"cites_parent"`
	Warnings    json.RawMessage `json:"warnings"`
	Attachments []Attachment    `json:"attachments"`
	SubmittedBy string          `json:"submitted_by,omitempty"`
	SubmittedAt time.Time       `json:"submitted_at"`
}

// Draft is a saved, not yet submitted plan, model or report: only its
// unit sees it.
type Draft struct {
	ID          int64           `json:"id"`
	CycleID     string          `json:"cycle_id"`
	UnitCode    string          `json:"unit"`
	Kind        string          `json:"kind"`
	Body        json.RawMessage `json:"body"`
	Attachments []Attachment    `json:"attachments"`
	SavedBy     string          `json:"saved_by,omitempty"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// ReportService stores reports, catalogues, drafts and attachments.
type ReportService interface {
	// ActiveCatalogue returns the catalogue body in force and its version.
	ActiveCatalogue(ctx context.Context) (version string, body []byte, err error)
	// Catalogue returns the body of one version; ENotFound if unknown.
	Catalogue(ctx context.Context, version string) ([]byte, error)
	// ImportCatalogue stores body under version and makes it the one in
	// force; EConflict when version exists with another body.
	ImportCatalogue(ctx context.Context, version string, body []byte, by string) error
	// SaveReport stores r (replacing the unit's earlier report of that
	// kind in the cycle) and its files in one transaction, and deletes the
	// draft draftID (0 = none) in it too: all of it or nothing.
	SaveReport(ctx context.Context, r *Report, files []Upload, draftID int64) error
	// FindReport returns ENotFound when the unit has no such report.
	FindReport(ctx context.Context, cycleID, unit, kind string) (*Report, error)
	// FindReports returns every unit's report of kind in the cycle, by
	// unit code, without their files.
	FindReports(ctx context.Context, cycleID, kind string) ([]Report, error)
	// PreviousReport returns the unit's report of kind in the latest
	// earlier year; ENotFound when there is none.
	PreviousReport(ctx context.Context, unit, kind string, year int) (*Report, error)
	// SaveDraft creates (ID 0) or replaces a draft with its files;
	// ENotFound when d.ID names no draft of d's unit.
	SaveDraft(ctx context.Context, d *Draft, files []Upload) error
	// FindDraft returns ENotFound for an unknown id.
	FindDraft(ctx context.Context, id int64) (*Draft, error)
	// FindDrafts returns a unit's drafts in a cycle ("" = all), newest first.
	FindDrafts(ctx context.Context, unit, cycleID string) ([]Draft, error)
	// DeleteDraft removes a draft; ENotFound when unknown.
	DeleteDraft(ctx context.Context, id int64) error
	// SavePlan stores the unit's plan (replacing an earlier one in the
	// cycle) with its files and takes over draft draftID, in one
	// transaction.
	SavePlan(ctx context.Context, p *UnitPlan, files []Upload, draftID int64) error
	// FindPlan returns ENotFound when the unit submitted no plan.
	FindPlan(ctx context.Context, cycleID, unit string) (*UnitPlan, error)
	// FindAttachment returns an attachment, the unit it belongs to and
	// its bytes; ENotFound when unknown.
	FindAttachment(ctx context.Context, id int64) (*Attachment, string, []byte, error)
}
