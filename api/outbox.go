package api

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan"
)

func (s *Server) outboxRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/notifications/failed", s.authed(s.handleFailedMail))
}

// handleFailedMail lists, for administrators only, the e-mails the outbox
// gave up on (a refused mailbox, or no delivery within the retry window),
// so someone can correct an address or tell the unit another way. The
// notifications themselves stay in the units' inboxes.
func (s *Server) handleFailedMail(w http.ResponseWriter, r *http.Request) {
	if err := Allow(userFrom(r.Context()), ActionAdminister, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5000 {
			e := danvan.Errorf(danvan.EInvalid, "bad query parameter", "tham số truy vấn không hợp lệ")
			e.Fields = []danvan.FieldError{{Field: "limit", Rule: "range", Message: "limit must be a whole number from 1 to 5000",
				MessageVI: "limit phải là số nguyên từ 1 đến 5000"}}
			s.writeError(w, r, e)
			return
		}
		limit = n
	}
	failed, err := s.Notifications.FindFailedMail(r.Context(), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if failed == nil {
		failed = []danvan.FailedMail{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"failed": failed})
}
