package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

func (s *Server) cycleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/cycles", s.authed(s.handleListCycles))
	mux.HandleFunc("POST /api/cycles", s.authed(s.handleStartCycle))
	mux.HandleFunc("GET /api/cycles/{id}", s.authed(s.handleCycleStatus))
	mux.HandleFunc("GET /api/cycles/{id}/export.csv", s.authed(s.handleExport))
	mux.HandleFunc("GET /chu-ky/{id}/export.csv", s.authed(s.handleExport))
	mux.HandleFunc("GET /api/cycles/{id}/units/{unit}/tasks/{kind}", s.authed(s.handleTask))
	mux.HandleFunc("GET /api/cycles/{id}/units/{unit}/live", s.authed(s.handleLive))
	mux.HandleFunc("GET /api/cycles/{id}/units/{unit}/tasks/{kind}/submissions/{seq}/content", s.authed(s.handleSubmissionContent))
	mux.HandleFunc("GET /api/cycles/{id}/units/{unit}/tasks/{kind}/submissions/{seq}/files/{n}", s.authed(s.handleSubmissionFile))
	mux.HandleFunc("POST /api/cycles/{id}/units/{unit}/tasks/{kind}/submit", s.authed(s.handleSubmit))
	mux.HandleFunc("POST /api/cycles/{id}/units/{unit}/tasks/{kind}/{action}", s.authed(s.handleDecide))
	mux.HandleFunc("POST /api/calendar", s.authed(s.handleCalendar))
	mux.HandleFunc("POST /api/cycles/{id}/close", s.authed(s.handleCloseCycle))
	mux.HandleFunc("GET /api/notifications", s.authed(s.handleNotifications))
	mux.HandleFunc("POST /api/notifications/{id...}", s.authed(s.handleReadNotification))
}

func (s *Server) audit(r *http.Request, action, cycle, unit string, detail any) {
	s.auditAs(r.Context(), userFrom(r.Context()), action, cycle, unit, detail)
}

// auditAs appends to the audit log; a failure is logged, never shown: the
// action it records has happened.
func (s *Server) auditAs(ctx context.Context, u *danvan.User, action, cycle, unit string, detail any) {
	if s.Audit == nil {
		return
	}
	raw, _ := json.Marshal(detail)
	now := s.Now()
	e := &danvan.AuditEntry{Key: fmt.Sprintf("api/%s/%s/%s/%d", action, cycle, unit, now.UnixNano()), At: now,
		Actor: u.Name, Action: action, CycleID: cycle, Unit: unit, Detail: raw}
	if err := s.Audit.Audit(ctx, e); err != nil {
		s.Logger.Error("audit failed", "action", action, "err", err)
	}
}

func (s *Server) handleListCycles(w http.ResponseWriter, r *http.Request) {
	cycles, err := s.Cycles.ListCycles(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userFrom(r.Context())
	out := []danvan.Cycle{}
	for _, c := range cycles {
		if u.Role == danvan.RoleOfficer && !contains(c.Units, u.UnitCode) {
			continue // officers see only cycles their unit takes part in
		}
		out = append(out, c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"cycles": out})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// handleStartCycle validates a definition, resolves its scope to units,
// records the cycle and starts its workflow.
func (s *Server) handleStartCycle(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if err := Allow(u, ActionStartCycle, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	var def danvan.CycleDefinition
	if err := readJSON(r, &def); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.StartCycle(r.Context(), &def, u.Name)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "cycle.start", c.ID, "", map[string]int{"units": len(c.Units)})
	writeJSON(w, http.StatusCreated, c)
}

// StartCycle checks def, resolves its scope and starts it. It returns
// EInvalid for a bad definition or unknown units and EConflict when the
// cycle exists.
func (s *Server) StartCycle(ctx context.Context, def *danvan.CycleDefinition, by string) (*danvan.Cycle, error) {
	if err := def.Check(); err != nil {
		return nil, err
	}
	if s.Engine == nil {
		return nil, danvan.Errorf(danvan.EUnavailable, "the workflow engine is not connected", "chưa kết nối bộ máy quy trình")
	}
	if _, err := s.Units.FindUnit(ctx, def.Owner); err != nil {
		return nil, danvan.Invalid("owner", fmt.Sprintf("unit %q does not exist; import units first", def.Owner),
			fmt.Sprintf("đơn vị %q không tồn tại; hãy nhập danh sách đơn vị trước", def.Owner))
	}
	if def.Parent != "" {
		// A cascaded cycle (a district's for its communes) rolls up into its
		// parent: the parent must exist and include the owner.
		parent, err := s.Cycles.FindCycle(ctx, def.Parent)
		if err != nil {
			return nil, danvan.Invalid("parent", fmt.Sprintf("cycle %q does not exist", def.Parent), fmt.Sprintf("chu kỳ %q không tồn tại", def.Parent))
		}
		if !contains(parent.Units, def.Owner) {
			return nil, danvan.Invalid("owner", fmt.Sprintf("unit %q is not in the scope of cycle %s", def.Owner, parent.ID),
				fmt.Sprintf("đơn vị %q không thuộc phạm vi chu kỳ %s", def.Owner, parent.ID))
		}
	}
	units, err := s.resolveScope(ctx, def)
	if err != nil {
		return nil, err
	}
	c := &danvan.Cycle{ID: danvan.CycleID(def.Year, def.Owner), Definition: *def, Units: units,
		Status: danvan.CycleRunning, StartedAt: s.Now().UTC(), StartedBy: by}
	if err := s.Cycles.CreateCycle(ctx, c); err != nil {
		if danvan.ErrorCode(err) != danvan.EConflict {
			return nil, err
		}
		// The row exists: either the cycle runs (the engine says conflict
		// again) or an earlier start stored it but could not reach the
		// engine, and this retry starts it now.
		existing, ferr := s.Cycles.FindCycle(ctx, c.ID)
		if ferr != nil {
			return nil, err
		}
		if serr := s.Engine.StartCycle(ctx, existing); serr != nil {
			if danvan.ErrorCode(serr) == danvan.EConflict {
				return nil, err
			}
			return nil, serr
		}
		return existing, nil
	}
	if err := s.Engine.StartCycle(ctx, c); err != nil {
		// Only a definition the engine refused certainly started nothing:
		// take the row back so it can be fixed and started under the same
		// id. After any other error the start may have happened; the row
		// stays and starting again retries (see above).
		if danvan.ErrorCode(err) == danvan.EInvalid {
			if derr := s.Cycles.DeleteCycle(context.WithoutCancel(ctx), c.ID); derr != nil {
				s.Logger.Error("removing a cycle that did not start", "cycle", c.ID, "err", derr)
			}
		}
		return nil, err
	}
	return c, nil
}

func (s *Server) resolveScope(ctx context.Context, def *danvan.CycleDefinition) ([]string, error) {
	all, err := s.Units.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, u := range all {
		known[u.Code] = true
	}
	set := map[string]bool{}
	var unknown []string
	for _, code := range def.Scope.Units {
		if !known[code] {
			unknown = append(unknown, code)
		}
		set[code] = true
	}
	if len(unknown) > 0 {
		return nil, danvan.Invalid("scope", fmt.Sprintf("unknown units %v", unknown), fmt.Sprintf("không có đơn vị %v", unknown))
	}
	if def.Scope.Subtree != "" {
		codes, err := s.Units.Subtree(ctx, def.Scope.Subtree)
		if err != nil {
			return nil, danvan.Invalid("scope.subtree", err.Error(), danvan.AsError(err).MessageVI)
		}
		for _, c := range codes {
			set[c] = true
		}
	}
	if def.Scope.All {
		for _, u := range all {
			set[u.Code] = true
		}
	}
	// The owner assigns the work; it does not report to itself.
	delete(set, def.Owner)
	if len(set) == 0 {
		return nil, danvan.Invalid("scope", "selects no unit besides the owner", "không chọn đơn vị nào ngoài đơn vị chủ trì")
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out, nil
}

// UnitTasks is one unit's tasks in a cycle status.
type UnitTasks struct {
	Unit  string       `json:"unit"`
	Tasks []TaskStatus `json:"tasks"`
}

// TaskStatus is the public view of a task.
type TaskStatus struct {
	Kind          string     `json:"kind"`
	Title         string     `json:"title"`
	Status        string     `json:"status"`
	Due           time.Time  `json:"due"`
	SubmittedAt   *time.Time `json:"submitted_at"`
	RemindersSent int        `json:"reminders_sent"`
	Escalated     bool       `json:"escalated"`
	Extensions    int        `json:"extensions"`
	ReturnReason  string     `json:"return_reason,omitempty"`
}

func taskStatus(t danvan.Task) TaskStatus {
	return TaskStatus{Kind: t.Kind, Title: t.Title, Status: t.Status, Due: t.Due, SubmittedAt: t.SubmittedAt,
		RemindersSent: t.RemindersSent, Escalated: t.Escalated, Extensions: t.Extensions, ReturnReason: t.ReturnReason}
}

// scopedCycle loads cycle id and the task filter u may use on it: an
// officer is held to their own unit (ENotFound for a cycle the unit is not
// in); others get unit, or every unit when it is empty.
func (s *Server) scopedCycle(ctx context.Context, u *danvan.User, id, unit string) (*danvan.Cycle, danvan.TaskFilter, error) {
	c, err := s.Cycles.FindCycle(ctx, id)
	if err != nil {
		return nil, danvan.TaskFilter{}, err
	}
	f := danvan.TaskFilter{CycleID: c.ID, UnitCode: unit}
	if u.Role == danvan.RoleOfficer {
		if !contains(c.Units, u.UnitCode) {
			return nil, f, canRead(u, "")
		}
		f.UnitCode = u.UnitCode
	}
	return c, f, nil
}

func (s *Server) handleCycleStatus(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	c, f, err := s.scopedCycle(r.Context(), u, r.PathValue("id"), r.URL.Query().Get("unit"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tasks, err := s.Tasks.FindTasks(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	byUnit := map[string]*UnitTasks{}
	units := []*UnitTasks{}
	for _, code := range c.Units {
		if f.UnitCode != "" && code != f.UnitCode {
			continue
		}
		ut := &UnitTasks{Unit: code, Tasks: []TaskStatus{}}
		byUnit[code] = ut
		units = append(units, ut)
	}
	summary := map[string]int{}
	for _, t := range tasks {
		if ut := byUnit[t.UnitCode]; ut != nil {
			ut.Tasks = append(ut.Tasks, taskStatus(t))
			summary[t.Status]++
		}
	}
	children, err := s.childSummaries(r.Context(), c.ID, u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cycle": c, "summary": summary, "units": units, "children": children})
}

// ChildCycle is a cascaded cycle (a district's, for its communes) rolled
// up into its parent's status: its owner and its task counts by status.
type ChildCycle struct {
	ID      string         `json:"id"`
	Owner   string         `json:"owner"`
	Units   int            `json:"units"`
	Summary map[string]int `json:"summary"`
}

// childSummaries rolls the cycles cascaded from id up into its status; an
// officer sees only the child cycle its own unit owns or takes part in.
func (s *Server) childSummaries(ctx context.Context, id string, u *danvan.User) ([]ChildCycle, error) {
	all, err := s.Cycles.ListCycles(ctx)
	if err != nil {
		return nil, err
	}
	out := []ChildCycle{}
	for _, c := range all {
		if c.Definition.Parent != id {
			continue
		}
		if u.Role == danvan.RoleOfficer && c.Definition.Owner != u.UnitCode && !contains(c.Units, u.UnitCode) {
			continue
		}
		tasks, err := s.Tasks.FindTasks(ctx, danvan.TaskFilter{CycleID: c.ID})
		if err != nil {
			return nil, err
		}
		ch := ChildCycle{ID: c.ID, Owner: c.Definition.Owner, Units: len(c.Units), Summary: map[string]int{}}
		for _, t := range tasks {
			ch.Summary[t.Status]++
		}
		out = append(out, ch)
	}
	return out, nil
}

func (s *Server) handleTask(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id, unit, kind := r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind")
	if err := canRead(u, unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	tasks, err := s.Tasks.FindTasks(r.Context(), danvan.TaskFilter{CycleID: id, UnitCode: unit, Kind: kind})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(tasks) == 0 {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "no task %s for unit %s in cycle %s", "không có nhiệm vụ %s của đơn vị %s trong chu kỳ %s", kind, unit, id))
		return
	}
	subs, err := s.Tasks.FindSubmissions(r.Context(), id, unit, kind)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"task": tasks[0], "submissions": subs})
}

// handleSubmit accepts a submission from the unit's officer (or an admin on
// its behalf). The unit in the path is the only unit it can touch.
func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	unit := r.PathValue("unit")
	if !u.CanActFor(unit) {
		err := canRead(u, unit)
		if err == nil { // inspectors and readers see the unit but cannot act for it
			err = danvan.Errorf(danvan.EForbidden, "only the unit's officer can submit its work", "chỉ cán bộ của đơn vị được nộp")
		}
		s.writeError(w, r, err)
		return
	}
	key, err := checkKey(IdempotencyHeader, r.Header.Get(IdempotencyHeader))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sub := danvan.Submission{CycleID: r.PathValue("id"), UnitCode: unit, Kind: r.PathValue("kind")}
	uploads, err := s.readSubmission(r, &sub)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sub.CycleID, sub.UnitCode, sub.Kind = r.PathValue("id"), unit, r.PathValue("kind")
	t, err := s.submit(r.Context(), u, &sub, uploads, key)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.auditOnce(r.Context(), u, "task.submit", sub.CycleID, unit, key, map[string]any{"kind": sub.Kind, "number": sub.Number, "seq": sub.Seq})
	writeJSON(w, http.StatusOK, map[string]any{"task": t, "submission": map[string]any{
		"seq": sub.Seq, "sha256": sub.SHA256, "size": sub.Size, "files": sub.Files, "submitted_at": sub.SubmittedAt}})
}

func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if err := Allow(u, ActionDecide, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	var d danvan.Decision
	if r.ContentLength != 0 {
		if err := readJSON(r, &d); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	d.CycleID, d.UnitCode, d.Kind, d.Action, d.By = r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind"), r.PathValue("action"), u.Name
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
	s.auditOnce(r.Context(), u, "task."+d.Action, d.CycleID, d.UnitCode, key, map[string]string{"kind": d.Kind, "reason": d.Reason, "new_due": d.NewDue})
	writeJSON(w, http.StatusOK, map[string]any{"task": t})
}

func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	q := r.URL.Query()
	f := danvan.NotificationFilter{CycleID: q.Get("cycle"), UnitCode: q.Get("unit"), Kind: q.Get("kind"), Unread: q.Get("unread") == "1"}
	if u.Role == danvan.RoleOfficer {
		if err := canRead(u, f.UnitCode); f.UnitCode != "" && err != nil {
			s.writeError(w, r, err)
			return
		}
		if f.UnitCode == "" {
			f.UnitCode = u.UnitCode
		}
	}
	ns, err := s.Notifications.FindNotifications(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if ns == nil {
		ns = []danvan.Notification{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": ns})
}

// handleLive answers from the unit's workflow itself (a Temporal query):
// what operators compare with the projection when something looks off.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	unit := r.PathValue("unit")
	if err := canRead(userFrom(r.Context()), unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	tasks, err := s.Engine.LiveTasks(r.Context(), r.PathValue("id"), unit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]TaskStatus, len(tasks))
	for i, t := range tasks {
		out[i] = taskStatus(t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": unit, "tasks": out})
}

// handleReadNotification marks a notification read: POST
// /api/notifications/{id}/read (ids contain "/"). Officers mark only their
// own unit's; anyone else's answers 404.
func (s *Server) handleReadNotification(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("id"), "/read")
	if !ok {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "use POST /api/notifications/{id}/read", "dùng POST /api/notifications/{id}/read"))
		return
	}
	if err := s.markRead(r.Context(), userFrom(r.Context()), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": "read"})
}

func (s *Server) markRead(ctx context.Context, u *danvan.User, id string) error {
	n, err := s.Notifications.FindNotification(ctx, id)
	if err != nil {
		return err
	}
	if err := Allow(u, ActionMarkRead, n.UnitCode); err != nil {
		return err
	}
	return s.markReadBy(ctx, u, id)
}
