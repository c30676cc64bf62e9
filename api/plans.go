package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/reports"
)

func (s *Server) planRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/cycles/{id}/units/{unit}/plan", s.authed(s.needWork(s.handleSubmitPlan)))
	mux.HandleFunc("GET /api/cycles/{id}/units/{unit}/plan", s.authed(s.needWork(s.handleShowPlan)))
}

// PlanRequest is a unit's plan: its number, date, issuer, title and text,
// pasted or read from an attached .docx/.pdf/.txt (the first attachment
// with text is used when Text is empty; the file is kept).
type PlanRequest struct {
	Number      string       `json:"number"`
	Date        string       `json:"date"`
	Issuer      string       `json:"issuer"`
	Title       string       `json:"title"`
	Text        string       `json:"text"`
	Attachments []FileUpload `json:"attachments,omitempty"`
	DraftID     int64        `json:"draft_id,omitempty"`
}

// planFields checks what the tags of a submission would; the plan's text
// may come from its file.
type planFields struct {
	Number string `json:"number" validate:"max=100"`
	Date   string `json:"date" validate:"omitempty,isodate"`
	Issuer string `json:"issuer" validate:"max=300"`
	Title  string `json:"title" validate:"max=500"`
}

// handleSubmitPlan stores the plan with what its reading found (does it
// cite the parent plan, is it dated in time) and submits the unit_plan
// task with its text, so the registry registers it and its citations. A
// plan with warnings is accepted: the warnings are for the reviewer.
func (s *Server) handleSubmitPlan(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id, unit := r.PathValue("id"), r.PathValue("unit")
	if err := actFor(u, unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	var req PlanRequest
	if err := readJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := danvan.Validate(&planFields{req.Number, req.Date, req.Issuer, req.Title}); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.DraftID != 0 && !ownsDrafts(u, unit) {
		s.writeError(w, r, draftsOf(u, unit))
		return
	}
	c, err := s.cycleFor(r.Context(), id, unit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.notAccepted(r.Context(), id, unit, danvan.TaskUnitPlan); err != nil {
		s.writeError(w, r, err)
		return
	}
	files, err := s.uploads(req.Attachments)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	text := req.Text
	for _, f := range files {
		if strings.TrimSpace(text) == "" {
			text = f.Text
		}
	}
	if strings.TrimSpace(text) == "" || !danvan.ValidBody(text) {
		s.writeError(w, r, danvan.Invalid("text", "paste the plan's text or attach it as .docx, .pdf or .txt",
			"hãy dán nội dung kế hoạch hoặc đính kèm tệp .docx, .pdf, .txt"))
		return
	}
	tasks, err := s.Tasks.FindTasks(r.Context(), danvan.TaskFilter{CycleID: id, UnitCode: unit, Kind: danvan.TaskUnitPlan})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	check := reports.CheckPlan(text, req.Date, c.Definition.ParentPlan, dueOf(tasks))
	warnings, _ := json.Marshal(check.Warnings)
	p := &danvan.UnitPlan{CycleID: id, UnitCode: unit, Number: req.Number, Date: req.Date, Issuer: req.Issuer, Title: req.Title,
		Text: text, Citations: check.Citations, CitesParent: check.CitesParent, Warnings: warnings,
		SubmittedBy: u.Name, SubmittedAt: s.Now().UTC()}
	if err := s.Reports.SavePlan(r.Context(), p, files, req.DraftID); err != nil {
		s.writeError(w, r, err)
		return
	}
	out := s.outcome(r.Context(), u, id, unit, danvan.TaskUnitPlan, p.Number, p.Date, p.Title, text)
	s.audit(r, "plan.submit", id, unit, map[string]any{"number": p.Number, "warnings": len(check.Warnings)})
	writeJSON(w, http.StatusOK, map[string]any{"plan": p, "warnings": check.Warnings, "task": out.Task, "task_error": out.Error})
}

// dueOf returns the deadline of the unit's plan task, zero when the cycle
// has none.
func dueOf(tasks []danvan.Task) time.Time {
	if len(tasks) == 0 {
		return time.Time{}
	}
	return tasks[0].Due
}

// handleShowPlan shows the unit's plan with its warnings to those who may
// see the unit's work.
func (s *Server) handleShowPlan(w http.ResponseWriter, r *http.Request) {
	unit := r.PathValue("unit")
	if err := canRead(userFrom(r.Context()), unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.Reports.FindPlan(r.Context(), r.PathValue("id"), unit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
