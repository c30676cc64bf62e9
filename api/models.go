package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/models"
)

func (s *Server) modelRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/cycles/{id}/units/{unit}/models", s.authed(s.needWork(s.handleRegisterModel)))
	mux.HandleFunc("GET /api/cycles/{id}/models/missing", s.authed(s.needWork(s.handleUnitsWithoutModel)))
	mux.HandleFunc("GET /api/models", s.authed(s.needWork(s.handleListModels)))
	mux.HandleFunc("GET /api/models/{mid}", s.authed(s.needWork(s.handleShowModel)))
	mux.HandleFunc("POST /api/models/{mid}/start", s.authed(s.needWork(s.handleStartModel)))
	mux.HandleFunc("POST /api/models/{mid}/reviews", s.authed(s.needWork(s.handleReviewModel)))
	mux.HandleFunc("POST /api/models/{mid}/decide", s.authed(s.needWork(s.handleDecideModel)))
	mux.HandleFunc("POST /api/models/{mid}/carry", s.authed(s.needWork(s.handleCarryModel)))
}

// ModelRequest is the body of POST .../models: the registration (keys of
// danvan.ModelRegistration, see examples/model.json), files, and the draft
// it was resumed from.
type ModelRequest struct {
	Model       json.RawMessage `json:"model"`
	Attachments []FileUpload    `json:"attachments,omitempty"`
	DraftID     int64           `json:"draft_id,omitempty"`
}

func decodeStrict(raw json.RawMessage, what string, v any) error {
	if len(raw) == 0 {
		return danvan.Invalid(what, "is required", "bắt buộc phải có")
	}
	if err := readJSONBytes(raw, v); err != nil {
		return danvan.Errorf(danvan.EInvalid, "%s is not valid JSON for this call: %v", "%s không phải JSON hợp lệ: %v", what, err)
	}
	return nil
}

func (s *Server) handleRegisterModel(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id, unit := r.PathValue("id"), r.PathValue("unit")
	if err := actFor(u, unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	var req ModelRequest
	if err := readJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.registerModel(r.Context(), u, id, unit, &req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	title := "Đăng ký mô hình \"Dân vận khéo\": " + m.Name
	out := s.outcome(r.Context(), u, id, unit, danvan.TaskModelRegistration, "", "", title, taskText(title, fmt.Sprintf("/api/models/%d", m.ID)))
	s.audit(r, "model.register", id, unit, map[string]any{"model": m.ID, "name": m.Name})
	writeJSON(w, http.StatusCreated, map[string]any{"model": m, "task": out.Task, "task_error": out.Error})
}

func (s *Server) registerModel(ctx context.Context, u *danvan.User, id, unit string, req *ModelRequest) (*danvan.Model, error) {
	c, err := s.cycleFor(ctx, id, unit)
	if err != nil {
		return nil, err
	}
	if req.DraftID != 0 && !ownsDrafts(u, unit) {
		return nil, draftsOf(u, unit)
	}
	var reg danvan.ModelRegistration
	if err := decodeStrict(req.Model, "model", &reg); err != nil {
		return nil, err
	}
	cat, err := s.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	if err := models.CheckRegistration(&reg, cat); err != nil {
		return nil, err
	}
	files, err := s.uploads(req.Attachments)
	if err != nil {
		return nil, err
	}
	m := &danvan.Model{CycleID: id, UnitCode: unit, Year: c.Definition.Year, ModelRegistration: reg, CreatedBy: u.Name}
	if err := s.Models.CreateModel(ctx, m, files, req.DraftID); err != nil {
		return nil, err
	}
	return m, nil
}

// handleListModels lists models; an officer sees only the unit's own, an
// administrator (or reader, inspector) filters across units by cycle,
// unit, field, status, kind, year and tier (the unit's kind).
func (s *Server) handleListModels(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	q := r.URL.Query()
	f := danvan.ModelFilter{CycleID: q.Get("cycle"), UnitCode: q.Get("unit"), Field: q.Get("field"), Status: q.Get("status"),
		Kind: q.Get("kind"), Tier: q.Get("tier")}
	if y := q.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			s.writeError(w, r, danvan.Invalid("year", "must be a year such as 2022", "phải là năm, ví dụ 2022"))
			return
		}
		f.Year = n
	}
	if u.Role == danvan.RoleOfficer {
		if f.UnitCode != "" && f.UnitCode != u.UnitCode {
			s.writeError(w, r, canRead(u, f.UnitCode))
			return
		}
		f.UnitCode = u.UnitCode
	}
	list, err := s.Models.FindModels(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": list})
}

// modelFor loads model mid and checks u may read it (ENotFound otherwise).
func (s *Server) modelFor(r *http.Request) (*danvan.Model, error) {
	mid, err := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	if err != nil {
		return nil, danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy")
	}
	m, err := s.Models.FindModel(r.Context(), mid)
	if err != nil {
		return nil, err
	}
	if err := canRead(userFrom(r.Context()), m.UnitCode); err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Server) handleShowModel(w http.ResponseWriter, r *http.Request) {
	m, err := s.modelFor(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// handleStartModel records that the unit has started carrying the model
// out (registered → implementing).
func (s *Server) handleStartModel(w http.ResponseWriter, r *http.Request) {
	m, err := s.modelFor(r)
	if err == nil {
		err = actFor(userFrom(r.Context()), m.UnitCode)
	}
	if err == nil {
		m, err = s.Models.UpdateModelStatus(r.Context(), m.ID, models.StartFrom, danvan.ModelImplementing, "", nil)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "model.start", m.CycleID, m.UnitCode, map[string]any{"model": m.ID})
	writeJSON(w, http.StatusOK, m)
}

// handleReviewModel records an interim (sơ kết) or final (tổng kết)
// review, by the unit or an administrator.
func (s *Server) handleReviewModel(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	m, err := s.modelFor(r)
	if err == nil {
		err = actFor(u, m.UnitCode)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var rv danvan.ModelReview
	if err := readJSON(r, &rv); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := models.CheckReview(&rv); err != nil {
		s.writeError(w, r, err)
		return
	}
	from, to, err := models.ReviewFrom(rv.Stage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rv.CreatedBy = u.Name
	m, err = s.Models.UpdateModelStatus(r.Context(), m.ID, from, to, "", &rv)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "model.review", m.CycleID, m.UnitCode, map[string]any{"model": m.ID, "stage": rv.Stage, "proposal": rv.Proposal})
	writeJSON(w, http.StatusOK, m)
}

// DecideRequest is the standing agency's result for a model.
type DecideRequest struct {
	Result string `json:"result"`
	Note   string `json:"note,omitempty"`
}

func (s *Server) handleDecideModel(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if err := Allow(u, ActionAdminister, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.modelFor(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var d DecideRequest
	if err := readJSON(r, &d); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(d.Note) > 5000 {
		s.writeError(w, r, danvan.Invalid("note", "must be at most 5000 characters", "tối đa 5000 ký tự"))
		return
	}
	from, err := models.DecideFrom(d.Result)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err = s.Models.UpdateModelStatus(r.Context(), m.ID, from, d.Result, d.Note, nil)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "model.decide", m.CycleID, m.UnitCode, map[string]any{"model": m.ID, "result": d.Result})
	writeJSON(w, http.StatusOK, m)
}

// handleUnitsWithoutModel lists the cycle's units that registered no
// model: every unit must register at least one a year. An officer sees
// only whether the own unit is among them.
func (s *Server) handleUnitsWithoutModel(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	c, f, err := s.scopedCycle(r.Context(), u, r.PathValue("id"), "")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	units, err := s.Models.UnitsWithoutModel(r.Context(), c.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []string{}
	for _, code := range units {
		if f.UnitCode == "" || code == f.UnitCode {
			out = append(out, code)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"cycle": c.ID, "units_without_model": out, "units": len(c.Units)})
}

// CarryRequest names the later cycle a model is carried into.
type CarryRequest struct {
	Cycle string `json:"cycle"`
}

// handleCarryModel registers a model that runs several years again in a
// later cycle, continuing the earlier one (same registration, status
// registered, reviewed again in the new year); it counts as the unit's
// model for that cycle and completes its model_registration task.
func (s *Server) handleCarryModel(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	m, err := s.modelFor(r)
	if err == nil {
		err = actFor(u, m.UnitCode)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req CarryRequest
	if err := readJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.cycleFor(r.Context(), req.Cycle, m.UnitCode)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if c.Definition.Year <= m.Year {
		s.writeError(w, r, danvan.Invalid("cycle", fmt.Sprintf("a model of %d is carried into a later year, not %d", m.Year, c.Definition.Year),
			fmt.Sprintf("mô hình năm %d chỉ được chuyển sang năm sau, không phải năm %d", m.Year, c.Definition.Year)))
		return
	}
	if m.Status == danvan.ModelNotRecognised {
		s.writeError(w, r, danvan.Errorf(danvan.EConflict, "model %d was not recognised; register a new one", "mô hình %d không được công nhận; hãy đăng ký mô hình mới", m.ID))
		return
	}
	next := &danvan.Model{CycleID: c.ID, UnitCode: m.UnitCode, Year: c.Definition.Year, ModelRegistration: m.ModelRegistration, CreatedBy: u.Name}
	next.ContinuesID = m.ID
	if err := s.Models.CreateModel(r.Context(), next, nil, 0); err != nil {
		s.writeError(w, r, err)
		return
	}
	title := "Đăng ký mô hình \"Dân vận khéo\" (tiếp tục): " + next.Name
	out := s.outcome(r.Context(), u, c.ID, next.UnitCode, danvan.TaskModelRegistration, "", "", title, taskText(title, fmt.Sprintf("/api/models/%d", next.ID)))
	s.audit(r, "model.carry", c.ID, next.UnitCode, map[string]any{"model": next.ID, "continues": m.ID})
	writeJSON(w, http.StatusCreated, map[string]any{"model": next, "task": out.Task, "task_error": out.Error})
}
