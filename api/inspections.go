package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/scoring"
	"github.com/danvan/danvan/summary"
)

// AgencyStore keeps the standing agency's records: inspections, criteria
// sets and score sheets. Methods return ENotFound for unknown keys.
type AgencyStore interface {
	// CreateInspection stores a checked plan and returns its id.
	CreateInspection(ctx context.Context, p *inspections.Plan) (int64, error)
	// FindInspection returns one plan.
	FindInspection(ctx context.Context, id int64) (*inspections.Plan, error)
	// ListInspections filters by cycle and inspected unit ("" = all).
	ListInspections(ctx context.Context, cycleID, unit string) ([]inspections.Plan, error)
	// SaveRecord stores a record and its actions; EConflict for a
	// different second record.
	SaveRecord(ctx context.Context, r *inspections.Record, actions []inspections.Action) error
	// FindRecords returns an inspection's records by unit.
	FindRecords(ctx context.Context, id int64) (map[string]inspections.Record, error)
	// FindActions filters actions by cycle, inspection and unit.
	FindActions(ctx context.Context, cycleID string, id int64, unit string) ([]inspections.Action, error)
	// CloseInspection returns EConflict when closed already.
	CloseInspection(ctx context.Context, id int64, at time.Time) error

	// ImportSet stores the next version of a set.
	ImportSet(ctx context.Context, s *criteria.Set, by string) (*criteria.Set, error)
	// ListSets returns every version.
	ListSets(ctx context.Context) ([]criteria.Set, error)
	// UseSet makes a cycle use a set (version 0 = newest).
	UseSet(ctx context.Context, cycleID, id string, version int) (*criteria.Set, error)
	// CycleSet returns the cycle's set, nil when none.
	CycleSet(ctx context.Context, cycleID string) (*criteria.Set, error)
	// SaveSheet stores a self-assessment or appraisal.
	SaveSheet(ctx context.Context, cycleID, unit, kind string, sh *scoring.Sheet) error
}

func (s *Server) agencyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/inspections", s.authed(s.handlePlanInspection))
	mux.HandleFunc("GET /api/inspections", s.authed(s.handleListInspections))
	mux.HandleFunc("GET /api/inspections/{id}", s.authed(s.handleShowInspection))
	mux.HandleFunc("POST /api/inspections/{id}/close", s.authed(s.handleCloseInspection))
	mux.HandleFunc("POST /api/inspections/{id}/units/{unit}/record", s.authed(s.handleRecordInspection))
	mux.HandleFunc("GET /api/inspections/{id}/units/{unit}/notice.docx", s.authed(s.handleNotice))
	mux.HandleFunc("POST /api/inspections/{id}/units/{unit}/actions/{seq}/{action}", s.authed(s.handleDecideAction))
	s.scoreRoutes(mux)
	s.summaryRoutes(mux)
	s.webAgencyRoutes(mux)
}

func (s *Server) agency() (AgencyStore, error) {
	if s.Agency == nil {
		return nil, danvan.Errorf(danvan.EUnavailable, "inspections and scores are not configured", "chưa cấu hình kiểm tra và chấm điểm")
	}
	return s.Agency, nil
}

func inspectionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, danvan.Invalid("id", "inspection id must be a positive number", "mã đợt kiểm tra phải là số dương")
	}
	return id, nil
}

// canSeeInspection hides an inspection from an officer whose unit it does
// not inspect (404, not 403).
func canSeeInspection(u *danvan.User, p *inspections.Plan) error {
	if u.Role != danvan.RoleOfficer {
		return nil
	}
	if _, ok := p.Visit(u.UnitCode); ok {
		return nil
	}
	return danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy")
}

// ownSelfInspection reports whether p is a self-inspection of the
// officer's own unit alone: units run those themselves.
func ownSelfInspection(u *danvan.User, p *inspections.Plan) bool {
	return u.Role == danvan.RoleOfficer && p.Kind == inspections.KindSelfInspection &&
		len(p.Units) == 1 && p.Units[0].Unit == u.UnitCode
}

// canInspect lets administrators and the team's own inspectors record
// findings and decide on answers, and a unit's officer do so in its own
// self-inspection.
func canInspect(u *danvan.User, p *inspections.Plan) error {
	if u.Role == danvan.RoleAdmin || (u.Role == danvan.RoleInspector && p.HasMember(u.ID)) || ownSelfInspection(u, p) {
		return nil
	}
	if u.Role == danvan.RoleInspector {
		return danvan.Errorf(danvan.EForbidden, "you are not a member of inspection %d's team", "bạn không thuộc đoàn kiểm tra %d", p.ID)
	}
	return Allow(u, ActionInspect, "")
}

// handlePlanInspection stores a plan and gives every inspected unit its
// self-inspection report task. Units that could not get their task are
// listed in "unassigned" (the plan stands; planning again is refused, but
// the task can be retried by re-recording nothing: the id is a business
// key).
func (s *Server) handlePlanInspection(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	ag, err := s.agency()
	var p inspections.Plan
	if err == nil {
		err = readJSON(r, &p)
	}
	if err == nil {
		err = p.Check()
	}
	if err == nil && !ownSelfInspection(u, &p) {
		// Only the standing agency plans inspections; a unit plans only
		// its own self-inspection.
		err = Allow(u, ActionAdminister, "")
	}
	if err == nil {
		err = s.checkUnits(r.Context(), p.CycleID, p.Units)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p.ID, p.CreatedBy, p.CreatedAt = 0, u.Name, s.Now().UTC()
	id, err := ag.CreateInspection(r.Context(), &p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p.ID = id
	s.audit(r, "inspection.plan", p.CycleID, "", map[string]any{"id": id, "units": len(p.Units)})
	unassigned := s.assignSelfReports(r.Context(), &p)
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "inspection": p, "unassigned": unassigned})
}

// checkUnits returns EInvalid unless every visited unit is in the cycle.
func (s *Server) checkUnits(ctx context.Context, cycleID string, visits []inspections.Visit) error {
	c, err := s.Cycles.FindCycle(ctx, cycleID)
	if err != nil {
		return danvan.Invalid("cycle_id", fmt.Sprintf("cycle %q does not exist", cycleID), fmt.Sprintf("chu kỳ %q không tồn tại", cycleID))
	}
	for i, v := range visits {
		if !contains(c.Units, v.Unit) {
			return danvan.Invalid(fmt.Sprintf("units[%d].unit", i), fmt.Sprintf("unit %s is not in cycle %s", v.Unit, cycleID),
				fmt.Sprintf("đơn vị %s không thuộc chu kỳ %s", v.Unit, cycleID))
		}
	}
	return nil
}

func (s *Server) assignSelfReports(ctx context.Context, p *inspections.Plan) []string {
	unassigned := []string{}
	if s.Assigner == nil {
		return unassigned
	}
	for _, v := range p.Units {
		due, err := p.SelfReportDue(v, s.Now())
		if err == nil {
			title := "Báo cáo tự kiểm tra: " + p.Title
			err = s.Assigner.AssignTask(ctx, p.CycleID, inspections.SelfReportCycleID(p.CycleID, p.ID, v.Unit), v.Unit, inspections.TaskSelfReport, title, due)
		}
		if err != nil {
			s.Logger.Error("assigning a self-inspection report failed", "inspection", p.ID, "unit", v.Unit, "err", err)
			unassigned = append(unassigned, v.Unit)
		}
	}
	return unassigned
}

// InspectionView is an inspection with what the caller may see of its
// records and actions.
type InspectionView struct {
	inspections.Plan
	Records map[string]inspections.Record `json:"records"`
	Actions []inspections.Action          `json:"actions"`
}

func (s *Server) handleListInspections(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	ag, err := s.agency()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	unit := ""
	if u.Role == danvan.RoleOfficer {
		unit = u.UnitCode
	}
	list, err := ag.ListInspections(r.Context(), r.URL.Query().Get("cycle"), unit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []InspectionView{}
	for _, p := range list {
		v, err := s.inspectionView(r.Context(), ag, u, &p)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		out = append(out, *v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"inspections": out})
}

// inspectionView trims records and actions to the officer's own unit.
func (s *Server) inspectionView(ctx context.Context, ag AgencyStore, u *danvan.User, p *inspections.Plan) (*InspectionView, error) {
	recs, err := ag.FindRecords(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	acts, err := ag.FindActions(ctx, "", p.ID, "")
	if err != nil {
		return nil, err
	}
	v := &InspectionView{Plan: *p, Records: map[string]inspections.Record{}, Actions: []inspections.Action{}}
	if u.Role == danvan.RoleOfficer {
		// Another unit's visit date is not a secret of the plan, but its
		// findings are: keep only the officer's own.
		for unit, rec := range recs {
			if unit == u.UnitCode {
				v.Records[unit] = rec
			}
		}
		for _, a := range acts {
			if a.Unit == u.UnitCode {
				v.Actions = append(v.Actions, a)
			}
		}
		return v, nil
	}
	v.Records = recs
	v.Actions = append(v.Actions, acts...)
	return v, nil
}

func (s *Server) loadInspection(r *http.Request) (AgencyStore, *inspections.Plan, error) {
	ag, err := s.agency()
	if err != nil {
		return nil, nil, err
	}
	id, err := inspectionID(r)
	if err != nil {
		return nil, nil, err
	}
	p, err := ag.FindInspection(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if err := canSeeInspection(userFrom(r.Context()), p); err != nil {
		return nil, nil, err
	}
	return ag, p, nil
}

func (s *Server) handleShowInspection(w http.ResponseWriter, r *http.Request) {
	ag, p, err := s.loadInspection(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.inspectionView(r.Context(), ag, userFrom(r.Context()), p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// handleRecordInspection stores a unit's record and turns each corrective
// action into an inspection_response task of the unit.
func (s *Server) handleRecordInspection(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	ag, p, err := s.loadInspection(r)
	if err == nil {
		err = canInspect(u, p)
	}
	if err == nil && p.Status == inspections.StatusClosed {
		err = danvan.Errorf(danvan.EConflict, "inspection %d is closed", "đợt kiểm tra %d đã kết thúc", p.ID)
	}
	var rec inspections.Record
	if err == nil {
		err = readJSON(r, &rec)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rec.InspectionID, rec.Unit, rec.RecordedBy, rec.RecordedAt = p.ID, r.PathValue("unit"), u.Name, s.Now().UTC()
	if err := rec.Check(p); err != nil {
		s.writeError(w, r, err)
		return
	}
	actions := make([]inspections.Action, len(rec.Actions))
	for i, a := range rec.Actions {
		actions[i] = inspections.Action{InspectionID: p.ID, Unit: rec.Unit, Seq: i + 1, Text: strings.TrimSpace(a.Text), Due: a.Due,
			TaskCycle: inspections.ActionCycleID(p.CycleID, p.ID, rec.Unit, i+1), State: inspections.ActionOpen}
	}
	if err := ag.SaveRecord(r.Context(), &rec, actions); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "inspection.record", p.CycleID, rec.Unit, map[string]any{"id": p.ID, "actions": len(actions), "rating": rec.Rating})
	unassigned := []int{}
	if s.Assigner != nil {
		for _, a := range actions {
			title := fmt.Sprintf("Khắc phục kiến nghị %d sau kiểm tra: %s", a.Seq, a.Text)
			if len([]rune(title)) > 480 {
				title = string([]rune(title)[:480]) + "…"
			}
			if err := s.Assigner.AssignTask(r.Context(), p.CycleID, a.TaskCycle, a.Unit, inspections.TaskResponse, title, a.Due); err != nil {
				s.Logger.Error("assigning a corrective action failed", "inspection", p.ID, "unit", a.Unit, "seq", a.Seq, "err", err)
				unassigned = append(unassigned, a.Seq)
			}
		}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"record": rec, "actions": actions, "unassigned": unassigned})
}

// handleDecideAction accepts or returns a unit's answer to a corrective
// action through its task.
func (s *Server) handleDecideAction(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	ag, p, err := s.loadInspection(r)
	if err == nil {
		err = canInspect(u, p)
	}
	action := r.PathValue("action")
	if err == nil && action != "accept" && action != "return" {
		err = danvan.Invalid("action", "must be accept or return", "phải là accept hoặc return")
	}
	seq, serr := strconv.Atoi(r.PathValue("seq"))
	if err == nil && (serr != nil || seq < 1) {
		err = danvan.Invalid("seq", "must be a positive number", "phải là số dương")
	}
	var d danvan.Decision
	if err == nil && r.ContentLength != 0 {
		err = readJSON(r, &d)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	unit := r.PathValue("unit")
	acts, err := ag.FindActions(r.Context(), "", p.ID, unit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var act *inspections.Action
	for i := range acts {
		if acts[i].Seq == seq {
			act = &acts[i]
		}
	}
	if act == nil {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "no corrective action %d for %s", "không có kiến nghị %d của %s", seq, unit))
		return
	}
	if s.Engine == nil {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "the workflow engine is not connected", "chưa kết nối bộ máy quy trình"))
		return
	}
	d.CycleID, d.UnitCode, d.Kind, d.Action, d.By, d.NewDue = act.TaskCycle, unit, inspections.TaskResponse, action, u.Name, ""
	if err := danvan.Validate(&d); err != nil {
		s.writeError(w, r, err)
		return
	}
	key, err := checkKey(IdempotencyHeader, r.Header.Get(IdempotencyHeader))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.Engine.Decide(r.Context(), &d, key)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "inspection.action."+action, p.CycleID, unit, map[string]any{"id": p.ID, "seq": seq, "reason": d.Reason})
	act.Task, act.State = t, inspections.StateOf(t)
	writeJSON(w, http.StatusOK, map[string]any{"action": act})
}

// handleCloseInspection closes an inspection whose every unit has a record
// and every action is accepted; otherwise EConflict lists what is open.
func (s *Server) handleCloseInspection(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	ag, p, err := s.loadInspection(r)
	if err == nil && !ownSelfInspection(u, p) {
		err = Allow(u, ActionAdminister, "")
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	recs, err := ag.FindRecords(r.Context(), p.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var open []string
	for _, v := range p.Units {
		if _, ok := recs[v.Unit]; !ok {
			open = append(open, v.Unit+": no record")
		}
	}
	acts, err := ag.FindActions(r.Context(), "", p.ID, "")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, a := range acts {
		if a.State != inspections.ActionAccepted {
			open = append(open, fmt.Sprintf("%s: action %d %s", a.Unit, a.Seq, a.State))
		}
	}
	if len(open) > 0 {
		s.writeError(w, r, danvan.Errorf(danvan.EConflict, "inspection %d cannot be closed: %s", "chưa thể kết thúc đợt kiểm tra %d: %s",
			p.ID, strings.Join(open, "; ")))
		return
	}
	if err := ag.CloseInspection(r.Context(), p.ID, s.Now().UTC()); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "inspection.close", p.CycleID, "", map[string]any{"id": p.ID})
	p.Status = inspections.StatusClosed
	writeJSON(w, http.StatusOK, map[string]any{"inspection": p})
}

func (s *Server) handleNotice(w http.ResponseWriter, r *http.Request) {
	ag, p, err := s.loadInspection(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	unit := r.PathValue("unit")
	if err := canRead(userFrom(r.Context()), unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	recs, err := ag.FindRecords(r.Context(), p.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rec, ok := recs[unit]
	if !ok {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "no record for %s in inspection %d", "chưa có biên bản của %s trong đợt kiểm tra %d", unit, p.ID))
		return
	}
	acts, err := ag.FindActions(r.Context(), "", p.ID, unit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	opts := inspections.NoticeOptions{Date: s.Now().In(vnZone), Symbol: "TB-" + abbreviate(p.Body), UnitName: unit}
	if un, err := s.Units.FindUnit(r.Context(), unit); err == nil {
		opts.UnitName = un.Name
	}
	opts.Place = summary.PlaceOf("")
	if s.Summary != nil {
		if prov, err := s.Summary.Province(r.Context(), p.CycleID); err == nil && prov.Name != "" {
			opts.ParentBody, opts.Place = prov.Name, summary.PlaceOf(prov.Name)
		}
	}
	b, err := inspections.Notice(p, &rec, acts, opts)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeFile(w, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fmt.Sprintf("thong-bao-ket-luan-%d-%s.docx", p.ID, unit), b)
}

// abbreviate makes "SNV" of "Sở Nội vụ" for a document symbol: the first
// letter of each word, without diacritics for the common ones.
func abbreviate(body string) string {
	repl := strings.NewReplacer("Ở", "O", "Ộ", "O", "Ụ", "U", "Đ", "D", "Â", "A", "Ă", "A", "Ê", "E", "Ô", "O", "Ơ", "O", "Ư", "U", "Ủ", "U", "Ậ", "A")
	var b strings.Builder
	for _, w := range strings.Fields(body) {
		r := []rune(strings.ToUpper(w))
		b.WriteString(repl.Replace(string(r[0])))
	}
	return b.String()
}

func writeFile(w http.ResponseWriter, ctype, name string, b []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}
