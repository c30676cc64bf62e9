package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/danvan/danvan"
)

// Drafts keeps form drafts per user on the server (store.DraftService).
type Drafts interface {
	// SaveDraft stores fields and returns when; EInvalid for a bad key.
	SaveDraft(ctx context.Context, userID int64, key string, fields json.RawMessage) (time.Time, error)
	// FindDraft returns ENotFound when the user has no draft of key.
	FindDraft(ctx context.Context, userID int64, key string) (json.RawMessage, time.Time, error)
	// DeleteDraft removes a draft; a missing one is not an error.
	DeleteDraft(ctx context.Context, userID int64, key string) error
}

// maxDraft bounds one draft: a long plan pasted as text fits easily.
const maxDraft = 2 << 20

type draftBody struct {
	Fields    json.RawMessage `json:"fields"`
	UpdatedAt time.Time       `json:"updated_at"`
}

func draftKey(cycle, unit, kind string) string { return "task/" + cycle + "/" + unit + "/" + kind }

// webDraftRoutes serve the task page's autosave: GET returns the draft
// (404 when none), PUT replaces it. Only someone who may submit for the
// unit has drafts for it.
func (s *Server) webDraftRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /ban-nhap/chu-ky/{id}/{unit}/{kind}", s.draftHandler)
	mux.HandleFunc("PUT /ban-nhap/chu-ky/{id}/{unit}/{kind}", s.draftHandler)
}

func (s *Server) draftHandler(w http.ResponseWriter, r *http.Request) {
	u := s.webUser(r)
	if u == nil {
		s.writeError(w, r, danvan.Errorf(danvan.EUnauthorized, "sign in first", "hãy đăng nhập"))
		return
	}
	unit := r.PathValue("unit")
	if !u.CanActFor(unit) {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy"))
		return
	}
	if s.Drafts == nil {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "drafts are not configured", "chưa cấu hình lưu bản nháp"))
		return
	}
	key := draftKey(r.PathValue("id"), unit, r.PathValue("kind"))
	if r.Method == http.MethodGet {
		fields, at, err := s.Drafts.FindDraft(r.Context(), u.ID, key)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, draftBody{Fields: fields, UpdatedAt: at})
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDraft))
	if err != nil {
		s.writeError(w, r, danvan.Errorf(danvan.EInvalid, "the draft is too large", "bản nháp quá lớn"))
		return
	}
	var in struct {
		Fields map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(data, &in); err != nil || in.Fields == nil {
		s.writeError(w, r, danvan.Invalid("fields", "send {\"fields\": {name: text}}", "bản nháp phải là {\"fields\": {tên: nội dung}}"))
		return
	}
	fields, _ := json.Marshal(in.Fields)
	at, err := s.Drafts.SaveDraft(r.Context(), u.ID, key, fields)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, draftBody{Fields: fields, UpdatedAt: at})
}

// clearDraft removes a draft once its form was sent; a failure only costs
// a stale draft, so it is logged, not shown.
func (s *Server) clearDraft(ctx context.Context, u *danvan.User, key string) {
	if s.Drafts == nil {
		return
	}
	if err := s.Drafts.DeleteDraft(ctx, u.ID, key); err != nil {
		s.Logger.Warn("clear draft", "key", key, "err", err)
	}
}
