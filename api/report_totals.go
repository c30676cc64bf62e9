package api

import (
	"net/http"
)

// Summary is the cycle's reports of one kind added up: what a standing
// agency compiles into the province's report.
type Summary struct {
	CycleID  string             `json:"cycle_id"`
	Kind     string             `json:"kind"`
	Reported []string           `json:"reported"`
	Missing  []string           `json:"missing"`
	Figures  map[string]float64 `json:"figures"`
	Derived  map[string]float64 `json:"derived"`
	// Catalogue is the version the sums follow (the one in force);
	// Versions lists the versions the reports were checked against.
	Catalogue string   `json:"catalogue_version"`
	Versions  []string `json:"report_catalogue_versions"`
}

// handleSummary adds up every unit's report of kind in the cycle
// (administrators, inspectors, readers; an officer sees only the own
// unit's report, so has no summary).
func (s *Server) handleReportTotals(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if err := Allow(u, ActionReadSummary, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	kind := r.PathValue("kind")
	if err := reportKind(kind); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.Cycles.FindCycle(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.Reports.FindReports(r.Context(), c.ID, kind)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cat, err := s.catalogue(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := &Summary{CycleID: c.ID, Kind: kind, Reported: []string{}, Missing: []string{}, Catalogue: cat.Version, Versions: []string{}}
	figs := make([]map[string]float64, 0, len(list))
	has, versions := map[string]bool{}, map[string]bool{}
	for _, rep := range list {
		has[rep.UnitCode] = true
		out.Reported = append(out.Reported, rep.UnitCode)
		figs = append(figs, rep.Figures)
		if !versions[rep.CatalogueVersion] {
			versions[rep.CatalogueVersion] = true
			out.Versions = append(out.Versions, rep.CatalogueVersion)
		}
	}
	for _, code := range c.Units {
		if !has[code] {
			out.Missing = append(out.Missing, code)
		}
	}
	out.Figures, out.Derived = cat.Sum(figs, "tthc.da_giai_quyet")
	writeJSON(w, http.StatusOK, out)
}
