package api

import (
	"fmt"
	"io"
	"math"
	"net/http"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
	"github.com/danvan/danvan/scoring"
	"github.com/danvan/danvan/summary"
)

func (s *Server) scoreRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/criteria", s.authed(s.handleImportCriteria))
	mux.HandleFunc("GET /api/criteria", s.authed(s.handleListCriteria))
	mux.HandleFunc("PUT /api/cycles/{id}/criteria", s.authed(s.handleUseCriteria))
	mux.HandleFunc("GET /api/cycles/{id}/scores", s.authed(s.handleScores))
	mux.HandleFunc("POST /api/cycles/{id}/units/{unit}/scores/{kind}", s.authed(s.handleSaveSheet))
}

func (s *Server) handleImportCriteria(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	ag, err := s.agency()
	if err == nil {
		err = Allow(u, ActionAdminister, "")
	}
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody))
	}
	var set *criteria.Set
	if err == nil {
		set, err = criteria.Parse(body)
	}
	if err == nil {
		set, err = ag.ImportSet(r.Context(), set, u.Name)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "criteria.import", "", "", map[string]any{"id": set.ID, "province": set.Province, "year": set.Year, "version": set.Version})
	writeJSON(w, http.StatusCreated, set)
}

func (s *Server) handleListCriteria(w http.ResponseWriter, r *http.Request) {
	ag, err := s.agency()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sets, err := ag.ListSets(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if sets == nil {
		sets = []criteria.Set{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sets": sets})
}

// UseCriteria is the body of PUT /api/cycles/{id}/criteria.
type UseCriteria struct {
	Set     string `json:"set" validate:"required,max=200"`
	Version int    `json:"version,omitempty" validate:"min=0"`
}

func (s *Server) handleUseCriteria(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	ag, err := s.agency()
	if err == nil {
		err = Allow(u, ActionAdminister, "")
	}
	var in UseCriteria
	if err == nil {
		err = readJSON(r, &in)
	}
	if err == nil {
		err = danvan.Validate(&in)
	}
	var set *criteria.Set
	if err == nil {
		set, err = ag.UseSet(r.Context(), r.PathValue("id"), in.Set, in.Version)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "criteria.use", r.PathValue("id"), "", map[string]any{"set": set.ID, "version": set.Version})
	writeJSON(w, http.StatusOK, set)
}

func (s *Server) summarySource() (summary.Source, error) {
	if s.Summary == nil {
		return nil, danvan.Errorf(danvan.EUnavailable, "the summary is not configured", "chưa cấu hình tổng hợp")
	}
	return s.Summary, nil
}

// handleSaveSheet stores a self-assessment (the unit itself or an
// administrator) or an appraisal (an administrator: the standing agency).
// An appraisal that changes an automatic proposal needs a reason, and each
// such override is written to the audit log.
func (s *Server) handleSaveSheet(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	cycleID, unit, kind := r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind")
	ag, err := s.agency()
	var src summary.Source
	if err == nil {
		src, err = s.summarySource()
	}
	if err == nil {
		switch kind {
		case "self":
			if err = canRead(u, unit); err == nil {
				err = Allow(u, ActionSubmit, unit)
			}
		case "appraisal":
			err = Allow(u, ActionAdminister, "")
		default:
			err = danvan.Errorf(danvan.ENotFound, "no score sheet %q: use self or appraisal", "không có phiếu %q: dùng self hoặc appraisal", kind)
		}
	}
	var c *danvan.Cycle
	if err == nil {
		c, err = s.Cycles.FindCycle(r.Context(), cycleID)
	}
	if err == nil && !contains(c.Units, unit) {
		err = danvan.Errorf(danvan.ENotFound, "unit %s is not in cycle %s", "đơn vị %s không thuộc chu kỳ %s", unit, cycleID)
	}
	var set *criteria.Set
	if err == nil {
		set, err = ag.CycleSet(r.Context(), cycleID)
		if err == nil && set == nil {
			err = danvan.Errorf(danvan.EConflict, "cycle %s has no criteria set: choose one with `danvan criteria use`",
				"chu kỳ %s chưa chọn bộ tiêu chí: chọn bằng `danvan criteria use`", cycleID)
		}
	}
	var sh scoring.Sheet
	if err == nil {
		err = readJSON(r, &sh)
	}
	var auto map[string]scoring.Proposal
	if err == nil {
		auto, err = s.proposals(r, src, set, cycleID, unit)
	}
	if err == nil {
		err = sh.Check(set, auto, kind == "appraisal")
	}
	if err == nil {
		sh.By = u.Name
		err = ag.SaveSheet(r.Context(), cycleID, unit, kind, &sh)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "score."+kind, cycleID, unit, map[string]any{"entries": len(sh.Entries)})
	if kind == "appraisal" {
		for _, e := range sh.Entries {
			if p, ok := auto[e.Criterion]; ok && math.Abs(p.Points-e.Points) > 1e-9 {
				s.audit(r, "score.override", cycleID, unit, map[string]any{"criterion": e.Criterion, "auto": p.Points, "points": e.Points,
					"auto_reason": p.Reason, "reason": e.Reason})
			}
		}
	}
	total := 0.0
	for _, e := range sh.Entries {
		total += e.Points
	}
	writeJSON(w, http.StatusOK, map[string]any{"cycle_id": cycleID, "unit": unit, "kind": kind, "total": total, "automatic": auto})
}

// proposals computes the automatic points of unit from the records.
func (s *Server) proposals(r *http.Request, src summary.Source, set *criteria.Set, cycleID, unit string) (map[string]scoring.Proposal, error) {
	rec, err := summary.LoadRecords(r.Context(), src, cycleID)
	if err != nil {
		return nil, err
	}
	ev := summary.Evidence(unit, rec.Reports, rec.Models, rec.Tasks, rec.Actions, s.summaryCatalogue(), s.Now())
	return scoring.Propose(set, ev), nil
}

func (s *Server) summaryCatalogue() *summary.Catalogue {
	if s.Catalogue == nil {
		s.Catalogue = summary.MustDefault()
	}
	return s.Catalogue
}

// handleScores answers `scores show`: per unit self, automatic and
// appraised totals, grade and reasons, the publication list and the NĐ 335
// timeliness evidence. An officer sees its own unit's line only.
func (s *Server) handleScores(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	src, err := s.summarySource()
	if err == nil {
		_, err = s.Cycles.FindCycle(r.Context(), r.PathValue("id"))
	}
	var b *summary.Board
	if err == nil {
		b, err = summary.Evaluate(r.Context(), src, s.summaryCatalogue(), r.PathValue("id"), s.Now())
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if u.Role == danvan.RoleOfficer {
		mine := &summary.Board{CriteriaSet: b.CriteriaSet, Example: b.Example, Results: []scoring.Result{}, Timeliness: []scoring.TaskEvidence{}}
		for _, res := range b.Results {
			if res.Unit == u.UnitCode {
				mine.Results = append(mine.Results, res)
			}
		}
		for _, t := range b.Timeliness {
			if t.Unit == u.UnitCode {
				mine.Timeliness = append(mine.Timeliness, t)
			}
		}
		b = mine
	}
	writeJSON(w, http.StatusOK, b)
}

// errNoFormat is returned for an unknown summary format.
func errNoFormat(f string) error {
	return danvan.Invalid("format", fmt.Sprintf("unknown format %q: use json, docx or xlsx", f), fmt.Sprintf("định dạng %q không có: dùng json, docx hoặc xlsx", f))
}
