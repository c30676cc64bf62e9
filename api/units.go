package api

import (
	"net/http"

	"github.com/danvan/danvan"
)

func (s *Server) unitRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/units", s.authed(s.handleListUnits))
	mux.HandleFunc("POST /api/units", s.authed(s.handleImportUnits))
}

func (s *Server) handleListUnits(w http.ResponseWriter, r *http.Request) {
	units, err := s.Units.ListUnits(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"units": units})
}

// handleImportUnits takes a CSV or JSON unit list; all rows or none.
func (s *Server) handleImportUnits(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if err := Allow(u, ActionImportUnits, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	data, err := readBody(r, maxBody)
	if err != nil {
		s.writeError(w, r, err) // 413 past the limit: all rows or none
		return
	}
	units, err := danvan.ParseUnits(data)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	created, updated, err := s.Units.ImportUnits(r.Context(), units)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "units.import", "", "", map[string]int{"created": created, "updated": updated})
	writeJSON(w, http.StatusOK, map[string]int{"created": created, "updated": updated})
}
