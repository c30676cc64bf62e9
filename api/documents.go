package api

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan"
)

func (s *Server) documentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/documents", s.authed(s.handleSearchDocuments))
	mux.HandleFunc("GET /api/documents/{id...}", s.authed(s.handleShowDocument))
}

func (s *Server) handleSearchDocuments(w http.ResponseWriter, r *http.Request) {
	if s.Documents == nil {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "document search is not configured", "chưa cấu hình tra cứu văn bản"))
		return
	}
	q := r.URL.Query()
	dq := DocumentQuery{Q: q.Get("q"), Type: q.Get("type"), Issuer: q.Get("issuer")}
	var err error
	for _, p := range []struct {
		name string
		dst  *int
	}{{"from", &dq.From}, {"to", &dq.To}, {"limit", &dq.Limit}, {"offset", &dq.Offset}} {
		if v := q.Get(p.name); v != "" {
			if *p.dst, err = strconv.Atoi(v); err != nil || *p.dst < 0 {
				s.writeError(w, r, danvan.Invalid(p.name, "must be a whole number", "phải là số nguyên"))
				return
			}
		}
	}
	res, err := s.Documents.SearchDocuments(r.Context(), dq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleShowDocument(w http.ResponseWriter, r *http.Request) {
	if s.Documents == nil {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "document search is not configured", "chưa cấu hình tra cứu văn bản"))
		return
	}
	doc, err := s.Documents.ShowDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}
