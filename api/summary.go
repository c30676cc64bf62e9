package api

import (
	_ "embed"
	"fmt"
	"net/http"

	"github.com/danvan/danvan/summary"
)

func (s *Server) summaryRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/cycles/{id}/summary", s.authed(s.handleSummary))
	mux.HandleFunc("GET /api/openapi/agency.yaml", s.handleAgencyOpenAPI)
}

// handleSummary compiles the province's summary of a cycle as json, docx
// or xlsx (?format=, default json). It holds every unit's figures, so it
// is for the standing agency, inspectors and readers, not a unit's
// officer.
func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	err := Allow(u, ActionReadSummary, "")
	var src summary.Source
	if err == nil {
		src, err = s.summarySource()
	}
	if err == nil && format != "json" && format != "docx" && format != "xlsx" {
		err = errNoFormat(format)
	}
	var sm *summary.Summary
	if err == nil {
		sm, err = summary.Compile(r.Context(), src, s.summaryCatalogue(), id, s.Now())
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	switch format {
	case "json":
		writeJSON(w, http.StatusOK, sm)
	case "docx":
		b, err := summary.Docx(sm, summary.Letterhead{Number: r.URL.Query().Get("number"), Signer: r.URL.Query().Get("signer")})
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeFile(w, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fmt.Sprintf("bao-cao-tong-hop-%s.docx", id), b)
	case "xlsx":
		b, err := summary.Xlsx(sm, s.summaryCatalogue())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeFile(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fmt.Sprintf("tong-hop-%s.xlsx", id), b)
	}
}

// agencyOpenAPI describes the routes of inspections.go, scores.go and
// summary.go.
//
//go:embed openapi-agency.yaml
var agencyOpenAPI []byte

func (s *Server) handleAgencyOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, _ = w.Write(agencyOpenAPI)
}
