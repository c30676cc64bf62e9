package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/danvan/danvan"
)

func (s *Server) draftRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/cycles/{id}/units/{unit}/drafts", s.authed(s.needWork(s.handleSaveDraft)))
	mux.HandleFunc("GET /api/cycles/{id}/units/{unit}/drafts", s.authed(s.needWork(s.handleListDrafts)))
	mux.HandleFunc("GET /api/drafts/{did}", s.authed(s.needWork(s.handleShowDraft)))
	mux.HandleFunc("DELETE /api/drafts/{did}", s.authed(s.needWork(s.handleDeleteDraft)))
}

// ownsDrafts reports whether u may see unit's drafts: only the unit's own
// officers. A draft is work in progress; nobody else, administrators
// included, sees it before it is submitted.
func ownsDrafts(u *danvan.User, unit string) bool {
	return u != nil && u.Role == danvan.RoleOfficer && u.UnitCode == unit
}

func draftsOf(u *danvan.User, unit string) error {
	if !ownsDrafts(u, unit) {
		return danvan.Errorf(danvan.ENotFound, "not found (drafts are seen only by their unit's officers)",
			"không tìm thấy (bản nháp chỉ cán bộ của đơn vị được xem)")
	}
	return nil
}

// DraftRequest saves a draft: a new one (ID 0) or the next version of an
// existing one. Body is what the final submission would carry (a report
// file, a model registration, a plan), kept as it is, unchecked.
type DraftRequest struct {
	ID          int64           `json:"id,omitempty"`
	Kind        string          `json:"kind"`
	Body        json.RawMessage `json:"body"`
	Attachments []FileUpload    `json:"attachments,omitempty"`
}

func (s *Server) handleSaveDraft(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id, unit := r.PathValue("id"), r.PathValue("unit")
	if err := draftsOf(u, unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	var req DraftRequest
	if err := readJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if !kindOK(req.Kind) {
		s.writeError(w, r, danvan.Invalid("kind", "must be a task kind such as unit_plan, model_registration or annual_report",
			"phải là loại nhiệm vụ, ví dụ unit_plan, model_registration, annual_report"))
		return
	}
	if len(req.Body) == 0 || !json.Valid(req.Body) {
		s.writeError(w, r, danvan.Invalid("body", "must be the JSON of the submission being drafted", "phải là JSON của nội dung đang soạn"))
		return
	}
	if _, err := s.cycleFor(r.Context(), id, unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	files, err := s.uploads(req.Attachments)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &danvan.Draft{ID: req.ID, CycleID: id, UnitCode: unit, Kind: req.Kind, Body: req.Body, SavedBy: u.Name}
	if err := s.Reports.SaveDraft(r.Context(), d, files); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func kindOK(k string) bool {
	return danvan.Validate(&struct {
		Kind string `json:"kind" validate:"required,kind"`
	}{k}) == nil
}

func (s *Server) handleListDrafts(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	unit := r.PathValue("unit")
	if err := draftsOf(u, unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.Reports.FindDrafts(r.Context(), unit, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"drafts": list})
}

func (s *Server) draftFor(r *http.Request) (*danvan.Draft, error) {
	did, err := strconv.ParseInt(r.PathValue("did"), 10, 64)
	if err != nil {
		return nil, danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy")
	}
	d, err := s.Reports.FindDraft(r.Context(), did)
	if err != nil {
		return nil, err
	}
	if err := draftsOf(userFrom(r.Context()), d.UnitCode); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) handleShowDraft(w http.ResponseWriter, r *http.Request) {
	d, err := s.draftFor(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleDeleteDraft(w http.ResponseWriter, r *http.Request) {
	d, err := s.draftFor(r)
	if err == nil {
		err = s.Reports.DeleteDraft(r.Context(), d.ID)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": d.ID, "status": "deleted"})
}

// readJSONBytes decodes raw into v, refusing unknown fields like readJSON.
func readJSONBytes(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
