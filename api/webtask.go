package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danvan/danvan"
)

// TextReader turns an uploaded .txt or .docx file into text; the web UI
// uses it for submissions. Nil accepts pasted text only.
type TextReader func(name string, data []byte) (string, error)

type taskView struct {
	CycleID     string
	Cycle       *danvan.Cycle
	Task        danvan.Task
	Badge       string
	Submissions []danvan.Submission
	CanSubmit   bool
	CanDecide   bool
	Flash       string
	// FormKey is the one-time idempotency key every form of the page
	// carries: the same form sent twice is one command.
	FormKey string
}

func (s *Server) webTaskRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /chu-ky/{id}/{unit}/{kind}", s.webPage(s.webTask))
	mux.HandleFunc("POST /chu-ky/{id}/{unit}/{kind}/{action}", s.webPage(s.webTaskAction))
}

func (s *Server) loadTask(ctx context.Context, u *danvan.User, r *http.Request) (*taskView, error) {
	id, unit, kind := r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind")
	if err := canRead(u, unit); err != nil {
		return nil, err
	}
	tasks, err := s.Tasks.FindTasks(ctx, danvan.TaskFilter{CycleID: id, UnitCode: unit, Kind: kind})
	if err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, danvan.Errorf(danvan.ENotFound, "no such task", "không có nhiệm vụ này")
	}
	subs, err := s.Tasks.FindSubmissions(ctx, id, unit, kind)
	if err != nil {
		return nil, err
	}
	t := tasks[0]
	c, err := s.Cycles.FindCycle(ctx, id)
	if err != nil {
		return nil, err
	}
	open := t.Status == danvan.StatusPending || t.Status == danvan.StatusReturned || t.Status == danvan.StatusOverdue
	return &taskView{CycleID: id, Cycle: c, Task: t, Badge: badge(t, s.Now()), Submissions: subs,
		CanSubmit: open && Allow(u, ActionSubmit, unit) == nil, FormKey: newFormKey(),
		CanDecide: u.Role == danvan.RoleAdmin && t.Status != danvan.StatusAccepted && t.Status != danvan.StatusDoneLate}, nil
}

func (s *Server) webTask(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	v, err := s.loadTask(ctx, u, r)
	if err != nil {
		return "task", page{Title: msg(pageLang(r), "col.task")}, err
	}
	return "task", page{Title: v.Task.Title, Data: v}, nil
}

// webTaskAction runs a submission or a decision from the task page and
// shows the page again with the outcome; errors keep the page and say why.
func (s *Server) webTaskAction(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	id, unit, kind, action := r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind"), r.PathValue("action")
	var err error
	var flash string
	switch action {
	case "nop":
		flash, err = s.webSubmit(ctx, u, r, id, unit, kind)
	case "accept", "return", "extend":
		flash, err = s.webDecide(ctx, u, r, id, unit, kind, action)
	default:
		err = danvan.Errorf(danvan.ENotFound, "unknown action", "thao tác không hợp lệ")
	}
	v, lerr := s.loadTask(ctx, u, r)
	if lerr != nil {
		return "task", page{Title: msg(pageLang(r), "col.task")}, lerr
	}
	if err != nil {
		return "task", page{Title: v.Task.Title, Data: v}, err
	}
	v.Flash = msg(pageLang(r), flash)
	return "task", page{Title: v.Task.Title, Data: v}, nil
}

func (s *Server) webSubmit(ctx context.Context, u *danvan.User, r *http.Request, id, unit, kind string) (string, error) {
	if err := Allow(u, ActionSubmit, unit); err != nil {
		return "", err
	}
	sub := danvan.Submission{CycleID: id, UnitCode: unit, Kind: kind}
	uploads, err := s.readSubmission(r, &sub)
	if err != nil {
		return "", err
	}
	sub.CycleID, sub.UnitCode, sub.Kind = id, unit, kind
	sub.Text = strings.TrimSpace(sub.Text)
	// The form writes dates dd/mm/yyyy; the API takes ISO dates too.
	if sub.Date, err = parseViDate("date", sub.Date); err != nil {
		return "", err
	}
	key, err := checkKey(formKeyField, r.FormValue(formKeyField))
	if err != nil {
		return "", err
	}
	if _, err := s.submit(ctx, u, &sub, uploads, key); err != nil {
		return "", err
	}
	s.auditOnce(ctx, u, "task.submit", id, unit, key, map[string]string{"kind": kind, "number": sub.Number, "via": "web"})
	s.clearDraft(ctx, u, draftKey(id, unit, kind))
	return "task.sent", nil
}

func (s *Server) webDecide(ctx context.Context, u *danvan.User, r *http.Request, id, unit, kind, action string) (string, error) {
	if err := Allow(u, ActionDecide, ""); err != nil {
		return "", err
	}
	due, err := parseViDate("new_due", r.FormValue("new_due"))
	if err != nil {
		return "", err
	}
	d := danvan.Decision{CycleID: id, UnitCode: unit, Kind: kind, Action: action, Reason: strings.TrimSpace(r.FormValue("reason")),
		NewDue: due, By: u.Name}
	if err := danvan.Validate(&d); err != nil {
		return "", err
	}
	key, err := checkKey(formKeyField, r.FormValue(formKeyField))
	if err != nil {
		return "", err
	}
	if _, err := s.Engine.Decide(ctx, &d, key); err != nil {
		return "", err
	}
	s.auditOnce(ctx, u, "task."+action, id, unit, key, map[string]string{"kind": kind, "reason": d.Reason, "new_due": d.NewDue, "via": "web"})
	return "task.done." + action, nil
}
